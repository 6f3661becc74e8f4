package temporal

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// The steps a worker runs at once share their records' commits: a 50-wide
// fan-out run in one go commits fewer than its 100 records (a start and an
// end per step, each committed alone before), and every record is whole.
func TestWorkerStepsShareCommits(t *testing.T) {
	ctx := context.Background()
	st, _ := tempStore(t)
	p := fanOutPipeline(benchFanOut)
	a := &activities{p: p, st: st, params: newParamsGate()}
	x, grouped, err := a.steps()
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err := engine.SubmitRun(ctx, p, st, engine.RunOptions{NoCache: true}, map[string]string{}, "temporal://test/default")
	if err != nil {
		t.Fatal(err)
	}
	g, err := engine.NewRemoteDAG(p, plan)
	if err != nil {
		t.Fatal(err)
	}
	var rss []engine.RemoteStep
	for g.Ready() {
		rss = append(rss, g.Next())
	}
	db := st.Meta.(interface{ Commits() int64 })
	before := db.Commits()
	var wg sync.WaitGroup
	results := make([]meta.StepRun, len(rss))
	errs := make([]error, len(rss))
	for i, rs := range rss {
		wg.Go(func() {
			// The steps' code takes a moment, as any does, so that their
			// ends meet too.
			time.Sleep(time.Duration(i%5) * time.Millisecond)
			results[i], errs[i] = engine.RunRemoteStep(ctx, x, grouped, rs)
		})
	}
	wg.Wait()
	commits := db.Commits() - before
	for i, sr := range results {
		if errs[i] != nil || sr.Status != meta.StepSucceeded || len(sr.Outputs) != 1 || sr.ID == 0 {
			t.Fatalf("%s: %s %+v %v", rss[i].Step, sr.Status, sr.Outputs, errs[i])
		}
	}
	recorded, err := st.Meta.StepRuns(ctx, plan.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if len(recorded) != benchFanOut {
		t.Fatalf("%d step records, want %d", len(recorded), benchFanOut)
	}
	for _, sr := range recorded {
		if sr.Status != meta.StepSucceeded || len(sr.Outputs) != 1 || sr.Outputs[0].Digest != results[0].Outputs[0].Digest {
			t.Errorf("%s recorded %s %+v", sr.Step, sr.Status, sr.Outputs)
		}
	}
	t.Logf("%d commits for %d steps", commits, benchFanOut)
	if commits >= 2*benchFanOut {
		t.Errorf("%d commits for %d steps run at once: each record was committed alone", commits, benchFanOut)
	}
}

// A transaction whose records cannot be written fails alone: the group it
// was in is written again one transaction at a time, and the others keep
// their records.
func TestGroupedCommitFailsAlone(t *testing.T) {
	ctx := context.Background()
	st, _ := tempStore(t)
	if err := st.Meta.EnsurePipeline(ctx, "g", "g.ipynb", map[string]string{"a": "h", "b": "h"}); err != nil {
		t.Fatal(err)
	}
	run := meta.Run{ID: meta.NewRunID(time.Now()), Pipeline: "g", StartedAt: time.Now()}
	if err := st.Meta.CreateRun(ctx, &run); err != nil {
		t.Fatal(err)
	}
	grouped := engine.GroupCommits(st)
	record := func(step string) *meta.StepRun {
		return &meta.StepRun{RunID: run.ID, Pipeline: "g", Step: step, CodeHash: "h", Status: meta.StepSucceeded, Attempt: 1,
			StartedAt: time.Now(), EndedAt: time.Now()}
	}
	first := record("a")
	tx, _ := grouped.Meta.Begin(ctx)
	tx.FinishStep(ctx, first)
	if err := tx.Commit(ctx); err != nil || first.ID == 0 {
		t.Fatalf("a: %v, id %d", err, first.ID)
	}
	// Many at once, one of them a second record of a: the store refuses it.
	var wg sync.WaitGroup
	errs := make([]error, 20)
	recs := make([]*meta.StepRun, 20)
	for i := range recs {
		recs[i] = record(fmt.Sprintf("s%02d", i))
		if i == 7 {
			recs[i] = record("a")
		}
		wg.Go(func() {
			tx, _ := grouped.Meta.Begin(ctx)
			tx.StartStep(ctx, recs[i])
			errs[i] = tx.Commit(ctx)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 7) {
			t.Errorf("record %d (%s): %v", i, recs[i].Step, err)
		}
		if i == 7 && recs[i].ID != 0 {
			t.Errorf("the refused record kept id %d", recs[i].ID)
		}
	}
	steps, err := st.Meta.StepRuns(ctx, run.ID)
	if err != nil || len(steps) != 20 {
		t.Errorf("%d records, want a and 19 others: %v", len(steps), err)
	}
}
