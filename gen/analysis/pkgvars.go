package analysis

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
)

// What code does to package-level variables.
//
// A step's code may change a package-level variable that a later step
// reads. The pipeline cannot pass such a change on: a cached step does not
// run, so its change never happens, and steps may run side by side. The
// checks that refuse it (gonbstate.go, funcstate.go) share this walk.

// varChange is one change of a package-level variable: an assignment to
// it, its field or element, an increment, taking its address, calling a
// pointer method on it or changing it in place (`sort.Ints(xs)`,
// inplace.go).
type varChange struct {
	v    *types.Var
	node ast.Node
}

// pkgVarEffects returns the changes of package-level variables that roots
// and the package-level functions they reach make, in source order, and
// the variables they read. Initialisers of package-level variables are
// left out: they run once, before any step. A change through a pointer
// or reference the variable holds, once copied elsewhere (`p := b; p.n =
// 1`, `shuffle(xs)`), is not seen.
func (a *analysis) pkgVarEffects(roots []*item, owners map[types.Object]*item) ([]varChange, map[*types.Var]bool) {
	info := a.chk.info
	scope := a.chk.pkg.Scope()
	pkgVar := func(obj types.Object) *types.Var {
		if v, ok := obj.(*types.Var); ok && v.Parent() == scope {
			return v
		}
		return nil
	}
	// root is the package-level variable an expression changes, if any.
	root := func(e ast.Expr) *types.Var {
		for {
			switch x := e.(type) {
			case *ast.ParenExpr:
				e = x.X
			case *ast.SelectorExpr:
				if info.Selections[x] == nil {
					return nil // a qualified identifier: another package's
				}
				e = x.X
			case *ast.IndexExpr:
				e = x.X
			case *ast.StarExpr:
				e = x.X
			case *ast.Ident:
				return pkgVar(info.Uses[x])
			default:
				return nil
			}
		}
	}
	var changes []varChange
	reads := map[*types.Var]bool{}
	seen := map[token.Pos]bool{}
	changed := func(e ast.Expr, at ast.Node) {
		if v := root(e); v != nil && !seen[at.Pos()] {
			seen[at.Pos()] = true
			changes = append(changes, varChange{v, at})
		}
	}
	for _, it := range a.reachedItems(roots, owners) {
		if it.node == nil {
			continue
		}
		if _, isFunc := it.node.(*ast.FuncDecl); !isFunc && it.kind != itemStmt {
			continue // an initialiser runs once, before any step
		}
		ast.Inspect(it.node.(ast.Node), func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				if v := pkgVar(info.Uses[n]); v != nil {
					reads[v] = true
				}
			case *ast.AssignStmt:
				if n.Tok != token.DEFINE {
					for _, l := range n.Lhs {
						changed(l, l)
					}
				}
			case *ast.IncDecStmt:
				changed(n.X, n)
			case *ast.RangeStmt:
				if n.Tok == token.ASSIGN {
					if n.Key != nil {
						changed(n.Key, n.Key)
					}
					if n.Value != nil {
						changed(n.Value, n.Value)
					}
				}
			case *ast.CallExpr:
				if arg := a.changedArg(n); arg != nil {
					changed(arg, n)
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					changed(n.X, n)
				}
			case *ast.SelectorExpr:
				if sel := info.Selections[n]; sel != nil && sel.Kind() == types.MethodVal {
					if sig, ok := sel.Obj().Type().(*types.Signature); ok && sig.Recv() != nil {
						_, ptrRecv := types.Unalias(sig.Recv().Type()).(*types.Pointer)
						_, ptrValue := types.Unalias(sel.Recv()).Underlying().(*types.Pointer)
						if ptrRecv && !ptrValue {
							changed(n.X, n)
						}
					}
				}
			}
			return true
		})
	}
	sort.Slice(changes, func(x, y int) bool { return changes[x].node.Pos() < changes[y].node.Pos() })
	return changes, reads
}

// pkgVarOwners maps the package-level objects to their declarations, for
// pkgVarEffects.
func (a *analysis) pkgVarOwners() map[types.Object]*item {
	var decls []*item
	for _, it := range a.packageDecls() {
		if it.node != nil {
			decls = append(decls, it)
		}
	}
	return a.declOwners(decls)
}
