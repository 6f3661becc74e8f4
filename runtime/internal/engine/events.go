package engine

import (
	"context"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// The scheduler decides; what it decided reaches the world as events, one
// per step transition, handed to every observer of the run in order. The
// metadata recorder (journal.go) and the terminal printer (terminal.go)
// are two observers; a live dashboard or a remote orchestrator would be
// more, without the scheduler knowing.

// EventKind says which transition an Event reports.
type EventKind int

const (
	// Planned: the run's plan is made. Plan lists its steps; Alone those
	// that never run beside another, when steps could overlap at all.
	Planned EventKind = iota + 1
	// Started: a step is about to be launched; Record is its running
	// record, complete once the turn ends (Turn).
	Started
	// Running: the step's code begins, on the step's own goroutine.
	Running
	// Printed: the step printed complete lines (Text) to its stdout, or its
	// stderr when Stderr is set; when the step ends, a last line may lack
	// its newline. It comes from the step's goroutine.
	Printed
	// Retrying: an attempt failed with Err and another follows; from the
	// step's goroutine.
	Retrying
	// Metric: a finished step recorded the metric Name = Value.
	Metric
	// Finished: the step succeeded after Took; Record holds its outputs.
	Finished
	// Cached: the step's result was reused; Record says from which run.
	Cached
	// Failed: the step failed; Ran says whether its code ran (then Took is
	// its time and Where the notebook position of a panic, if any).
	Failed
	// Cancelled: the run stopped the step (Ran) or stopped before it
	// started.
	Cancelled
	// Skipped: an upstream step did not finish; Record.Error names it.
	Skipped
	// Turn: the scheduler ends a turn and is about to launch the steps it
	// started; what observers gathered must now be kept.
	Turn
	// Lost: the records of Steps could not be written (Err); Done are those
	// of them that had finished, Outs their outputs as STEP.VAR. DiskFull
	// says the store's disk is full, which stops the run.
	Lost
	// Displayed: the step displayed the output Name, Size bytes of
	// MediaType (see pipeline.Display); from the step's goroutine.
	Displayed
)

// Event is one transition of a run. Only the fields its kind names are set.
type Event struct {
	Kind   EventKind
	Step   string
	Record *meta.StepRun

	Plan  []*pipeline.Step
	Alone []*pipeline.Step

	Took  time.Duration
	Ran   bool
	Where string

	Text   []byte
	Stderr bool

	Attempt int
	Err     error

	Name  string
	Value float64

	Steps, Done, Outs []string
	DiskFull          bool

	MediaType string
	Size      int
}

// Observer sees the events of a run. Observe is called from the
// scheduler's goroutine, except for Running, Printed, Displayed and Retrying, which
// come from the goroutines of the steps: an observer of those must be safe
// for concurrent use.
//
// An error tells the scheduler that the observer could not keep the event:
// a Started step then fails instead of starting, and after a failed Turn
// the steps about to launch fail. Observers that only show events return
// nil.
type Observer interface {
	Observe(ctx context.Context, e Event) error
}
