package pgmeta

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// RequestCancel records that run id is to be cancelled, asked at t, as
// meta.DB.RequestCancel does; the process running it may be on any host.
func (d *DB) RequestCancel(ctx context.Context, id string, t time.Time) (bool, error) {
	// One statement: whether the run exists and whether it was running
	// (and so took the request) are read in the update's own snapshot.
	var running bool
	err := d.pool.QueryRow(ctx, `WITH asked AS (
			UPDATE runs SET cancel_requested_at = $1 WHERE id = $2 AND status = 'running' RETURNING id)
		SELECT EXISTS (SELECT 1 FROM asked) FROM runs WHERE id = $2`, meta.Nanos(t), id).Scan(&running)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("run %q: %w", id, meta.ErrNotFound)
	}
	return running, d.wrap(err)
}

// CancelRequested reports whether another process asked to cancel run id.
func (d *DB) CancelRequested(ctx context.Context, id string) (bool, error) {
	var at int64
	err := d.pool.QueryRow(ctx, `SELECT cancel_requested_at FROM runs WHERE id = $1`, id).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("run %q: %w", id, meta.ErrNotFound)
	}
	return at != 0, d.wrap(err)
}
