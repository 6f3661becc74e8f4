package analysis

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
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
	var walked []ast.Node
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
		walked = append(walked, it.node.(ast.Node))
	}
	// One walk of them all: a GoNB cell's statements share its locals.
	a.changedExprs(walked, changed)
	// A variable whose initialiser shares another's memory (`var b = a`,
	// `var cfg = &config{data: a}`) changes with it.
	sharing := a.pkgVarSharing()
	for _, ch := range changes {
		for _, u := range sharing[ch.v] {
			changes = append(changes, varChange{u, ch.node, " (through " + ch.v.Name() + ", whose declaration shares its memory)"})
		}
	}
	sort.SliceStable(changes, func(x, y int) bool { return changes[x].node.Pos() < changes[y].node.Pos() })
	return changes, reads
}

// pkgVarSharing maps each package-level variable to the others that may
// share its memory through their initialisers, directly or in a chain.
func (a *analysis) pkgVarSharing() map[*types.Var][]*types.Var {
	scope := a.chk.pkg.Scope()
	group := map[*types.Var]*types.Var{}
	var find func(v *types.Var) *types.Var
	find = func(v *types.Var) *types.Var {
		if g, ok := group[v]; ok && g != v {
			return find(g)
		}
		return v
	}
	var vars []*types.Var
	for _, it := range a.packageDecls() {
		gd, ok := it.node.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				v, ok := a.chk.info.Defs[name].(*types.Var)
				if !ok || i >= len(vs.Values) || !a.mayHoldReferences(vs.Values[i]) {
					continue
				}
				for _, id := range a.sharedRoots(vs.Values[i]) {
					if u, ok := a.chk.info.Uses[id].(*types.Var); ok && u.Parent() == scope && u != v {
						group[find(v)] = find(u)
						vars = append(vars, v, u)
					}
				}
			}
		}
	}
	out := map[*types.Var][]*types.Var{}
	for _, v := range vars {
		for _, u := range vars {
			if u != v && find(u) == find(v) && !slices.Contains(out[v], u) {
				out[v] = append(out[v], u)
			}
		}
	}
	return out
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

// changesReadLater calls report(i, j, ch) for the first change ch of each
// variable in changes[i] that a later unit j (reads[j]) reads, once per
// changing node, naming the first such reader: one change of a variable
// is enough to report, though a statement may change it twice (`seen =
// append(seen, x)`).
func changesReadLater(changes [][]varChange, reads []map[*types.Var]bool, report func(i, j int, ch varChange)) {
	reported := map[token.Pos]bool{}
	for i, cs := range changes {
		first := map[*types.Var]bool{}
		for _, ch := range cs {
			if first[ch.v] {
				continue
			}
			first[ch.v] = true
			for j := i + 1; j < len(changes) && !reported[ch.node.Pos()]; j++ {
				if reads[j][ch.v] {
					reported[ch.node.Pos()] = true
					report(i, j, ch)
					break
				}
			}
		}
	}
}
