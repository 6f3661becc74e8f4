package meta

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RequestCancel records that run id is to be cancelled, asked at t, for the
// process running it to find (CancelRequested). It reports whether the run
// was running: a run that has ended gets no request, and one that was never
// recorded is ErrNotFound.
func (d *DB) RequestCancel(ctx context.Context, id string, t time.Time) (bool, error) {
	res, err := d.exec(ctx, `UPDATE runs SET cancel_requested_at = ? WHERE id = ? AND status = 'running'`, Nanos(t), id)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return n > 0, err
	}
	var one int
	err = d.queryRow(ctx, `SELECT 1 FROM runs WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("run %q: %w", id, ErrNotFound)
	}
	return false, err
}

// CancelRequested reports whether another process asked to cancel run id.
func (d *DB) CancelRequested(ctx context.Context, id string) (bool, error) {
	var at int64
	err := d.queryRow(ctx, `SELECT cancel_requested_at FROM runs WHERE id = ?`, id).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("run %q: %w", id, ErrNotFound)
	}
	return at != 0, err
}
