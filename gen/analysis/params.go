package analysis

// The parameters cell: its variables become the pipeline's typed,
// documented flags.

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"go/types"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
)

// findParams turns the parameters cell into typed Params.
func (a *analysis) findParams() {
	c := a.paramsCell
	if c == nil {
		return
	}
	info := a.chk.info
	for _, it := range a.cellItems[c] {
		if it.keyword == "import" {
			continue // imports are the package's, whatever cell holds them
		}
		var names []*ast.Ident
		var values []ast.Expr
		var docs map[string]string
		switch n := it.node.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				a.errs.Add(a.itemPos(it, 0), "the parameters cell holds only definitions with literal defaults")
				continue
			}
			for _, l := range n.Lhs {
				id, _ := l.(*ast.Ident)
				names = append(names, id)
			}
			values = n.Rhs
		case *ast.DeclStmt:
			names, values, _ = valueSpecs(n.Decl)
			docs = specDocs(leadingComments(it) + it.text)
		case *ast.GenDecl:
			if n.Tok == token.IMPORT || n.Tok == token.TYPE {
				continue
			}
			names, values, _ = valueSpecs(n)
			docs = specDocs(leadingComments(it) + it.text)
		case *ast.FuncDecl:
			continue
		default:
			a.errs.Add(a.itemPos(it, 0), "the parameters cell holds only definitions with literal defaults")
			continue
		}
		for i, id := range names {
			if id == nil || id.Name == "_" {
				continue
			}
			obj := info.Defs[id]
			if obj == nil {
				continue
			}
			p := &ir.Param{Name: id.Name, Field: camel(id.Name), Flag: kebab(id.Name), Pos: a.posOf(id.Pos())}
			p.Doc = docs[id.Name]
			p.Type = a.typeString(types.Default(obj.Type()))
			_, isVar := obj.(*types.Var)
			p.Global = isVar && obj.Parent() == a.chk.pkg.Scope()
			// An invalid parameter is still a parameter: reporting the steps
			// that read it would only repeat the problem.
			a.df.params[obj] = p
			switch {
			case len(values) == len(names):
				if tv := info.Types[values[i]]; tv.Value == nil {
					a.errs.Add(a.posOf(values[i].Pos()), "parameter %s needs a literal default, not %s", id.Name, a.source(values[i])).Hint =
						"compute derived values in a step; parameters become command-line flags"
					continue
				}
				p.Default = a.source(values[i])
			case len(values) == 0:
				p.Default = zeroValue(obj.Type())
			default:
				a.errs.Add(a.posOf(id.Pos()), "parameter %s needs a literal default", id.Name)
				continue
			}
			if rv := a.df.vars[asVar(obj)]; rv != nil {
				rv.goName = id.Name
			}
			a.p.Params = append(a.p.Params, p)
		}
	}
}

func asVar(obj types.Object) *types.Var {
	v, _ := obj.(*types.Var)
	return v
}

// valueSpecs lists the names a var or const declaration defines, their
// values (nil unless every name has one) and their documentation: the
// spec's doc comment, else its line comment, which becomes the flag's help.
func valueSpecs(d ast.Decl) (names []*ast.Ident, values []ast.Expr, docs []string) {
	gd, ok := d.(*ast.GenDecl)
	if !ok {
		return nil, nil, nil
	}
	for _, spec := range gd.Specs {
		if vs, ok := spec.(*ast.ValueSpec); ok {
			doc := strings.TrimSpace(vs.Doc.Text())
			if doc == "" {
				doc = strings.TrimSpace(vs.Comment.Text())
			}
			if doc == "" && len(gd.Specs) == 1 {
				doc = strings.TrimSpace(gd.Doc.Text())
			}
			for i, n := range vs.Names {
				names = append(names, n)
				docs = append(docs, strings.Join(strings.Fields(doc), " "))
				if len(vs.Values) == len(vs.Names) {
					values = append(values, vs.Values[i])
				}
			}
		}
	}
	if len(values) != len(names) {
		values = nil
	}
	return names, values, docs
}

// leadingComments returns the // comment lines directly above an item in
// its cell (directives such as //zen:params excluded), which the chunker
// leaves out of statement items, so that a param's doc comment is found.
func leadingComments(it *item) string {
	lines := strings.Split(it.cell.Code, "\n")
	first := it.line - 1
	for first > 0 {
		l := strings.TrimSpace(lines[first-1])
		if !strings.HasPrefix(l, "//") || isDirectiveComment(l) {
			break
		}
		first--
	}
	if first == it.line-1 || strings.HasPrefix(strings.TrimSpace(it.text), "//") {
		return ""
	}
	return strings.Join(lines[first:it.line-1], "\n") + "\n"
}

// isDirectiveComment reports a //word:… comment, like //zen:params or
// //go:generate, which is not documentation.
func isDirectiveComment(l string) bool {
	word, _, ok := strings.Cut(strings.TrimPrefix(l, "//"), ":")
	return ok && word != "" && strings.IndexFunc(word, func(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9') }) < 0
}

// specDocs reads the documentation of a params declaration from its own
// text: the type-checked file is parsed without comments, which keeps
// comments out of code hashes and the parse fast.
func specDocs(text string) map[string]string {
	f, err := goparser.ParseFile(token.NewFileSet(), "", "package p\n"+text, goparser.ParseComments|goparser.SkipObjectResolution)
	if err != nil || len(f.Decls) != 1 {
		return nil
	}
	names, _, docs := valueSpecs(f.Decls[0])
	out := make(map[string]string, len(names))
	for i, n := range names {
		if docs[i] != "" {
			out[n.Name] = docs[i]
		}
	}
	return out
}

func zeroValue(t types.Type) string {
	if b, ok := t.Underlying().(*types.Basic); ok {
		switch {
		case b.Info()&types.IsString != 0:
			return `""`
		case b.Info()&types.IsBoolean != 0:
			return "false"
		}
	}
	return "0"
}
