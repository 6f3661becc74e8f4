package analysis

import (
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/scanner"
	"go/token"
	"sort"
	"strings"

	"github.com/zengen-dev/zengen/parser"
)

// REPL redeclarations of package-level names.
//
// gophernotes and lgo compile a cell when it runs. A func, type or const
// declared again in a later cell is a new declaration: the cells from then
// on use it, while code compiled before (earlier cells, and declarations
// that call the old version) keeps the version it was compiled with. The
// generated package holds every version under a name of its own (f, f_2,
// …, as REPL variables are renamed), and each use names the version that
// was the latest where the use stands in the notebook.
//
// A method declared again for the same type cannot be represented: a Go
// type has one method set, yet earlier cells ran with the old method and
// later ones with the new. That is an error at the second declaration,
// unless the type itself was declared again in between (the new method
// then belongs to the new type).
//
// GoNB is different: it compiles every declaration again for each cell, so
// there the last declaration replaces the earlier ones everywhere
// (packageDecls).

// declVersion is one declaration of a REPL name declared more than once.
type declVersion struct {
	item   *item
	index  int    // of item in a.items
	goName string // the name in generated code: "f", then "f_2", …
}

// versionDecls gives every later declaration of a redeclared func, type or
// const its own name in the check file and reports methods declared twice.
// It returns the versions of each redeclared name, in notebook order; nil
// when the notebook redeclares nothing.
func (a *analysis) versionDecls(decls []*item) map[string][]declVersion {
	if a.nb.Dialect != parser.DialectREPL {
		return nil
	}
	index := a.itemIndex()
	all := map[string][]declVersion{}
	var methods []*item
	for _, it := range decls {
		if it.method {
			methods = append(methods, it)
			continue
		}
		for _, k := range it.keys {
			if k != "init" {
				all[k] = append(all[k], declVersion{item: it, index: index[it], goName: k})
			}
		}
	}
	versions := map[string][]declVersion{}
	var used map[string]bool
	for _, name := range sortedKeys(all) {
		vs := all[name]
		if len(vs) < 2 {
			continue
		}
		if used == nil {
			used = a.identifiers()
		}
		for i := 1; i < len(vs); i++ {
			for n := i + 1; ; n++ {
				if candidate := fmt.Sprintf("%s_%d", name, n); !used[candidate] {
					vs[i].goName, used[candidate] = candidate, true
					break
				}
			}
			if off, ok := declaredNameAt(vs[i].item, name); ok {
				vs[i].item.addSynEdit(edit{off, off + len(name), vs[i].goName})
			}
		}
		versions[name] = vs
	}
	a.methodRedeclarations(methods, all, index)
	return versions
}

// methodRedeclarations reports a method declared again for a type that was
// not declared again in between.
func (a *analysis) methodRedeclarations(methods []*item, decls map[string][]declVersion, index map[*item]int) {
	first := map[string]*item{}
	for _, it := range methods {
		k := it.keys[0]
		prev := first[k]
		first[k] = it
		if prev == nil {
			continue
		}
		typ, _, _ := strings.Cut(k, ".")
		redeclared := false
		for _, v := range decls[typ] {
			redeclared = redeclared || v.index > index[prev] && v.index < index[it]
		}
		if redeclared {
			continue
		}
		e := a.errs.Add(a.itemPos(it, it.tokenOffset()), "method %s is declared again (first in cell %d): earlier cells ran with the first and later ones with this one, but a Go type has only one method set", k, a.cellNumber(prev.cell))
		e.Hint = "give the new method another name, or declare " + typ + " again in this cell so that the method belongs to a new type"
	}
}

// resolveVersions points every use of a redeclared name at the version
// that was the latest where the use stands: uses resolve to the first
// version in a check of the file with only the declarations renamed. It
// reports whether it renamed a use.
func (a *analysis) resolveVersions(versions map[string][]declVersion) bool {
	index := a.itemIndex()
	scope := a.chk.pkg.Scope()
	type rename struct {
		it *item
		e  edit
	}
	var renames []rename
	for id, obj := range a.chk.info.Uses {
		vs := versions[id.Name]
		// Only the first version has its own name in the package scope
		// until this pass renames the uses.
		if vs == nil || obj != scope.Lookup(id.Name) {
			continue
		}
		off := a.offset(id.Pos())
		_, it, ok := a.locate(off)
		if !ok || it == nil {
			continue
		}
		at, goName := index[it], vs[0].goName
		for _, v := range vs {
			if v.index <= at {
				goName = v.goName
			}
		}
		if goName == id.Name {
			continue
		}
		rel := it.textOffset(off - it.synStart)
		renames = append(renames, rename{it, edit{rel, rel + len(id.Name), goName}})
	}
	// Offsets above are of the file that was checked: edit only now.
	for _, r := range renames {
		r.it.addSynEdit(r.e)
	}
	return len(renames) > 0
}

// itemIndex maps each item to its place in notebook order.
func (a *analysis) itemIndex() map[*item]int {
	index := make(map[*item]int, len(a.items))
	for i, it := range a.items {
		index[it] = i
	}
	return index
}

// identifiers returns every identifier the notebook's code spells, so that
// a version's name never clashes with one of them.
func (a *analysis) identifiers() map[string]bool {
	used := map[string]bool{}
	for _, it := range a.items {
		var s scanner.Scanner
		fset := token.NewFileSet()
		s.Init(fset.AddFile("", -1, len(it.text)), []byte(it.text), nil, 0)
		for {
			_, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok == token.IDENT {
				used[lit] = true
			}
		}
	}
	return used
}

// declaredNameAt returns the offset in it.text of the name a package-level
// func, type or const declaration declares.
func declaredNameAt(it *item, name string) (int, bool) {
	const prefix = "package p\n"
	fset := token.NewFileSet()
	f, err := goparser.ParseFile(fset, "", prefix+it.text, goparser.SkipObjectResolution)
	if err != nil {
		return 0, false
	}
	var found *ast.Ident
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name == name {
				found = d.Name
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Name.Name == name {
						found = s.Name
					}
				case *ast.ValueSpec:
					for _, id := range s.Names {
						if id.Name == name {
							found = id
						}
					}
				}
			}
		}
	}
	if found == nil {
		return 0, false
	}
	return fset.Position(found.Pos()).Offset - len(prefix), true
}

// tokenOffset is the offset in it.text of the item's first token, after
// its doc comment.
func (it *item) tokenOffset() int {
	li := newLineIndex(it.text)
	return li.lineStart(it.tokenLine - it.line + 1)
}

// addSynEdit records an edit of the check file's copy of the item, kept
// sorted by position.
func (it *item) addSynEdit(e edit) {
	it.synEdits = append(it.synEdits, e)
	sort.SliceStable(it.synEdits, func(i, j int) bool { return it.synEdits[i].start < it.synEdits[j].start })
}

// synText is the item's text as the check file holds it: with the REPL's
// version renames.
func (it *item) synText() string {
	return applyEdits(it.text, it.synEdits)
}

// textOffset maps an offset of synText to the offset of it.text it stands
// for; inside a renamed name, to the same place of the original name.
func (it *item) textOffset(syn int) int {
	delta := 0
	for _, e := range it.synEdits {
		s := e.start + delta
		if syn < s {
			break
		}
		if syn < s+len(e.text) {
			return e.start + min(syn-s, e.end-e.start)
		}
		delta += len(e.text) - (e.end - e.start)
	}
	return syn - delta
}
