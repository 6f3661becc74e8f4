package temporal

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
	"github.com/zengen-dev/zengen/runtime/internal/seamtest"
)

// withWorker is the Temporal orchestrator with a worker of the pipeline
// at hand serving a task queue of the run's own, in this process, for the
// length of each run.
type withWorker struct {
	t    *testing.T
	srv  *servertest.Temporal
	st   *engine.Store
	runs atomic.Int32
}

func (w *withWorker) Execute(ctx context.Context, p *pipeline.Pipeline, opts engine.RunOptions, params map[string]string, observers ...engine.Observer) (engine.Outcome, error) {
	queue := w.t.Name() + "-" + string(rune('a'+w.runs.Add(1)))
	wk := worker.New(w.srv.Client, queue, worker.Options{})
	wk.RegisterWorkflowWithOptions(runWorkflow(p), workflow.RegisterOptions{Name: workflowName})
	a := &activities{p: p, st: w.st, params: newParamsGate()}
	wk.RegisterActivityWithOptions(a.Step, activity.RegisterOptions{Name: stepActivity})
	wk.RegisterActivityWithOptions(a.Close, activity.RegisterOptions{Name: closeActivity})
	if err := wk.Start(); err != nil {
		w.t.Fatal(err)
	}
	defer wk.Stop()
	o := &orchestrator{conn: connection{hostPort: w.srv.HostPort, namespace: w.srv.Namespace, taskQueue: queue}, st: w.st}
	return o.Execute(ctx, p, opts, params, observers...)
}

// The Temporal orchestrator keeps the contract every orchestrator keeps:
// runs and reuses, fails naming the step, is cancelled by its context,
// refuses a broken plan without recording a run.
func TestTemporalOrchestratorSeam(t *testing.T) {
	srv := servertest.StartTemporal(t)
	seamtest.TestOrchestrator(t, func(t *testing.T, st *engine.Store) engine.Orchestrator {
		return &withWorker{t: t, srv: srv, st: st}
	})
}

// engine.CancelRemote reaches a detached run's workflow through the
// orchestrator the run recorded; the run is recorded cancelled.
func TestCancelRemoteRun(t *testing.T) {
	srv := servertest.StartTemporal(t)
	st, _ := tempStore(t)
	started := make(chan struct{})
	p := &pipeline.Pipeline{Name: "waits", Steps: []*pipeline.Step{{Name: "wait", CodeHash: "w", Pos: "w.ipynb:cell 1",
		Run: func(ctx context.Context, sc *pipeline.StepContext) error {
			close(started)
			<-ctx.Done()
			return ctx.Err()
		}}}}
	queue := "cancel-remote"
	wk := worker.New(srv.Client, queue, worker.Options{})
	wk.RegisterWorkflowWithOptions(runWorkflow(p), workflow.RegisterOptions{Name: workflowName})
	a := &activities{p: p, st: st, params: newParamsGate()}
	wk.RegisterActivityWithOptions(a.Step, activity.RegisterOptions{Name: stepActivity})
	wk.RegisterActivityWithOptions(a.Close, activity.RegisterOptions{Name: closeActivity})
	if err := wk.Start(); err != nil {
		t.Fatal(err)
	}
	defer wk.Stop()
	o := &orchestrator{conn: connection{hostPort: srv.HostPort, namespace: srv.Namespace, taskQueue: queue}, st: st, detach: true}
	out, err := o.Execute(t.Context(), p, engine.RunOptions{}, map[string]string{})
	if err != nil || !out.Detached || out.Run.Orchestrator != "temporal://"+srv.HostPort+"/default" {
		t.Fatalf("detached run: %+v, %v", out, err)
	}
	<-started
	if err := engine.CancelRemote(t.Context(), out.Run); err != nil {
		t.Fatal(err)
	}
	var run meta.Run
	we := srv.Client.GetWorkflow(t.Context(), out.Run.ID, "")
	we.Get(t.Context(), &run)
	got, err := st.Meta.ResolveRun(t.Context(), p.Name, out.Run.ID)
	if err != nil || got.Status != meta.RunCancelled {
		t.Errorf("cancelled run: %s %q, %v", got.Status, got.Error, err)
	}
	if sr, _ := st.Meta.StepRun(t.Context(), out.Run.ID, "wait"); sr.Status != meta.StepCancelled {
		t.Errorf("its running step: %s %q", sr.Status, sr.Error)
	}
}

// With no worker on the run's queue, the command says so after a few
// seconds; interrupted, it waits for a worker to take the cancellation,
// then ends the workflow itself and records the run cancelled, so an
// interrupt never leaves the command hanging.
func TestRunWithoutWorker(t *testing.T) {
	srv := servertest.StartTemporal(t)
	st, _ := tempStore(t)
	p := &pipeline.Pipeline{Name: "alone", Steps: []*pipeline.Step{{Name: "a", CodeHash: "a",
		Run: func(context.Context, *pipeline.StepContext) error { return nil }}}}
	var stderr syncBuffer
	o := &orchestrator{conn: connection{hostPort: srv.HostPort, namespace: srv.Namespace, taskQueue: "nobody-serves-this"},
		st: st, stderr: &stderr, prog: "alone"}
	ctx, cancel := context.WithTimeout(t.Context(), noWorkerAfter+time.Second)
	defer cancel()
	out, err := o.Execute(ctx, p, engine.RunOptions{}, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	if out.Run.Status != meta.RunCancelled || !strings.Contains(out.Run.Error, "no worker answered") {
		t.Errorf("run: %s %q; want cancelled, saying no worker answered", out.Run.Status, out.Run.Error)
	}
	if !strings.Contains(stderr.String(), "no worker has taken run "+out.Run.ID+" yet: start one with 'alone worker") {
		t.Errorf("stderr: %q", stderr.String())
	}
	if sr, err := st.Meta.StepRun(t.Context(), out.Run.ID, "a"); err != nil || sr.Status != meta.StepCancelled {
		t.Errorf("step a: %s %v", sr.Status, err)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
