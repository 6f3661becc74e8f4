package analysis

import (
	"go/ast"
	"sort"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// edit replaces text[start:end] of an item with text; start == end
// inserts.
type edit struct {
	start, end int
	text       string
}

// rewritten returns the item's text with its edits and its version renames
// applied. Edits never add or remove newlines, so the text keeps the
// cell's line structure.
func (it *item) rewritten() string {
	return applyEdits(it.text, append(append([]edit(nil), it.edits...), it.synEdits...))
}

// applyEdits applies edits to text. Of two edits that start at the same
// place, the one listed first wins (an edit of the generated code over a
// version rename of the same name); an insertion there comes first.
func applyEdits(text string, edits []edit) string {
	if len(edits) == 0 {
		return text
	}
	edits = append([]edit(nil), edits...)
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].end-edits[i].start == 0 && edits[j].end-edits[j].start != 0
	})
	var b strings.Builder
	at := 0
	for _, e := range edits {
		if e.start < at {
			continue
		}
		b.WriteString(text[at:e.start])
		b.WriteString(e.text)
		at = e.end
	}
	b.WriteString(text[at:])
	return b.String()
}

// assemble fills the IR's code: package-level declarations, step bodies
// and imports.
func (a *analysis) assemble() {
	for _, it := range a.packageDecls() {
		if it.keyword == "import" {
			continue
		}
		if a.isNotebookTest(it) {
			a.p.Tests = append(a.p.Tests, &ir.Chunk{Pos: a.itemPos(it, 0), Code: it.rewritten()})
			continue
		}
		a.p.Decls = append(a.p.Decls, &ir.Chunk{Pos: a.itemPos(it, 0), Code: it.rewritten()})
	}
	for _, sb := range a.cellSteps {
		items := map[*parser.Cell][]*item{}
		for _, it := range sb.items {
			items[it.cell] = append(items[it.cell], it)
		}
		for _, c := range sb.cells {
			its := items[c]
			pos := a.nb.Pos(c, 1, 1)
			if len(its) > 0 {
				pos = a.itemPos(its[0], 0)
			}
			sb.step.Body = append(sb.step.Body, a.gonbInitChunks(c, pos)...)
			open := false // inside the function literal of an exit (exits.go)
			for _, it := range its {
				if a.flow.ownFunc[it] {
					open = true
					sb.step.Body = append(sb.step.Body, &ir.Chunk{Pos: a.itemPos(it, 0), Code: "func() {"})
				}
				sb.step.Body = append(sb.step.Body, a.stepChunk(it))
			}
			if open {
				sb.step.Body = append(sb.step.Body, &ir.Chunk{Pos: a.itemPos(its[len(its)-1], 0), Code: "}()"})
			}
		}
		sort.Strings(sb.step.Unused)
	}
	imports := map[string]*ir.Import{}
	for _, u := range a.chk.imports {
		if !u.used {
			continue
		}
		imp := &ir.Import{Path: u.path}
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
			imports[path+" "] = &ir.Import{Path: path}
		}
	}
	for _, k := range sortedKeys(imports) {
		imp := imports[k]
		imp.Package = stdNameOf(a, imp.Path)
		if imp.Name == "." {
			imp.Names = exportedNames(a, imp.Path)
		}
		a.p.Imports = append(a.p.Imports, imp)
	}
}

// gonbInitChunks are the calls of the GoNB init functions that a cell of
// a step ran with, made at pos, where the cell starts.
func (a *analysis) gonbInitChunks(c *parser.Cell, pos ir.Pos) []*ir.Chunk {
	if a.gonbInits == nil {
		return nil
	}
	var out []*ir.Chunk
	for _, f := range a.gonbInits.byCell[c] {
		args := ""
		if a.gonbInits.ctx[f] {
			args = "zg_ctx"
		}
		out = append(out, &ir.Chunk{Pos: pos, Code: gonbInitName(f) + "(" + args + ")"})
	}
	return out
}

// stepChunk is a statement of a cell step with the comments around it,
// which emission places before the statement's //line directive. A
// comment holding a tool directive never gets here: analysis refuses it.
func (a *analysis) stepChunk(it *item) *ir.Chunk {
	code := it.rewritten() + strings.TrimRight(it.trail, " \t\n")
	if strings.TrimSpace(it.lead) == "" {
		return &ir.Chunk{Pos: a.itemPos(it, 0), Code: code}
	}
	return &ir.Chunk{Pos: a.itemPos(it, it.leadOff-it.off), Code: it.lead + code}
}

// exportedNames returns the exported names of an imported package.
func exportedNames(a *analysis, path string) []string {
	var names []string
	if p := a.chk.loaded[path]; p != nil && p.Types != nil {
		for _, n := range p.Types.Scope().Names() {
			if ast.IsExported(n) {
				names = append(names, n)
			}
		}
	}
	return names
}

// stdNameOf returns the declared name of an imported package.
func stdNameOf(a *analysis, path string) string {
	if p := a.chk.loaded[path]; p != nil && p.Types != nil {
		return p.Types.Name()
	}
	return stdName(path)
}
