// Package gen turns parsed notebooks into Go: analysis (cells → an IR of
// steps, typed dataflow and parameters, every node with its notebook
// position) and emission (IR → a map of file name to gofmt'd bytes, built
// with jennifer).
//
// It knows Go, go/types and the IR. It knows nothing about JSON, Jupyter or
// jupytext (package parser) and never touches the disk except to load the
// notebook's imports through go/packages; writing files is the CLI's job.
package gen
