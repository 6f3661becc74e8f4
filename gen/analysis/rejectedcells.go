package analysis

import (
	"regexp"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// Cells the kernel rejected.
//
// A notebook often keeps a cell the kernel refused to compile (a typo, a
// deliberate syntax error to show the message). That cell never ran, so
// none of its declarations existed for the cells after it, and the
// pipeline leaves it out with a note rather than refusing the notebook.
// Both sides must agree: zengen finds a syntax error in the cell (on its
// own that proves nothing, since gomacro accepts more than Go), and the
// recorded outputs carry the kernel's own compile error, which has a
// position into the code it compiled where a runtime error or a panic
// (after which part of the cell had run) does not.

var (
	// gophernotes (gomacro): an error output "repl.go:1:11: expected …".
	gomacroCompileError = regexp.MustCompile(`^repl\.go:\d+:\d+: `)
	// lgo: stderr lines "3:1: expected operand, found '}'".
	lgoCompileError = regexp.MustCompile(`^\d+:\d+: `)
	// GoNB: an error output from parsing its main.go, or a cell magic
	// below the first line, which GoNB refuses before compiling anything.
	gonbCompileError = regexp.MustCompile(`^(?:parsing go files in TempDir |[^\n]*/main\.go:\d+:\d+: |executing special commands in cell: "%%\w+" can only appear at the start of the cell$)`)
)

// kernelRejection returns the kernel's recorded compile error for cell c,
// or "" when the recording does not prove the kernel refused the cell.
func kernelRejection(kernel string, c *parser.Cell) string {
	kernel = strings.ToLower(kernel)
	for _, o := range c.Outputs {
		switch {
		case o.Type == "error" && strings.HasPrefix(kernel, "gophernotes"):
			if gomacroCompileError.MatchString(o.Text) {
				return o.Text
			}
		case o.Type == "error" && strings.HasPrefix(kernel, "gonb"):
			if gonbCompileError.MatchString(o.Text) {
				return o.Text
			}
		case o.Type == "stream" && o.Name == "stderr" && strings.HasPrefix(kernel, "lgo"):
			lines := strings.Split(strings.TrimRight(o.Text, "\n"), "\n")
			all := o.Text != ""
			for _, l := range lines {
				all = all && lgoCompileError.MatchString(l)
			}
			if all {
				return o.Text
			}
		}
	}
	return ""
}

// rejectedCell reports whether cell c, in which zengen found the errors
// errs, is one the kernel refused to compile, and returns its note. A
// shell line or magic in the cell may have run before the kernel compiled
// (GoNB runs them first), so only a cell whose magics are a bare %% or a
// misplaced cell magic qualifies.
func (a *analysis) rejectedCell(c *parser.Cell, errs parser.ErrorList) (*ir.Note, bool) {
	syntax := false
	for _, e := range errs {
		syntax = syntax || strings.HasPrefix(e.Msg, "syntax error: ")
	}
	if !syntax {
		return nil, false
	}
	if !a.kernelCompiledOnly(c) {
		return nil, false
	}
	msg := kernelRejection(a.nb.Kernel, c)
	if msg == "" {
		return nil, false
	}
	return a.rejectionNote(c, msg), true
}
