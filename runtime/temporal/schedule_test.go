package temporal

import (
	"bytes"
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/worker"

	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime/internal/cli"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

type scheduledParams struct {
	N     int    `zen:"n"`
	Label string `zen:"label"`
}

// execIn runs one command of p's binary in this process.
func execIn(t *testing.T, p *pipeline.Pipeline, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Exec(t.Context(), p, args, &out, &errb)
	return code, out.String(), errb.String()
}

// A schedule fires on its own: with no process submitting, its workflow
// records the run with the schedule's params (defaults for the rest), the
// workers run it, and runs lists it; list shows the schedule and delete
// removes it. Params are checked as run checks them.
func TestScheduleFiresARecordedRun(t *testing.T) {
	srv := servertest.StartTemporal(t)
	st, home := tempStore(t)
	params := &scheduledParams{N: 1, Label: "default"}
	p := &pipeline.Pipeline{Name: "nightly", Params: params, Steps: []*pipeline.Step{{Name: "a", CodeHash: "a", Pos: "n.ipynb:cell 1",
		Run: func(context.Context, *pipeline.StepContext) error { return nil }}}}
	conn := connection{hostPort: srv.HostPort, namespace: srv.Namespace, taskQueue: "scheduled"}
	wk := worker.New(srv.Client, conn.taskQueue, worker.Options{})
	register(wk, &activities{p: p, st: st, params: newParamsGate(), orchestrator: conn.orchestratorURL()})
	if err := wk.Start(); err != nil {
		t.Fatal(err)
	}
	defer wk.Stop()
	flags := []string{"--temporal", srv.HostPort, "--task-queue", conn.taskQueue, "--home", home}
	cmd := func(args ...string) (int, string, string) { return execIn(t, p, append(args, flags...)...) }

	if code, _, stderr := cmd("schedule", "create", "bad", "--every", "1s", "--nope", "3"); code != 2 || !strings.Contains(stderr, "unknown flag: --nope") {
		t.Errorf("unknown param: exit %d, %q", code, stderr)
	}
	if code, _, stderr := cmd("schedule", "create", "bad", "--every", "1s", "--n", "many"); code != 2 || !strings.Contains(stderr, `invalid argument "many"`) {
		t.Errorf("bad param value: exit %d, %q", code, stderr)
	}
	if code, _, stderr := cmd("schedule", "create", "bad"); code != 1 || !strings.Contains(stderr, "one of --cron SPEC and --every DURATION") {
		t.Errorf("no spec: exit %d, %q", code, stderr)
	}
	if code, _, stderr := cmd("schedule", "create", "often", "--every", "1s", "--n", "7"); code != 0 {
		t.Fatalf("create: exit %d, %s", code, stderr)
	}
	if code, _, stderr := cmd("schedule", "create", "often", "--every", "1s"); code != 1 || !strings.Contains(stderr, "exists already") {
		t.Errorf("create again: exit %d, %q", code, stderr)
	}

	var run meta.Run
	deadline := time.Now().Add(time.Minute)
	for run.Status != meta.RunSucceeded {
		if time.Now().After(deadline) {
			t.Fatalf("no scheduled run succeeded within a minute; last: %+v", run)
		}
		time.Sleep(200 * time.Millisecond)
		runs, err := st.Meta.Runs(t.Context(), p.Name, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			if r.Status == meta.RunSucceeded {
				run = r
			}
		}
	}
	if run.Params != `{"label":"default","n":7}` {
		t.Errorf("scheduled run's params: %s; want n from the schedule, label's default", run.Params)
	}
	if !strings.HasSuffix(run.Orchestrator, "?schedule=often") {
		t.Errorf("scheduled run's orchestrator %q names no schedule", run.Orchestrator)
	}
	if sr, err := st.Meta.StepRun(t.Context(), run.ID, "a"); err != nil || sr.Status != meta.StepSucceeded {
		t.Errorf("its step: %s %v", sr.Status, err)
	}
	if code, stdout, _ := execIn(t, p, "runs", "--home", home); code != 0 || !strings.Contains(stdout, run.ID) {
		t.Errorf("runs: exit %d, lacks %s:\n%s", code, run.ID, stdout)
	}

	listed := func(want bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			code, stdout, stderr := cmd("schedule", "list")
			if code != 0 {
				t.Fatalf("list: exit %d, %s", code, stderr)
			}
			has := strings.Contains(stdout, "often") && strings.Contains(stdout, "every 1s") && strings.Contains(stdout, `{"label":"default","n":7}`)
			if has == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("list after 30 s (want the schedule listed: %v):\n%s", want, stdout)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	listed(true)
	if code, _, stderr := cmd("schedule", "delete", "often"); code != 0 {
		t.Fatalf("delete: exit %d, %s", code, stderr)
	}
	listed(false)
	if code, _, stderr := cmd("schedule", "delete", "often"); code != 1 || !strings.Contains(stderr, "no schedule often of nightly") {
		t.Errorf("delete again: exit %d, %q", code, stderr)
	}
}

// A param named like one of schedule's own flags fails the command with a
// message, as run does, instead of pflag's "flag redefined" panic.
func TestScheduleParamTakingAFlag(t *testing.T) {
	type clash struct {
		Cron string `zen:"cron"`
	}
	p := &pipeline.Pipeline{Name: "clash", Params: &clash{}}
	code, _, stderr := execIn(t, p, "schedule", "list")
	if want := "param cron: the schedule command has a flag --cron of its own"; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, stderr, want)
	}
}

// By default a firing that finds the schedule's previous run still
// running is skipped, so runs of one schedule never overlap; --overlap
// takes Temporal's other policies by name and refuses others.
func TestScheduleSkipsOverlappingFirings(t *testing.T) {
	srv := servertest.StartTemporal(t)
	st, home := tempStore(t)
	var running, most atomic.Int32
	p := &pipeline.Pipeline{Name: "slow", Steps: []*pipeline.Step{{Name: "a", CodeHash: "a", Pos: "s.ipynb:cell 1",
		Run: func(ctx context.Context, _ *pipeline.StepContext) error {
			n := running.Add(1)
			defer running.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			select {
			case <-time.After(3 * time.Second):
			case <-ctx.Done():
			}
			return nil
		}}}}
	conn := connection{hostPort: srv.HostPort, namespace: srv.Namespace, taskQueue: "slow"}
	wk := worker.New(srv.Client, conn.taskQueue, worker.Options{})
	register(wk, &activities{p: p, st: st, params: newParamsGate(), orchestrator: conn.orchestratorURL()})
	if err := wk.Start(); err != nil {
		t.Fatal(err)
	}
	defer wk.Stop()
	flags := []string{"--temporal", srv.HostPort, "--task-queue", conn.taskQueue, "--home", home}
	if code, _, stderr := execIn(t, p, append([]string{"schedule", "create", "x", "--every", "1s", "--overlap", "sometimes"}, flags...)...); code != 1 || !strings.Contains(stderr, `--overlap "sometimes"`) {
		t.Errorf("--overlap sometimes: exit %d, %q", code, stderr)
	}
	if code, _, stderr := execIn(t, p, append([]string{"schedule", "create", "often", "--every", "1s"}, flags...)...); code != 0 {
		t.Fatalf("create: exit %d, %s", code, stderr)
	}
	h := srv.Client.ScheduleClient().GetHandle(t.Context(), scheduleID(p, "often"))
	deadline := time.Now().Add(time.Minute)
	for {
		d, err := h.Describe(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if d.Info.NumActionsSkippedOverlap >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no firing skipped within a minute: %+v", d.Info)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := h.Delete(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Later firings find a cached step; the first run is the one that
	// overlaps them.
	if most.Load() != 1 {
		t.Errorf("%d runs of the schedule ran at once; want 1", most.Load())
	}
}
