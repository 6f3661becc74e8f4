package meta

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// FailAbandoned records that the process running run id ended without
// finishing it: cause says how ("process exited with status 3"). The run
// and the steps it had running fail with cause and the names of those
// steps. A run already finished is left alone; one already marked
// interrupted (by a command that found its process gone) gets the better
// account. It returns the message recorded, or "" when the run was
// finished.
func (d *DB) FailAbandoned(ctx context.Context, id, cause string) (string, error) {
	var msg string
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var status, orchestrator string
		if err := tx.QueryRowContext(ctx, `SELECT status, orchestrator FROM runs WHERE id = ?`, id).Scan(&status, &orchestrator); err != nil {
			return err
		}
		// A run of another orchestrator goes on without the process that
		// submitted it.
		if status != RunRunning && status != RunInterrupted || orchestrator != "" {
			return nil
		}
		rows, err := tx.QueryContext(ctx, `SELECT step FROM step_runs WHERE run_id = ? AND status IN ('running', 'interrupted')
			ORDER BY started_at, id`, id)
		if err != nil {
			return err
		}
		var steps []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			steps = append(steps, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		msg = AbandonedError(cause, steps)
		now := time.Now().UnixNano()
		if _, err := tx.ExecContext(ctx, `UPDATE step_runs SET status = 'failed', error = ?, ended_at = ?
			WHERE run_id = ? AND status IN ('running', 'interrupted')`, msg, now, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE runs SET status = 'failed', error = ?, ended_at = ? WHERE id = ?`, msg, now, id)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("metadata store at %s: %w", d.path, err)
	}
	return msg, nil
}

// AbandonedError is the error of a run whose process ended with cause while
// steps were running.
func AbandonedError(cause string, steps []string) string {
	switch len(steps) {
	case 0:
		return cause
	case 1:
		return cause + " during step " + steps[0]
	}
	// Steps running in parallel: which one ended the process cannot be
	// known from outside it.
	return cause + " while steps " + strings.Join(steps, ", ") + " were running"
}
