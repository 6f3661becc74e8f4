package engine

import (
	"context"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// Orchestrator runs a run of a pipeline to its end: it decides what runs
// where and when, records the run in the metadata store and shows its
// events to the observers. Today's implementation is the local scheduler
// (scheduler.go), which runs the steps in this process; a distributed one
// (Temporal) implements this and passes the conformance suite in
// runtime/internal/seamtest.
type Orchestrator interface {
	// Execute runs p with params (canonical JSON by name) as opts say and
	// returns the finished run. An error means the run could not be
	// recorded at all (a refused plan, a store that cannot take the run);
	// a run that failed or was cancelled is an Outcome.
	Execute(ctx context.Context, p *pipeline.Pipeline, opts RunOptions, params map[string]string, observers ...Observer) (Outcome, error)
}

// Outcome is a finished run.
type Outcome struct {
	Run meta.Run
	// Hint, when set, replaces the run's error in its last line: the run
	// stopped for a reason the user can act on (a full store).
	Hint string
	// Detached says the run goes on elsewhere: Run is its record as
	// submitted, still running.
	Detached bool
}

// localScheduler is the Orchestrator that runs steps in this process.
type localScheduler struct{ st *Store }

// LocalScheduler returns the orchestrator that runs steps in this process,
// recording them in st.
func LocalScheduler(st *Store) Orchestrator { return localScheduler{st} }

func (l localScheduler) Execute(ctx context.Context, p *pipeline.Pipeline, opts RunOptions, params map[string]string, observers ...Observer) (Outcome, error) {
	r, err := NewRunner(p, l.st, opts, params, observers...)
	if err != nil {
		return Outcome{}, err
	}
	run, err := r.Execute(ctx)
	out := Outcome{Run: run}
	if r.DiskFull() {
		out.Hint = r.FullHint()
	}
	return out, err
}
