package meta

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchStore opens a store holding one run of pipeline p.
func benchStore(b *testing.B) (*DB, string) {
	b.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "meta.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.EnsurePipeline(ctx, "p", "p.ipynb", nil); err != nil {
		b.Fatal(err)
	}
	r := &Run{ID: NewRunID(time.Now()), Pipeline: "p", Params: "{}", Args: "[]", StartedAt: time.Now()}
	if err := db.CreateRun(ctx, r); err != nil {
		b.Fatal(err)
	}
	return db, r.ID
}

// benchStepRun is a cached step run as a chain of no-op steps records it:
// one input, one output, cache components of realistic size.
func benchStepRun(runID string, i int) *StepRun {
	now := time.Now()
	digest := func(n int) string { return fmt.Sprintf("sha256:%064x", n) }
	sr := &StepRun{RunID: runID, Pipeline: "p", Step: fmt.Sprintf("s%05d", i), Status: StepCached, StartedAt: now, EndedAt: now,
		CodeHash: strings.Repeat("c", 64), CacheKey: fmt.Sprintf("%064x", i), Components: strings.Repeat("x", 400),
		CachedFrom: runID, Outputs: []Artifact{{Name: "v", Digest: digest(i), Size: 2, Codec: "json", Type: "int"}}}
	if i > 0 {
		sr.Inputs = []Artifact{{Name: "v", Digest: digest(i - 1), FromStep: "prev"}}
	}
	return sr
}

// BenchmarkFinishStepInTx is the store's share of a cached step: its record
// written inside a transaction that gathers many.
func BenchmarkFinishStepInTx(b *testing.B) {
	db, runID := benchStore(b)
	ctx := context.Background()
	tx, err := db.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := tx.FinishStep(ctx, benchStepRun(runID, i)); err != nil {
			b.Fatal(err)
		}
		if i++; i%1000 == 0 {
			if err := tx.Commit(ctx); err != nil {
				b.Fatal(err)
			}
			if tx, err = db.Begin(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	tx.Commit(ctx)
}

// BenchmarkStepTransaction is the store's share of a tracked step of a
// chain: one commit holding the finish of one step and the start of the
// next.
func BenchmarkStepTransaction(b *testing.B) {
	db, runID := benchStore(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		tx, err := db.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		done := benchStepRun(runID, i)
		done.Status = StepSucceeded
		next := &StepRun{RunID: runID, Pipeline: "p", Step: fmt.Sprintf("t%05d", i), StartedAt: time.Now(), Attempt: 1}
		if err := tx.FinishStep(ctx, done); err != nil {
			b.Fatal(err)
		}
		if err := tx.StartStep(ctx, next); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkCacheHit is the lookup of a key among many step runs.
func BenchmarkCacheHit(b *testing.B) {
	db, runID := benchStore(b)
	ctx := context.Background()
	const n = 1000
	tx, _ := db.Begin(ctx)
	for i := range n {
		if err := tx.FinishStep(ctx, benchStepRun(runID, i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		b.Fatal(err)
	}
	tx, _ = db.Begin(ctx)
	defer tx.Rollback()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i = (i + 1) % n
		hit, err := tx.CacheHit(ctx, "p", fmt.Sprintf("s%05d", i), fmt.Sprintf("%064x", i))
		if err != nil || hit == nil || len(hit.Outputs) != 1 {
			b.Fatalf("hit %v, err %v", hit, err)
		}
	}
}
