package meta

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// Run statuses.
const (
	RunRunning     = "running"
	RunSucceeded   = "succeeded"
	RunFailed      = "failed"
	RunCancelled   = "cancelled"
	RunInterrupted = "interrupted"
)

// Run is one execution of a pipeline.
type Run struct {
	ID          string    `json:"id"`
	Pipeline    string    `json:"pipeline"`
	Status      string    `json:"status"`
	Params      string    `json:"-"` // canonical JSON object
	Args        string    `json:"-"` // JSON array of the command line
	ResumedFrom string    `json:"resumed_from,omitempty"`
	StartedAt   time.Time `json:"started_at"`
	EndedAt     time.Time `json:"ended_at,omitzero"`
	PID         int       `json:"pid"`
	Hostname    string    `json:"hostname"`
	Error       string    `json:"error,omitempty"`
	// Orchestrator is "" for a run of the local scheduler, else where the
	// run lives ("temporal://HOST:PORT/NAMESPACE"): its steps run in other
	// processes, and no local process's death ends it.
	Orchestrator string `json:"orchestrator,omitempty"`
}

// NewRunID returns an id that sorts by start time (UTC, to the millisecond)
// and stays unique across processes through its random suffix.
func NewRunID(t time.Time) string {
	var b [3]byte
	rand.Read(b[:])
	return t.UTC().Format("20060102T150405.000Z") + "-" + hex.EncodeToString(b[:])
}

// EnsurePipeline records the pipeline and the code hash of each step.
func (d *DB) EnsurePipeline(ctx context.Context, name, notebook string, codeHashes map[string]string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error { return d.ensurePipeline(ctx, tx, name, notebook, codeHashes) })
}

func (d *DB) ensurePipeline(ctx context.Context, tx *sql.Tx, name, notebook string, codeHashes map[string]string) error {
	now := time.Now().UnixNano()
	if _, err := d.txExec(ctx, tx, `INSERT INTO pipelines (name, notebook, created_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET notebook = excluded.notebook`, name, notebook, now); err != nil {
		return err
	}
	steps := make([]string, 0, len(codeHashes))
	for s := range codeHashes {
		steps = append(steps, s)
	}
	sort.Strings(steps)
	for _, s := range steps {
		if _, err := d.txExec(ctx, tx, `INSERT OR IGNORE INTO code_versions (pipeline, step, code_hash, first_seen)
			VALUES (?, ?, ?, ?)`, name, s, codeHashes[s], now); err != nil {
			return err
		}
	}
	return nil
}

// CreateRun records a run as running, owned by this process.
func (d *DB) CreateRun(ctx context.Context, r *Run) error {
	r.Status = RunRunning
	r.PID = os.Getpid()
	r.Hostname = d.hostname
	_, err := d.exec(ctx, `INSERT INTO runs (id, pipeline, status, params, args, resumed_from,
		started_at, heartbeat_at, pid, hostname, orchestrator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Pipeline, r.Status, r.Params, r.Args, r.ResumedFrom, Nanos(r.StartedAt), Nanos(r.StartedAt), r.PID, r.Hostname, r.Orchestrator)
	return err
}

// FinishRun sets the final status of a run.
func (d *DB) FinishRun(ctx context.Context, id, status, errText string, ended time.Time) error {
	_, err := d.exec(ctx, `UPDATE runs SET status = ?, error = ?, ended_at = ? WHERE id = ?`,
		status, errText, Nanos(ended), id)
	return err
}

// Heartbeat tells other processes that the run is alive.
func (d *DB) Heartbeat(ctx context.Context, id string, t time.Time) error {
	_, err := d.exec(ctx, `UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'`, Nanos(t), id)
	return err
}

// MarkInterrupted marks running runs whose process is dead — not alive on
// this host, or silent for longer than StaleHeartbeat — and their running
// step runs as interrupted. It returns the ids it marked.
func (d *DB) MarkInterrupted(ctx context.Context) ([]string, error) {
	rows, err := d.query(ctx, `SELECT id, pid, hostname, heartbeat_at FROM runs WHERE status = 'running' AND orchestrator = ''`)
	if err != nil {
		return nil, err
	}
	var dead []string
	now := time.Now()
	for rows.Next() {
		var id, host string
		var pid int
		var beat int64
		if err := rows.Scan(&id, &pid, &host, &beat); err != nil {
			rows.Close()
			return nil, err
		}
		if d.processGone(pid, host, beat, now) {
			dead = append(dead, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(dead) == 0 {
		return nil, err
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, id := range dead {
		// The status check repeats inside the write lock: the run may have
		// finished since it was read.
		res, err := d.txExec(ctx, tx, `UPDATE runs SET status = 'interrupted', ended_at = ?,
			error = ? WHERE id = ? AND status = 'running'`, now.UnixNano(), InterruptedError, id)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		if _, err := d.txExec(ctx, tx, `UPDATE step_runs SET status = 'interrupted', ended_at = ?
			WHERE run_id = ? AND status = 'running'`, now.UnixNano(), id); err != nil {
			return nil, err
		}
	}
	return dead, tx.Commit()
}

// processGone reports whether the process of a running run is dead.
func (d *DB) processGone(pid int, host string, beat int64, now time.Time) bool {
	return ProcessGone(d.hostname, pid, host, beat, now)
}

// ProcessGone reports whether the process of a running run, started as pid
// on host and last heard of at beat (Nanos), is dead as seen from thisHost
// at now: not alive on this host, or silent for longer than StaleHeartbeat.
func ProcessGone(thisHost string, pid int, host string, beat int64, now time.Time) bool {
	return (host == thisHost && !ProcessAlive(pid)) || now.Sub(FromNanos(beat)) > StaleHeartbeat
}

const runColumns = `id, pipeline, status, params, args, resumed_from, started_at, ended_at, pid, hostname, error, orchestrator`

func scanRun(sc interface{ Scan(...any) error }) (Run, error) {
	var r Run
	var started, ended int64
	err := sc.Scan(&r.ID, &r.Pipeline, &r.Status, &r.Params, &r.Args, &r.ResumedFrom, &started, &ended,
		&r.PID, &r.Hostname, &r.Error, &r.Orchestrator)
	r.StartedAt, r.EndedAt = FromNanos(started), FromNanos(ended)
	return r, err
}

// InterruptedError is the error of a run whose process stopped.
const InterruptedError = "the process running it stopped"

// Runs lists the runs of a pipeline, newest first; limit ≤ 0 means all.
func (d *DB) Runs(ctx context.Context, pipeline string, limit int) ([]Run, error) {
	runs, err := d.runs(ctx, pipeline, limit)
	for i := range runs {
		if err == nil {
			err = d.showInterrupted(ctx, &runs[i])
		}
	}
	return runs, err
}

func (d *DB) runs(ctx context.Context, pipeline string, limit int) ([]Run, error) {
	q := `SELECT ` + runColumns + ` FROM runs WHERE pipeline = ? ORDER BY started_at DESC, rowid DESC`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := d.query(ctx, q, pipeline)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, rows.Err()
}

// ResolveRun finds a run of pipeline by "latest", its full id or a unique
// prefix of it.
func (d *DB) ResolveRun(ctx context.Context, pipeline, ref string) (Run, error) {
	r, err := d.resolveRun(ctx, pipeline, ref)
	if err == nil {
		err = d.showInterrupted(ctx, &r)
	}
	return r, err
}

func (d *DB) resolveRun(ctx context.Context, pipeline, ref string) (Run, error) {
	if ref == "latest" {
		r, err := scanRun(d.queryRow(ctx, `SELECT `+runColumns+` FROM runs WHERE pipeline = ?
			ORDER BY started_at DESC, rowid DESC LIMIT 1`, pipeline))
		if errors.Is(err, sql.ErrNoRows) {
			return Run{}, fmt.Errorf("pipeline %s has no runs yet: %w", pipeline, ErrNotFound)
		}
		return r, err
	}
	// GLOB with the prefix escaped: run ids hold only [0-9A-Za-z.-], so a
	// reference with other characters matches nothing.
	if strings.ContainsAny(ref, "*?[]") || ref == "" {
		return Run{}, fmt.Errorf("run %q: %w", ref, ErrNotFound)
	}
	rows, err := d.query(ctx, `SELECT `+runColumns+` FROM runs WHERE pipeline = ? AND id GLOB ?
		ORDER BY started_at DESC LIMIT 3`, pipeline, ref+"*")
	if err != nil {
		return Run{}, err
	}
	defer rows.Close()
	var found []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return Run{}, err
		}
		if r.ID == ref {
			return r, nil
		}
		found = append(found, r)
	}
	if err := rows.Err(); err != nil {
		return Run{}, err
	}
	switch len(found) {
	case 0:
		return Run{}, fmt.Errorf("run %q: %w", ref, ErrNotFound)
	case 1:
		return found[0], nil
	}
	return Run{}, fmt.Errorf("run prefix %q is ambiguous: it matches %s, %s…", ref, found[0].ID, found[1].ID)
}
