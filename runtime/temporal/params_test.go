package temporal

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	zen "github.com/zengen-dev/zengen/runtime"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

type doseParams struct {
	N int `zen:"n"`
}

// doseHold holds the step of dosePipeline with n=1 until it is closed.
var doseHold chan struct{}

// dosePipeline is one step, dose, which saves its param n times ten; with
// n=1 it waits for doseHold first.
func dosePipeline() *pipeline.Pipeline {
	params := &doseParams{}
	return &pipeline.Pipeline{Name: "dose", Params: params, Steps: []*pipeline.Step{{
		Name: "dose", CodeHash: "hdose", Pos: "dose.ipynb:cell 1", Params: []string{"n"},
		Outputs: []pipeline.Output{{Name: "v", Type: "int", Codec: "json"}},
		Run: func(ctx context.Context, sc *pipeline.StepContext) error {
			n := params.N
			if n == 1 {
				<-doseHold
			}
			return zen.Save(sc, "v", zen.JSON[int](), n*10)
		}}}}
}

// A worker whose steps of one run hold its Params runs a step of a run
// with other params in a process of its own, at once, rather than after
// them: a step of hours held every other run's steps handed to its worker
// while other workers idled.
func TestWorkerRunsAStepOfOtherParamsAtOnce(t *testing.T) {
	doseHold = make(chan struct{})
	st, home := tempStore(t)
	t.Setenv("ZEN_HOME", home)
	t.Setenv("ZEN_TEST_PIPELINE", "dose")
	p := dosePipeline()
	a := &activities{p: p, st: st, params: newParamsGate(), isolate: runIsolated}
	// step runs the step of a run with n as a worker's activity does, and
	// returns its record and what it saved.
	step := func(n string) (meta.StepRun, string, error) {
		plan, _, err := engine.SubmitRun(t.Context(), p, st, engine.RunOptions{}, map[string]string{"n": n}, "temporal://test/default")
		if err != nil {
			t.Fatal(err)
		}
		g, err := engine.NewRemoteDAG(p, plan)
		if err != nil {
			t.Fatal(err)
		}
		var suite testsuite.WorkflowTestSuite
		env := suite.NewTestActivityEnvironment()
		env.RegisterActivityWithOptions(a.Step, activity.RegisterOptions{Name: stepActivity})
		v, err := env.ExecuteActivity(stepActivity, g.Next())
		var sr meta.StepRun
		if err == nil {
			err = v.Get(&sr)
		}
		saved := ""
		if outs, err := st.Meta.StepOutputs(context.Background(), plan.RunID, "dose"); err == nil && len(outs) == 1 {
			saved = string(outs[0].Inline)
		}
		return sr, saved, err
	}
	type result struct {
		sr    meta.StepRun
		saved string
		err   error
	}
	first, second := make(chan result, 1), make(chan result, 1)
	go func() {
		sr, saved, err := step("1")
		first <- result{sr, saved, err}
	}()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		a.params.mu.Lock()
		running := a.params.running
		a.params.mu.Unlock()
		if running == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the step of n=1 did not start within 30 s")
		}
	}
	go func() {
		sr, saved, err := step("2")
		second <- result{sr, saved, err}
	}()
	select {
	case r := <-second:
		if r.err != nil || r.sr.Status != meta.StepSucceeded || r.saved != "20\n" {
			t.Errorf("the step of n=2: %s, saved %q, %v; want succeeded, 20", r.sr.Status, r.saved, r.err)
		}
	case <-time.After(time.Minute):
		t.Error("the step of n=2 waited a minute for the step of n=1 to end")
	}
	close(doseHold)
	if r := <-first; r.err != nil || r.sr.Status != meta.StepSucceeded || r.saved != "10\n" {
		t.Errorf("the step of n=1: %s, saved %q, %v; want succeeded, 10", r.sr.Status, r.saved, r.err)
	}
}
