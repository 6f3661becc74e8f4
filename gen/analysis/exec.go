package analysis

// GoNB's `%exec FUNC FLAGS…` runs a cell as a program whose main parses
// the flags and calls FUNC(): the cell's step is that call.

import (
	"go/token"

	"github.com/zengen-dev/zengen/parser"
)

// execCall returns the statement `FUNC()` of a GoNB cell's last %exec
// line, placed on that line, or nothing when the cell has none. A cell
// with %exec and a main body is an error: GoNB would run only one of them.
func (c *chunker) execCall(cell *parser.Cell, li lineIndex) []*item {
	if c.nb.Dialect != parser.DialectGoNB {
		return nil
	}
	var last *parser.Magic
	for i := range cell.Magics {
		if cell.Magics[i].Kind == parser.MagicExec {
			last = &cell.Magics[i]
		}
	}
	if last == nil {
		return nil
	}
	switch {
	case len(last.Args) == 0 || !token.IsIdentifier(last.Args[0]):
		c.errs.Add(last.Pos, "`%s` names no function to call", last.Text).Hint = "write %exec FUNC [FLAGS…], as GoNB requires"
		return nil
	case cell.MainLine > 0:
		c.errs.Add(last.Pos, "`%s` in a cell that also has a %%%% line: GoNB runs one main per cell", last.Text)
		return nil
	}
	line := last.Pos.Line // cell-relative in notebooks, a file line in percent scripts
	if last.Pos.Cell == 0 {
		line -= cell.FirstLine - 1
	}
	off := li.lineStart(line)
	return []*item{{cell: cell, kind: itemStmt, text: last.Args[0] + "()", off: off, line: line, col: 1, tokenLine: line, fromMain: true}}
}
