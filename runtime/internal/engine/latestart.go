package engine

import (
	"context"
	"sync"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// StartRecordAfter is how long a remote step runs before its running
// record is written. A step that ends sooner is recorded once, by its
// final record: a remote step has no scheduling turn to share its start's
// commit with, as a local one has, and that commit was a third of what a
// trivial step cost a worker. Watchers see a step running this much
// later; its live output, saved every LiveLogEvery, waits for the record.
var StartRecordAfter = 100 * time.Millisecond

// lateStart writes a remote step's running record once the step has run
// for StartRecordAfter, or when its live output needs the record's row,
// unless the step has ended by then.
type lateStart struct {
	db    MetadataStore
	timer *time.Timer

	mu    sync.Mutex
	sr    meta.StepRun // the running record
	ended bool
}

func startLate(ctx context.Context, db MetadataStore, sr meta.StepRun) *lateStart {
	ls := &lateStart{db: db, sr: sr}
	ls.timer = time.AfterFunc(StartRecordAfter, func() { ls.write(ctx) })
	return ls
}

// write records the step running, unless it is recorded or has ended, and
// returns the record's row (0 when there is none). A write that fails is
// tried again by the next call; the final record inserts the row if none
// succeeds.
func (ls *lateStart) write(ctx context.Context) int64 {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.ended || ls.sr.ID != 0 {
		return ls.sr.ID
	}
	tx, err := ls.db.Begin(ctx)
	if err != nil {
		return 0
	}
	if err := tx.StartStep(ctx, &ls.sr); err != nil {
		tx.Rollback()
		ls.sr.ID = 0
		return 0
	}
	if tx.Commit(ctx) != nil {
		ls.sr.ID = 0
	}
	return ls.sr.ID
}

// end keeps the running record from being written from now on and
// returns its row, 0 when it was not written.
func (ls *lateStart) end() int64 {
	ls.timer.Stop()
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.ended = true
	return ls.sr.ID
}
