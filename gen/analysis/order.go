package analysis

import (
	"container/heap"
	"fmt"
	"sort"
	"strings"

	"github.com/zengen-dev/zengen/gen/ir"
)

// orderSteps adds the //zen:after edges, sorts the steps topologically
// (ties in the order the notebook runs them) and reports cycles.
func (a *analysis) orderSteps() {
	all := a.allSteps()
	sort.SliceStable(all, func(i, j int) bool { return runsAt(all[i]).Less(runsAt(all[j])) })
	byName := map[string]*stepBuild{}
	for i, sb := range all {
		sb.order = i
		if byName[sb.step.Name] == nil {
			byName[sb.step.Name] = sb
		}
	}
	for _, sb := range all {
		for _, np := range sb.afterPos {
			if byName[np.name] == nil {
				a.errs.Add(np.pos, "step %s runs after unknown step %s", sb.step.Name, np.name).Hint =
					"the steps are " + stepList(all)
				continue
			}
			if np.name == sb.step.Name {
				a.errs.Add(np.pos, "step %s cannot run after itself", sb.step.Name)
				continue
			}
			sb.step.After = appendUnique(sb.step.After, np.name)
			a.p.Edges = append(a.p.Edges, &ir.Edge{From: np.name, To: sb.step.Name,
				Why: fmt.Sprintf("%s runs after %s (//zen:after at %s)", sb.step.Name, np.name, a.shortPos(np.pos))})
		}
	}
	if len(byName) != len(all) {
		// Duplicate names are reported by checkNames; keep notebook order.
		for _, sb := range all {
			a.p.Steps = append(a.p.Steps, sb.step)
		}
		return
	}
	// One edge per (producer, consumer, variable).
	seen := map[string]bool{}
	edges := a.p.Edges[:0]
	for _, e := range a.p.Edges {
		key := e.From + "\x00" + e.To + "\x00" + e.Var
		if !seen[key] {
			seen[key] = true
			edges = append(edges, e)
		}
	}
	a.p.Edges = edges

	// Kahn's algorithm; among the steps that are ready, the one the
	// notebook runs first goes next (a heap keeps that linear-logarithmic
	// for notebooks of thousands of steps).
	indegree := make([]int, len(all))
	next := make([][]int, len(all))
	for _, e := range edges {
		from, to := byName[e.From], byName[e.To]
		if from == nil || to == nil || from == to {
			continue
		}
		indegree[to.order]++
		next[from.order] = append(next[from.order], to.order)
	}
	ready := &intHeap{}
	for i, d := range indegree {
		if d == 0 {
			heap.Push(ready, i)
		}
	}
	done := make([]bool, len(all))
	var order []*stepBuild
	for ready.Len() > 0 {
		i := heap.Pop(ready).(int)
		done[i] = true
		order = append(order, all[i])
		for _, n := range next[i] {
			if indegree[n]--; indegree[n] == 0 {
				heap.Push(ready, n)
			}
		}
	}
	if len(order) < len(all) {
		var names []string
		var first *stepBuild
		for i, sb := range all {
			if !done[i] {
				names = append(names, sb.step.Name)
				if first == nil {
					first = sb
				}
			}
		}
		a.errs.Add(first.step.Pos, "steps form a cycle: %s", strings.Join(names, ", ")).Hint =
			"check the //zen:after markers of these steps"
	}
	// Edges are listed in the order their steps run; steps a cycle left
	// out keep their notebook order behind the others.
	for i, sb := range order {
		a.p.Steps = append(a.p.Steps, sb.step)
		sb.order = i - len(all)
	}
	sort.SliceStable(a.p.Edges, func(i, j int) bool {
		ei, ej := a.p.Edges[i], a.p.Edges[j]
		if ei.From != ej.From {
			return byName[ei.From].order < byName[ej.From].order
		}
		if ei.To != ej.To {
			return byName[ei.To].order < byName[ej.To].order
		}
		return ei.Var < ej.Var
	})
}

// runsAt is where the notebook runs a step: a cell step where its cells
// are, a function step where the pipeline cell calls it (not where its
// function is declared), so that independent steps keep the kernel's order.
func runsAt(sb *stepBuild) ir.Pos {
	if sb.step.Call != nil {
		return sb.step.Call.Pos
	}
	return sb.step.Pos
}

// stepList names the steps for a hint, in the order the notebook runs them.
func stepList(steps []*stepBuild) string {
	names := make([]string, 0, len(steps))
	for _, sb := range steps {
		names = append(names, sb.step.Name)
	}
	return strings.Join(names, ", ")
}

// intHeap is a min-heap of step indexes in notebook order.
type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
