package seamtest

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// TestOrchestrator checks an orchestrator against the contract of
// engine.Orchestrator; open returns one that records in st, a local store.
func TestOrchestrator(t *testing.T, open func(t *testing.T, st *engine.Store) engine.Orchestrator) {
	TestOrchestratorOn(t, func(t *testing.T) *engine.Store {
		st, err := engine.OpenStore(t.Context(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return st
	}, open)
}

// TestOrchestratorOn is TestOrchestrator on the stores openStore returns,
// each empty: the suite runs on every combination of metadata and artifact
// stores.
func TestOrchestratorOn(t *testing.T, openStore func(t *testing.T) *engine.Store, open func(t *testing.T, st *engine.Store) engine.Orchestrator) {
	// setup opens a store of its own for the subtest and its orchestrator.
	setup := func(t *testing.T) (*engine.Store, engine.Orchestrator) {
		st := openStore(t)
		t.Cleanup(func() { st.Close() })
		return st, open(t, st)
	}
	opts := engine.RunOptions{Parallel: 2}

	t.Run("RunsAndReuses", func(t *testing.T) {
		st, o := setup(t)
		var ran atomic.Int32
		p := chainPipeline(&ran, nil)
		var events eventKinds
		out, err := o.Execute(t.Context(), p, opts, map[string]string{}, &events)
		if err != nil || out.Run.Status != meta.RunSucceeded {
			t.Fatalf("run: %s %v %s", out.Run.Status, err, out.Run.Error)
		}
		if got := statusesOf(t, st, out.Run.ID); !cmp.Equal(got, map[string]string{"a": meta.StepSucceeded, "b": meta.StepSucceeded, "c": meta.StepSucceeded}) {
			t.Errorf("statuses %v", got)
		}
		if got := outputOf(t, st, out.Run.ID, "b", "y"); got != "12" {
			t.Errorf("b.y = %q, want 12", got)
		}
		if diff := cmp.Diff([]string{"finished a", "finished b", "finished c"}, events.ends()); diff != "" {
			t.Errorf("ends seen by the observer (-want +got):\n%s", diff)
		}

		events = eventKinds{}
		again, err := o.Execute(t.Context(), p, opts, map[string]string{}, &events)
		if err != nil || again.Run.Status != meta.RunSucceeded {
			t.Fatalf("second run: %s %v", again.Run.Status, err)
		}
		if ran.Load() != 3 {
			t.Errorf("steps ran %d times in two runs of the same code, want 3", ran.Load())
		}
		if diff := cmp.Diff([]string{"cached a", "cached b", "cached c"}, events.ends()); diff != "" {
			t.Errorf("ends of the second run (-want +got):\n%s", diff)
		}
	})

	t.Run("Failure", func(t *testing.T) {
		st, o := setup(t)
		var ran atomic.Int32
		p := chainPipeline(&ran, errors.New("no data"))
		out, err := o.Execute(t.Context(), p, opts, map[string]string{})
		if err != nil {
			t.Fatal(err)
		}
		if out.Run.Status != meta.RunFailed || !strings.Contains(out.Run.Error, "step b failed") {
			t.Errorf("run %s: %q, want failed naming step b", out.Run.Status, out.Run.Error)
		}
		want := map[string]string{"a": meta.StepSucceeded, "b": meta.StepFailed, "c": meta.StepSkipped}
		if got := statusesOf(t, st, out.Run.ID); !cmp.Equal(got, want) {
			t.Errorf("statuses %v, want %v", got, want)
		}
	})

	t.Run("Cancelled", func(t *testing.T) {
		st, o := setup(t)
		var ran atomic.Int32
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		p := chainPipeline(&ran, nil)
		// a stops the run while it runs, as Ctrl-C would.
		p.Steps[0].Run = func(stepCtx context.Context, sc *pipeline.StepContext) error {
			cancel()
			<-stepCtx.Done()
			return stepCtx.Err()
		}
		out, err := o.Execute(ctx, p, opts, map[string]string{})
		if err != nil {
			t.Fatal(err)
		}
		if out.Run.Status != meta.RunCancelled || ran.Load() != 0 {
			t.Errorf("run %s after b or c ran %d times, want cancelled before them", out.Run.Status, ran.Load())
		}
		// What waited for the cancelled step is skipped, naming it.
		want := map[string]string{"a": meta.StepCancelled, "b": meta.StepSkipped, "c": meta.StepSkipped}
		if got := statusesOf(t, st, out.Run.ID); !cmp.Equal(got, want) {
			t.Errorf("statuses %v, want %v", got, want)
		}
	})

	t.Run("CancelRequest", func(t *testing.T) {
		st, o := setup(t)
		var ran atomic.Int32
		p := chainPipeline(&ran, nil)
		started := make(chan struct{})
		// a runs until the run is cancelled, as a long step would, while
		// another process asks (NAME cancel RUN).
		p.Steps[0].Run = func(stepCtx context.Context, sc *pipeline.StepContext) error {
			close(started)
			<-stepCtx.Done()
			return stepCtx.Err()
		}
		ctx, stop := context.WithCancel(t.Context())
		defer stop()
		done := make(chan engine.Outcome, 1)
		go func() {
			out, err := o.Execute(ctx, p, opts, map[string]string{})
			if err != nil {
				t.Error(err)
			}
			done <- out
		}()
		<-started
		run, err := st.Meta.ResolveRun(t.Context(), p.Name, "latest")
		if err != nil {
			t.Fatal(err)
		}
		got, err := engine.CancelRun(t.Context(), st, run)
		if err != nil || got.Status != meta.RunCancelled {
			t.Errorf("cancel of a running run: %s, %v; want it cancelled", got.Status, err)
			stop() // as Ctrl-C would, so that the run ends
		}
		out := <-done
		if out.Run.Status != meta.RunCancelled || ran.Load() != 0 {
			t.Errorf("run %s: %q after b or c ran %d times, want cancelled before them", out.Run.Status, out.Run.Error, ran.Load())
		}
		want := map[string]string{"a": meta.StepCancelled, "b": meta.StepSkipped, "c": meta.StepSkipped}
		if got := statusesOf(t, st, out.Run.ID); !cmp.Equal(got, want) {
			t.Errorf("statuses %v, want %v", got, want)
		}
		if _, err := engine.CancelRun(t.Context(), st, out.Run); !errors.Is(err, engine.ErrNotRunning) {
			t.Errorf("cancel of a cancelled run: %v, want ErrNotRunning", err)
		}
	})

	t.Run("RefusedPlan", func(t *testing.T) {
		st, o := setup(t)
		p := &pipeline.Pipeline{Name: "broken", Steps: []*pipeline.Step{{Name: "a", After: []string{"nowhere"}, Run: func(context.Context, *pipeline.StepContext) error { return nil }}}}
		if _, err := o.Execute(t.Context(), p, opts, map[string]string{}); err == nil {
			t.Error("a step after an unknown step was run")
		}
		if runs, _ := st.Meta.Runs(t.Context(), "broken", 10); len(runs) != 0 {
			t.Errorf("a refused plan recorded %d runs", len(runs))
		}
	})
}

// chainPipeline is a → b → c: a saves x = "1", b saves y = x + "2" or
// fails with fail, c reads y. ran counts the steps' calls.
func chainPipeline(ran *atomic.Int32, fail error) *pipeline.Pipeline {
	step := func(name, in, from, out string, f func(string) (string, error)) *pipeline.Step {
		s := &pipeline.Step{Name: name, Func: name, CodeHash: "code-" + name, Pos: "chain.ipynb:cell 1",
			Outputs: []pipeline.Output{{Name: out, Type: "string", Codec: "raw"}}}
		if in != "" {
			s.Inputs = []pipeline.Input{{Name: in, Type: "string", Codec: "raw", From: from}}
		}
		s.Run = func(ctx context.Context, sc *pipeline.StepContext) error {
			ran.Add(1)
			v := ""
			if in != "" {
				var err error
				if v, err = load(sc, in); err != nil {
					return err
				}
			}
			v, err := f(v)
			if err != nil {
				return err
			}
			return save(sc, out, v)
		}
		return s
	}
	return &pipeline.Pipeline{Name: "chain", Steps: []*pipeline.Step{
		step("a", "", "", "x", func(string) (string, error) { return "1", nil }),
		step("b", "x", "a", "y", func(x string) (string, error) { return x + "2", fail }),
		step("c", "y", "b", "z", func(y string) (string, error) { return y + "3", nil }),
	}}
}

func save(sc *pipeline.StepContext, name, v string) error {
	w := pipeline.ArtifactsOf(sc).Create(pipeline.ContextOf(sc))
	io.WriteString(w, v)
	a, err := w.Commit()
	if err != nil {
		return err
	}
	a.Name, a.Codec, a.Type = name, "raw", "string"
	return pipeline.Keep(sc, a)
}

func load(sc *pipeline.StepContext, name string) (string, error) {
	a, ok := pipeline.InputOf(sc, name)
	if !ok {
		return "", errors.New("no input " + name)
	}
	r, err := pipeline.ArtifactsOf(sc).Open(pipeline.ContextOf(sc), a)
	if err != nil {
		return "", err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	return string(b), err
}

func statusesOf(t *testing.T, st *engine.Store, runID string) map[string]string {
	t.Helper()
	steps, err := st.Meta.StepRuns(t.Context(), runID)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, s := range steps {
		m[s.Step] = s.Status
	}
	return m
}

func outputOf(t *testing.T, st *engine.Store, runID, step, name string) string {
	t.Helper()
	sr, err := st.Meta.StepRun(t.Context(), runID, step)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range sr.Outputs {
		if a.Name == name {
			r, err := st.Artifacts.Open(t.Context(), a)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("step %s of run %s has no output %s", step, runID, name)
	return ""
}

// eventKinds keeps the final event of each step, as "kind step".
type eventKinds struct {
	mu  sync.Mutex
	got []string
}

func (e *eventKinds) Observe(_ context.Context, ev engine.Event) error {
	names := map[engine.EventKind]string{engine.Finished: "finished", engine.Cached: "cached", engine.Failed: "failed",
		engine.Cancelled: "cancelled", engine.Skipped: "skipped"}
	if n, ok := names[ev.Kind]; ok {
		e.mu.Lock()
		e.got = append(e.got, n+" "+ev.Step)
		e.mu.Unlock()
	}
	return nil
}

func (e *eventKinds) ends() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.got...)
}
