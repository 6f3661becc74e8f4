// Package ir is the pipeline as plain data: what analysis finds in a
// notebook and everything emission needs to write the generated package —
// steps, ports, parameters, edges, positions, codecs, split modes — and the
// printers of `zengen inspect`.
//
// It owns the shapes and their small pure helpers. It knows nothing of
// go/types, go/packages or jennifer: analysis (package analysis) builds an
// ir.Pipeline and emission (package emit) reads one, and neither imports
// the other.
package ir
