package analysis

import "github.com/zengen-dev/zengen/gen/ir"

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
	// Split is how to find steps without markers: ir.SplitAuto (also
	// when empty), SplitMarkers, SplitHeadings or SplitCells.
	Split ir.Split
	// Package overrides the Go package name (default: the pipeline name).
	Package string
	// RuntimeReplace, when set, is the absolute path of a zengen checkout
	// that a scratch module replaces zengen by, for the notebooks that
	// import zengen's packages (its codecs, its versions of the kernels'
	// display APIs).
	RuntimeReplace string
	// Temporal says the command links the Temporal orchestrator (zengen
	// generate --temporal), whose run and schedule commands have flags of
	// their own that a param cannot take.
	Temporal bool
}
