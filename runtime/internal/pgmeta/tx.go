package pgmeta

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

var _ engine.MetadataStore = (*DB)(nil)

// Tx gathers the step records of one scheduling turn into one
// transaction, as meta.Tx does. Unlike SQLite's, it locks only the rows it
// writes: other processes record their own steps meanwhile.
type Tx struct {
	d  *DB
	tx pgx.Tx
}

// Begin starts a transaction of step records.
//
// Its commit does not wait for the server's disk (synchronous_commit off),
// as the SQLite store's commits in WAL mode with synchronous=NORMAL do
// not: a flush per step would cost more than the whole per-step budget,
// and a step record lost to a server crash only makes the step run again,
// since it never points at an artifact that was not stored. The run's own
// records are synchronous, and a synchronous commit makes every earlier one
// durable too, so a finished run is durable whole.
func (d *DB) Begin(ctx context.Context) (engine.MetadataTx, error) {
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return nil, d.wrap(err)
	}
	if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return nil, d.wrap(err)
	}
	return &Tx{d: d, tx: tx}, nil
}

// Commit makes every write of the transaction durable at once.
func (t *Tx) Commit(ctx context.Context) error { return t.d.wrap(t.tx.Commit(ctx)) }

// Rollback discards the transaction's writes.
func (t *Tx) Rollback() error { return t.tx.Rollback(context.Background()) }

// StartStep records a step run as running and sets sr.ID.
func (t *Tx) StartStep(ctx context.Context, sr *meta.StepRun) error {
	sr.Status = meta.StepRunning
	return t.d.wrap(t.tx.QueryRow(ctx, insertRunningStep,
		sr.RunID, sr.Pipeline, sr.Step, sr.Status, sr.Attempt, meta.Nanos(sr.StartedAt), sr.CodeHash).Scan(&sr.ID))
}

// FinishStep records everything about a finished step run. The record is
// all or nothing: a failure leaves no part of it in the transaction (a
// savepoint), and the transaction usable.
func (t *Tx) FinishStep(ctx context.Context, sr *meta.StepRun) error {
	id := sr.ID
	err := pgx.BeginFunc(ctx, t.tx, func(sp pgx.Tx) error { return finishStep(ctx, sp, sr) })
	if err != nil {
		sr.ID = id
	}
	return t.d.wrap(err)
}

// CacheHit is DB.CacheHit inside the transaction: it sees the
// transaction's own records.
func (t *Tx) CacheHit(ctx context.Context, pipeline, step, key string) (*meta.StepRun, error) {
	hit, err := cacheHit(ctx, t.tx, pipeline, step, key)
	return hit, t.d.wrap(err)
}
