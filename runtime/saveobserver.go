package runtime

import (
	"context"
	"io"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// SavedOutput is one output a step saved, as a save observer sees it.
type SavedOutput = pipeline.SavedOutput

// WithSaveObserver returns a context under which Exec hands every output a
// step saves to observe, once it is stored and before Save returns. It is a
// test hook: zentest uses it to prove that each artifact of a real run
// decodes to the value its step computed. observe runs on the step's
// goroutine, so steps that run in parallel call it concurrently.
func WithSaveObserver(ctx context.Context, observe func(SavedOutput)) context.Context {
	return pipeline.WithSaveObserver(ctx, observe)
}

// observeSave hands a saved output to the attempt's observer, if any.
func observeSave[T any](sc *StepContext, a meta.Artifact, c Codec[T], v T) {
	observe := pipeline.ObserverOf(sc)
	if observe == nil {
		return
	}
	ctx, store := pipeline.ContextOf(sc), pipeline.ArtifactsOf(sc)
	observe(SavedOutput{
		Step: pipeline.StepOf(sc).Name, Name: a.Name, Codec: c.Name(), Value: v,
		Stored: func() (any, error) { return readArtifact(ctx, store, a, c) },
	})
}

// readArtifact decodes a with c, reading it to the end so that the store's
// digest check runs; a damaged artifact is reported rather than the decode
// error it caused.
func readArtifact[T any](ctx context.Context, store artifact.Store, a meta.Artifact, c Codec[T]) (T, error) {
	var zero T
	r, err := store.Open(ctx, a)
	if err != nil {
		return zero, err
	}
	defer r.Close()
	v, decodeErr := c.Decode(r)
	if _, err := io.Copy(io.Discard, r); err != nil {
		return zero, err
	}
	if decodeErr != nil {
		return zero, decodeErr
	}
	return v, nil
}
