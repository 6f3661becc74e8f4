package analysis

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/types/typeutil"
)

// A cell the kernel ran that does not compile against a module's API.
//
// A notebook records no module versions: zengen resolves an import the
// notebook does not pin at the latest version the module proxy serves,
// while the kernel had whatever version was installed when the cell ran.
// When a cell the kernel ran (no error recorded) fails to type-check at a
// call or selector of such a module's package (`not enough arguments in
// call to knn.NewKnnClassifier`), the kernel probably had another version,
// whose API differed. Which one cannot be read from the notebook (no date
// either, in the corpus' Pattern-Recognition), so the error stays, with a
// hint naming the version zengen used and how to pin the kernel's.

// moduleVersionHint explains a type error at a use of an unpinned
// module's package in a cell the kernel ran; "" otherwise.
func (a *analysis) moduleVersionHint(at token.Pos) string {
	if a.inModule {
		return "" // the user's go.mod chose the version
	}
	_, user, ok := a.locate(a.offset(at))
	if !ok || user == nil || !user.cell.Executed {
		return ""
	}
	for _, o := range user.cell.Outputs {
		if o.Type == "error" {
			return ""
		}
	}
	path, _ := astutil.PathEnclosingInterval(a.chk.file, at, at)
	var pkg *types.Package
	for _, n := range path {
		switch n := n.(type) {
		case *ast.CallExpr:
			if f := typeutil.Callee(a.chk.info, n); f != nil {
				pkg = f.Pkg()
			}
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok {
				if pn, ok := a.chk.info.Uses[x].(*types.PkgName); ok {
					pkg = pn.Imported()
				}
			}
		}
		if pkg != nil {
			break
		}
	}
	if pkg == nil || pkg == a.chk.pkg {
		return ""
	}
	p := a.chk.loaded[pkg.Path()]
	if p == nil || p.Module == nil || p.Module.Main || p.Module.Version == "" || a.pinOf(pkg.Path()) != nil {
		return ""
	}
	m := p.Module
	return "zengen resolved " + m.Path + " at " + m.Version + ", the latest the module proxy serves; the kernel ran this cell, so it probably had another version of " +
		m.Path + ", whose API differed: pin the one it had with a cell `!go get " + m.Path + "@VERSION` before this one"
}
