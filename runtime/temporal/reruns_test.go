package temporal

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"go.temporal.io/sdk/worker"

	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// The run command's --resume and --only, and cat, work for runs on
// Temporal as for local ones: a failed run resumed runs only the step
// that did not finish, --only runs one step on its upstream's stored
// result, and cat prints what the workers stored.
func TestTemporalResumeOnlyAndCat(t *testing.T) {
	srv := servertest.StartTemporal(t)
	st, home := tempStore(t)
	var ranA, ranB atomic.Int32
	var failB atomic.Bool
	failB.Store(true)
	a := benchStep("a", "")
	runA := a.Run
	a.Run = func(ctx context.Context, sc *pipeline.StepContext) error {
		ranA.Add(1)
		return runA(ctx, sc)
	}
	b := benchStep("b", "a")
	runB := b.Run
	b.Run = func(ctx context.Context, sc *pipeline.StepContext) error {
		ranB.Add(1)
		if failB.Load() {
			return errors.New("b is not ready")
		}
		return runB(ctx, sc)
	}
	p := &pipeline.Pipeline{Name: "reruns", Steps: []*pipeline.Step{a, b}}
	conn := connection{hostPort: srv.HostPort, namespace: srv.Namespace, taskQueue: "reruns"}
	wk := worker.New(srv.Client, conn.taskQueue, worker.Options{})
	register(wk, &activities{p: p, st: st, params: newParamsGate(), orchestrator: conn.orchestratorURL()})
	if err := wk.Start(); err != nil {
		t.Fatal(err)
	}
	defer wk.Stop()
	run := func(args ...string) (int, string) {
		t.Helper()
		code, _, stderr := execIn(t, p, append([]string{"run", "--orchestrator", "temporal", "--temporal", srv.HostPort,
			"--task-queue", conn.taskQueue, "--home", home}, args...)...)
		return code, stderr
	}
	latest := func() meta.Run {
		t.Helper()
		r, err := st.Meta.ResolveRun(t.Context(), p.Name, "latest")
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	if code, stderr := run(); code != 1 || !strings.Contains(stderr, "b is not ready") {
		t.Fatalf("first run: exit %d, %s", code, stderr)
	}
	failed := latest()
	if ranA.Load() != 1 || ranB.Load() != 1 {
		t.Fatalf("first run ran a %d, b %d times", ranA.Load(), ranB.Load())
	}

	failB.Store(false)
	if code, stderr := run("--resume", "latest"); code != 0 {
		t.Fatalf("--resume: exit %d, %s", code, stderr)
	}
	resumed := latest()
	if resumed.ResumedFrom != failed.ID || !strings.HasPrefix(resumed.Orchestrator, "temporal://") {
		t.Errorf("resumed run: from %q on %q; want from %s on Temporal", resumed.ResumedFrom, resumed.Orchestrator, failed.ID)
	}
	if ranA.Load() != 1 || ranB.Load() != 2 {
		t.Errorf("--resume ran a %d, b %d times in all; want a once, b twice", ranA.Load(), ranB.Load())
	}
	if code, stdout, stderr := execIn(t, p, "cat", resumed.ID, "b", "--home", home); code != 0 || strings.TrimSpace(stdout) != "2" {
		t.Errorf("cat %s b: exit %d, %q, %s; want 2", resumed.ID, code, stdout, stderr)
	}

	if code, stderr := run("--only", "b", "--no-cache"); code != 0 {
		t.Fatalf("--only b: exit %d, %s", code, stderr)
	}
	only := latest()
	steps, err := st.Meta.StepRuns(t.Context(), only.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(only.Orchestrator, "temporal://") {
		t.Errorf("--only run on %q; want Temporal", only.Orchestrator)
	}
	if len(steps) != 1 || steps[0].Step != "b" || steps[0].Status != meta.StepSucceeded {
		t.Errorf("--only b recorded %+v; want b alone, succeeded", steps)
	}
	if ranA.Load() != 1 || ranB.Load() != 3 {
		t.Errorf("--only b ran a %d, b %d times in all; want a once, b three times", ranA.Load(), ranB.Load())
	}
	if code, stdout, stderr := execIn(t, p, "cat", only.ID, "b.v", "--home", home); code != 0 || strings.TrimSpace(stdout) != "2" {
		t.Errorf("cat %s b.v: exit %d, %q, %s; want 2", only.ID, code, stdout, stderr)
	}
}
