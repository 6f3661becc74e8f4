// Package runtime is the API that generated pipelines and their users call.
// Generated code imports it under the name zen and uses only what is
// exported here: the pipeline description (Pipeline, Step, Input, Output,
// Options), the step's adapters at the edges (Load, Save, Stdout, Stderr,
// Print, StepContext.Metric), the codecs (codec.go, codec_value.go,
// Register, Shower) and Main, the generated binary's entry point.
//
// Everything behind that API lives in internal packages: the engine that
// plans, schedules, caches and records runs (internal/engine), the
// generated binary's command line (internal/cli), the artifact bytes
// (internal/artifact, internal/blob) and the metadata store
// (internal/meta). The package knows nothing about notebooks, and nothing
// about scheduling or the command line beyond handing Main's arguments on.
//
// Beside it, runtime/display holds zengen's versions of the Go kernels'
// display APIs, which generated code imports in place of the kernels' own;
// what they display becomes display artifacts of the running step.
package runtime
