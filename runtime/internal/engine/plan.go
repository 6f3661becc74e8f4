package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// planned is what the runner does with one step. Whether it runs or is
// reused is decided when its inputs are known, by the key this run
// computes for it: nothing else makes a result reusable.
type planned struct {
	step  *pipeline.Step
	force bool   // run even when the cache has it (--from)
	note  string // why it was forced
	// resumed is the step's record in the run that --resume continues, if
	// it finished there: reused when its key is the key of this run.
	resumed *meta.StepRun
}

// deps lists the steps s waits for: producers of its inputs and its After
// edges, without duplicates.
func deps(s *pipeline.Step) []string {
	seen := map[string]bool{}
	var out []string
	for _, in := range s.Inputs {
		if !seen[in.From] {
			seen[in.From] = true
			out = append(out, in.From)
		}
	}
	for _, a := range s.After {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// downstream returns name and every step that depends on it, transitively.
func (r *Runner) downstream(name string) map[string]bool {
	down := map[string]bool{name: true}
	for changed := true; changed; {
		changed = false
		for _, s := range r.p.Steps {
			if down[s.Name] {
				continue
			}
			for _, d := range deps(s) {
				if down[d] {
					down[s.Name], changed = true, true
					break
				}
			}
		}
	}
	return down
}

// plan lists the steps of the run, with what --from and --resume add to
// each. Steps absent from the plan (those --only leaves out) are not part
// of the run; their outputs, when needed, come from prior.
func (r *Runner) plan(ctx context.Context) (plan []*planned, prior map[string]*meta.StepRun, err error) {
	switch {
	case r.opts.Only != "":
		s := r.byName[r.opts.Only]
		if s == nil {
			return nil, nil, fmt.Errorf("--only %s: no such step (steps: %s)", r.opts.Only, r.stepNames())
		}
		prior, err := r.onlyInputs(ctx, s)
		if err != nil {
			return nil, nil, err
		}
		return []*planned{{step: s}}, prior, nil

	case r.opts.From != "":
		if r.byName[r.opts.From] == nil {
			return nil, nil, fmt.Errorf("--from %s: no such step (steps: %s)", r.opts.From, r.stepNames())
		}
		down := r.downstream(r.opts.From)
		for _, s := range r.p.Steps {
			pl := &planned{step: s}
			if down[s.Name] {
				pl.force, pl.note = true, "re-run by --from "+r.opts.From
			}
			plan = append(plan, pl)
		}
		return plan, nil, nil

	case r.opts.Resume != "":
		steps, err := r.st.Meta.StepRuns(ctx, r.opts.Resume)
		if err != nil {
			return nil, nil, err
		}
		done := map[string]*meta.StepRun{}
		for i := range steps {
			if sr := &steps[i]; sr.Status == meta.StepSucceeded || sr.Status == meta.StepCached {
				done[sr.Step] = sr
			}
		}
		for _, s := range r.p.Steps {
			plan = append(plan, &planned{step: s, resumed: done[s.Name]})
		}
		return plan, nil, nil
	}
	for _, s := range r.p.Steps {
		plan = append(plan, &planned{step: s})
	}
	return plan, nil, nil
}

// onlyInputs finds, for --only s, a stored result of every step that s
// reads from, directly or through their own inputs, under the key this run
// computes for it: exactly what a full run with these params would reuse.
// A step without one refuses the run, saying what changed and which
// command refreshes it.
func (r *Runner) onlyInputs(ctx context.Context, s *pipeline.Step) (map[string]*meta.StepRun, error) {
	need := map[string]bool{}
	var mark func(*pipeline.Step)
	mark = func(x *pipeline.Step) {
		for _, in := range x.Inputs {
			if !need[in.From] {
				need[in.From] = true
				mark(r.byName[in.From])
			}
		}
	}
	mark(s)
	prior := map[string]*meta.StepRun{}
	produced := map[string]map[string]meta.Artifact{}
	for _, u := range r.p.Steps { // topological: producers come first
		if !need[u.Name] {
			continue
		}
		inputs, err := r.resolveInputs(u, produced)
		if err != nil {
			return nil, fmt.Errorf("--only %s: step %s: %w", s.Name, u.Name, err)
		}
		comps := r.components(u, inputs)
		key := comps.key()
		hit, err := r.st.Meta.CacheHit(ctx, r.p.Name, u.Name, key)
		if err != nil {
			return nil, err
		}
		unusable := ""
		if hit != nil {
			unusable = r.unusable(ctx, u, hit)
		}
		if hit == nil || unusable != "" {
			return nil, r.staleUpstream(ctx, s, u, comps, unusable)
		}
		prior[u.Name] = hit
		produced[u.Name] = artifactsByName(hit.Outputs)
	}
	return prior, nil
}

// staleUpstream is the refusal of --only s when upstream step u has no
// usable result under the key this run computes for it.
func (r *Runner) staleUpstream(ctx context.Context, s, u *pipeline.Step, comps Components, unusable string) error {
	role := "upstream step " + u.Name
	for _, in := range s.Inputs {
		if in.From == u.Name {
			role = fmt.Sprintf("step %s, which produces input %s,", u.Name, in.Name)
			break
		}
	}
	why := unusable
	if why == "" {
		last, err := r.st.Meta.LatestSuccess(ctx, r.p.Name, u.Name)
		if err != nil {
			return err
		}
		why = "it has no successful run"
		if last != nil {
			why = "no run stored a result under its key"
			if old, err := DecodeComponents(last.Components); err == nil {
				if ch := comps.Changes(old); len(ch) > 0 {
					why = fmt.Sprintf("since its run %s, %s", last.RunID, strings.Join(ch, "; "))
				}
			}
		}
	}
	refresh := append([]string{r.opts.Prog, "run", "--only", u.Name}, r.opts.Flags...)
	return fmt.Errorf("--only %s: %s has no stored result for the params and code of this run: %s\n\trefresh it with: %s",
		s.Name, role, why, strings.Join(refresh, " "))
}

func (r *Runner) stepNames() string {
	var ns []string
	for _, s := range r.p.Steps {
		ns = append(ns, s.Name)
	}
	return strings.Join(ns, ", ")
}
