package analysis

import (
	"go/types"
	"slices"
)

// Steps that touch package-level state.
//
// The notebook ran a step's code with the package-level variables as their
// declarations set them: GoNB ran every cell as a fresh program, and a
// pipeline cell runs its calls once in a fresh kernel. A local run is a
// process of its own, so its steps see the same. A worker runs the steps
// of many runs in one process: a step that reads or changes a
// package-level variable that can change would start its second run from
// what its first left there (an appended slice, a counter, a generator's
// position behind a pointer). Such a step is marked with the variables it
// reaches, and the worker runs it in a process of its own. A variable can
// change when some step's code may change it (also through a copy or a
// call given it, `p := xs; p[0] = 1`, `rng.Intn(6)`), or when it can hold
// a pointer or a reference, whose memory may be shared with what changes;
// a number or a string that no step changes cannot.

// markState sets State on every step whose code, or a function it
// reaches, reads or changes a package-level variable of the notebook that
// can change.
func (a *analysis) markState() {
	owners := a.declIndex()
	steps := a.allSteps()
	touched := make([][]*types.Var, len(steps))
	changed := map[*types.Var]bool{}
	for i, sb := range steps {
		// The GoNB init functions a step calls read as its code does.
		changes, reads := a.pkgVarEffects(append(a.stepRoots(sb), a.gonbInitsOf(sb)...), owners)
		for v := range reads {
			touched[i] = append(touched[i], v)
		}
		for _, c := range changes {
			touched[i] = append(touched[i], c.v)
			changed[c.v] = true
		}
	}
	for i, sb := range steps {
		var names []string
		for _, v := range touched[i] {
			if changed[v] || holdsReferences(v.Type()) || isFuncType(v.Type()) {
				names = append(names, v.Name())
			}
		}
		slices.Sort(names)
		sb.step.State = slices.Compact(names)
	}
}

// isFuncType says whether t is a function, which may be a closure over
// variables of its own.
func isFuncType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}
