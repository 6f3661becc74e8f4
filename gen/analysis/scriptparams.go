package analysis

import (
	"go/ast"
	goparser "go/parser"
	"go/token"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// Parameters of a script without markers.
//
// A scratch script often opens with its knobs (`slowMs := 250.0`) before
// the first heading, where a notebook would have a cell tagged
// "parameters". When the script has no zengen markers at all and is split
// by its headings, a code cell before the first heading that holds only
// definitions with literal values (and imports or declarations) is read
// as its parameters cell: the knobs become flags instead of a step that
// only defines constants.

// implicitParams makes that cell the parameters cell.
func (a *analysis) implicitParams() {
	if a.nb.Format != parser.FormatPercent || a.paramsCell != nil {
		return
	}
	switch a.cfg.Split {
	case "", ir.SplitAuto, ir.SplitHeadings:
	default:
		return
	}
	if !a.hasHeadings() {
		return
	}
	for _, c := range a.nb.Cells {
		if c.Kind == parser.Code && (directive(c, "step") != nil || directive(c, "pipeline") != nil) {
			return
		}
	}
	for _, c := range a.nb.Cells {
		if c.Kind == parser.Markdown && markdownHeading(c.Source) != "" {
			return
		}
		if c.Kind != parser.Code || a.roles[c] != roleCode {
			continue
		}
		switch literalDefinitions(a.cellItems[c]) {
		case yes:
			a.roles[c], a.paramsCell = roleParams, c
			return
		case no:
			return // code runs before the first heading: a step of its own
		}
	}
}

type answer int

const (
	unknown answer = iota // nothing that decides: only declarations
	yes
	no
)

// literalDefinitions says whether the statements of a cell are all
// definitions with literal values (`x := 250.0`, `var name = "a"`,
// `const n = -3`): yes if there is one and all are, no if one is not.
func literalDefinitions(items []*item) answer {
	found := unknown
	for _, it := range items {
		if it.kind != itemStmt {
			continue
		}
		f, err := goparser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() {\n"+it.text+"\n}", goparser.SkipObjectResolution)
		if err != nil {
			return no
		}
		body := f.Decls[0].(*ast.FuncDecl).Body.List
		if len(body) != 1 || !literalDefinition(body[0]) {
			return no
		}
		found = yes
	}
	return found
}

func literalDefinition(s ast.Stmt) bool {
	var values []ast.Expr
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE || len(s.Lhs) != len(s.Rhs) {
			return false
		}
		values = s.Rhs
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR && gd.Tok != token.CONST {
			return false
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Values) != len(vs.Names) {
				return false
			}
			values = append(values, vs.Values...)
		}
	default:
		return false
	}
	for _, v := range values {
		if !literal(v) {
			return false
		}
	}
	return len(values) > 0
}

// literal reports whether e is a literal: a number, string or rune, signed
// or parenthesised, or true or false.
func literal(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return literal(e.X)
	case *ast.UnaryExpr:
		return (e.Op == token.SUB || e.Op == token.ADD) && literal(e.X)
	case *ast.Ident:
		return e.Name == "true" || e.Name == "false"
	}
	return false
}
