package meta

import (
	"context"
	"database/sql"
	"fmt"
)

// Tx is one write transaction that records several step runs. The runtime
// gathers the writes of one scheduling turn — the step that just finished,
// the steps it released, cache hits decided on the way — into one Tx, so a
// step costs one commit instead of one per record.
//
// A Tx takes the store's write lock when it begins: keep it short (no step
// code runs while one is open) and commit or roll it back. Its methods must
// not be mixed with the DB's own methods while it is open: the store has a
// single connection, which the Tx holds.
type Tx struct {
	d  *DB
	tx *sql.Tx
}

// hotStatements are what a Tx runs. Begin prepares them first: the
// transaction holds the store's only connection, so a statement not
// prepared before it would be parsed again on every use inside it.
var hotStatements = []string{insertRunningStep, insertFinishedStep, updateFinishedStep, insertArtifact,
	upsertInline, insertOutput, insertInput, insertMetric, insertLog, deleteLiveLog, cacheHitQuery,
	savepointRecord, releaseRecord, rollbackRecord}

// Begin starts a write transaction.
func (d *DB) Begin(ctx context.Context) (*Tx, error) {
	for _, q := range hotStatements {
		if _, err := d.prepared(ctx, q); err != nil {
			return nil, fmt.Errorf("metadata store at %s: %w", d.path, err)
		}
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("metadata store at %s: %w", d.path, err)
	}
	return &Tx{d: d, tx: tx}, nil
}

// Commit makes every write of the transaction durable at once.
func (t *Tx) Commit(ctx context.Context) error {
	if err := t.tx.Commit(); err != nil {
		return err
	}
	t.d.commits.Add(1)
	t.d.preparePending(ctx)
	return nil
}

// Rollback discards the transaction's writes.
func (t *Tx) Rollback() error { return t.tx.Rollback() }

// StartStep records a step run as running and sets sr.ID.
func (t *Tx) StartStep(ctx context.Context, sr *StepRun) error {
	sr.Status = StepRunning
	res, err := t.d.txExec(ctx, t.tx, insertRunningStep,
		sr.RunID, sr.Pipeline, sr.Step, sr.Status, sr.Attempt, Nanos(sr.StartedAt), sr.CodeHash)
	if err != nil {
		return err
	}
	sr.ID, err = res.LastInsertId()
	return err
}

// FinishStep records everything about a finished step run, as
// DB.FinishStep does. The record is all or nothing: a failure leaves no
// part of it in the transaction, and the transaction usable.
func (t *Tx) FinishStep(ctx context.Context, sr *StepRun) error {
	if _, err := t.d.txExec(ctx, t.tx, savepointRecord); err != nil {
		return err
	}
	id := sr.ID
	if err := t.d.finishStep(ctx, t.tx, sr); err != nil {
		sr.ID = id
		t.d.txExec(ctx, t.tx, rollbackRecord)
		t.d.txExec(ctx, t.tx, releaseRecord)
		return err
	}
	_, err := t.d.txExec(ctx, t.tx, releaseRecord)
	return err
}

// CacheHit is DB.CacheHit inside the transaction.
func (t *Tx) CacheHit(ctx context.Context, pipeline, step, key string) (*StepRun, error) {
	return t.d.cacheHit(ctx, func(q string, args ...any) (*sql.Rows, error) {
		return t.d.txQuery(ctx, t.tx, q, args...)
	}, pipeline, step, key)
}

const (
	savepointRecord = "SAVEPOINT step_record"
	releaseRecord   = "RELEASE step_record"
	rollbackRecord  = "ROLLBACK TO step_record"
)

const insertRunningStep = `INSERT INTO step_runs (run_id, pipeline, step, status, attempt, started_at, code_hash)
	VALUES (?, ?, ?, ?, ?, ?, ?)`

// cacheHitQuery finds the newest finished step run with a key and returns
// its outputs and metrics in one statement, one row per output ('o') or
// metric ('m'); a hit without outputs still yields one row. Inline outputs
// come with their bytes, so verifying the hit reads nothing more. The index
// step_runs_by_key (pipeline, step, cache_key, ended_at) serves the WHERE
// and the ORDER BY, so no sort runs however often the step was cached.
const cacheHitQuery = `WITH hit AS (
	SELECT id, run_id, cached_from FROM step_runs
	WHERE pipeline = ? AND step = ? AND cache_key = ? AND status IN ('succeeded', 'cached')
	ORDER BY ended_at DESC, id DESC LIMIT 1)
SELECT hit.id, hit.run_id, hit.cached_from, 'o', COALESCE(o.name, ''), COALESCE(o.digest, ''),
	COALESCE(a.size, 0), COALESCE(a.codec, ''), COALESCE(a.type, ''), COALESCE(o.type_hash, ''), 0.0, i.digest IS NOT NULL, i.bytes
	FROM hit LEFT JOIN step_outputs o ON o.step_run_id = hit.id LEFT JOIN artifacts a ON a.digest = o.digest
		LEFT JOIN inline_artifacts i ON i.digest = o.digest
UNION ALL
SELECT hit.id, hit.run_id, hit.cached_from, 'm', m.name, '', 0, '', '', '', m.value, 0, NULL
	FROM hit JOIN metrics m ON m.step_run_id = hit.id
ORDER BY 4, 5`

func (d *DB) cacheHit(ctx context.Context, query func(q string, args ...any) (*sql.Rows, error), pipeline, step, key string) (*StepRun, error) {
	rows, err := query(cacheHitQuery, pipeline, step, key)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return CollectCacheHit(rows, pipeline, step, key)
}
