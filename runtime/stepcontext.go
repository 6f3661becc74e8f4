package runtime

import (
	"fmt"
	"io"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// Load reads input name of the running step and decodes it with c, or with
// a codec registered for T.
func Load[T any](sc *StepContext, name string, c Codec[T]) (T, error) {
	var zero T
	step := pipeline.StepOf(sc)
	in, ok := pipeline.InputOf(sc, name)
	if !ok {
		return zero, fmt.Errorf("step %s: no input named %q", step.Name, name)
	}
	c = codecFor(c)
	if in.Codec != "" && in.Codec != c.Name() {
		// Another codec's bytes might decode without error into a
		// different value; only the writer's codec can read them.
		return zero, fmt.Errorf("step %s: input %s from %s was stored with the codec %s, but this step reads it with %s; run %s again to store it anew",
			step.Name, name, in.FromStep, in.Codec, c.Name(), in.FromStep)
	}
	r, err := pipeline.ArtifactsOf(sc).Open(pipeline.ContextOf(sc), in)
	if err != nil {
		return zero, fmt.Errorf("step %s: input %s from %s: %w", step.Name, name, in.FromStep, err)
	}
	defer r.Close()
	v, decodeErr := c.Decode(r)
	// A blob reader verifies the digest only at EOF, and a decoder may stop
	// early: drain the rest so corrupt bytes are always noticed, and prefer
	// that diagnosis to a decode error they caused.
	if _, err := io.Copy(io.Discard, r); err != nil {
		return zero, fmt.Errorf("step %s: input %s from %s: %w", step.Name, name, in.FromStep, err)
	}
	if decodeErr != nil {
		return zero, fmt.Errorf("step %s: input %s from %s: decode %s: %w", step.Name, name, in.FromStep, c.Name(), decodeErr)
	}
	return v, nil
}

// Save encodes output name of the running step with c (or a codec
// registered for T) into the artifact store: up to artifact.InlineThreshold bytes
// into the step's record, which the runtime commits when the step ends,
// larger ones streamed to the blob store.
func Save[T any](sc *StepContext, name string, c Codec[T], v T) error {
	step := pipeline.StepOf(sc)
	c = codecFor(c)
	w := pipeline.ArtifactsOf(sc).Create(pipeline.ContextOf(sc))
	if err := c.Encode(w, v); err != nil {
		w.Abort()
		if artifact.IsDiskFull(err) {
			return fmt.Errorf("step %s: output %s: %w", step.Name, name, artifact.StoreErr(err))
		}
		return fmt.Errorf("step %s: output %s: encode %s: %w", step.Name, name, c.Name(), err)
	}
	a, err := w.Commit()
	if err != nil {
		return fmt.Errorf("step %s: output %s: %w", step.Name, name, artifact.StoreErr(err))
	}
	a.Name, a.Codec = name, c.Name()
	for _, o := range step.Outputs {
		if o.Name == name {
			a.Type, a.TypeHash = o.Type, o.TypeHash
		}
	}
	if err := pipeline.Keep(sc, a); err != nil {
		return err
	}
	observeSave(sc, a, c, v)
	return nil
}
