package pipeline

import (
	"context"
	"errors"
	"sync"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// StepContext is what a step's Run adapter uses to read its inputs, write
// its outputs and record metrics. The runtime creates one per attempt.
//
// Its bookkeeping is reached through this package's functions, not
// methods: runtime re-exports the type to user code, which must see no
// more of it than Metric.
type StepContext struct {
	ctx       context.Context // the attempt's, for the artifact store
	step      *Step
	artifacts artifact.Store
	inputs    map[string]meta.Artifact // by input name, resolved before the attempt
	// observe, when set, sees every saved output (WithSaveObserver).
	observe func(SavedOutput)

	mu      sync.Mutex
	closed  bool // set when the runtime has taken the results, or gave up on the attempt
	outputs []meta.Artifact
	metrics []meta.Metric
}

// NewStepContext starts the bookkeeping of one attempt of step under ctx,
// whose inputs are resolved to artifacts in store.
func NewStepContext(ctx context.Context, step *Step, store artifact.Store, inputs map[string]meta.Artifact, observe func(SavedOutput)) *StepContext {
	return &StepContext{ctx: ctx, step: step, artifacts: store, inputs: inputs, observe: observe}
}

// ContextOf returns the attempt's context.
func ContextOf(sc *StepContext) context.Context { return sc.ctx }

// StepOf returns the step the attempt runs.
func StepOf(sc *StepContext) *Step { return sc.step }

// ArtifactsOf returns the store of the attempt's artifacts.
func ArtifactsOf(sc *StepContext) artifact.Store { return sc.artifacts }

// InputOf returns the stored artifact of the attempt's input name.
func InputOf(sc *StepContext, name string) (meta.Artifact, bool) {
	a, ok := sc.inputs[name]
	return a, ok
}

// ObserverOf returns the save observer of the attempt, or nil.
func ObserverOf(sc *StepContext) func(SavedOutput) { return sc.observe }

// Keep records a saved output of the attempt; a later save of the same name
// replaces it.
func Keep(sc *StepContext, a meta.Artifact) error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		return errAbandoned
	}
	for i, o := range sc.outputs {
		if o.Name == a.Name {
			sc.outputs[i] = a
			return nil
		}
	}
	sc.outputs = append(sc.outputs, a)
	return nil
}

// errAbandoned is what a late Save of an abandoned attempt returns; nobody
// reads it, but the step's code stops writing sooner.
var errAbandoned = errors.New("step attempt abandoned by the runtime")

// Metric records a scalar of the running step; the last value of a name wins.
func (sc *StepContext) Metric(name string, v float64) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		return
	}
	for i, m := range sc.metrics {
		if m.Name == name {
			sc.metrics[i].Value = v
			return
		}
	}
	sc.metrics = append(sc.metrics, meta.Metric{Name: name, Value: v})
}

// Finish freezes the attempt's results; later Saves and Metrics, from a
// goroutine the runtime abandoned after a timeout, are ignored.
func Finish(sc *StepContext) ([]meta.Artifact, []meta.Metric) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.closed = true
	return sc.outputs, sc.metrics
}
