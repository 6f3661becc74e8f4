package gen

import (
	"go/ast"
	"go/types"
	"sort"
	"strings"
)

// edit replaces text[start:end] of an item with text; start == end
// inserts.
type edit struct {
	start, end int
	text       string
}

// rewritten returns the item's text with its edits applied. Edits never
// add or remove newlines, so the text keeps the cell's line structure.
func (it *item) rewritten() string {
	if len(it.edits) == 0 {
		return it.text
	}
	edits := append([]edit(nil), it.edits...)
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].end < edits[j].end
	})
	var b strings.Builder
	at := 0
	for _, e := range edits {
		if e.start < at {
			continue
		}
		b.WriteString(it.text[at:e.start])
		b.WriteString(e.text)
		at = e.end
	}
	b.WriteString(it.text[at:])
	return b.String()
}

// printFuncs maps the fmt functions that print to os.Stdout to the ones
// that take a writer.
var printFuncs = map[string]string{"Print": "Fprint", "Printf": "Fprintf", "Println": "Fprintln"}

// rewritePrints sends the printing of cell-step bodies to the step's own
// writer (emission declares zg_out), so that parallel steps' output is
// captured per step.
func (a *analysis) rewritePrints() {
	for _, sb := range a.cellSteps {
		for _, it := range sb.items {
			if it.node == nil {
				continue
			}
			ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				x, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				pkg, ok := a.chk.info.Uses[x].(*types.PkgName)
				if !ok || pkg.Imported().Path() != "fmt" || printFuncs[sel.Sel.Name] == "" {
					return true
				}
				a.editAt(sel.Sel.Pos(), sel.Sel.End(), printFuncs[sel.Sel.Name])
				arg := "zg_out"
				if len(call.Args) > 0 {
					arg += ", "
				}
				a.editAt(call.Lparen+1, call.Lparen+1, arg)
				return true
			})
		}
	}
}

// assemble fills the IR's code: package-level declarations, step bodies
// and imports.
func (a *analysis) assemble() {
	for _, it := range a.packageDecls() {
		if it.keyword == "import" {
			continue
		}
		a.p.Decls = append(a.p.Decls, &Chunk{Pos: a.itemPos(it, 0), Code: it.rewritten()})
	}
	for _, sb := range a.cellSteps {
		for _, it := range sb.items {
			sb.step.Body = append(sb.step.Body, &Chunk{Pos: a.itemPos(it, 0), Code: it.rewritten()})
		}
		sort.Strings(sb.step.Unused)
	}
	imports := map[string]*Import{}
	for _, u := range a.chk.imports {
		if !u.used {
			continue
		}
		imp := &Import{Path: u.path}
		if u.name != "" && u.name != stdNameOf(a, u.path) {
			imp.Name = u.name
		}
		imports[u.path+" "+imp.Name] = imp
	}
	for path := range a.typeImports {
		found := false
		for _, imp := range imports {
			if imp.Path == path && imp.Name == "" {
				found = true
			}
		}
		if !found {
			imports[path+" "] = &Import{Path: path}
		}
	}
	for _, k := range sortedKeys(imports) {
		imp := imports[k]
		imp.Package = stdNameOf(a, imp.Path)
		a.p.Imports = append(a.p.Imports, imp)
	}
}

// stdNameOf returns the declared name of an imported package.
func stdNameOf(a *analysis, path string) string {
	if p := a.chk.loaded[path]; p != nil && p.Types != nil {
		return p.Types.Name()
	}
	return stdName(path)
}
