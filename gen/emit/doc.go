// Package emit turns an ir.Pipeline into Go: a map of file name to
// gofmt'd bytes, built with jennifer and the templates, byte for byte the
// same for the same IR and options.
//
// It reads only the IR: it never imports analysis, go/types or
// go/packages, so whatever the generated code needs must be in the IR. It
// knows nothing about JSON, Jupyter or jupytext, and never touches the
// disk; writing files is the CLI's job.
package emit
