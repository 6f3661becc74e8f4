package pgmeta

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// The dashboard's queries, as package meta answers them for SQLite: see
// meta's dashboard.go for what each returns.

// QueryRuns returns the page of runs q selects, newest first.
func (d *DB) QueryRuns(ctx context.Context, q meta.RunQuery) ([]meta.Run, error) {
	if err := meta.CheckRunQuery(q); err != nil {
		return nil, err
	}
	text, args := runsQuery(q)
	rows, err := d.pool.Query(ctx, text, args...)
	if err != nil {
		return nil, d.wrap(err)
	}
	runs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (meta.Run, error) { return scanRun(r) })
	if err != nil {
		return nil, d.wrap(err)
	}
	// A run whose process is gone reads as interrupted, as in RunState.
	for i := range runs {
		if runs[i].Status != meta.RunRunning {
			continue
		}
		var beat int64
		if err := d.pool.QueryRow(ctx, `SELECT heartbeat_at FROM runs WHERE id = $1`, runs[i].ID).Scan(&beat); err != nil {
			return nil, d.wrap(err)
		}
		meta.ShowGone(&runs[i], d.hostname, beat)
	}
	return runs, nil
}

// runsQuery is the SQL of the page of runs q selects, and its arguments.
func runsQuery(q meta.RunQuery) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.Pipeline != "" {
		where = append(where, "pipeline = "+arg(q.Pipeline))
	}
	if q.Status != "" {
		where = append(where, "status = "+arg(q.Status))
	}
	if q.Param != "" {
		// jsonb equality compares numbers as numbers: 0.10 finds 0.1.
		where = append(where, "params::jsonb -> "+arg(q.Param)+" = "+arg(q.ParamJSON)+"::jsonb")
	}
	if q.Metric != "" {
		step, name, _ := strings.Cut(q.Metric, ".")
		where = append(where, `EXISTS (SELECT 1 FROM step_runs s JOIN metrics m ON m.step_run_id = s.id
			WHERE s.run_id = runs.id AND s.step = `+arg(step)+` AND m.name = `+arg(name)+` AND m.value `+q.MetricOp+` `+arg(q.MetricValue)+`)`)
	}
	if q.Before != "" {
		where = append(where, "(started_at, id) < (SELECT started_at, id FROM runs WHERE id = "+arg(q.Before)+")")
	}
	text := `SELECT ` + runColumns + ` FROM runs`
	if len(where) > 0 {
		text += " WHERE " + strings.Join(where, " AND ")
	}
	text += " ORDER BY started_at DESC, id DESC LIMIT " + arg(max(q.Limit, 1))
	return text, args
}

// RunMetrics returns the metrics of the given runs' steps.
func (d *DB) RunMetrics(ctx context.Context, runIDs []string) ([]meta.RunMetric, error) {
	rows, err := d.pool.Query(ctx, `SELECT s.run_id, s.step, m.name, m.value FROM step_runs s
		JOIN metrics m ON m.step_run_id = s.id WHERE s.run_id = ANY($1) ORDER BY s.run_id, s.step, m.name`, runIDs)
	if err != nil {
		return nil, d.wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (meta.RunMetric, error) {
		var m meta.RunMetric
		err := r.Scan(&m.Run, &m.Step, &m.Name, &m.Value)
		return m, err
	})
	return out, d.wrap(err)
}

// Pipelines lists the pipelines the store knows, by name.
func (d *DB) Pipelines(ctx context.Context) ([]meta.PipelineRecord, error) {
	rows, err := d.pool.Query(ctx, `SELECT name, notebook FROM pipelines ORDER BY name`)
	if err != nil {
		return nil, d.wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (meta.PipelineRecord, error) {
		var p meta.PipelineRecord
		err := r.Scan(&p.Name, &p.Notebook)
		return p, err
	})
	return out, d.wrap(err)
}

// RunState returns a run's status and its steps' states.
func (d *DB) RunState(ctx context.Context, runID string) (meta.Run, []meta.StepState, error) {
	var r meta.Run
	var started, ended, beat int64
	var errText []byte
	err := d.pool.QueryRow(ctx, `SELECT id, pipeline, status, started_at, ended_at, error, pid, hostname, heartbeat_at, orchestrator
		FROM runs WHERE id = $1`, runID).
		Scan(&r.ID, &r.Pipeline, &r.Status, &started, &ended, &errText, &r.PID, &r.Hostname, &beat, &r.Orchestrator)
	if errors.Is(err, pgx.ErrNoRows) {
		return meta.Run{}, nil, fmt.Errorf("run %q: %w", runID, meta.ErrNotFound)
	}
	if err != nil {
		return meta.Run{}, nil, d.wrap(err)
	}
	r.StartedAt, r.EndedAt, r.Error = meta.FromNanos(started), meta.FromNanos(ended), string(errText)
	meta.ShowGone(&r, d.hostname, beat)
	rows, err := d.pool.Query(ctx, `SELECT run_id, step, status, started_at, ended_at FROM step_runs WHERE run_id = $1 ORDER BY id`, runID)
	if err != nil {
		return meta.Run{}, nil, d.wrap(err)
	}
	steps, err := pgx.CollectRows(rows, scanStepState)
	for i := range steps {
		if r.Status == meta.RunInterrupted && steps[i].Status == meta.StepRunning {
			steps[i].Status = meta.StepInterrupted
		}
	}
	return r, steps, d.wrap(err)
}

// StepHistory returns the step states of a pipeline's latest runs.
func (d *DB) StepHistory(ctx context.Context, pipeline string, limit int) ([]meta.StepState, error) {
	rows, err := d.pool.Query(ctx, `SELECT s.run_id, s.step, s.status, s.started_at, s.ended_at FROM step_runs s
		JOIN (SELECT id, started_at FROM runs WHERE pipeline = $1 ORDER BY started_at DESC, id DESC LIMIT $2) r ON r.id = s.run_id
		ORDER BY r.started_at DESC, r.id DESC, s.id`, pipeline, max(limit, 1))
	if err != nil {
		return nil, d.wrap(err)
	}
	out, err := pgx.CollectRows(rows, scanStepState)
	return out, d.wrap(err)
}

func scanStepState(r pgx.CollectableRow) (meta.StepState, error) {
	var s meta.StepState
	err := r.Scan(&s.Run, &s.Step, &s.Status, &s.StartedAt, &s.EndedAt)
	return s, err
}
