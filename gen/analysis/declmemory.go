package analysis

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// GoNB's memory of declarations.
//
// GoNB keeps every declaration a cell makes and compiles it again with
// each later cell; `%rm NAME…` (or `%remove`) forgets the named ones and
// `%reset` all of them (`%reset go.mod` only the module file). A cell's
// magics run before its code, so a cell sees what the cells above it
// declared, less what a removal above it or in it forgot, plus its own
// declarations. The generated package declares everything once, so a
// cell that used a forgotten name would compile there although it failed
// in the kernel: that is reported as the kernel reported it, undefined.

// forgetting is what the removal magics of one cell forget.
type forgetting struct {
	all   bool            // %reset
	names map[string]bool // %rm NAME…
	magic parser.Magic    // the last removal of the cell, for the message
}

func (f *forgetting) forgets(name string) bool { return f != nil && (f.all || f.names[name]) }

// declarationMagic reports whether m changes GoNB's memory of declarations.
func declarationMagic(m parser.Magic) bool {
	if m.Kind != parser.MagicOther || cellMagic(m) {
		return false
	}
	switch m.Name {
	case "rm", "remove":
		return len(m.Args) > 0
	case "reset":
		return !slices.Contains(m.Args, "go.mod")
	}
	return false
}

// forgottenUses reports uses of names that GoNB had forgotten in the cell
// of the use. It reports false when there is one.
func (a *analysis) forgottenUses() bool {
	if a.nb.Dialect != parser.DialectGoNB {
		return true
	}
	removals := map[int]*forgetting{} // by index in nb.Cells
	first := -1
	for i, c := range a.nb.Cells {
		if c.Kind != parser.Code || a.roles[c] == roleSkip {
			continue
		}
		for _, m := range c.Magics {
			if !declarationMagic(m) {
				continue
			}
			f := removals[i]
			if f == nil {
				f = &forgetting{names: map[string]bool{}}
				removals[i] = f
			}
			f.all = f.all || m.Name == "reset"
			for _, n := range m.Args {
				f.names[n] = true
			}
			f.magic = m
			if first < 0 {
				first = i
			}
		}
	}
	if first < 0 {
		return true
	}
	index := map[*parser.Cell]int{}
	for i, c := range a.nb.Cells {
		index[c] = i
	}
	declared := map[string]map[int]bool{} // name → cells that declare it
	for _, it := range a.items {
		for _, k := range it.keys {
			if declared[k] == nil {
				declared[k] = map[int]bool{}
			}
			declared[k][index[it.cell]] = true
		}
	}
	// forgottenBy is the removal that hides name from cell u, or nil.
	forgottenBy := func(name string, u int) *forgetting {
		for j := u; j >= first; j-- {
			if declared[name][j] {
				return nil
			}
			if f := removals[j]; f.forgets(name) {
				return f
			}
		}
		return nil
	}
	ok := true
	reported := map[string]bool{}
	scope := a.chk.pkg.Scope()
	for _, it := range a.items {
		u := index[it.cell]
		if u < first || it.node == nil {
			continue
		}
		ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
			id, isIdent := n.(*ast.Ident)
			if !isIdent {
				return true
			}
			obj := a.chk.info.Uses[id]
			if obj == nil || obj.Parent() != scope {
				return true
			}
			if _, isPkg := obj.(*types.PkgName); isPkg {
				return true // imports are found again by goimports
			}
			f := forgottenBy(obj.Name(), u)
			key := obj.Name() + " " + a.nb.Pos(it.cell, 0, 0).String()
			if f == nil || reported[key] {
				return true
			}
			reported[key], ok = true, false
			a.errs.Add(a.posOf(id.Pos()), "undefined: %s (`%s` at %s forgot it)", obj.Name(), strings.TrimSpace(f.magic.Text), a.shortPos(f.magic.Pos)).Hint =
				"GoNB no longer had " + obj.Name() + " when this cell ran, so the cell failed in the kernel; declare it again above this cell, or drop the removal"
			return true
		})
	}
	return ok
}
