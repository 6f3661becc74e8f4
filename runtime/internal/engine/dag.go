package engine

import (
	"fmt"
	"sort"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// dagState is the scheduler's bookkeeping of one run over the DAG: which
// planned steps are ready, what each finished step produced, and the
// run's first failure. The scheduler's goroutine alone uses it.
type dagState struct {
	order      map[string]int // position in the pipeline, for deterministic choices
	inPlan     map[string]*planned
	waiting    map[string]int      // unfinished deps in the plan
	dependents map[string][]string // step → the planned steps that wait for it
	ready      []*planned          // in pipeline order

	produced map[string]map[string]meta.Artifact // step → output name → artifact
	finished map[string]string                   // step → final status
	firstErr error
}

// newDAGState starts the bookkeeping of plan; prior holds the results of
// the steps outside the plan that it reads (--only).
func newDAGState(plan []*planned, prior map[string]*meta.StepRun, order map[string]int) *dagState {
	d := &dagState{order: order, inPlan: map[string]*planned{}, waiting: map[string]int{}, dependents: map[string][]string{},
		produced: map[string]map[string]meta.Artifact{}, finished: map[string]string{}}
	for _, pl := range plan {
		d.inPlan[pl.step.Name] = pl
	}
	for name, sr := range prior {
		d.produced[name] = artifactsByName(sr.Outputs)
	}
	for _, pl := range plan {
		for _, dep := range deps(pl.step) {
			if d.inPlan[dep] != nil {
				d.waiting[pl.step.Name]++
				d.dependents[dep] = append(d.dependents[dep], pl.step.Name)
			}
		}
	}
	for _, pl := range plan {
		if d.waiting[pl.step.Name] == 0 {
			d.ready = append(d.ready, pl)
		}
	}
	return d
}

// settle takes the outcome of a step and releases its dependents.
func (d *dagState) settle(sr meta.StepRun) {
	d.finished[sr.Step] = sr.Status
	ok := sr.Status == meta.StepSucceeded || sr.Status == meta.StepCached
	if ok {
		d.produced[sr.Step] = artifactsByName(sr.Outputs)
	}
	if sr.Status == meta.StepFailed && d.firstErr == nil {
		where := ""
		if sr.Position != "" {
			where = sr.Position + ": "
		}
		d.firstErr = fmt.Errorf("step %s failed: %s%s", sr.Step, where, FirstLine(sr.Error))
	}
	for _, dep := range d.dependents[sr.Step] {
		if !ok {
			continue // skipped at the end, with the reason
		}
		if d.waiting[dep]--; d.waiting[dep] == 0 {
			d.ready = append(d.ready, d.inPlan[dep])
		}
	}
	sort.SliceStable(d.ready, func(i, j int) bool { return d.order[d.ready[i].step.Name] < d.order[d.ready[j].step.Name] })
}

// blockedBy names a dependency of s that finished without success, if any.
func (d *dagState) blockedBy(s *pipeline.Step) string {
	for _, dep := range deps(s) {
		if st, ok := d.finished[dep]; ok && st != meta.StepSucceeded && st != meta.StepCached {
			return dep
		}
	}
	return ""
}
