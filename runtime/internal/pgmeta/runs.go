package pgmeta

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// EnsurePipeline records the pipeline and the code hash of each step.
func (d *DB) EnsurePipeline(ctx context.Context, name, notebook string, codeHashes map[string]string) error {
	now := time.Now().UnixNano()
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO pipelines (name, notebook, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET notebook = excluded.notebook`, name, notebook, now)
	steps := make([]string, 0, len(codeHashes))
	for s := range codeHashes {
		steps = append(steps, s)
	}
	sort.Strings(steps)
	for _, s := range steps {
		b.Queue(`INSERT INTO code_versions (pipeline, step, code_hash, first_seen) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, name, s, codeHashes[s], now)
	}
	return d.wrap(pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error { return tx.SendBatch(ctx, b).Close() }))
}

// CreateRun records a run as running, owned by this process.
func (d *DB) CreateRun(ctx context.Context, r *meta.Run) error {
	r.Status = meta.RunRunning
	r.PID = os.Getpid()
	r.Hostname = d.hostname
	_, err := d.pool.Exec(ctx, `INSERT INTO runs (id, pipeline, status, params, args, resumed_from,
		started_at, heartbeat_at, pid, hostname, orchestrator) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		r.ID, r.Pipeline, r.Status, r.Params, r.Args, r.ResumedFrom, meta.Nanos(r.StartedAt), meta.Nanos(r.StartedAt), r.PID, r.Hostname, r.Orchestrator)
	return d.wrap(err)
}

// FinishRun sets the final status of a run.
func (d *DB) FinishRun(ctx context.Context, id, status, errText string, ended time.Time) error {
	_, err := d.pool.Exec(ctx, `UPDATE runs SET status = $1, error = $2, ended_at = $3 WHERE id = $4`,
		status, []byte(errText), meta.Nanos(ended), id)
	return d.wrap(err)
}

// Heartbeat tells other processes, on any host, that the run is alive.
func (d *DB) Heartbeat(ctx context.Context, id string, t time.Time) error {
	_, err := d.pool.Exec(ctx, `UPDATE runs SET heartbeat_at = $1 WHERE id = $2 AND status = 'running'`, meta.Nanos(t), id)
	return d.wrap(err)
}

// MarkInterrupted marks running runs whose process is dead — not alive on
// this host, or silent for longer than meta.StaleHeartbeat — and their
// running step runs as interrupted. It returns the ids it marked.
func (d *DB) MarkInterrupted(ctx context.Context) ([]string, error) {
	rows, err := d.pool.Query(ctx, `SELECT id, pid, hostname, heartbeat_at FROM runs WHERE status = 'running' AND orchestrator = ''`)
	if err != nil {
		return nil, d.wrap(err)
	}
	var dead []string
	now := time.Now()
	for rows.Next() {
		var id, host string
		var pid int
		var beat int64
		if err := rows.Scan(&id, &pid, &host, &beat); err != nil {
			rows.Close()
			return nil, d.wrap(err)
		}
		if meta.ProcessGone(d.hostname, pid, host, beat, now) {
			dead = append(dead, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(dead) == 0 {
		return nil, d.wrap(err)
	}
	var marked []string
	err = pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		for _, id := range dead {
			// The status guard makes this a no-op for a run that finished,
			// or that another process marked, since it was read.
			tag, err := tx.Exec(ctx, `UPDATE runs SET status = 'interrupted', ended_at = $1, error = $2
				WHERE id = $3 AND status = 'running'`, now.UnixNano(), []byte(meta.InterruptedError), id)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE step_runs SET status = 'interrupted', ended_at = $1
				WHERE run_id = $2 AND status = 'running'`, now.UnixNano(), id); err != nil {
				return err
			}
			marked = append(marked, id)
		}
		return nil
	})
	return marked, d.wrap(err)
}

// FailAbandoned records that the process running run id ended without
// finishing it, as meta.DB.FailAbandoned does.
func (d *DB) FailAbandoned(ctx context.Context, id, cause string) (string, error) {
	var msg string
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		var status, orchestrator string
		if err := tx.QueryRow(ctx, `SELECT status, orchestrator FROM runs WHERE id = $1 FOR UPDATE`, id).Scan(&status, &orchestrator); err != nil {
			return err
		}
		// A run of another orchestrator goes on without the process that
		// submitted it.
		if status != meta.RunRunning && status != meta.RunInterrupted || orchestrator != "" {
			return nil
		}
		rows, err := tx.Query(ctx, `SELECT step FROM step_runs WHERE run_id = $1 AND status IN ('running', 'interrupted')
			ORDER BY started_at, id`, id)
		if err != nil {
			return err
		}
		steps, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		msg = meta.AbandonedError(cause, steps)
		now := time.Now().UnixNano()
		if _, err := tx.Exec(ctx, `UPDATE step_runs SET status = 'failed', error = $1, ended_at = $2
			WHERE run_id = $3 AND status IN ('running', 'interrupted')`, []byte(msg), now, id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE runs SET status = 'failed', error = $1, ended_at = $2 WHERE id = $3`, []byte(msg), now, id)
		return err
	})
	if err != nil {
		return "", d.wrap(err)
	}
	return msg, nil
}

const runColumns = `id, pipeline, status, params, args, resumed_from, started_at, ended_at, pid, hostname, error, orchestrator`

func scanRun(sc pgx.Row) (meta.Run, error) {
	var r meta.Run
	var started, ended int64
	var errText []byte
	err := sc.Scan(&r.ID, &r.Pipeline, &r.Status, &r.Params, &r.Args, &r.ResumedFrom, &started, &ended,
		&r.PID, &r.Hostname, &errText, &r.Orchestrator)
	r.StartedAt, r.EndedAt, r.Error = meta.FromNanos(started), meta.FromNanos(ended), string(errText)
	return r, err
}

// Runs lists the runs of a pipeline, newest first; limit ≤ 0 means all.
func (d *DB) Runs(ctx context.Context, pipeline string, limit int) ([]meta.Run, error) {
	q := `SELECT ` + runColumns + ` FROM runs WHERE pipeline = $1 ORDER BY started_at DESC, seq DESC`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := d.pool.Query(ctx, q, pipeline)
	if err != nil {
		return nil, d.wrap(err)
	}
	runs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (meta.Run, error) { return scanRun(r) })
	return runs, d.wrap(err)
}

// ResolveRun finds a run of pipeline by "latest", its full id or a unique
// prefix of it.
func (d *DB) ResolveRun(ctx context.Context, pipeline, ref string) (meta.Run, error) {
	if ref == "latest" {
		r, err := scanRun(d.pool.QueryRow(ctx, `SELECT `+runColumns+` FROM runs WHERE pipeline = $1
			ORDER BY started_at DESC, seq DESC LIMIT 1`, pipeline))
		if errors.Is(err, pgx.ErrNoRows) {
			return meta.Run{}, fmt.Errorf("pipeline %s has no runs yet: %w", pipeline, meta.ErrNotFound)
		}
		return r, d.wrap(err)
	}
	// Run ids hold only [0-9A-Za-z.-]; a reference with LIKE's wildcards
	// or its escape matches nothing rather than a pattern.
	if strings.ContainsAny(ref, `%_\`) || ref == "" {
		return meta.Run{}, fmt.Errorf("run %q: %w", ref, meta.ErrNotFound)
	}
	rows, err := d.pool.Query(ctx, `SELECT `+runColumns+` FROM runs WHERE pipeline = $1 AND id LIKE $2
		ORDER BY started_at DESC LIMIT 3`, pipeline, ref+"%")
	if err != nil {
		return meta.Run{}, d.wrap(err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (meta.Run, error) { return scanRun(r) })
	if err != nil {
		return meta.Run{}, d.wrap(err)
	}
	for _, r := range found {
		if r.ID == ref {
			return r, nil
		}
	}
	switch len(found) {
	case 0:
		return meta.Run{}, fmt.Errorf("run %q: %w", ref, meta.ErrNotFound)
	case 1:
		return found[0], nil
	}
	return meta.Run{}, fmt.Errorf("run prefix %q is ambiguous: it matches %s, %s…", ref, found[0].ID, found[1].ID)
}
