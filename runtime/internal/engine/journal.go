package engine

import (
	"context"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// MaxJournalHold bounds how long one transaction may gather cache hits.
// The transaction holds the store's write lock, and another process waiting
// for it gives up after the store's busy timeout; verifying the blobs of a
// long run of cache hits must not come near that.
var MaxJournalHold = 50 * time.Millisecond

// journal gathers the store writes of one scheduling turn into one
// transaction: the record of the step that just finished, the cache hits
// and reuses decided next, and the start records of the steps about to be
// launched. A step of a chain so costs one commit, and a fully cached run
// a handful. The scheduler goroutine alone uses it, and commits before it
// waits for a step, so no transaction is open while step code runs.
//
// A record lost with a failed commit is reported, not fatal: the run goes
// on, as it did when each record had its own transaction.
//
// The journal is the run's metadata recorder: an Observer of the run's
// events, and the scheduler's way to look keys up inside the turn's
// transaction.
type journal struct {
	db       MetadataStore
	pipeline string
	// lost reports records a failed write lost (Runner.recordLost).
	lost func(steps, done, outs []string, err error)

	tx     MetadataTx
	began  time.Time
	starts int                      // start records in tx, which must not be committed early
	names  []string                 // steps whose records tx holds, for error messages
	done   []string                 // of them, the steps whose final records tx holds
	outs   []string                 // their outputs as STEP.VAR
	byName map[string]*meta.StepRun // the start records in tx, to undo their ids
}

// open returns the turn's transaction, beginning one when needed. A
// transaction that has gathered cache hits for too long is committed first.
func (j *journal) open(ctx context.Context) (MetadataTx, error) {
	if j.tx != nil && j.starts == 0 && time.Since(j.began) > MaxJournalHold {
		j.commit(ctx)
	}
	if j.tx == nil {
		tx, err := j.db.Begin(ctx)
		if err != nil {
			return nil, err
		}
		j.tx, j.began = tx, time.Now()
	}
	return j.tx, nil
}

// Observe records the step records that events carry: a start, a final
// record, and the end of a turn, which commits them. A start it could not
// add, or a turn it could not commit, is an error.
func (j *journal) Observe(ctx context.Context, e Event) error {
	switch e.Kind {
	case Started:
		return j.start(ctx, e.Record)
	case Finished, Cached, Failed, Cancelled, Skipped:
		j.finish(ctx, e.Record)
	case Turn:
		return j.commit(ctx)
	}
	return nil
}

// finish adds the record of a finished (or never started) step run.
func (j *journal) finish(ctx context.Context, sr *meta.StepRun) {
	tx, err := j.open(ctx)
	if err == nil {
		err = tx.FinishStep(ctx, sr)
	}
	if err != nil {
		j.lost([]string{sr.Step}, []string{sr.Step}, outputNames(sr), err)
		return
	}
	j.names = append(j.names, sr.Step)
	j.done = append(j.done, sr.Step)
	j.outs = append(j.outs, outputNames(sr)...)
}

// outputNames lists the outputs of a step run as STEP.VAR.
func outputNames(sr *meta.StepRun) []string {
	var out []string
	for _, o := range sr.Outputs {
		out = append(out, sr.Step+"."+o.Name)
	}
	return out
}

// start adds the running record of a step about to be launched; sr.ID is
// valid once commit succeeds.
func (j *journal) start(ctx context.Context, sr *meta.StepRun) error {
	tx, err := j.open(ctx)
	if err != nil {
		return err
	}
	if err := tx.StartStep(ctx, sr); err != nil {
		return err
	}
	j.starts++
	if j.byName == nil {
		j.byName = map[string]*meta.StepRun{}
	}
	j.byName[sr.Step] = sr
	j.names = append(j.names, sr.Step)
	return nil
}

// cacheHit looks a key up inside the turn's transaction.
func (j *journal) cacheHit(ctx context.Context, s *pipeline.Step, key string) (*meta.StepRun, error) {
	tx, err := j.open(ctx)
	if err != nil {
		return nil, err
	}
	return tx.CacheHit(ctx, j.pipeline, s.Name, key)
}

// commit ends the turn's transaction. On failure every record in it is
// lost: the failure is reported, start records lose their ids (a later
// finish record inserts its row instead), and the error is returned so the
// caller can fail the steps it was about to launch.
func (j *journal) commit(ctx context.Context) error {
	if j.tx == nil {
		return nil
	}
	tx, names, done, outs, started := j.tx, j.names, j.done, j.outs, j.byName
	j.tx, j.names, j.done, j.outs, j.byName, j.starts = nil, nil, nil, nil, nil, 0
	err := tx.Commit(ctx)
	if err == nil {
		return nil
	}
	tx.Rollback()
	for _, sr := range started {
		sr.ID = 0
	}
	j.lost(names, done, outs, err)
	return err
}
