package analysis

import (
	"go/ast"
	"go/types"
)

// Step variables that share memory.
//
// In the notebook `ys := xs` leaves two variables over one array, so a
// later `ys[0] = 9` shows in xs. The pipeline stores each step variable
// as an artifact of its own: a later step loads xs and ys as two arrays,
// and a change through one no longer reaches the other. Where two step
// variables come to share memory (a copy, `cfg := config{data: xs}`, a
// call that may keep one in the other), and a later step changes one of
// them while that step or a later one reads the other, the copy is
// refused. Code that only reads both is unaffected.

// sharedFlow is memory of source that target may come to share, at node.
type sharedFlow struct {
	target, source types.Object
	node           ast.Node
}

// itemFlows returns the flows of memory between variables in an item:
// assignments and declarations, ranges and calls.
func (a *analysis) itemFlows(n ast.Node) []sharedFlow {
	info := a.chk.info
	var flows []sharedFlow
	objOf := func(id *ast.Ident) types.Object {
		if obj := info.Uses[id]; obj != nil {
			return obj
		}
		return info.Defs[id]
	}
	flow := func(target ast.Expr, source ast.Expr, at ast.Node) {
		if !a.mayHoldReferences(source) {
			return
		}
		t := rootIdent(target)
		if t == nil {
			return
		}
		for _, s := range a.sharedRoots(source) {
			flows = append(flows, sharedFlow{objOf(t), objOf(s), at})
		}
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					flow(n.Lhs[i], n.Rhs[i], n)
				}
			} else {
				for _, l := range n.Lhs {
					for _, r := range n.Rhs {
						flow(l, r, n)
					}
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if i < len(n.Values) {
					flow(name, n.Values[i], n)
				}
			}
		case *ast.RangeStmt:
			if n.Value != nil {
				if t := info.TypeOf(n.Value); t != nil && holdsReferences(t) {
					flow(n.Value, n.X, n)
				}
			}
		case *ast.CallExpr:
			// A call that may change one argument may keep another's
			// memory in it.
			eff := a.callEffect(n)
			for _, t := range eff.changes {
				for _, s := range append(eff.changes, eff.shares...) {
					if s != t {
						flow(t, s, n)
					}
				}
			}
		}
		return true
	})
	return flows
}

// crossStepSharing refuses a copy that makes two step variables share
// memory when a later step changes one and reads the other after it.
// changed lists, by variable, the item indexes that may change it and
// read those that read it.
func (a *analysis) crossStepSharing(items []*item, itemIndex map[*item]int, changed, read map[*replVar][]int) {
	repl := map[types.Object]*replVar{}
	for v, rv := range a.df.vars {
		repl[v] = rv
	}
	// One error per pair of variables is enough.
	reported := map[[2]*replVar]bool{}
	for _, it := range items {
		flows := a.itemFlows(it.node.(ast.Node))
		// locals are the variables of the item a flow fills, by the
		// memory they may hold.
		locals := map[types.Object][]types.Object{}
		for _, f := range flows {
			if repl[f.target] == nil {
				locals[f.target] = append(locals[f.target], f.source)
			}
		}
		var resolve func(obj types.Object, seen map[types.Object]bool) []*replVar
		resolve = func(obj types.Object, seen map[types.Object]bool) []*replVar {
			if seen[obj] {
				return nil
			}
			seen[obj] = true
			if rv := repl[obj]; rv != nil {
				return []*replVar{rv}
			}
			var out []*replVar
			for _, s := range locals[obj] {
				out = append(out, resolve(s, seen)...)
			}
			return out
		}
		at := itemIndex[it]
		for _, f := range flows {
			for _, v := range resolve(f.target, map[types.Object]bool{}) {
				for _, u := range resolve(f.source, map[types.Object]bool{}) {
					if v == u {
						continue
					}
					for _, pair := range [][2]*replVar{{v, u}, {u, v}} {
						if c, r, ok := a.changedThenRead(it, at, changed[pair[0]], read[pair[1]]); ok && !reported[[2]*replVar{v, u}] && !reported[[2]*replVar{u, v}] {
							reported[[2]*replVar{v, u}] = true
							ci, ri := a.items[c], a.items[r]
							a.errs.Add(a.posOf(f.node.Pos()), "%s and %s share memory from here on, and step %s changes %s (at %s) while step %s reads %s after it (at %s): the pipeline stores each variable apart, so %s would not see the change", v.name, u.name, a.stepOf(ci).step.Name, pair[0].name, a.shortPos(a.itemPos(ci, 0)), a.stepOf(ri).step.Name, pair[1].name, a.shortPos(a.itemPos(ri, 0)), pair[1].name).Hint =
								"copy the value instead of sharing it (slices.Clone, maps.Clone), or change and read both in one step"
						}
					}
				}
			}
		}
	}
}

// changedThenRead finds a change in a step after it's, at an item index
// after at, and a read at or after that change.
func (a *analysis) changedThenRead(it *item, at int, changes, reads []int) (c, r int, ok bool) {
	for _, c := range changes {
		if c <= at || a.stepOf(a.items[c]) == a.stepOf(it) {
			continue
		}
		for _, r := range reads {
			if r >= c {
				return c, r, true
			}
		}
	}
	return 0, 0, false
}
