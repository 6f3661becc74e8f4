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
// it, its field or element, an increment, taking its address, a copy
// sharing its memory, or a call that may change it (`sort.Ints(xs)`,
// `shuffle(xs)`, `rng.Intn(6)`; changes.go).
type varChange struct {
	v    *types.Var
	node ast.Node
	// how says how a change that is no assignment was seen, for messages:
	// " (by passing it to shuffle, which may change it)", or "".
	how string
}

// pkgVarEffects returns the changes of package-level variables that roots
// and the package-level functions they reach make, in source order, and
// the variables they read. Initialisers of package-level variables are
// left out: they run once, before any step.
func (a *analysis) pkgVarEffects(roots []*item, owners map[types.Object]*item) ([]varChange, map[*types.Var]bool) {
	info := a.chk.info
	scope := a.chk.pkg.Scope()
	pkgVar := func(obj types.Object) *types.Var {
		if v, ok := obj.(*types.Var); ok && v.Parent() == scope {
			return v
		}
		return nil
	}
	var changes []varChange
	reads := map[*types.Var]bool{}
	seen := map[token.Pos]bool{}
	changed := func(e ast.Expr, at ast.Node, kind changeKind) {
		if id := rootIdent(e); id != nil {
			if v := pkgVar(info.Uses[id]); v != nil && !seen[at.Pos()] {
				seen[at.Pos()] = true
				changes = append(changes, varChange{v, at, a.changeHow(id, at, kind)})
			}
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
			if id, ok := n.(*ast.Ident); ok {
				if v := pkgVar(info.Uses[id]); v != nil {
					reads[v] = true
				}
			}
			return true
		})
		a.changedExprs(it.node.(ast.Node), changed)
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

// changeHow says how a change found at node at was seen, when it is no
// assignment: through a copy, or a call given the variable id.
func (a *analysis) changeHow(id *ast.Ident, at ast.Node, kind changeKind) string {
	switch kind {
	case changeShares:
		return " (through a copy sharing its memory)"
	case changeCalls:
		call := at.(*ast.CallExpr)
		if id.Pos() >= call.Fun.Pos() && id.End() <= call.Fun.End() {
			return " (by calling " + a.source(call.Fun) + ", which may change it)"
		}
		return " (by passing it to " + a.source(call.Fun) + ", which may change it)"
	}
	return ""
}
