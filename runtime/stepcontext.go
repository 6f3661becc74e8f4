package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// StepContext is what a step's Run adapter uses to read its inputs, write
// its outputs and record metrics. The runtime creates one per attempt.
type StepContext struct {
	step   *Step
	blobs  blob.Store
	inputs map[string]meta.Artifact // by input name, resolved before the attempt
	// observe, when set, sees every saved output (WithSaveObserver).
	observe func(SavedOutput)

	mu      sync.Mutex
	closed  bool // set when the runtime has taken the results, or gave up on the attempt
	outputs []meta.Artifact
	metrics []meta.Metric
}

// Load reads input name of the running step and decodes it with c, or with
// a codec registered for T.
func Load[T any](sc *StepContext, name string, c Codec[T]) (T, error) {
	var zero T
	in, ok := sc.inputs[name]
	if !ok {
		return zero, fmt.Errorf("step %s: no input named %q", sc.step.Name, name)
	}
	c = codecFor(c)
	if in.Codec != "" && in.Codec != c.Name() {
		// Another codec's bytes might decode without error into a
		// different value; only the writer's codec can read them.
		return zero, fmt.Errorf("step %s: input %s from %s was stored with the codec %s, but this step reads it with %s; run %s again to store it anew",
			sc.step.Name, name, in.FromStep, in.Codec, c.Name(), in.FromStep)
	}
	r, err := openArtifact(sc.blobs, in)
	if err != nil {
		return zero, fmt.Errorf("step %s: input %s from %s: %w", sc.step.Name, name, in.FromStep, err)
	}
	defer r.Close()
	v, decodeErr := c.Decode(r)
	// A blob reader verifies the digest only at EOF, and a decoder may stop
	// early: drain the rest so corrupt bytes are always noticed, and prefer
	// that diagnosis to a decode error they caused.
	if _, err := io.Copy(io.Discard, r); err != nil {
		return zero, fmt.Errorf("step %s: input %s from %s: %w", sc.step.Name, name, in.FromStep, err)
	}
	if decodeErr != nil {
		return zero, fmt.Errorf("step %s: input %s from %s: decode %s: %w", sc.step.Name, name, in.FromStep, c.Name(), decodeErr)
	}
	return v, nil
}

// Save encodes output name of the running step with c (or a codec
// registered for T) into the artifact store: up to inlineThreshold bytes
// into the step's record, which the runtime commits when the step ends,
// larger ones streamed to the blob store.
func Save[T any](sc *StepContext, name string, c Codec[T], v T) error {
	c = codecFor(c)
	w := newArtifactWriter(sc.blobs)
	if err := c.Encode(w, v); err != nil {
		w.abort()
		if isDiskFull(err) {
			return fmt.Errorf("step %s: output %s: %w", sc.step.Name, name, storeErr(err))
		}
		return fmt.Errorf("step %s: output %s: encode %s: %w", sc.step.Name, name, c.Name(), err)
	}
	a, err := w.commit()
	if err != nil {
		return fmt.Errorf("step %s: output %s: %w", sc.step.Name, name, storeErr(err))
	}
	a.Name, a.Codec = name, c.Name()
	for _, o := range sc.step.Outputs {
		if o.Name == name {
			a.Type = o.Type
		}
	}
	if err := sc.keep(a); err != nil {
		return err
	}
	observeSave(sc, a, c, v)
	return nil
}

// keep records a saved output of the attempt; a later save of the same name
// replaces it.
func (sc *StepContext) keep(a meta.Artifact) error {
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

// finish freezes the attempt's results; later Saves and Metrics, from a
// goroutine the runtime abandoned after a timeout, are ignored.
func (sc *StepContext) finish() ([]meta.Artifact, []meta.Metric) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.closed = true
	return sc.outputs, sc.metrics
}

// stdoutKey and stderrKey hold the writers of the step a context belongs
// to.
type (
	stdoutKey struct{}
	stderrKey struct{}
)

func withStreams(ctx context.Context, stdout, stderr io.Writer) context.Context {
	return context.WithValue(context.WithValue(ctx, stdoutKey{}, stdout), stderrKey{}, stderr)
}

func streamOf(ctx context.Context, key any, outside io.Writer) io.Writer {
	if ctx != nil {
		if w, ok := ctx.Value(key).(io.Writer); ok {
			return w
		}
	}
	return outside
}
