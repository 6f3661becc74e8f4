package analysis

import (
	"go/token"
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
// the change.

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
	owners := a.pkgVarOwners()
	changes := make([][]varChange, len(called))
	reads := make([]map[*types.Var]bool, len(called))
	for i, sb := range called {
		changes[i], reads[i] = a.pkgVarEffects([]*item{sb.fn}, owners)
	}
	reported := map[token.Pos]bool{}
	for i, cs := range changes {
		// One change of a variable is enough to report: a statement may
		// change it twice (`seen = append(seen, x)`).
		first := map[*types.Var]bool{}
		for _, ch := range cs {
			if first[ch.v] {
				continue
			}
			first[ch.v] = true
			for j := i + 1; j < len(called) && !reported[ch.node.Pos()]; j++ {
				if reads[j][ch.v] {
					reported[ch.node.Pos()] = true
					w, r := called[i].step.Name, called[j].step.Name
					a.errs.Add(a.posOf(ch.node.Pos()), "step %s changes the package-level variable %s%s, which step %s (called at %s) reads: the pipeline passes only results between steps, so when %s is served from the cache (or runs beside %s) %s would not see the change", w, ch.v.Name(), ch.how, r, a.shortPos(called[j].step.Call.Pos), w, r, r).Hint =
						"return the value from " + w + " and pass it to " + r + " as an argument, or keep " + ch.v.Name() + " unchanged after its declaration"
					break
				}
			}
		}
	}
}
