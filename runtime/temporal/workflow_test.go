package temporal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	zen "github.com/zengen-dev/zengen/runtime"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// intStep reads the int outputs named by inputs ("step.var"), adds add
// and saves the sum as NAME_out, counting how often its code runs.
func intStep(name string, add int, runs *atomic.Int32, inputs ...string) *zen.Step {
	s := &zen.Step{Name: name, CodeHash: "code-" + name, Pos: "test.ipynb:cell 1",
		Outputs: []zen.Output{{Name: name + "_out", Type: "int", Codec: "json"}}}
	for _, in := range inputs {
		from, v, _ := strings.Cut(in, ".")
		s.Inputs = append(s.Inputs, zen.Input{Name: v, Type: "int", Codec: "json", From: from})
	}
	s.Run = func(ctx context.Context, sc *zen.StepContext) error {
		runs.Add(1)
		sum := add
		for _, in := range s.Inputs {
			v, err := zen.Load(sc, in.Name, zen.JSON[int]())
			if err != nil {
				return err
			}
			sum += v
		}
		fmt.Fprintf(zen.Stdout(ctx), "%s=%d\n", name, sum)
		return zen.Save(sc, name+"_out", zen.JSON[int](), sum)
	}
	return s
}

// runInTestEnv submits a run of p into the store in home and runs its
// workflow in the SDK's test environment, activities in this process.
func runInTestEnv(t *testing.T, p *zen.Pipeline, st *engine.Store, opts engine.RunOptions) (meta.Run, []meta.StepRun, error) {
	t.Helper()
	ctx := context.Background()
	plan, _, err := engine.SubmitRun(ctx, p, st, opts, map[string]string{}, "temporal://test/default")
	if err != nil {
		t.Fatal(err)
	}
	env := testEnv(p, st)
	env.ExecuteWorkflow(workflowName, plan)
	if !env.IsWorkflowCompleted() {
		t.Fatal("the workflow did not complete")
	}
	var run meta.Run
	wfErr := env.GetWorkflowError()
	if wfErr == nil {
		env.GetWorkflowResult(&run)
	}
	got, err := st.Meta.ResolveRun(ctx, p.Name, plan.RunID)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := st.Meta.StepRuns(ctx, plan.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if wfErr == nil && run.Status != got.Status {
		t.Errorf("the workflow returned %s, the store holds %s", run.Status, got.Status)
	}
	return got, steps, wfErr
}

func statusOf(steps []meta.StepRun) map[string]string {
	m := map[string]string{}
	for _, s := range steps {
		m[s.Step] = s.Status
	}
	return m
}

// A diamond runs through the workflow: every step once, the run recorded
// succeeded with its steps' outputs; run again, every step is a cache hit
// decided by the same key as locally, and no step's code runs.
func TestWorkflowRunsTheDAGAndReusesTheCache(t *testing.T) {
	var runs atomic.Int32
	p := &zen.Pipeline{Name: "diamond", Steps: []*zen.Step{
		intStep("a", 1, &runs), intStep("b", 10, &runs, "a.a_out"), intStep("c", 100, &runs, "a.a_out"),
		intStep("d", 0, &runs, "b.b_out", "c.c_out"),
	}}
	st, _ := tempStore(t)
	run, steps, err := runInTestEnv(t, p, st, engine.RunOptions{})
	if err != nil || run.Status != meta.RunSucceeded {
		t.Fatalf("run: %s %q, workflow error %v", run.Status, run.Error, err)
	}
	if runs.Load() != 4 {
		t.Errorf("%d step executions, want 4", runs.Load())
	}
	d, err := st.Meta.StepRun(context.Background(), run.ID, "d")
	if err != nil || len(d.Outputs) != 1 || !strings.Contains(d.Log, "d=112") {
		t.Errorf("d: %+v %v, log %q; want d=112", d.Outputs, err, d.Log)
	}

	again, steps, err := runInTestEnv(t, p, st, engine.RunOptions{})
	if err != nil || again.Status != meta.RunSucceeded {
		t.Fatalf("second run: %s %q, %v", again.Status, again.Error, err)
	}
	for name, status := range statusOf(steps) {
		if status != meta.StepCached {
			t.Errorf("second run: %s %s, want cached", name, status)
		}
	}
	if runs.Load() != 4 {
		t.Errorf("the cached run executed step code: %d executions in all, want 4", runs.Load())
	}
	d2, _ := st.Meta.StepRun(context.Background(), again.ID, "d")
	if d2.CacheKey != d.CacheKey || d2.Outputs[0].Digest != d.Outputs[0].Digest {
		t.Errorf("cached d: key %s digest %s, want %s %s", d2.CacheKey, d2.Outputs[0].Digest, d.CacheKey, d.Outputs[0].Digest)
	}
}

// A failing step fails the run with its notebook position, and the steps
// that depend on it are recorded skipped, as locally.
func TestWorkflowFailureSkipsDownstream(t *testing.T) {
	var runs atomic.Int32
	bad := intStep("b", 0, &runs, "a.a_out")
	bad.Pos = "fail.ipynb:cell 3"
	bad.Run = func(ctx context.Context, sc *zen.StepContext) error { return errors.New("no data") }
	p := &zen.Pipeline{Name: "failing", Steps: []*zen.Step{intStep("a", 1, &runs), bad, intStep("c", 1, &runs, "b.b_out")}}
	st, _ := tempStore(t)
	run, steps, _ := runInTestEnv(t, p, st, engine.RunOptions{})
	if run.Status != meta.RunFailed || !strings.Contains(run.Error, "step b failed: fail.ipynb:cell 3: no data") {
		t.Errorf("run: %s %q; want failed at step b's position", run.Status, run.Error)
	}
	want := map[string]string{"a": meta.StepSucceeded, "b": meta.StepFailed, "c": meta.StepSkipped}
	if got := statusOf(steps); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("steps: %v, want %v", got, want)
	}
}

// A step's activity answers the workflow with what it decides on — the
// step's status, outputs (digests) and failure — and nothing else of the
// record, which is in the store: the rest would be encoded and kept in the
// workflow's history for every step.
func TestStepActivityAnswersWhatTheWorkflowReads(t *testing.T) {
	var runs atomic.Int32
	p := &zen.Pipeline{Name: "pair", Steps: []*zen.Step{intStep("a", 1, &runs), intStep("b", 10, &runs, "a.a_out")}}
	st, _ := tempStore(t)
	plan, _, err := engine.SubmitRun(context.Background(), p, st, engine.RunOptions{}, map[string]string{}, "temporal://test/default")
	if err != nil {
		t.Fatal(err)
	}
	env := testEnv(p, st)
	var answers []meta.StepRun
	env.SetOnActivityCompletedListener(func(info *activity.Info, result converter.EncodedValue, err error) {
		if info.ActivityType.Name != stepActivity {
			return
		}
		var sr meta.StepRun
		if err := result.Get(&sr); err != nil {
			t.Error(err)
		}
		answers = append(answers, sr)
	})
	env.ExecuteWorkflow(workflowName, plan)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(answers) != 2 {
		t.Fatalf("%d step answers, want 2", len(answers))
	}
	for _, sr := range answers {
		stored, err := st.Meta.StepRun(context.Background(), plan.RunID, sr.Step)
		if err != nil {
			t.Fatal(err)
		}
		if sr.CacheKey != "" || sr.CodeHash != "" || len(sr.Inputs) > 0 || !sr.StartedAt.IsZero() || sr.Attempt != 0 {
			t.Errorf("%s answered more than the workflow reads: %+v", sr.Step, sr)
		}
		if sr.Status != stored.Status || len(sr.Outputs) != 1 || sr.Outputs[0].Digest != stored.Outputs[0].Digest {
			t.Errorf("%s answered %s %+v; the store holds %s %+v", sr.Step, sr.Status, sr.Outputs, stored.Status, stored.Outputs)
		}
	}
}

// testEnv is the SDK's test environment with p's workflow and its
// activities on st, in this process.
func testEnv(p *zen.Pipeline, st *engine.Store) *testsuite.TestWorkflowEnvironment {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(runWorkflow(p), workflow.RegisterOptions{Name: workflowName})
	a := &activities{p: p, st: st, params: newParamsGate()}
	env.RegisterActivityWithOptions(a.Step, activity.RegisterOptions{Name: stepActivity})
	env.RegisterActivityWithOptions(a.Close, activity.RegisterOptions{Name: closeActivity})
	return env
}

// tempStore opens a local store in a folder of the test's own, closed when
// the test ends, and returns it with its folder.
func tempStore(t *testing.T) (*engine.Store, string) {
	t.Helper()
	home := t.TempDir()
	st, err := engine.OpenStore(t.Context(), home)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, home
}
