package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
)

// eventLog is an observer beside the terminal, as a dashboard would be: it
// keeps each event as "kind step detail".
type eventLog struct {
	mu  sync.Mutex
	got []string
}

var kindNames = map[engine.EventKind]string{
	engine.Planned: "planned", engine.Started: "started", engine.Running: "running", engine.Printed: "printed",
	engine.Retrying: "retrying", engine.Metric: "metric", engine.Finished: "finished", engine.Cached: "cached",
	engine.Failed: "failed", engine.Cancelled: "cancelled", engine.Skipped: "skipped", engine.Turn: "turn", engine.Lost: "lost",
}

func (l *eventLog) Observe(_ context.Context, e engine.Event) error {
	line := kindNames[e.Kind] + " " + e.Step
	switch e.Kind {
	case engine.Planned:
		line += fmt.Sprint(len(e.Plan))
	case engine.Printed:
		line += " " + strings.TrimSpace(string(e.Text))
	case engine.Metric:
		line += fmt.Sprintf(" %s=%g", e.Name, e.Value)
	case engine.Failed, engine.Skipped:
		line += " " + e.Record.Error
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, strings.TrimSpace(line))
	return nil
}

// TestObserversSeeEveryTransition holds the scheduler to its events: an
// observer besides the recorder and the terminal sees each step's
// transitions in order, with what the step printed and recorded.
func TestObserversSeeEveryTransition(t *testing.T) {
	a := wrap(intStep("a", 1), func(ctx context.Context, sc *StepContext, next func() error) error {
		sc.Metric("loss", 0.5)
		return next()
	})
	b := wrap(intStep("b", 10, "a.a_out"), func(ctx context.Context, sc *StepContext, next func() error) error {
		return errors.New("no data")
	})
	p := &Pipeline{Name: "events", Steps: []*Step{a, b, intStep("c", 100, "b.b_out")}}
	home := t.TempDir()
	run := func() []string {
		st, err := engine.OpenStore(t.Context(), home)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var log eventLog
		r, err := engine.NewRunner(p, st, engine.RunOptions{Parallel: 1}, map[string]string{}, &log)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Execute(t.Context()); err != nil {
			t.Fatal(err)
		}
		return log.got
	}
	want := []string{
		"planned 3",
		"started a", "turn", "running a", "printed a a=1", "metric a loss=0.5", "finished a",
		"started b", "turn", "running b", "failed b no data", "turn",
		"skipped c upstream step b failed", "turn",
	}
	if diff := cmp.Diff(want, run()); diff != "" {
		t.Errorf("first run's events (-want +got):\n%s", diff)
	}
	want = []string{
		"planned 3",
		"cached a",
		"started b", "turn", "running b", "failed b no data", "turn",
		"skipped c upstream step b failed", "turn",
	}
	if diff := cmp.Diff(want, run()); diff != "" {
		t.Errorf("second run's events (-want +got):\n%s", diff)
	}
}
