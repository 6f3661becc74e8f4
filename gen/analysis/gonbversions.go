package analysis

import (
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"slices"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// GoNB's declarations over time.
//
// GoNB memorises a cell's declarations and compiles all of them, as they
// stand when a cell runs, with that cell's main (goexec's
// Declarations.MergeFrom). A later declaration of a name replaces the
// earlier one from its cell on; the cells run before it ran with the
// earlier one. A `var` whose names share one value, `var a, _, c = f()`,
// is a tuple: declaring any of its names again drops all of them
// (variablesCopyFrom), so `a` is undefined from then on.
//
// The generated package keeps every version some cell ran with: the
// latest under the name the notebook spells, earlier ones renamed (c_1,
// …). A cell's statements use the versions of their cell; a declaration's
// own references use the versions of the last cell that memorised it (the
// final ones for a declaration nothing replaced). A cell that reached a
// declaration whose references had other versions when that cell ran
// would need a second copy of the declaration: that is refused. Methods,
// imports and init keep "last declaration wins".

// gonbEvent is what one declaration or removal does to a name: declares
// a version, drops the name with the tuple it belonged to, or forgets it
// (%rm, %reset); decl is nil for the last two.
type gonbEvent struct {
	index   int   // in a.items
	decl    *item // the version; nil when dropped or forgotten
	by      *item // the declaration that dropped it
	from    *item // the tuple it was dropped with
	removed bool  // forgotten by a removal magic (declmemory.go)
}

// gonbTimeline is every name's events in notebook order.
type gonbTimeline map[string][]gonbEvent

// gonbVersioned reports whether a declaration's names have versions: plain
// funcs, types, consts and ungrouped vars; not init functions (gonbinit.go).
func gonbVersioned(it *item) bool {
	return it.kind == itemDecl && it.keyword != "import" && !it.method && len(it.keys) > 0 &&
		(it.keyword != "func" || it.name != "main") && !gonbInitFunc(it)
}

// isTupleVar reports whether a var declaration gives its names one value,
// which GoNB memorises as one tuple.
func isTupleVar(it *item) bool {
	if it.keyword != "var" || len(it.keys) == 0 {
		return false
	}
	f, err := goparser.ParseFile(token.NewFileSet(), "", "package p\n"+it.text, goparser.SkipObjectResolution)
	if err != nil || len(f.Decls) != 1 {
		return false
	}
	d, ok := f.Decls[0].(*ast.GenDecl)
	if !ok || len(d.Specs) != 1 {
		return false
	}
	s, ok := d.Specs[0].(*ast.ValueSpec)
	return ok && len(s.Values) == 1
}

func (a *analysis) gonbTimeline() gonbTimeline {
	tl := gonbTimeline{}
	live := map[string]*item{}
	tuple := map[*item]bool{}
	// A cell's removals run before its code, so they act at the index of
	// its first item, or of the next cell's when it has none.
	removalsAt := map[int][]parser.Magic{}
	order := map[*parser.Cell]int{}
	for i, c := range a.nb.Cells {
		order[c] = i
	}
	next := 0
	for ci, c := range a.nb.Cells {
		for next < len(a.items) && order[a.items[next].cell] < ci {
			next++
		}
		if c.Kind != parser.Code || a.roles[c] == roleSkip {
			continue
		}
		for _, m := range c.Magics {
			if declarationMagic(m) {
				removalsAt[next] = append(removalsAt[next], m)
			}
		}
	}
	forget := func(i int) {
		for _, m := range removalsAt[i] {
			for _, name := range sortedKeys(live) {
				if live[name] != nil && (m.Name == "reset" || slices.Contains(m.Args, name)) {
					live[name] = nil
					tl[name] = append(tl[name], gonbEvent{index: i, removed: true})
				}
			}
		}
	}
	defer func() { forget(len(a.items)) }()
	for i, it := range a.items {
		forget(i)
		if !gonbVersioned(it) {
			continue
		}
		tuple[it] = isTupleVar(it)
		for _, k := range it.keys {
			old := live[k]
			if old == nil || !tuple[old] {
				continue
			}
			for _, sib := range old.keys {
				if live[sib] == old && !slices.Contains(it.keys, sib) {
					live[sib] = nil
					tl[sib] = append(tl[sib], gonbEvent{index: i, by: it, from: old})
				}
			}
		}
		for _, k := range it.keys {
			live[k] = it
			tl[k] = append(tl[k], gonbEvent{index: i, decl: it})
		}
	}
	return tl
}

// at returns name's last event at or before index; ok is false when the
// notebook had not declared the name yet.
func (tl gonbTimeline) at(name string, index int) (gonbEvent, bool) {
	var last gonbEvent
	found := false
	for _, e := range tl[name] {
		if e.index > index {
			break
		}
		last, found = e, true
	}
	return last, found
}

// latest returns the last version of name, also when it was dropped after.
func (tl gonbTimeline) latest(name string) *item {
	evs := tl[name]
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].decl != nil {
			return evs[i].decl
		}
	}
	return nil
}

// lastLive is the last index at which GoNB still memorised a declaration
// for one of its names: up to the cell before the one that replaced it,
// since GoNB merges a cell's declarations at once.
func (tl gonbTimeline) lastLive(it *item, end int, cellStart func(index int) int) int {
	last := -1
	for _, k := range it.keys {
		evs := tl[k]
		for i, e := range evs {
			if e.decl != it {
				continue
			}
			if i+1 == len(evs) {
				return end
			}
			if n := evs[i+1].index; n > end {
				last = end
			} else {
				last = max(last, cellStart(n)-1)
			}
		}
	}
	return last
}

// gonbUse is a use of a versioned name and the version it stands for.
type gonbUse struct {
	id   *ast.Ident
	name string
	it   *item
	want *item
}

// gonbResolve keeps the versions of redeclared GoNB names that some cell
// ran with and points every use at its version. It returns the check
// file's source and syntax with those renames.
func (a *analysis) gonbResolve(fset *token.FileSet, imports []*userImport) (string, *ast.File, bool) {
	tl := a.gonbTimeline()
	redeclared := false
	for _, evs := range tl {
		redeclared = redeclared || len(evs) > 1
	}
	if !redeclared {
		return "", nil, true
	}
	end := len(a.items) - 1
	// goNames: the latest version of a name keeps it, earlier ones are
	// renamed name_1, name_2, … after their place among the versions.
	goNames := map[*item]map[string]string{}
	var used map[string]bool
	for _, name := range sortedKeys(tl) {
		evs := tl[name]
		latest := tl.latest(name)
		n := 0
		for _, e := range evs {
			if e.decl == nil {
				continue
			}
			n++
			if e.decl == latest {
				continue
			}
			if used == nil {
				used = a.identifiers()
			}
			for k := n; ; k++ {
				if candidate := fmt.Sprintf("%s_%d", name, k); !used[candidate] {
					used[candidate] = true
					if goNames[e.decl] == nil {
						goNames[e.decl] = map[string]string{}
					}
					goNames[e.decl][name] = candidate
					if off, ok := declaredNameAt(e.decl, name); ok {
						e.decl.addSynEdit(edit{off, off + len(name), candidate})
					}
					break
				}
			}
		}
	}
	goName := func(it *item, name string) string {
		if n := goNames[it][name]; n != "" {
			return n
		}
		return name
	}

	// Check with every version, each use resolving to the latest.
	chk := a.chk
	a.gonbKept = nil
	if !a.checkUses(fset, a.syntheticSource(a.packageDecls(), imports)) {
		return "", nil, false
	}
	file := chk.file
	scope := chk.pkg.Scope()

	// point is where a use stands in GoNB's time: a cell's statements at
	// their cell, whose declarations GoNB merged before running it; a
	// declaration at the last cell that memorised it.
	cellStart, cellEnd := map[*parser.Cell]int{}, map[*parser.Cell]int{}
	for i := len(a.items) - 1; i >= 0; i-- {
		cellStart[a.items[i].cell] = i
	}
	for i, it := range a.items {
		cellEnd[it.cell] = i
	}
	startOf := func(index int) int { return cellStart[a.items[index].cell] }
	point := func(it *item) int {
		if gonbVersioned(it) {
			return tl.lastLive(it, end, startOf)
		}
		if it.kind == itemStmt {
			return cellEnd[it.cell]
		}
		return end
	}
	ok := true
	uses := map[*item][]gonbUse{}
	ids := make([]*ast.Ident, 0, len(chk.info.Uses))
	for id := range chk.info.Uses {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(x, y *ast.Ident) int { return int(x.Pos() - y.Pos()) })
	for _, id := range ids {
		obj := chk.info.Uses[id]
		if obj.Parent() != scope || obj.Name() != id.Name || len(tl[id.Name]) == 0 {
			continue
		}
		_, it, found := a.locate(a.offset(id.Pos()))
		if !found || it == nil {
			continue
		}
		e, declared := tl.at(id.Name, point(it))
		want := tl.latest(id.Name) // used before its first declaration: as before
		if declared && e.removed {
			continue // forgottenUses reports it as GoNB did
		}
		if declared {
			want = e.decl
		}
		if declared && e.decl == nil {
			ok = false
			a.errs.Add(a.posOf(id.Pos()), "%s is undefined here: its declaration in cell %d is replaced by the one of cell %d, which declares %s again", id.Name, a.cellNumber(e.from.cell), a.cellNumber(e.by.cell), strings.Join(commonKeys(e.from, e.by), ", ")).Hint =
				"GoNB drops a whole declaration when one of its names is declared again; declare " + id.Name + " on its own"
			continue
		}
		uses[it] = append(uses[it], gonbUse{id: id, name: id.Name, it: it, want: want})
	}
	if !ok {
		return "", nil, false
	}

	// Keep what the statements and the final declarations reach.
	kept := map[*item]bool{}
	var queue []*item
	keep := func(it *item) {
		if !kept[it] {
			kept[it] = true
			queue = append(queue, it)
		}
	}
	for _, it := range a.items {
		if it.kind == itemStmt || !gonbVersioned(it) {
			keep(it)
			continue
		}
		for _, k := range it.keys {
			if tl.latest(k) == it {
				keep(it)
			}
		}
	}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		for _, u := range uses[it] {
			if u.want != nil {
				keep(u.want)
			}
		}
	}

	// A cell that reached a declaration whose references stood for other
	// versions when that cell ran.
	reported := map[string]bool{}
	for _, s := range a.items {
		if s.kind != itemStmt || len(uses[s]) == 0 {
			continue
		}
		at := point(s)
		seen := map[*item]bool{}
		var walk func(d *item)
		walk = func(d *item) {
			if seen[d] {
				return
			}
			seen[d] = true
			for _, u := range uses[d] {
				if e, declared := tl.at(u.name, at); declared && e.decl != nil && u.want != nil && e.decl != u.want {
					key := fmt.Sprint(u.id.Pos(), " ", s.cell.Number)
					if !reported[key] {
						reported[key], ok = true, false
						a.errs.Add(a.posOf(u.id.Pos()), "%s here is the %s of cell %d, but cell %d ran %s with the %s of cell %d: GoNB compiles every declaration again with each cell, and the generated package holds one %s",
							u.name, u.name, a.cellNumber(u.want.cell), a.cellNumber(s.cell), declName(d), u.name, a.cellNumber(e.decl.cell), declName(d)).Hint =
							"declare " + declName(d) + " again in a cell after the last " + u.name + " it should use, so that each version has its own declaration"
					}
				}
				if u.want != nil {
					walk(u.want)
				}
			}
		}
		for _, u := range uses[s] {
			if u.want != nil {
				walk(u.want)
			}
		}
	}
	// An earlier version of a type would lose the methods GoNB gave it.
	for it := range kept {
		if it.keyword != "type" || !gonbVersioned(it) {
			continue
		}
		for _, k := range it.keys {
			if tl.latest(k) == it {
				continue
			}
			for _, m := range a.items {
				if m.method && m.kind == itemDecl && strings.HasPrefix(m.keys[0], k+".") {
					ok = false
					a.errs.Add(a.itemPos(it, it.tokenOffset()), "cells ran with this %s before cell %d declared it again, and GoNB gave both the methods declared for %s (%s at %s); a Go type of the generated package cannot share them", k, a.cellNumber(tl.latest(k).cell), k, m.keys[0], a.shortPos(a.itemPos(m, m.tokenOffset()))).Hint =
						"give the new type another name, or run the cells that use the old one after it"
					break
				}
			}
		}
	}
	if !ok {
		return "", nil, false
	}

	a.gonbKept = kept
	// Offsets are of the file that was checked: edit only once all are known.
	type rename struct {
		it *item
		e  edit
	}
	var renames []rename
	for it, us := range uses {
		if !kept[it] {
			continue
		}
		for _, u := range us {
			if n := goName(u.want, u.name); n != u.name {
				rel := it.textOffset(a.offset(u.id.Pos()) - it.synStart)
				renames = append(renames, rename{it, edit{rel, rel + len(u.name), n}})
			}
		}
	}
	for _, r := range renames {
		r.it.addSynEdit(r.e)
	}
	chk.src = a.syntheticSource(a.packageDecls(), imports)
	var err error
	if file, err = goparser.ParseFile(fset, "zen_check.go", chk.src, goparser.SkipObjectResolution); err != nil {
		a.syntaxErrors(err)
		return "", nil, false
	}
	return chk.src, file, true
}

// declName names a declaration in messages.
func declName(it *item) string {
	if len(it.keys) > 0 {
		return strings.Join(it.keys, ", ")
	}
	return it.keyword
}
