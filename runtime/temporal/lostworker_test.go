package temporal

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	zen "github.com/zengen-dev/zengen/runtime"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"
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
	rs, lost := lostStep(t, st, p)
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

// lostStep submits a run of p whose first step a lost worker left running,
// and returns that step as its workflow hands it out again, and the lost
// worker's record.
func lostStep(t *testing.T, st *engine.Store, p *pipeline.Pipeline) (engine.RemoteStep, *meta.StepRun) {
	t.Helper()
	ctx := t.Context()
	plan, _, err := engine.SubmitRun(ctx, p, st, engine.RunOptions{}, map[string]string{}, "temporal://test/default")
	if err != nil {
		t.Fatal(err)
	}
	s := p.Steps[0]
	lost := &meta.StepRun{RunID: plan.RunID, Pipeline: p.Name, Step: s.Name, CodeHash: s.CodeHash, Attempt: 1, StartedAt: time.Now()}
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
	return rs, lost
}

// A step that has a finished record, handed out again (a workflow reset
// to before it), never runs its code again, records twice or returns
// another result than its record: a first attempt, which reads no record,
// fails on the record's uniqueness, and the attempt after it returns the
// record.
func TestStepHandedOutAgainAfterItsRecord(t *testing.T) {
	ctx := t.Context()
	st, _ := tempStore(t)
	runs := 0
	once := &pipeline.Step{Name: "once", CodeHash: "h", Pos: "once.ipynb:cell 1",
		Run: func(ctx context.Context, sc *pipeline.StepContext) error {
			runs++
			return nil
		}}
	p := &pipeline.Pipeline{Name: "once", Steps: []*pipeline.Step{once}}
	plan, _, err := engine.SubmitRun(ctx, p, st, engine.RunOptions{}, map[string]string{}, "temporal://test/default")
	if err != nil {
		t.Fatal(err)
	}
	g, err := engine.NewRemoteDAG(p, plan)
	if err != nil {
		t.Fatal(err)
	}
	x, err := engine.IndexSteps(p)
	if err != nil {
		t.Fatal(err)
	}
	rs := g.Next()
	first, err := engine.RunRemoteStep(ctx, x, st, rs)
	if err != nil || first.Status != meta.StepSucceeded {
		t.Fatalf("the step: %s, %v", first.Status, err)
	}
	// Whatever a step returns, its record in the store says.
	if again, err := engine.RunRemoteStep(ctx, x, st, rs); err == nil && (again.Status != first.Status || again.ID != first.ID) {
		t.Errorf("the step handed out again as a first attempt: %s in row %d; the store holds %s in row %d",
			again.Status, again.ID, first.Status, first.ID)
	}
	rs.Lost = 1
	next, err := engine.RunRemoteStep(ctx, x, st, rs)
	if err != nil || next.ID != first.ID || next.Status != meta.StepSucceeded {
		t.Errorf("the attempt after: %s in row %d, %v; want the record, row %d", next.Status, next.ID, err, first.ID)
	}
	if runs != 1 {
		t.Errorf("the step's code ran %d times; want once", runs)
	}
	if steps, err := st.Meta.StepRuns(ctx, plan.RunID); err != nil || len(steps) != 1 {
		t.Errorf("the run has %d step records (%v); want one", len(steps), err)
	}
}

// A step whose attempt Temporal gave up on (its worker went unheard, and
// the step went to another) leaves the record to the process that runs it
// now: written when it stops, its end overwrote the other's finished
// record with a step cancelled that nobody cancelled.
func TestSupersededStepLeavesTheRecordToItsSuccessor(t *testing.T) {
	st, _ := tempStore(t)
	slow := &pipeline.Step{Name: "slow", CodeHash: "h", Pos: "slow.ipynb:cell 1",
		Run: func(ctx context.Context, sc *pipeline.StepContext) error {
			fmt.Fprintln(zen.Stdout(ctx), "first")
			<-ctx.Done()
			return ctx.Err()
		}}
	p := &pipeline.Pipeline{Name: "slow", Steps: []*pipeline.Step{slow}}
	g, x, grouped := remoteRun(t, st, p, engine.RunOptions{})
	rs := g.Next()
	ctx, cancel := context.WithCancelCause(t.Context())
	type result struct {
		sr  meta.StepRun
		err error
	}
	done := make(chan result, 1)
	go func() {
		sr, err := engine.RunRemoteStep(ctx, x, grouped, rs)
		done <- result{sr, err}
	}()
	var running meta.StepRun
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		sr, err := st.Meta.StepRun(t.Context(), rs.Plan.RunID, "slow")
		if err == nil {
			running = sr
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no running record within 30 s: %v", err)
		}
	}
	// The process the step went to finishes it, under the same record.
	successor := running
	successor.Status, successor.Attempt, successor.EndedAt = meta.StepSucceeded, 2, time.Now()
	successor.Log, successor.Stdout = "second\n", "second\n"
	tx, err := st.Meta.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.FinishStep(t.Context(), &successor); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	cancel(fmt.Errorf("%w (its heartbeat went unheard)", engine.ErrSuperseded))
	r := <-done
	if !errors.Is(r.err, engine.ErrSuperseded) {
		t.Errorf("the superseded attempt returned %s, %v; want ErrSuperseded", r.sr.Status, r.err)
	}
	sr, err := st.Meta.StepRun(t.Context(), rs.Plan.RunID, "slow")
	if err != nil || sr.Status != meta.StepSucceeded || sr.Attempt != 2 || sr.Log != "second\n" {
		t.Errorf("the step's record: %s, attempt %d, log %q, %v; want the successor's: succeeded, attempt 2, second", sr.Status, sr.Attempt, sr.Log, err)
	}
}

// A step's context tells a cancelled run from an attempt Temporal gave up
// on, which the SDK both reports as the activity's context cancelled.
func TestStepContextTellsACancelledRunFromALostAttempt(t *testing.T) {
	for _, c := range []struct {
		cause      error
		superseded bool
	}{
		{temporal.NewCanceledError(), false},
		{serviceerror.NewNotFound("invalid activityID or activity already timed out or invoking workflow is completed"), true},
		{context.DeadlineExceeded, true},
	} {
		parent, cancel := context.WithCancelCause(context.Background())
		ctx, stop := stepContext(parent)
		cancel(c.cause)
		<-ctx.Done()
		if got := errors.Is(context.Cause(ctx), engine.ErrSuperseded); got != c.superseded {
			t.Errorf("activity cancelled by %T: the step's cause %v; superseded %v, want %v", c.cause, context.Cause(ctx), got, c.superseded)
		}
		stop()
	}
}
