package temporal

import (
	"context"
	"fmt"
	"testing"
	"time"

	zen "github.com/zengen-dev/zengen/runtime"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// A step handed to a worker after the one running it was lost continues
// the lost worker's running record, and saves its output while it runs
// as the first did: the cache lookup before it must not hold the store's
// one connection (and its write lock) through the step's code, which
// left the step's output save waiting for it and the step never ending.
func TestStepRunAgainAfterItsWorkerWasLost(t *testing.T) {
	defer func(every time.Duration) { engine.LiveLogEvery = every }(engine.LiveLogEvery)
	engine.LiveLogEvery = 10 * time.Millisecond
	ctx := context.Background()
	st, _ := tempStore(t)
	talk := &pipeline.Step{Name: "talk", CodeHash: "h", Pos: "talk.ipynb:cell 1",
		Run: func(ctx context.Context, sc *pipeline.StepContext) error {
			for i := range 5 {
				fmt.Fprintln(zen.Stdout(ctx), "line", i)
				time.Sleep(3 * engine.LiveLogEvery)
			}
			return nil
		}}
	p := &pipeline.Pipeline{Name: "talk", Steps: []*pipeline.Step{talk}}
	plan, _, err := engine.SubmitRun(ctx, p, st, engine.RunOptions{}, map[string]string{}, "temporal://test/default")
	if err != nil {
		t.Fatal(err)
	}
	// The lost worker's running record.
	lost := &meta.StepRun{RunID: plan.RunID, Pipeline: p.Name, Step: "talk", CodeHash: "h", Attempt: 1, StartedAt: time.Now()}
	tx, err := st.Meta.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.StartStep(ctx, lost); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	g, err := engine.NewRemoteDAG(p, plan)
	if err != nil {
		t.Fatal(err)
	}
	rs := g.Next()
	rs.Lost = 1
	x, err := engine.IndexSteps(p)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		sr  meta.StepRun
		err error
	}
	done := make(chan result, 1)
	go func() {
		sr, err := engine.RunRemoteStep(ctx, x, st, rs)
		done <- result{sr, err}
	}()
	select {
	case r := <-done:
		if r.err != nil || r.sr.Status != meta.StepSucceeded || r.sr.ID != lost.ID || r.sr.Attempt != 2 {
			t.Errorf("the step run again: %s, row %d, attempt %d, %v; want succeeded in row %d, attempt 2", r.sr.Status, r.sr.ID, r.sr.Attempt, r.err, lost.ID)
		}
	case <-time.After(time.Minute):
		t.Fatal("the step run again did not end within a minute of its 0.2 s")
	}
}
