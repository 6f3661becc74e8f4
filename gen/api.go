package gen

// Config tells analysis where the generated package will live and how to
// find steps.
type Config struct {
	// Dir is the output directory. Imports are resolved with go/packages in
	// the module that encloses Dir (Dir need not exist yet); with no
	// enclosing module, or with Module set, in a scratch module holding the
	// notebook's !go get requirements.
	Dir string
	// Module, when set, makes the output a standalone module with this path.
	Module string
	// Split is "auto" (default), "markers", "headings" or "cells".
	Split string
	// Package overrides the Go package name (default: the pipeline name).
	Package string
}

// EmitOptions shape the generated files.
type EmitOptions struct {
	// ImportPath is the import path of the generated package, used by
	// cmd/NAME/main_zen.go.
	ImportPath string
	// Module, when set, also emits go.mod, README.md and .gitignore for a
	// standalone module with this path.
	Module string
	// RuntimeReplace, when set with Module, adds
	// `replace github.com/zengen-dev/zengen => RuntimeReplace` to go.mod.
	RuntimeReplace string
	// NoLineDirectives drops the //line directives.
	NoLineDirectives bool
	// NoTests drops the generated parity test.
	NoTests bool
	// Command is the zengen command line recorded in the header.
	Command string
}
