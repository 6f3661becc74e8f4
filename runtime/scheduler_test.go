package runtime

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

func TestRunComputesThroughTheDAG(t *testing.T) {
	home := t.TempDir()
	var mu sync.Mutex
	var order []string
	logOrder := func(s *Step) *Step {
		return wrap(s, func(ctx context.Context, sc *StepContext, next func() error) error {
			mu.Lock()
			order = append(order, s.Name)
			mu.Unlock()
			return next()
		})
	}
	// A diamond: a → b, a → c, (b, c) → d, and e only ordered after d.
	e := logOrder(intStep("e", 1000))
	e.After = []string{"d"}
	p := &Pipeline{Name: "diamond", Steps: []*Step{
		logOrder(intStep("a", 1)),
		logOrder(intStep("b", 10, "a.a_out")),
		logOrder(intStep("c", 100, "a.a_out")),
		logOrder(intStep("d", 0, "b.b_out", "c.c_out")),
		e,
	}}
	r := mustRun(t, p, home, "--parallel", "2")
	if got := catInt(t, p, home, "latest", "d.d_out"); got != 112 {
		t.Errorf("d = %d, want 112", got)
	}
	pos := map[string]int{}
	for i, s := range order {
		pos[s] = i
	}
	for _, edge := range [][2]string{{"a", "b"}, {"a", "c"}, {"b", "d"}, {"c", "d"}, {"d", "e"}} {
		if pos[edge[0]] > pos[edge[1]] {
			t.Errorf("%s ran before %s: order %v", edge[1], edge[0], order)
		}
	}
	for _, want := range []string{"[d] d=112\n", "✓ a ", "✓ e "} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("output lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
}

// concurrencyProbe records the most steps running at once.
type concurrencyProbe struct {
	now, max atomic.Int32
}

func (c *concurrencyProbe) step(name string, hold time.Duration) *Step {
	return wrap(intStep(name, 1), func(ctx context.Context, sc *StepContext, next func() error) error {
		n := c.now.Add(1)
		defer c.now.Add(-1)
		for {
			m := c.max.Load()
			if n <= m || c.max.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(hold)
		return next()
	})
}

func TestParallelLimit(t *testing.T) {
	for _, tc := range []struct {
		parallel string
		want     int32
	}{{"1", 1}, {"2", 2}, {"4", 4}} {
		t.Run(tc.parallel, func(t *testing.T) {
			var probe concurrencyProbe
			p := &Pipeline{Name: "fan"}
			for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
				p.Steps = append(p.Steps, probe.step(n, 50*time.Millisecond))
			}
			mustRun(t, p, t.TempDir(), "--parallel", tc.parallel)
			if got := probe.max.Load(); got != tc.want {
				t.Errorf("at most %d steps ran at once, want %d", got, tc.want)
			}
		})
	}
}

// failing returns a step that fails with msg.
func failing(name string, inputs ...string) *Step {
	return wrap(intStep(name, 0, inputs...), func(ctx context.Context, sc *StepContext, next func() error) error {
		return errors.New(name + " broke")
	})
}

// waitsForCancel returns a step that runs until its context ends (or 5 s).
func waitsForCancel(name string, started chan<- struct{}) *Step {
	return wrap(intStep(name, 0), func(ctx context.Context, sc *StepContext, next func() error) error {
		if started != nil {
			close(started)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Second):
			return next()
		}
	})
}

func TestFailFastAndKeepGoing(t *testing.T) {
	build := func() *Pipeline {
		slow := wrap(intStep("slow", 5), func(ctx context.Context, sc *StepContext, next func() error) error {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(300 * time.Millisecond):
				return next()
			}
		})
		return &Pipeline{Name: "ff", Steps: []*Step{
			failing("bad"), slow, intStep("after_bad", 1, "bad.bad_out"), intStep("after_slow", 1, "slow.slow_out"),
		}}
	}
	tests := []struct {
		name string
		args []string
		want map[string]string
	}{
		{"fail fast", []string{"--parallel", "2"}, map[string]string{
			"bad": "failed", "slow": "cancelled", "after_bad": "skipped", "after_slow": "skipped"}},
		{"keep going", []string{"--parallel", "2", "--keep-going"}, map[string]string{
			"bad": "failed", "slow": "succeeded", "after_bad": "skipped", "after_slow": "succeeded"}},
		{"fail fast, one at a time", []string{"--parallel", "1"}, map[string]string{
			"bad": "failed", "slow": "cancelled", "after_bad": "skipped", "after_slow": "skipped"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			p := build()
			r := execIn(t, t.Context(), p, home, append([]string{"run"}, tc.args...)...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
			}
			run, got := statuses(t, p, home, "latest")
			if run.Status != meta.RunFailed {
				t.Errorf("run status %s, want failed", run.Status)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			t.Log(r.stderr)
			if !strings.Contains(r.stderr, "✗ bad failed") || !strings.Contains(r.stderr, "bad broke") {
				t.Errorf("stderr lacks the failure:\n%s", r.stderr)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	for _, tc := range []struct {
		retries     int
		wantStatus  string
		wantAttempt int
	}{{2, "succeeded", 3}, {1, "failed", 2}, {0, "failed", 1}} {
		home := t.TempDir()
		var calls atomic.Int32
		s := wrap(intStep("flaky", 1), func(ctx context.Context, sc *StepContext, next func() error) error {
			if calls.Add(1) <= 2 {
				return errors.New("transient")
			}
			return next()
		})
		s.Options.Retries = tc.retries
		p := &Pipeline{Name: "retry", Steps: []*Step{s}}
		execIn(t, t.Context(), p, home, "run")
		db := openTestDB(t, home)
		run, _ := db.ResolveRun(t.Context(), "retry", "latest")
		sr, err := db.StepRun(t.Context(), run.ID, "flaky")
		if err != nil {
			t.Fatal(err)
		}
		if sr.Status != tc.wantStatus || sr.Attempt != tc.wantAttempt {
			t.Errorf("retries=%d: status %s attempt %d, want %s attempt %d", tc.retries, sr.Status, sr.Attempt, tc.wantStatus, tc.wantAttempt)
		}
	}
}

func TestTimeoutAbandonsAStepThatIgnoresItsContext(t *testing.T) {
	home := t.TempDir()
	release := make(chan struct{})
	defer close(release)
	stuck := wrap(intStep("stuck", 1), func(ctx context.Context, sc *StepContext, next func() error) error {
		<-release // ignores ctx
		return next()
	})
	stuck.Options.Timeout = 100 * time.Millisecond
	p := &Pipeline{Name: "timeout", Steps: []*Step{stuck}}
	start := time.Now()
	r := execIn(t, t.Context(), p, home, "run")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("run took %s: the stuck step was not abandoned", took)
	}
	db := openTestDB(t, home)
	run, _ := db.ResolveRun(t.Context(), "timeout", "latest")
	sr, _ := db.StepRun(t.Context(), run.ID, "stuck")
	if sr.Status != "failed" || sr.Error != "timed out after 100ms" {
		t.Errorf("got %s %q, want failed \"timed out after 100ms\"", sr.Status, sr.Error)
	}
}

func TestCancellingTheContextCancelsTheRun(t *testing.T) {
	home := t.TempDir()
	started := make(chan struct{})
	p := &Pipeline{Name: "cancel", Steps: []*Step{waitsForCancel("wait", started), intStep("next", 1, "wait.wait_out")}}
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-started
		cancel()
	}()
	r := execIn(t, ctx, p, home, "run")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	run, got := statuses(t, p, home, "latest")
	if run.Status != meta.RunCancelled {
		t.Errorf("run status %s, want cancelled", run.Status)
	}
	want := map[string]string{"wait": "cancelled", "next": "skipped"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

func TestPanicIsRecoveredWithItsNotebookPosition(t *testing.T) {
	home := t.TempDir()
	s := wrap(intStep("train", 1), func(ctx context.Context, sc *StepContext, next func() error) error {
		notebookCell()
		return next()
	})
	p := &Pipeline{Name: "panic", Steps: []*Step{s}}
	r := execIn(t, t.Context(), p, home, "run")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	if want := "✗ train failed after"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if want := "churn.ipynb:cell 4:3: panic: runtime error: index out of range"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	db := openTestDB(t, home)
	run, _ := db.ResolveRun(t.Context(), "panic", "latest")
	sr, _ := db.StepRun(t.Context(), run.ID, "train")
	if sr.Position != "churn.ipynb:cell 4:3" || !strings.HasPrefix(sr.Error, "panic: ") || sr.Stack == "" {
		t.Errorf("got position %q error %q, stack %d bytes", sr.Position, sr.Error, len(sr.Stack))
	}
}

func TestOnlyFromResume(t *testing.T) {
	home := t.TempDir()
	var na, nb, nc atomic.Int32
	p := &Pipeline{Name: "partial", Steps: []*Step{
		counted(intStep("a", 1), &na), counted(intStep("b", 10, "a.a_out"), &nb), counted(intStep("c", 100, "b.b_out"), &nc),
	}}
	counts := func() [3]int32 { return [3]int32{na.Swap(0), nb.Swap(0), nc.Swap(0)} }

	if r := execIn(t, t.Context(), p, home, "run", "--only", "b"); r.code != 1 ||
		!strings.Contains(r.stderr, "step a, which produces input a_out, has no stored result for the params and code of this run: it has no successful run") {
		t.Errorf("--only before any run: exit %d\n%s", r.code, r.stderr)
	}
	mustRun(t, p, home)
	if got := counts(); got != [3]int32{1, 1, 1} {
		t.Errorf("first run counts %v", got)
	}

	mustRun(t, p, home, "--only", "b", "--no-cache")
	if got := counts(); got != [3]int32{0, 1, 0} {
		t.Errorf("--only b counts %v, want only b", got)
	}
	_, st := statuses(t, p, home, "latest")
	if diff := cmp.Diff(map[string]string{"b": "succeeded"}, st); diff != "" {
		t.Errorf("--only b statuses (-want +got):\n%s", diff)
	}

	mustRun(t, p, home, "--from", "b")
	if got := counts(); got != [3]int32{0, 1, 1} {
		t.Errorf("--from b counts %v, want b and c", got)
	}
	_, st = statuses(t, p, home, "latest")
	if diff := cmp.Diff(map[string]string{"a": "cached", "b": "succeeded", "c": "succeeded"}, st); diff != "" {
		t.Errorf("--from b statuses (-want +got):\n%s", diff)
	}

	// A run that fails in c, then a resume that runs only c.
	p.Steps[2] = counted(failing("c", "b.b_out"), &nc)
	execIn(t, t.Context(), p, home, "run", "--no-cache")
	counts()
	failed, _ := statuses(t, p, home, "latest")
	p.Steps[2] = counted(intStep("c", 100, "b.b_out"), &nc)
	mustRun(t, p, home, "--resume", failed.ID[:len(failed.ID)-2], "--no-cache")
	if got := counts(); got != [3]int32{0, 0, 1} {
		t.Errorf("--resume counts %v, want only c", got)
	}
	resumed, st := statuses(t, p, home, "latest")
	if resumed.ResumedFrom != failed.ID {
		t.Errorf("resumed_from %q, want %q", resumed.ResumedFrom, failed.ID)
	}
	if diff := cmp.Diff(map[string]string{"a": "cached", "b": "cached", "c": "succeeded"}, st); diff != "" {
		t.Errorf("--resume statuses (-want +got):\n%s", diff)
	}
	if got := catInt(t, p, home, "latest", "c.c_out"); got != 111 {
		t.Errorf("c = %d, want 111", got)
	}

	for _, args := range [][]string{{"--only", "nope"}, {"--from", "nope"}, {"--resume", "nope"}} {
		if r := execIn(t, t.Context(), p, home, append([]string{"run"}, args...)...); r.code != 1 {
			t.Errorf("run %v: exit %d, want 1", args, r.code)
		}
	}
	if r := execIn(t, t.Context(), p, home, "run", "--only", "a", "--from", "b"); r.code != 2 {
		t.Errorf("--only with --from: exit %d, want 2", r.code)
	}
}

// A step that names a param the Params struct does not have is a generator
// bug that would keep the param out of the step's cache key.
func TestUnknownStepParamIsRefused(t *testing.T) {
	s := intStep("a", 1)
	s.Params = []string{"learningRate"}
	p := &Pipeline{Name: "p", Params: &struct {
		LearningRate float64 `zen:"learning-rate"`
	}{}, Steps: []*Step{s}}
	res := execIn(t, context.Background(), p, t.TempDir(), "run")
	if res.code != 1 || !strings.Contains(res.stderr, "step a uses unknown param learningRate") {
		t.Fatalf("exit %d, stderr:\n%s", res.code, res.stderr)
	}
}
