package pipeline

import "context"

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

type saveObserverKey struct{}

// WithSaveObserver returns ctx carrying observe for the attempts run under
// it.
func WithSaveObserver(ctx context.Context, observe func(SavedOutput)) context.Context {
	return context.WithValue(ctx, saveObserverKey{}, observe)
}

// SaveObserverOf returns the save observer ctx carries, or nil.
func SaveObserverOf(ctx context.Context) func(SavedOutput) {
	observe, _ := ctx.Value(saveObserverKey{}).(func(SavedOutput))
	return observe
}
