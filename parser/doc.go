// Package parser reads Go research notebooks — Jupyter .ipynb files written by
// the GoNB, gophernotes or lgo kernels, and jupytext percent-format .go
// scratch files — into cells with positions, and recognises the magics and
// the //zen: markers inside them.
//
// It knows Jupyter, jupytext and the kernels' dialects. It knows nothing about
// Go types, dataflow or code generation: those belong to the packages under gen/
//
// Scratch files are .go files, so they must not break `go build ./...` of
// the module they sit in: start them with a "//go:build ignore" line. The
// reader skips that line (and the blank line after it); it belongs to no
// cell.
//
// Errors are collected, never returned at the first one: every reader
// returns either a notebook or an ErrorList, sorted by position, whose
// entries print as "nb.ipynb:cell N:LINE:COL: message" (notebooks) or
// "scratch.go:LINE:COL: message" (scripts).
package parser
