package runtime

import (
	"context"
	"io"

	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// SavedOutput is one output a step saved, as a save observer sees it.
type SavedOutput struct {
	Step  string // the step that saved it
	Name  string // the output's name
	Codec string // the codec that encoded it
	// Value is what the step handed to Save.
	Value any
	// Stored reads the artifact back from the store and decodes it with
	// the same codec, as a step that loads it would.
	Stored func() (any, error)
}

// WithSaveObserver returns a context under which Exec hands every output a
// step saves to observe, once it is stored and before Save returns. It is a
// test hook: zentest uses it to prove that each artifact of a real run
// decodes to the value its step computed. observe runs on the step's
// goroutine, so steps that run in parallel call it concurrently.
func WithSaveObserver(ctx context.Context, observe func(SavedOutput)) context.Context {
	return context.WithValue(ctx, saveObserverKey{}, observe)
}

type saveObserverKey struct{}

func saveObserverOf(ctx context.Context) func(SavedOutput) {
	observe, _ := ctx.Value(saveObserverKey{}).(func(SavedOutput))
	return observe
}

// observeSave hands a saved output to the attempt's observer, if any.
func observeSave[T any](sc *StepContext, a meta.Artifact, c Codec[T], v T) {
	if sc.observe == nil {
		return
	}
	sc.observe(SavedOutput{
		Step: sc.step.Name, Name: a.Name, Codec: c.Name(), Value: v,
		Stored: func() (any, error) { return readArtifact(sc.blobs, a, c) },
	})
}

// readArtifact decodes a with c, reading it to the end so that the store's
// digest check runs; a damaged artifact is reported rather than the decode
// error it caused.
func readArtifact[T any](blobs blob.Store, a meta.Artifact, c Codec[T]) (T, error) {
	var zero T
	r, err := openArtifact(blobs, a)
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
