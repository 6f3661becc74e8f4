package pgmeta

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// Check proves the database writable: it records a pipeline in a
// transaction it then rolls back.
func (d *DB) Check(ctx context.Context) error {
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return d.wrap(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `INSERT INTO pipelines (name, notebook, created_at) VALUES ('zen-stack-check', '', 0)
		ON CONFLICT (name) DO UPDATE SET notebook = excluded.notebook`); err != nil {
		return fmt.Errorf("metadata store %s: cannot write: %w", d.name, explain(err))
	}
	return nil
}

// Schema returns the schema version the database holds.
func (d *DB) Schema(ctx context.Context) (int, error) {
	var v int
	err := d.pool.QueryRow(ctx, `SELECT version FROM zen_schema`).Scan(&v)
	return v, d.wrap(err)
}

// explain puts the usual causes of a failing connection into words before
// the driver's message.
func explain(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01", "28000":
			return fmt.Errorf("the credentials are refused: %w", err)
		case "3D000":
			return fmt.Errorf("the database does not exist: %w", err)
		case "42501":
			return fmt.Errorf("the user may not write: %w", err)
		case "53100": // disk_full
			return fmt.Errorf("%w: %w", meta.ErrFull, err)
		}
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || errors.Is(err, pgx.ErrTxClosed) {
		msg := err.Error()
		if strings.Contains(msg, "connection refused") || strings.Contains(msg, "no such host") ||
			strings.Contains(msg, "timeout") || strings.Contains(msg, "network is unreachable") {
			return fmt.Errorf("the server cannot be reached: %w", err)
		}
	}
	return err
}
