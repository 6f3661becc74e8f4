// Package parser reads Go research notebooks — Jupyter .ipynb files written by
// the GoNB, gophernotes or lgo kernels, and jupytext percent-format .go
// scratch files — into cells with positions, and recognises the magics and
// the //zen: markers inside them.
//
// It knows Jupyter, jupytext and the kernels' dialects. It knows nothing about
// Go types, dataflow or code generation: those belong to package gen.
package parser
