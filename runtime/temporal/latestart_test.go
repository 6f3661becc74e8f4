package temporal

import (
	"context"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// remoteRun submits a run of p and returns its steps, ready in order, as a
// workflow hands them out, and the worker's view: the index and grouped
// store a's steps use.
func remoteRun(t *testing.T, st *engine.Store, p *pipeline.Pipeline, opts engine.RunOptions) (*engine.RemoteDAG, *engine.StepIndex, *engine.Store) {
	t.Helper()
	a := &activities{p: p, st: st, params: newParamsGate()}
	x, grouped, err := a.steps()
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err := engine.SubmitRun(t.Context(), p, st, opts, map[string]string{}, "temporal://test/default")
	if err != nil {
		t.Fatal(err)
	}
	g, err := engine.NewRemoteDAG(p, plan)
	if err != nil {
		t.Fatal(err)
	}
	return g, x, grouped
}

// A step that ends before engine.StartRecordAfter is recorded by one
// commit, its final record's: a chain on a worker costs one commit per
// step, as locally, where its start record took one more.
func TestQuickRemoteStepIsRecordedOnce(t *testing.T) {
	st, _ := tempStore(t)
	p := chainPipeline(10)
	g, x, grouped := remoteRun(t, st, p, engine.RunOptions{NoCache: true})
	db := st.Meta.(interface{ Commits() int64 })
	before := db.Commits()
	for g.Ready() {
		rs := g.Next()
		sr, err := engine.RunRemoteStep(t.Context(), x, grouped, rs)
		if err != nil || sr.Status != meta.StepSucceeded || sr.ID == 0 {
			t.Fatalf("%s: %s in row %d, %v", rs.Step, sr.Status, sr.ID, err)
		}
		g.Settle(sr)
	}
	if commits := db.Commits() - before; commits != int64(len(p.Steps)) {
		t.Errorf("%d commits for a chain of %d quick steps; want one per step", commits, len(p.Steps))
	}
}

// A step that runs longer than engine.StartRecordAfter is recorded running
// while it runs, and its final record takes the same row.
func TestLongRemoteStepIsRecordedRunning(t *testing.T) {
	st, _ := tempStore(t)
	release := make(chan struct{})
	long := &pipeline.Step{Name: "long", CodeHash: "h", Pos: "long.ipynb:cell 1",
		Run: func(ctx context.Context, sc *pipeline.StepContext) error {
			<-release
			return nil
		}}
	p := &pipeline.Pipeline{Name: "long", Steps: []*pipeline.Step{long}}
	g, x, grouped := remoteRun(t, st, p, engine.RunOptions{})
	rs := g.Next()
	type result struct {
		sr  meta.StepRun
		err error
	}
	done := make(chan result, 1)
	go func() {
		sr, err := engine.RunRemoteStep(t.Context(), x, grouped, rs)
		done <- result{sr, err}
	}()
	var running meta.StepRun
	for deadline := time.Now().Add(30 * time.Second); ; {
		sr, err := st.Meta.StepRun(t.Context(), rs.Plan.RunID, "long")
		if err == nil && sr.Status == meta.StepRunning {
			running = sr
			break
		}
		if time.Now().After(deadline) {
			close(release)
			t.Fatalf("the step ran 30 s without a running record (%s, %v)", sr.Status, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	r := <-done
	if r.err != nil || r.sr.Status != meta.StepSucceeded || r.sr.ID != running.ID {
		t.Errorf("the step ended %s in row %d, %v; want succeeded in its running record's row %d", r.sr.Status, r.sr.ID, r.err, running.ID)
	}
	if steps, err := st.Meta.StepRuns(t.Context(), rs.Plan.RunID); err != nil || len(steps) != 1 {
		t.Errorf("%d records of the run (%v); want one", len(steps), err)
	}
}
