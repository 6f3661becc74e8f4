package emit

import "github.com/dave/jennifer/jen"

// NotebookTestsFile holds the test functions of GoNB's %test cells. The
// hyphen keeps it apart from every pipeline's NAME_zen_test.go, since no
// pipeline name has one.
const NotebookTestsFile = "notebook-tests_zen_test.go"

// notebookTestsFile is NotebookTestsFile: the notebook's Test, Benchmark,
// Fuzz and Example functions, each behind its //line directive, which go
// test runs beside the parity test.
func (e *emitter) notebookTestsFile() *jen.File {
	f := e.newFile(e.pkg)
	for _, c := range e.p.Tests {
		for _, code := range e.chunk(c) {
			f.Add(code)
		}
		f.Line()
	}
	return f
}
