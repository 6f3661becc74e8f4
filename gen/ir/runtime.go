package ir

// The runtime that generated code links against: analysis checks the
// notebook's //zen:codec functions against it, emission imports it.

// RuntimePath is the import path of the runtime that generated code links
// against; generated files import it under the name zen.
const RuntimePath = "github.com/zengen-dev/zengen/runtime"

// RuntimeModule is the module that holds RuntimePath.
const RuntimeModule = "github.com/zengen-dev/zengen"

// RuntimeVersion is the version of RuntimeModule that a standalone
// generated go.mod requires.
const RuntimeVersion = "v0.1.0"

// GoVersion is the go directive of a standalone generated go.mod and of
// the scratch module analysis type-checks in.
const GoVersion = "1.26"
