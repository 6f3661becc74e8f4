package engine

import (
	"context"
	"sync"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// GroupCommits returns st with the step records of concurrent runs gathered
// into shared transactions: a remote worker runs many single steps at once,
// each a Runner of its own whose journal would commit its records alone,
// and their commits, which a store takes one at a time, were most of what
// a step cost a fan-out beyond Temporal's own. A transaction's records are
// written when it commits (a start record's id is set then, which is when
// the journal reads it); while one group commits, the transactions that
// commit meanwhile wait and then go in the next group. A group that fails
// is written again one transaction at a time, so that each transaction's
// records are kept or lost together, as without grouping.
func GroupCommits(st *Store) *Store {
	grouped := *st
	grouped.closers = nil // the caller's store closes its connections
	grouped.Meta = &groupedMetadata{MetadataStore: st.Meta}
	return &grouped
}

// groupedMetadata hands out transactions that queue their records and
// commits the queue in groups.
type groupedMetadata struct {
	MetadataStore

	mu      sync.Mutex
	queue   []*groupedTx
	leading bool // a transaction's Commit is writing a group
}

func (g *groupedMetadata) Begin(ctx context.Context) (MetadataTx, error) {
	return &groupedTx{g: g}, nil
}

// groupedTx is one journal's transaction: its records, in order.
type groupedTx struct {
	g       *groupedMetadata
	records []groupedRecord
	done    chan error    // its group's outcome
	lead    chan struct{} // it is to write the next group
}

type groupedRecord struct {
	sr    *meta.StepRun
	start bool
	id    int64 // sr.ID before the record was written, restored if its group fails
}

func (t *groupedTx) StartStep(ctx context.Context, sr *meta.StepRun) error {
	t.records = append(t.records, groupedRecord{sr: sr, start: true})
	return nil
}

func (t *groupedTx) FinishStep(ctx context.Context, sr *meta.StepRun) error {
	t.records = append(t.records, groupedRecord{sr: sr})
	return nil
}

// CacheHit reads outside the group: a step's records are queued after its
// lookup.
func (t *groupedTx) CacheHit(ctx context.Context, pipeline, step, key string) (*meta.StepRun, error) {
	return t.g.MetadataStore.CacheHit(ctx, pipeline, step, key)
}

func (t *groupedTx) Rollback() error {
	t.records = nil
	return nil
}

// Commit writes the transaction's records, with those of the transactions
// committing meanwhile, and returns once they are kept or lost.
func (t *groupedTx) Commit(ctx context.Context) error {
	if len(t.records) == 0 {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	t.done, t.lead = make(chan error, 1), make(chan struct{}, 1)
	g := t.g
	g.mu.Lock()
	g.queue = append(g.queue, t)
	if g.leading {
		g.mu.Unlock()
		select {
		case err := <-t.done:
			return err
		case <-t.lead:
		}
	} else {
		g.leading = true
		g.mu.Unlock()
	}
	g.mu.Lock()
	group := g.queue
	g.queue = nil
	g.mu.Unlock()
	g.write(ctx, group)
	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].lead <- struct{}{}
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	return <-t.done
}

// write commits group in one transaction, or, when that fails, each of
// its transactions alone, and tells each how it went.
func (g *groupedMetadata) write(ctx context.Context, group []*groupedTx) {
	err := g.writeTx(ctx, group)
	if err == nil || len(group) == 1 {
		for _, t := range group {
			t.done <- err
		}
		return
	}
	for _, t := range group {
		t.done <- g.writeTx(ctx, []*groupedTx{t})
	}
}

// writeTx writes the records of txs in one transaction of the store; when
// it fails, their ids are as before.
func (g *groupedMetadata) writeTx(ctx context.Context, txs []*groupedTx) error {
	for _, t := range txs {
		for i := range t.records {
			t.records[i].id = t.records[i].sr.ID
		}
	}
	tx, err := g.MetadataStore.Begin(ctx)
	if err != nil {
		return err
	}
	for _, t := range txs {
		for i := range t.records {
			r := &t.records[i]
			if r.start {
				err = tx.StartStep(ctx, r.sr)
			} else {
				err = tx.FinishStep(ctx, r.sr)
			}
			if err != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	if err == nil {
		err = tx.Commit(ctx)
	} else {
		tx.Rollback()
	}
	if err != nil {
		for _, t := range txs {
			for i := range t.records {
				t.records[i].sr.ID = t.records[i].id
			}
		}
	}
	return err
}
