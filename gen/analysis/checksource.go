package analysis

// The check source: the notebook written out as one synthetic Go file for
// go/types, with //line directives and a map from its bytes back to the
// notebook items they came from.

import (
	"errors"
	"fmt"
	"go/ast"
	"go/scanner"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// itemPos returns the notebook position of byte rel inside it.text.
func (a *analysis) itemPos(it *item, rel int) ir.Pos {
	line, col := a.lines[it.cell].position(it.off + rel)
	return a.nb.Pos(it.cell, line, col)
}

// lineDirective is the //line comment that maps the next line to the
// notebook line where it starts.
func (a *analysis) lineDirective(it *item) string {
	return ir.LineDirective(a.nb.Pos(it.cell, it.line, 0)) + "\n"
}

// syntheticSource writes the check file: imports, the package-level
// declarations, then the statements. In the REPL every top-level statement
// opens a block for everything after it, so that Go's shadowing gives the
// kernel's redeclaration semantics; in GoNB each cell's body of main is its
// own function, since only declarations persist between GoNB cells.
func (a *analysis) syntheticSource(decls []*item, imports []*userImport) string {
	var b strings.Builder
	spans := a.chk.spans[:0]
	b.WriteString("package " + checkPackage + "\n\nimport (\n")
	for _, u := range imports {
		u.specStart = b.Len()
		if u.name != "" {
			b.WriteString(u.name + " ")
		}
		b.WriteString(strconv.Quote(u.path))
		u.specEnd = b.Len()
		b.WriteString("\n")
	}
	b.WriteString(")\n\n")
	write := func(it *item) {
		b.WriteString(a.lineDirective(it))
		it.synStart = b.Len()
		text := it.synText()
		it.synLen = len(text)
		b.WriteString(text)
		b.WriteString("\n")
		spans = append(spans, it)
	}
	for _, it := range decls {
		if it.keyword != "import" {
			write(it)
		}
	}
	var stmts []*item
	for _, it := range a.items {
		if it.kind == itemStmt {
			stmts = append(stmts, it)
		}
	}
	a.chk.topStmts = stmts
	// A block opens only before a statement that redeclares a visible
	// name: nesting at every statement would make each identifier lookup
	// walk thousands of scopes.
	open := 0
	var cell *parser.Cell
	visible := map[string]bool{}
	for _, it := range stmts {
		if a.nb.Dialect == parser.DialectGoNB && it.cell != cell {
			b.WriteString(strings.Repeat("}", open))
			if open > 0 {
				b.WriteString("\n")
			}
			cell = it.cell
			fmt.Fprintf(&b, "func zg_cell_%d() {\n", a.cellNumber(cell))
			open = 1
			clear(visible)
		} else if cell == nil {
			cell = it.cell
			b.WriteString("func zg_repl() {\n")
			open = 1
		}
		for _, name := range it.defines {
			if visible[name] {
				b.WriteString("{\n")
				open++
				break
			}
		}
		for _, name := range it.defines {
			visible[name] = true
		}
		write(it)
	}
	b.WriteString(strings.Repeat("}", open))
	b.WriteString("\n")
	a.chk.spans = spans
	return b.String()
}

// locate maps a synthetic offset to its notebook position; ok is false for
// code analysis wrote itself.
func (a *analysis) locate(off int) (ir.Pos, *item, bool) {
	spans := a.chk.spans
	i := sort.Search(len(spans), func(i int) bool { return spans[i].synStart > off }) - 1
	if i >= 0 && off <= spans[i].synStart+spans[i].synLen {
		it := spans[i]
		return a.itemPos(it, it.textOffset(off-it.synStart)), it, true
	}
	for _, u := range a.chk.imports {
		if off >= u.specStart && off <= u.specEnd {
			return u.pos, nil, true
		}
	}
	return ir.Pos{File: a.nb.Path}, nil, false
}

func (a *analysis) offset(p token.Pos) int { return a.chk.fset.PositionFor(p, false).Offset }

// syntaxErrors reports go/parser errors at their notebook positions.
func (a *analysis) syntaxErrors(err error) {
	var list scanner.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			pos, _, _ := a.locate(e.Pos.Offset)
			a.errs.Add(pos, "syntax error: %s", e.Msg)
		}
		return
	}
	a.errs.Add(ir.Pos{File: a.nb.Path}, "syntax error: %s", err)
}

// attachNodes links every item to its AST node in the synthetic file.
func (a *analysis) attachNodes() {
	for _, d := range a.chk.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			continue
		}
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "zg_") {
			a.attachStmts(fd.Body.List)
			continue
		}
		if _, it, ok := a.locate(a.offset(d.Pos())); ok && it != nil {
			it.node = d
		}
	}
}

func (a *analysis) attachStmts(list []ast.Stmt) {
	for _, s := range list {
		if _, it, ok := a.locate(a.offset(s.Pos())); ok && it != nil {
			it.node = s
			continue
		}
		if blk, ok := s.(*ast.BlockStmt); ok {
			a.attachStmts(blk.List)
		}
	}
}
