package gen

import (
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
