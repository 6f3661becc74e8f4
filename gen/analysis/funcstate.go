package analysis

import (
	"go/ast"
	"go/types"
	"slices"
)

// Function steps share no state but their results.
//
// The //zen:pipeline cell calls its steps in one program, so in the
// notebook a call sees what earlier calls left in package-level variables.
// The pipeline's steps pass on only their results: a cached step does not
// run, so its change of a variable never happens, and steps run side by
// side. A function step whose code (or a function it calls) changes a
// package-level variable that a later function step reads is refused at
// the change; so is a call of a step that may change its argument (a
// slice it sorts) when a later call reads that argument, which the later
// step reads as its producer returned it.

// funcStepSharedState refuses function steps that change a package-level
// variable a later call of the pipeline cell reads.
func (a *analysis) funcStepSharedState() {
	var called []*stepBuild
	for _, sb := range a.funcSteps {
		if sb.callItem != nil && sb.fn != nil {
			called = append(called, sb)
		}
	}
	if len(called) < 2 {
		return
	}
	slices.SortFunc(called, func(x, y *stepBuild) int { return x.callItem.off - y.callItem.off })
	owners := a.declIndex()
	changes := make([][]varChange, len(called))
	reads := make([]map[*types.Var]bool, len(called))
	for i, sb := range called {
		changes[i], reads[i] = a.pkgVarEffects([]*item{sb.fn}, owners)
	}
	changesReadLater(changes, reads, func(i, j int, ch varChange) {
		w, r := called[i].step.Name, called[j].step.Name
		a.errs.Add(a.posOf(ch.node.Pos()), "step %s changes the package-level variable %s%s, which step %s (called at %s) reads: the pipeline passes only results between steps, so when %s is served from the cache (or runs beside %s) %s would not see the change", w, ch.v.Name(), ch.how, r, a.shortPos(called[j].step.Call.Pos), w, r, r).Hint =
			"return the value from " + w + " and pass it to " + r + " as an argument, or keep " + ch.v.Name() + " unchanged after its declaration"
	})
}

// funcStepChangedArgs refuses a step call whose function may change an
// argument (funcchanges.go) that a later call of the pipeline cell reads,
// or a variable sharing memory with it (the results of one call): in the
// notebook the later call sees the change, in the pipeline it reads the
// value as the producing step returned it.
func (a *analysis) funcStepChangedArgs() {
	var called []*stepBuild
	for _, sb := range a.funcSteps {
		if sb.callItem != nil && sb.fn != nil {
			called = append(called, sb)
		}
	}
	slices.SortFunc(called, func(x, y *stepBuild) int { return x.callItem.off - y.callItem.off })
	info := a.chk.info
	group := map[types.Object]types.Object{}
	var find func(o types.Object) types.Object
	find = func(o types.Object) types.Object {
		if g, ok := group[o]; ok && g != o {
			return find(g)
		}
		return o
	}
	union := func(x, y types.Object) { group[find(x)] = find(y) }
	// changedArgs are the arguments each call may change.
	changedArgs := make([][]*ast.Ident, len(called))
	for i, sb := range called {
		call, lhs := pipelineCall(sb.callItem.node)
		if call == nil {
			continue
		}
		fn, _ := info.Uses[call.Fun.(*ast.Ident)].(*types.Func)
		if fn == nil {
			continue
		}
		var results []types.Object
		for _, e := range lhs {
			if id, ok := e.(*ast.Ident); ok && id.Name != "_" && a.mayHoldReferences(id) {
				obj := info.Defs[id]
				if obj == nil {
					obj = info.Uses[id]
				}
				results = append(results, obj)
			}
		}
		for _, r := range results[min(1, len(results)):] {
			union(r, results[0])
		}
		changes, _, _, _, known := a.calleeChanges(fn)
		for k, arg := range call.Args {
			id, ok := arg.(*ast.Ident)
			if !ok || !a.mayHoldReferences(arg) || known && !changes(k) {
				continue
			}
			changedArgs[i] = append(changedArgs[i], id)
		}
	}
	for i, sb := range called {
		for _, id := range changedArgs[i] {
			obj := info.Uses[id]
			for _, later := range called[i+1:] {
				lc, _ := pipelineCall(later.callItem.node)
				read := readInGroup(info, lc, find, find(obj))
				if read == nil {
					continue
				}
				sharing := ""
				if read != obj {
					sharing = ", which shares memory with " + read.Name()
				}
				a.errs.Add(a.posOf(id.Pos()), "step %s may change its argument %s%s, which step %s (called at %s) reads after it: the pipeline gives %s the value %s as %s returned it, without the change", sb.step.Name, id.Name, sharing, later.step.Name, a.shortPos(later.step.Call.Pos), later.step.Name, read.Name(), producerOf(info, called[:i], read)).Hint =
					"return the changed value from " + sb.step.Func + " and pass that to " + later.step.Func + ", or change a copy inside " + sb.step.Func + " (slices.Clone, maps.Clone)"
				break
			}
		}
	}
}

// readInGroup returns a variable of group g that n reads, or nil.
func readInGroup(info *types.Info, n ast.Node, find func(types.Object) types.Object, g types.Object) types.Object {
	var read types.Object
	if n == nil {
		return nil
	}
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && read == nil {
			if obj := info.Uses[id]; obj != nil && find(obj) == g {
				read = obj
			}
		}
		return read == nil
	})
	return read
}

// producerOf names the step whose call binds obj, among called.
func producerOf(info *types.Info, called []*stepBuild, obj types.Object) string {
	for _, sb := range called {
		_, lhs := pipelineCall(sb.callItem.node)
		for _, e := range lhs {
			if id, ok := e.(*ast.Ident); ok && info.Defs[id] == obj {
				return sb.step.Name
			}
		}
	}
	return "its producer"
}
