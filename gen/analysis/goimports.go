package analysis

// GoNB runs goimports on the code of every cell before it compiles it, so
// a GoNB notebook may use a package it never imports (constraints.Float
// and no import of golang.org/x/exp/constraints) and may keep an import
// that goimports drops (unused, or misspelt and unused). The standard
// library's packages are added for every dialect (load.go); here the
// others, for GoNB only: gophernotes and lgo ran no goimports, and a
// notebook of theirs that relied on it did not run.
//
// The package goimports itself (golang.org/x/tools/imports) chooses the
// import for each name still undefined after the standard library pass,
// from the module that resolves the notebook's imports and the module
// cache, as GoNB's goimports chose it. zengen then loads the chosen
// package in that module like any import, checks that it exports every
// name the notebook uses, and requires its module in a standalone go.mod
// at the version that load resolved.

import (
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/imports"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// addModuleImports adds the imports goimports finds outside the standard
// library for names the notebook uses as pkg.Name without importing pkg.
// It reports whether it added any; a name goimports resolves to a package
// that does not load, or lacks a name used, is an error at its first use.
func (a *analysis) addModuleImports(errs []types.Error) bool {
	if a.nb.Dialect != parser.DialectGoNB {
		return false
	}
	undefined := map[string]bool{}
	for _, e := range errs {
		if name, ok := strings.CutPrefix(e.Msg, "undefined: "); ok {
			undefined[name] = true
		}
	}
	imported := map[string]bool{}
	for _, u := range a.chk.imports {
		imported[u.localName()] = true
	}
	selectors := map[string][]string{}
	firstUse := map[string]token.Pos{}
	ast.Inspect(a.chk.file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && undefined[x.Name] && !imported[x.Name] && a.chk.info.Uses[x] == nil {
				if !slices.Contains(selectors[x.Name], sel.Sel.Name) {
					selectors[x.Name] = append(selectors[x.Name], sel.Sel.Name)
				}
				if _, ok := firstUse[x.Name]; !ok {
					firstUse[x.Name] = x.Pos()
				}
			}
		}
		return true
	})
	if len(selectors) == 0 {
		return false
	}
	chosen, err := a.goimports(selectors)
	if err != nil {
		a.errs.Add(a.posOf(firstUse[sortedKeys(selectors)[0]]), "cannot resolve the missing imports as goimports would: %v", err)
		return false
	}
	var paths []string
	for _, name := range sortedKeys(chosen) {
		paths = append(paths, chosen[name])
	}
	loaded, ok := a.load(paths)
	if !ok {
		return false
	}
	added := false
	for _, name := range sortedKeys(chosen) {
		path, pos := chosen[name], a.posOf(firstUse[name])
		p := loaded[path]
		if p == nil || len(p.Errors) > 0 || p.Types == nil {
			msg := "not found"
			if p != nil && len(p.Errors) > 0 {
				msg = p.Errors[0].Msg
			}
			problem, hint := importProblem(path, msg, a.pinOf(path), a.inModule)
			a.errs.Add(pos, "%s is not imported, and goimports' choice fails: %s", name, problem).Hint = hint
			continue
		}
		if missing := unexported(p.Types, selectors[name]); missing != "" {
			a.errs.Add(pos, "%s is not imported, and goimports' choice %q has no exported %s", name, path, missing).Hint = "import the package that the notebook means"
			continue
		}
		a.chk.loaded[path] = p
		a.chk.imports = append(a.chk.imports, &userImport{path: path, added: true, pos: pos})
		a.requireModuleOf(path, pos)
		added = true
	}
	return added
}

// goimports asks golang.org/x/tools/imports which package each name
// stands for, given the names used after it. It runs on a file of only
// those uses, placed in the module that resolves the notebook's imports,
// so that goimports ranks that module's requirements first.
func (a *analysis) goimports(selectors map[string][]string) (map[string]string, error) {
	dir, _, cleanup, err := a.loadDir(nil)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	var src strings.Builder
	src.WriteString("package " + checkPackage + "\n\n")
	for _, name := range sortedKeys(selectors) {
		for _, sel := range selectors[name] {
			fmt.Fprintf(&src, "var _ = %s.%s\n", name, sel)
		}
	}
	out, err := imports.Process(filepath.Join(dir, "zen_goimports.go"), []byte(src.String()), &imports.Options{TabIndent: true, TabWidth: 8})
	if err != nil {
		return nil, err
	}
	f, err := goparser.ParseFile(token.NewFileSet(), "", out, goparser.ImportsOnly)
	if err != nil {
		return nil, err
	}
	chosen := map[string]string{}
	for _, spec := range f.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		name := stdName(path)
		if spec.Name != nil {
			name = spec.Name.Name
		}
		if _, ok := selectors[name]; ok && !isStd(path) {
			chosen[name] = path
		}
	}
	return chosen, nil
}

// unexported returns the first of names that pkg does not export, "" if
// it exports them all.
func unexported(pkg *types.Package, names []string) string {
	for _, n := range names {
		if obj := pkg.Scope().Lookup(n); obj == nil || !obj.Exported() {
			return n
		}
	}
	return ""
}

// requireModuleOf makes a standalone go.mod require the module of an
// import that goimports added, at the version the scratch module
// resolved, unless a !go get line requires it already.
func (a *analysis) requireModuleOf(path string, pos ir.Pos) {
	p := a.chk.loaded[path]
	if a.scratchRequires == nil || p.Module == nil || p.Module.Path == "" || p.Module.Version == "" {
		return
	}
	for _, r := range a.p.Requirements {
		if r.Path == p.Module.Path {
			return
		}
	}
	a.p.Requirements = append(a.p.Requirements, &ir.Requirement{Path: p.Module.Path, Version: p.Module.Version, Pos: pos})
	sortBy(a.p.Requirements, func(r *ir.Requirement) string { return r.Path })
	a.requirements = a.p.Requirements
}

// dropBrokenImports removes, in a GoNB notebook, the imports that do not
// load and that no code refers to, as goimports removed them before GoNB
// compiled the cell: a misspelt import the notebook never uses. An import
// for side effects (_) or into the file's scope (.) stays, as goimports
// keeps it.
func (a *analysis) dropBrokenImports(imps []*userImport, file *ast.File) []*userImport {
	if a.nb.Dialect != parser.DialectGoNB {
		return imps
	}
	referred := map[string]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok {
				referred[x.Name] = true
			}
		}
		return true
	})
	var kept []*userImport
	for _, u := range imps {
		p := a.chk.loaded[u.path]
		broken := p == nil || len(p.Errors) > 0
		if broken && u.name != "_" && u.name != "." && !referred[u.localName()] {
			continue
		}
		kept = append(kept, u)
	}
	return kept
}
