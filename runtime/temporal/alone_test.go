package temporal

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	zen "github.com/zengen-dev/zengen/runtime"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// A step run where the process runs one step at a time keeps its display,
// placed in its output, as a local step running alone does; one run where
// steps may run beside it has its display refused. So has every step of
// the process after one abandoned at its timeout, whose goroutine may
// still display.
func TestStepRunAloneKeepsItsDisplays(t *testing.T) {
	ctx := t.Context()
	st, _ := tempStore(t)
	release := make(chan struct{})
	defer close(release)
	show := &pipeline.Step{Name: "show", CodeHash: "h", Pos: "show.ipynb:cell 1", Alone: "a display",
		Run: func(ctx context.Context, sc *pipeline.StepContext) error {
			fmt.Fprintln(zen.Stdout(ctx), "before")
			if err := pipeline.Display("text/plain", []byte("shown")); err != nil {
				return err
			}
			fmt.Fprintln(zen.Stdout(ctx), "after")
			return nil
		}}
	stuck := &pipeline.Step{Name: "stuck", CodeHash: "h", Pos: "show.ipynb:cell 2", Options: pipeline.Options{Timeout: 10 * time.Millisecond},
		Run: func(ctx context.Context, sc *pipeline.StepContext) error {
			<-release
			return nil
		}}
	p := &pipeline.Pipeline{Name: "show", Steps: []*pipeline.Step{show, stuck}}
	// run runs the step named in a run of its own with x.
	run := func(x *engine.StepIndex, step string) meta.StepRun {
		t.Helper()
		plan, _, err := engine.SubmitRun(ctx, p, st, engine.RunOptions{NoCache: true}, map[string]string{}, "temporal://test/default")
		if err != nil {
			t.Fatal(err)
		}
		g, err := engine.NewRemoteDAG(p, plan)
		if err != nil {
			t.Fatal(err)
		}
		for g.Ready() {
			if rs := g.Next(); rs.Step == step {
				if _, err := engine.RunRemoteStep(ctx, x, st, rs); err != nil {
					t.Fatal(err)
				}
				sr, err := st.Meta.StepRun(ctx, plan.RunID, step)
				if err != nil {
					t.Fatal(err)
				}
				return sr
			}
		}
		t.Fatalf("no step %s", step)
		return meta.StepRun{}
	}
	index := func() *engine.StepIndex {
		x, err := engine.IndexSteps(p)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	kept := func(sr meta.StepRun) bool {
		return sr.Status == meta.StepSucceeded && len(sr.Displays) == 1 && sr.Displays[0] == (meta.DisplayAt{Name: "display.1", Log: 7, Stdout: 7})
	}
	refused := func(sr meta.StepRun) bool {
		return sr.Status == meta.StepFailed && strings.Contains(sr.Error, pipeline.ErrNoDisplaySink.Error()) && len(sr.Displays) == 0
	}

	if sr := run(index(), "show"); !refused(sr) {
		t.Errorf("show beside other steps: %s, %q, displays %v; want its display refused", sr.Status, sr.Error, sr.Displays)
	}
	x := index()
	x.OneStepAtATime()
	if sr := run(x, "show"); !kept(sr) {
		t.Errorf("show alone: %s, %q, displays %v; want display.1 after its first line", sr.Status, sr.Error, sr.Displays)
	}
	if sr := run(x, "stuck"); sr.Status != meta.StepFailed || !strings.Contains(sr.Error, "timed out") {
		t.Fatalf("stuck: %s, %q; want it timed out", sr.Status, sr.Error)
	}
	if sr := run(x, "show"); !refused(sr) {
		t.Errorf("show after a step was abandoned: %s, %q, displays %v; want its display refused", sr.Status, sr.Error, sr.Displays)
	}
}
