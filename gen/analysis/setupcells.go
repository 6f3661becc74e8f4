package analysis

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// Setup and exploration cells.
//
// A notebook often starts with a cell of shell lines (`!go work init`,
// `!*go mod edit -replace …`) and kernel magics (`%goworkfix`, `%ls`,
// `%help`), or a `%%bash` cell: they prepare the kernel's environment or
// look around, and hold no Go code for a step to run. Such a cell is left
// out of the pipeline with a note rather than refused; what it says of the
// module (`!go get`) and the environment (`%env`, `%goflags`) still
// counts. A shell line beside Go code stays an error (see magics), since
// that code may depend on what the line did.

// setupMagics are the magics that only set up or look at the kernel's
// environment, by the word after % or %%. Magics that change what the code
// computes (`%cd`, `%args`, `%exec`, `%test`, `%%` and `%main`) are not
// among them.
var setupMagics = map[string]bool{
	"goworkfix": true, "ls": true, "list": true, "help": true, "version": true,
	"track": true, "untrack": true, "autoget": true, "noautoget": true,
	"with_inputs": true, "with_password": true, "widgets": true,
	// cell magics: the cell is a script for another interpreter
	"bash": true, "sh": true, "script": true,
}

// setupCell reports whether a code cell with these items holds only shell
// lines and magics of the kinds above, and returns the lines that the
// pipeline does not run, for the note. GoNB's %rm and %reset, which change
// the declarations later cells see (declmemory.go), are understood rather
// than left out: a cell of them needs no note.
func setupCell(nb *parser.Notebook, c *parser.Cell, items []*item) (leftOut []string, ok bool) {
	if len(items) > 0 || directive(c, "step") != nil || directive(c, "pipeline") != nil || len(c.Magics) == 0 {
		return nil, false
	}
	for _, m := range c.Magics {
		switch {
		case m.Kind == parser.MagicGoGet || m.Kind == parser.MagicEnv || m.Kind == parser.MagicGoFlags:
		case m.Kind == parser.MagicOther && cellMagic(m) && m.Pos != nb.Pos(c, 1, 1):
			// A cell magic below the first line is not one to GoNB: the
			// cell failed in the kernel.
			return nil, false
		case m.Kind == parser.MagicShell, m.Kind == parser.MagicOther && setupMagics[m.Name]:
			leftOut = append(leftOut, strings.TrimSpace(m.Text))
		case nb.Dialect == parser.DialectGoNB && declarationMagic(m):
		case nb.Dialect == parser.DialectGoNB && m.Kind == parser.MagicOther && m.Name == "reset":
			// %reset go.mod: GoNB's module file, which the pipeline does not use.
			leftOut = append(leftOut, strings.TrimSpace(m.Text))
		default:
			return nil, false
		}
	}
	return leftOut, true
}

// cellMagic reports whether m is written as a cell magic, %%NAME.
func cellMagic(m parser.Magic) bool {
	return strings.HasPrefix(strings.TrimPrefix(m.Text, "//gonb:"), "%%")
}

// continuation is a backslash that continues a shell line on the next.
var continuation = regexp.MustCompile(`[ \t]*\\\n[ \t]*`)

// setupNote is the note for a setup cell: which lines it leaves out.
func (a *analysis) setupNote(c *parser.Cell, leftOut []string) *ir.Note {
	shown := make([]string, 0, 2)
	for _, l := range leftOut[:min(2, len(leftOut))] {
		// A line continued with a backslash reads as the one line it is;
		// a cell magic shows its first line.
		l = continuation.ReplaceAllString(l, " ")
		l, _, _ = strings.Cut(l, "\n")
		if r := []rune(l); len(r) > 40 {
			l = string(r[:37]) + "…"
		}
		shown = append(shown, "`"+l+"`")
	}
	what := strings.Join(shown, ", ")
	if len(leftOut) > 2 {
		what += fmt.Sprintf(" and %d more", len(leftOut)-2)
	}
	return &ir.Note{
		Pos:  a.nb.Pos(c, 1, 1),
		Msg:  fmt.Sprintf("left out of the pipeline: the cell holds only shell lines and magics (%s)", what),
		Hint: "such a cell sets up or explores the kernel's environment, which a pipeline step does not do; tag it skip (or add a //zen:skip line) to say so and silence this note",
	}
}

// shellCommentCell reports whether a GoNB cell is a shell script with
// comments: shell lines, and `#` lines where a Go cell would have code (a
// Colab setup cell opens with `#@title …`). There `#` is the shell's
// comment; a `#` line beside Go code stays a syntax error.
func shellCommentCell(nb *parser.Notebook, c *parser.Cell) bool {
	if nb.Dialect != parser.DialectGoNB || !slices.ContainsFunc(c.Magics, func(m parser.Magic) bool { return m.Kind == parser.MagicShell }) {
		return false
	}
	comments := false
	for l := range strings.Lines(c.Code) {
		switch l = strings.TrimSpace(l); {
		case l == "":
		case strings.HasPrefix(l, "#"):
			comments = true
		default:
			return false
		}
	}
	return comments
}
