package pipeline

import (
	"context"
	"io"
)

// stdoutKey and stderrKey hold the writers of the step a context belongs
// to.
type (
	stdoutKey struct{}
	stderrKey struct{}
)

// WithStreams returns ctx carrying the writers of the step that runs under
// it.
func WithStreams(ctx context.Context, stdout, stderr io.Writer) context.Context {
	return context.WithValue(context.WithValue(ctx, stdoutKey{}, stdout), stderrKey{}, stderr)
}

// Stdout returns the step's standard output under ctx, or outside.
func Stdout(ctx context.Context, outside io.Writer) io.Writer {
	return streamOf(ctx, stdoutKey{}, outside)
}

// Stderr returns the step's standard error under ctx, or outside.
func Stderr(ctx context.Context, outside io.Writer) io.Writer {
	return streamOf(ctx, stderrKey{}, outside)
}

func streamOf(ctx context.Context, key any, outside io.Writer) io.Writer {
	if ctx != nil {
		if w, ok := ctx.Value(key).(io.Writer); ok {
			return w
		}
	}
	return outside
}
