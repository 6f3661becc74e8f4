package analysis

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// Cells the kernel rejected with a type error.
//
// A cell whose recording holds the kernel's compile error (kernelRejection)
// and in which zengen's type check finds errors never ran either, but a
// type error alone proves less than a syntax error: zengen may see other
// declarations than the kernel had (cells run out of order), and then the
// kernel ran code that zengen refuses. So every error zengen finds in the
// cell must be one the kernel recorded: the same message, and where the
// kernel's position is the cell's (lgo, gophernotes), the same line and
// column. lgo checked with an older go/types, whose wording of a few
// messages differs from today's; those are compared in today's words.

// kernelError is one compile error the kernel recorded for a cell.
type kernelError struct {
	line, col int // in the cell; 0 when the kernel's position is not the cell's
	msg       string
}

var (
	// lgo, one per stderr line; gomacro inside "repl.go:…".
	cellPosError = regexp.MustCompile(`^(?:repl\.go:)?(\d+):(\d+): (.+)$`)
	// GoNB's position is in its main.go, not the cell.
	gonbPosError = regexp.MustCompile(`/main\.go:\d+:\d+: (.+)$`)

	// go/types wording that changed after lgo's.
	oldUndeclared = regexp.MustCompile(`^undeclared name: (\S+)$`)
	oldUnused     = regexp.MustCompile(`^(\S+) declared but not used$`)
	newMismatched = regexp.MustCompile(`^invalid operation: .+ \((mismatched types \S+ and \S+)\)$`)
)

// kernelErrors parses the compile errors of a recording kernelRejection
// accepted.
func kernelErrors(kernel, recorded string) []kernelError {
	var out []kernelError
	gonb := strings.HasPrefix(strings.ToLower(kernel), "gonb")
	for _, l := range strings.Split(recorded, "\n") {
		l = strings.TrimSpace(l)
		if gonb {
			if m := gonbPosError.FindStringSubmatch(l); m != nil {
				out = append(out, kernelError{msg: typesWording(m[1])})
			}
			continue
		}
		if m := cellPosError.FindStringSubmatch(l); m != nil {
			line, _ := strconv.Atoi(m[1])
			col, _ := strconv.Atoi(m[2])
			out = append(out, kernelError{line: line, col: col, msg: typesWording(m[3])})
		}
	}
	return out
}

// typesWording rewrites a go/types message in the wording of today's
// go/types where an older one differs.
func typesWording(msg string) string {
	switch {
	case oldUndeclared.MatchString(msg):
		return oldUndeclared.ReplaceAllString(msg, "undefined: $1")
	case oldUnused.MatchString(msg):
		return oldUnused.ReplaceAllString(msg, "declared and not used: $1")
	case newMismatched.MatchString(msg):
		return newMismatched.ReplaceAllString(msg, "invalid operation: $1")
	}
	return msg
}

// typeRejectedCells returns the cells among errs' positions whose every
// error the kernel recorded as its compile error of that cell, each with
// its note.
func (a *analysis) typeRejectedCells(errs parser.ErrorList) map[int]*ir.Note {
	byCell := map[int][]*parser.Error{}
	for _, e := range errs {
		if e.Pos.Cell > 0 && e.Pos.File == a.nb.Path {
			byCell[e.Pos.Cell] = append(byCell[e.Pos.Cell], e)
		}
	}
	out := map[int]*ir.Note{}
	for _, c := range a.nb.Cells {
		es := byCell[c.Number]
		if c.Kind != parser.Code || len(es) == 0 || a.roles[c] != roleCode || !a.kernelCompiledOnly(c) {
			continue
		}
		recorded := kernelRejection(a.nb.Kernel, c)
		if recorded == "" {
			continue
		}
		kerrs := kernelErrors(a.nb.Kernel, recorded)
		all := true
		for _, e := range es {
			found := false
			for _, k := range kerrs {
				found = found || typesWording(e.Msg) == k.msg && (k.line == 0 || k.line == e.Pos.Line && k.col == e.Pos.Col)
			}
			all = all && found
		}
		if !all {
			continue
		}
		out[c.Number] = a.rejectionNote(c, recorded)
	}
	return out
}

// kernelCompiledOnly reports whether the kernel did nothing with cell c
// before compiling it: a shell line or magic may have run first (GoNB runs
// them before it compiles), so only a bare %% or a misplaced cell magic
// (refused before anything ran) is allowed.
func (a *analysis) kernelCompiledOnly(c *parser.Cell) bool {
	for _, m := range c.Magics {
		switch {
		case m.Kind == parser.MagicMain && len(m.Args) == 0:
		case m.Kind == parser.MagicOther && cellMagic(m) && m.Pos != a.nb.Pos(c, 1, 1):
		default:
			return false
		}
	}
	return true
}

// rejectionNote is the note of a cell left out because the kernel
// recorded that it could not compile it.
func (a *analysis) rejectionNote(c *parser.Cell, recorded string) *ir.Note {
	msg, _, _ := strings.Cut(strings.TrimSpace(recorded), "\n")
	// GoNB's temporary folder says nothing: its main.go is the cell.
	if i := strings.Index(msg, "/main.go:"); i >= 0 {
		msg = msg[i+1:]
	}
	if r := []rune(msg); len(r) > 60 {
		msg = string(r[:57]) + "…"
	}
	return &ir.Note{
		Pos:  a.nb.Pos(c, 1, 1),
		Msg:  fmt.Sprintf("left out of the pipeline: the kernel rejected the cell, so none of it ran (it recorded `%s`)", msg),
		Hint: "a cell the kernel could not compile declared nothing for the cells after it; fix it, or tag it skip (or add a //zen:skip line) to keep it out and silence this note",
	}
}
