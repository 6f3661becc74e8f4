package meta

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// This file holds the queries of the dashboard (runtime/internal/ui): a
// page of runs filtered in SQL, the metrics of that page, the pipelines
// of the store, a run's step statuses for its live view, and a step's
// history. The dashboard asks the store for what a page shows and no
// more, so a store of many thousands of runs renders as fast as a small
// one.

// RunQuery selects a page of runs, newest first.
type RunQuery struct {
	Pipeline string // "" for every pipeline
	Status   string // "" for any
	// Param, when set, keeps the runs whose param of that name has the
	// JSON value ParamJSON (compared as JSON, so 0.10 matches 0.1 on a
	// store that can).
	Param, ParamJSON string
	// Metric (STEP.NAME), when set, keeps the runs where that metric
	// compares to MetricValue by MetricOp: one of < <= = >= >.
	Metric, MetricOp string
	MetricValue      float64
	// Before, when set, is the id of the last run of the previous page:
	// the page starts after it.
	Before string
	Limit  int
}

// RunMetric is one metric a step of a run recorded.
type RunMetric struct {
	Run, Step, Name string
	Value           float64
}

// PipelineRecord is a pipeline the store has runs of.
type PipelineRecord struct {
	Name, Notebook string
}

// StepState is the cheap part of a step run, what a live view redraws.
type StepState struct {
	Run, Step, Status  string
	StartedAt, EndedAt int64 // Nanos
}

// MetricOps are the comparisons RunQuery.MetricOp accepts.
var MetricOps = []string{"<=", ">=", "<", ">", "="}

// CheckRunQuery reports a query no store should run: an unknown operator
// or a param name that is not a plain identifier.
func CheckRunQuery(q RunQuery) error {
	if q.Metric != "" && !validOp(q.MetricOp) {
		return fmt.Errorf("metric comparison %q: want one of %s", q.MetricOp, strings.Join(MetricOps, " "))
	}
	if q.Param != "" && !identifier(q.Param) {
		return fmt.Errorf("param name %q: want letters, digits and _", q.Param)
	}
	if q.Param != "" && !json.Valid([]byte(q.ParamJSON)) {
		return fmt.Errorf("param value %q is not JSON", q.ParamJSON)
	}
	return nil
}

func validOp(op string) bool {
	for _, o := range MetricOps {
		if o == op {
			return true
		}
	}
	return false
}

func identifier(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// QueryRuns returns the page of runs q selects.
func (d *DB) QueryRuns(ctx context.Context, q RunQuery) ([]Run, error) {
	if err := CheckRunQuery(q); err != nil {
		return nil, err
	}
	text, args := runsQuery(q)
	rows, err := d.query(ctx, text, args...)
	if err != nil {
		return nil, err
	}
	var runs []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A run whose process is gone reads as interrupted, as in RunState.
	for i := range runs {
		if runs[i].Status != RunRunning {
			continue
		}
		gone, err := d.runGone(ctx, runs[i].ID)
		if err != nil {
			return nil, err
		}
		if gone {
			runs[i].Status, runs[i].Error = RunInterrupted, InterruptedError
		}
	}
	return runs, nil
}

// runsQuery is the SQL of the page of runs q selects, and its arguments.
func runsQuery(q RunQuery) (string, []any) {
	var where []string
	var args []any
	if q.Pipeline != "" {
		where, args = append(where, "pipeline = ?"), append(args, q.Pipeline)
	}
	if q.Status != "" {
		where, args = append(where, "status = ?"), append(args, q.Status)
	}
	if q.Param != "" {
		// A scalar compares as an SQL value, so 0.10 finds 0.1 and true
		// finds true; an object or array compares as minified JSON.
		var v any
		json.Unmarshal([]byte(q.ParamJSON), &v)
		switch v := v.(type) {
		case float64, string:
			where, args = append(where, "params ->> ? = ?"), append(args, "$."+q.Param, v)
		case bool:
			where, args = append(where, "params ->> ? = ?"), append(args, "$."+q.Param, map[bool]int{false: 0, true: 1}[v])
		default:
			where, args = append(where, "params -> ? = json(?)"), append(args, "$."+q.Param, q.ParamJSON)
		}
	}
	if q.Metric != "" {
		step, name, _ := strings.Cut(q.Metric, ".")
		where = append(where, `EXISTS (SELECT 1 FROM step_runs s JOIN metrics m ON m.step_run_id = s.id
			WHERE s.run_id = runs.id AND s.step = ? AND m.name = ? AND m.value `+q.MetricOp+` ?)`)
		args = append(args, step, name, q.MetricValue)
	}
	if q.Before != "" {
		where = append(where, "(started_at, id) < (SELECT started_at, id FROM runs WHERE id = ?)")
		args = append(args, q.Before)
	}
	text := `SELECT ` + runColumns + ` FROM runs`
	if len(where) > 0 {
		text += " WHERE " + strings.Join(where, " AND ")
	}
	text += " ORDER BY started_at DESC, id DESC LIMIT ?"
	return text, append(args, max(q.Limit, 1))
}

// RunMetrics returns the metrics of the given runs' steps, by run, step
// and name.
func (d *DB) RunMetrics(ctx context.Context, runIDs []string) ([]RunMetric, error) {
	ids, err := json.Marshal(runIDs)
	if err != nil {
		return nil, err
	}
	rows, err := d.query(ctx, `SELECT s.run_id, s.step, m.name, m.value FROM step_runs s
		JOIN metrics m ON m.step_run_id = s.id
		WHERE s.run_id IN (SELECT value FROM json_each(?)) ORDER BY s.run_id, s.step, m.name`, string(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunMetric
	for rows.Next() {
		var m RunMetric
		if err := rows.Scan(&m.Run, &m.Step, &m.Name, &m.Value); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Pipelines lists the pipelines the store knows, by name.
func (d *DB) Pipelines(ctx context.Context) ([]PipelineRecord, error) {
	rows, err := d.query(ctx, `SELECT name, notebook FROM pipelines ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PipelineRecord
	for rows.Next() {
		var p PipelineRecord
		if err := rows.Scan(&p.Name, &p.Notebook); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RunState returns a run's status and the state of each of its steps in
// the order they started: one indexed read of a few rows, which a live
// view repeats. A running run whose process is gone reads as interrupted,
// with its running steps, as the next writable open will record it: a
// dashboard that stays open must not show a dead run running forever.
func (d *DB) RunState(ctx context.Context, runID string) (Run, []StepState, error) {
	var r Run
	var started, ended, beat int64
	err := d.queryRow(ctx, `SELECT id, pipeline, status, started_at, ended_at, error, pid, hostname, heartbeat_at, orchestrator FROM runs WHERE id = ?`, runID).
		Scan(&r.ID, &r.Pipeline, &r.Status, &started, &ended, &r.Error, &r.PID, &r.Hostname, &beat, &r.Orchestrator)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, nil, fmt.Errorf("run %q: %w", runID, ErrNotFound)
	}
	if err != nil {
		return Run{}, nil, err
	}
	r.StartedAt, r.EndedAt = FromNanos(started), FromNanos(ended)
	ShowGone(&r, d.hostname, beat)
	rows, err := d.query(ctx, `SELECT run_id, step, status, started_at, ended_at FROM step_runs WHERE run_id = ? ORDER BY id`, runID)
	if err != nil {
		return Run{}, nil, err
	}
	defer rows.Close()
	var steps []StepState
	for rows.Next() {
		var s StepState
		if err := rows.Scan(&s.Run, &s.Step, &s.Status, &s.StartedAt, &s.EndedAt); err != nil {
			return Run{}, nil, err
		}
		if r.Status == RunInterrupted && s.Status == StepRunning {
			s.Status = StepInterrupted
		}
		steps = append(steps, s)
	}
	return r, steps, rows.Err()
}

// ShowGone shows a running run whose process is gone, as seen from
// thisHost, as interrupted; beat is its heartbeat (Nanos). A run of
// another orchestrator goes on without the process that submitted it.
func ShowGone(r *Run, thisHost string, beat int64) {
	if r.Status == RunRunning && r.Orchestrator == "" && ProcessGone(thisHost, r.PID, r.Hostname, beat, time.Now()) {
		r.Status, r.Error = RunInterrupted, InterruptedError
	}
}

// StepHistory returns the step states of a pipeline's latest runs
// (newest first, at most limit runs), every step of each.
func (d *DB) StepHistory(ctx context.Context, pipeline string, limit int) ([]StepState, error) {
	rows, err := d.query(ctx, `SELECT s.run_id, s.step, s.status, s.started_at, s.ended_at FROM step_runs s
		JOIN (SELECT id, started_at FROM runs WHERE pipeline = ? ORDER BY started_at DESC, id DESC LIMIT ?) r ON r.id = s.run_id
		ORDER BY r.started_at DESC, r.id DESC, s.id`, pipeline, max(limit, 1))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StepState
	for rows.Next() {
		var s StepState
		if err := rows.Scan(&s.Run, &s.Step, &s.Status, &s.StartedAt, &s.EndedAt); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
