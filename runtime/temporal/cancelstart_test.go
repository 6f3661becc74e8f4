package temporal

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/worker"

	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// A run cancelled while a step waits for a worker's slot records that
// step cancelled, as a local run does: Temporal cancels an activity no
// worker took without running it, so no process records it, and the
// run's record left it out (show listed two steps of three).
func TestCancelledRunRecordsStepsNoWorkerTook(t *testing.T) {
	srv := servertest.StartTemporal(t)
	st, _ := tempStore(t)
	started := make(chan struct{})
	a := benchStep("a", "")
	runA := a.Run
	a.Run = func(ctx context.Context, sc *pipeline.StepContext) error {
		close(started)
		time.Sleep(50 * time.Millisecond)
		return runA(ctx, sc)
	}
	// c waits for a's slot on the worker of one slot when the run is cancelled.
	p := &pipeline.Pipeline{Name: "cancelstart", Steps: []*pipeline.Step{a, benchStep("b", "a"), benchStep("c", "")}}
	queue := "cancelstart"
	wk := worker.New(srv.Client, queue, worker.Options{MaxConcurrentActivityExecutionSize: 1})
	register(wk, &activities{p: p, st: st, params: newParamsGate()})
	if err := wk.Start(); err != nil {
		t.Fatal(err)
	}
	defer wk.Stop()
	o := &orchestrator{conn: connection{hostPort: srv.HostPort, namespace: srv.Namespace, taskQueue: queue}, st: st, detach: true}
	out, err := o.Execute(t.Context(), p, engine.RunOptions{}, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	<-started
	if err := engine.CancelRemote(t.Context(), out.Run); err != nil {
		t.Fatal(err)
	}
	srv.Client.GetWorkflow(t.Context(), out.Run.ID, "").Get(t.Context(), nil)
	if got, err := st.Meta.ResolveRun(t.Context(), p.Name, out.Run.ID); err != nil || got.Status != meta.RunCancelled {
		t.Errorf("run: %s %q, %v; want cancelled", got.Status, got.Error, err)
	}
	steps, err := st.Meta.StepRuns(t.Context(), out.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]meta.StepRun{}
	for _, s := range steps {
		status[s.Step] = s
	}
	if s := status["a"]; s.Status != meta.StepSucceeded {
		t.Errorf("a: %s %q; want succeeded (it ignored the cancellation)", s.Status, s.Error)
	}
	for _, name := range []string{"b", "c"} {
		if s, ok := status[name]; !ok || s.Status != meta.StepCancelled || s.Error != "the run stopped before it started" {
			t.Errorf("%s: recorded %v, %s %q; want cancelled: the run stopped before it started", name, ok, s.Status, s.Error)
		}
	}
}
