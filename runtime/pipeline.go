package runtime

import (
	"context"
	"io"
	"os"

	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// The pipeline description lives in an internal package so that the engine
// behind this API sees the same types; these aliases are the names that
// generated code and users write.
type (
	// Pipeline describes a generated pipeline: its steps, the DAG between
	// them and its parameters. Generated code builds one in its Pipeline
	// function.
	Pipeline = pipeline.Pipeline
	// Step is one node of the DAG.
	Step = pipeline.Step
	// CodePart is one piece of a step's code, for explain.
	CodePart = pipeline.CodePart
	// Input is an artifact a step reads, produced by step From under Name.
	Input = pipeline.Input
	// Output is an artifact a step writes.
	Output = pipeline.Output
	// Options are the per-step options of //zen:step NAME opt=val.
	Options = pipeline.Options
	// StepContext is what a step's Run adapter uses to read its inputs,
	// write its outputs and record metrics. The runtime creates one per
	// attempt.
	StepContext = pipeline.StepContext
)

// Stdout returns the writer that the step running under ctx prints to; it is
// os.Stdout when ctx does not belong to a step (a step function called from
// user code or tests).
func Stdout(ctx context.Context) io.Writer {
	return pipeline.Stdout(ctx, os.Stdout)
}

// Stderr is Stdout's counterpart for the step's standard error: log
// output and println. It is os.Stderr outside a step.
func Stderr(ctx context.Context) io.Writer {
	return pipeline.Stderr(ctx, os.Stderr)
}
