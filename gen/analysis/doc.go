// Package analysis turns a parsed notebook into an ir.Pipeline
// of steps, typed dataflow and parameters, every node with its notebook
// position. Package emit writes the Go from that IR; analysis never imports it.
//
// It knows Go, go/types and the IR. It knows nothing about JSON, Jupyter or
// jupytext (package parser), nothing about the generated files' shape
// (package emit), and never touches the disk except to load the notebook's
// imports through go/packages.
package analysis
