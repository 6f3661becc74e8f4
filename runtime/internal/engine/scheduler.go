package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// RunOptions are the flags of the run command that shape scheduling.
type RunOptions struct {
	Parallel  int
	KeepGoing bool
	NoCache   bool
	Only      string // run just this step, on inputs stored under this run's keys
	From      string // re-run this step and its downstream, reuse the rest by key
	Resume    string // a run id: re-run only what did not finish in it
	Args      []string
	// Prog and Flags spell the command line again, for the command that
	// refreshes a stale upstream step of --only.
	Prog  string
	Flags []string
}

// Runner executes one run of a pipeline.
type Runner struct {
	p    *pipeline.Pipeline
	st   *Store
	opts RunOptions
	// observers see the run's events in order; the first is the
	// metadata recorder, rec, which the scheduler also asks for cache
	// hits inside its transaction.
	observers []Observer
	rec       *journal
	params    map[string]string // canonical JSON by param name
	run       meta.Run
	// outside holds what cache keys take from outside the steps' code.
	outside *keyInputs

	byName map[string]*pipeline.Step
	order  map[string]int // position in p.Steps, for deterministic choices

	// diskFull is set once the store's disk was found full: the run stops
	// and the failure is reported once. lost names the steps whose records
	// a failed write lost: such a run cannot count as succeeded.
	diskFull atomic.Bool
	lost     []string

	// osCapture allows swapping os.Stdout around a step running alone. It
	// is cleared for the rest of the run once a step is abandoned, since its
	// goroutine may still touch os.Stdout.
	osCapture atomic.Bool
}

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

// launch is a step the scheduler starts in a goroutine of its own.
type launch struct {
	pl     *planned
	inputs map[string]meta.Artifact
	sr     meta.StepRun // its record, running; the worker completes it
	alone  bool         // nothing else runs: os.Stdout may be captured
}

// NewRunner prepares a run of p recorded in st, shown to observers (the
// terminal, a dashboard) after the metadata recorder.
func NewRunner(p *pipeline.Pipeline, st *Store, opts RunOptions, params map[string]string, observers ...Observer) (*Runner, error) {
	r := &Runner{p: p, st: st, opts: opts, params: params, outside: newKeyInputs(p),
		byName: map[string]*pipeline.Step{}, order: map[string]int{}}
	r.rec = &journal{db: st.Meta, pipeline: p.Name, lost: r.recordLost}
	r.observers = append([]Observer{r.rec}, observers...)
	for i, s := range p.Steps {
		if _, dup := r.byName[s.Name]; dup {
			return nil, fmt.Errorf("pipeline %s: two steps named %s", p.Name, s.Name)
		}
		r.byName[s.Name], r.order[s.Name] = s, i
	}
	for _, s := range p.Steps {
		for _, d := range deps(s) {
			if r.byName[d] == nil {
				return nil, fmt.Errorf("pipeline %s: step %s depends on unknown step %s", p.Name, s.Name, d)
			}
		}
		// A param missing here would silently stay out of the step's cache
		// key, and a changed value would then serve stale results.
		for _, name := range s.Params {
			if _, ok := params[name]; !ok {
				return nil, fmt.Errorf("pipeline %s: step %s uses unknown param %s", p.Name, s.Name, name)
			}
		}
	}
	if r.opts.Parallel < 1 {
		r.opts.Parallel = 1
	}
	return r, nil
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

// execute runs the pipeline and records it; it returns the finished run.
func (r *Runner) Execute(ctx context.Context) (meta.Run, error) {
	plan, prior, err := r.plan(ctx)
	if err != nil {
		return meta.Run{}, err
	}
	codes := map[string]string{}
	for _, s := range r.p.Steps {
		codes[s.Name] = s.CodeHash
	}
	if err := r.st.Meta.EnsurePipeline(ctx, r.p.Name, r.p.Notebook, codes); err != nil {
		return meta.Run{}, fmt.Errorf("store at %s: %w", r.st.Home, artifact.StoreErr(err))
	}
	args, _ := json.Marshal(r.opts.Args)
	if args == nil || string(args) == "null" {
		args = []byte("[]")
	}
	now := time.Now()
	r.run = meta.Run{ID: meta.NewRunID(now), Pipeline: r.p.Name, Params: ParamsJSON(r.params),
		Args: string(args), ResumedFrom: r.opts.Resume, StartedAt: now}
	if err := r.st.Meta.CreateRun(ctx, &r.run); err != nil {
		return meta.Run{}, fmt.Errorf("store at %s: %w", r.st.Home, artifact.StoreErr(err))
	}
	reportRunStart(r.st.Home, r.run.ID)
	r.osCapture.Store(true)
	stopBeat := r.heartbeat()
	status, runErr := r.schedule(ctx, plan, prior)
	stopBeat()
	// The run's own context may be cancelled by now; the record must still
	// be written.
	errText := ""
	if runErr != nil {
		errText = runErr.Error()
	}
	r.run.Status, r.run.Error, r.run.EndedAt = status, errText, time.Now()
	// With the disk full the run's own record cannot be finished either;
	// the next command that opens the store marks it interrupted.
	if err := r.st.Meta.FinishRun(context.WithoutCancel(ctx), r.run.ID, status, errText, r.run.EndedAt); err != nil && !r.diskFull.Load() {
		return r.run, err
	}
	return r.run, nil
}

// heartbeat refreshes the run's heartbeat until the returned func is called.
func (r *Runner) heartbeat() (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(meta.StaleHeartbeat / 8)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				r.st.Meta.Heartbeat(context.Background(), r.run.ID, now)
			}
		}
	}()
	return func() { close(done); <-finished }
}

// schedule runs the planned steps over the DAG with at most opts.Parallel
// at a time and returns the run's status.
func (r *Runner) schedule(ctx context.Context, plan []*planned, prior map[string]*meta.StepRun) (string, error) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	d := newDAGState(plan, prior, r.order)
	results := make(chan Event) // a worker's final event of its step
	running := 0
	stopping := false
	// Records must be written even when the run is being cancelled: the
	// store's calls get a context that is never cancelled.
	dbctx := context.WithoutCancel(ctx)

	// fail settles a step that cannot start, recording it in this turn.
	fail := func(sr meta.StepRun, reason string) {
		sr.Status, sr.Error = meta.StepFailed, reason
		r.emit(dbctx, Event{Kind: Failed, Step: sr.Step, Record: &sr})
		d.settle(sr)
	}

	// Each turn decides what it can without running step code — reuses,
	// cache hits, steps that cannot start — records it together with the
	// start of the steps it launches, commits once, launches, and waits for
	// one step to end.
	r.emit(dbctx, r.planned(plan))
	aloneRunning := false // a step with Step.Alone runs: nothing starts beside it
	for {
		var launches []*launch
		for !stopping && !aloneRunning && running+len(launches) < r.opts.Parallel && len(d.ready) > 0 {
			if ctx.Err() != nil {
				stopping = true
				break
			}
			pl := d.ready[0]
			if pl.step.Alone != "" && running+len(launches) > 0 {
				// It waits for the running steps, even if its key turns
				// out to be cached; nothing overtakes it.
				break
			}
			d.ready = d.ready[1:]
			inputs, err := r.resolveInputs(pl.step, d.produced)
			if err != nil {
				fail(meta.StepRun{RunID: r.run.ID, Pipeline: r.p.Name, Step: pl.step.Name, CodeHash: pl.step.CodeHash}, err.Error())
				continue
			}
			sr, hit := r.prepare(dbctx, pl, inputs)
			if hit {
				r.emit(dbctx, Event{Kind: Cached, Step: sr.Step, Record: &sr})
				d.settle(sr)
				continue
			}
			sr.StartedAt, sr.Attempt = time.Now(), 1
			if err := r.emit(dbctx, Event{Kind: Started, Step: sr.Step, Record: &sr}); err != nil {
				fail(sr, "recording the step start: "+err.Error())
				continue
			}
			// Only a step that runs alone may have os.Stdout swapped:
			// nothing else running, nothing else starting until it ends
			// (no other step ready, or --parallel 1 holding them back).
			alone := running == 0 && len(launches) == 0 && (len(d.ready) == 0 || r.opts.Parallel == 1 || pl.step.Alone != "") && r.osCapture.Load()
			launches = append(launches, &launch{pl: pl, inputs: inputs, sr: sr, alone: alone})
			if pl.step.Alone != "" {
				aloneRunning = true
				break
			}
		}
		if err := r.emit(dbctx, Event{Kind: Turn}); err != nil {
			if r.diskFull.Load() {
				// Nothing more can be recorded: the steps about to start
				// end as cancelled, below.
				stopping = true
			} else {
				for _, l := range launches {
					fail(l.sr, "recording the step start: "+err.Error())
				}
			}
			launches = nil
		}
		for _, l := range launches {
			running++
			go func() {
				results <- r.execStep(runCtx, l)
			}()
		}
		if running == 0 {
			if !stopping && len(d.ready) > 0 {
				continue
			}
			break
		}
		end := <-results
		running--
		if r.byName[end.Step].Alone != "" {
			aloneRunning = false
		}
		if end.Kind == Finished {
			for _, m := range end.Record.Metrics {
				r.emit(dbctx, Event{Kind: Metric, Step: end.Step, Name: m.Name, Value: m.Value})
			}
		}
		r.emit(dbctx, end)
		d.settle(*end.Record)
		if (end.Record.Status == meta.StepFailed && !r.opts.KeepGoing || r.diskFull.Load()) && !stopping {
			stopping = true
			cancel()
		}
		if ctx.Err() != nil {
			stopping = true
		}
	}

	return r.closeRun(ctx, plan, d)
}

// closeRun records whatever never ran — skipped (an upstream step did not
// finish) or cancelled (the run stopped first) — and returns the run's
// status.
func (r *Runner) closeRun(ctx context.Context, plan []*planned, d *dagState) (string, error) {
	dbctx := context.WithoutCancel(ctx)
	cancelled := ctx.Err() != nil
	for _, pl := range plan {
		if _, ok := d.finished[pl.step.Name]; ok {
			continue
		}
		sr := meta.StepRun{RunID: r.run.ID, Pipeline: r.p.Name, Step: pl.step.Name, CodeHash: pl.step.CodeHash}
		if blocker := d.blockedBy(pl.step); blocker != "" {
			sr.Status, sr.Error = meta.StepSkipped, "upstream step "+blocker+" "+d.finished[blocker]
			r.emit(dbctx, Event{Kind: Skipped, Step: sr.Step, Record: &sr})
		} else {
			sr.Status, sr.Error = meta.StepCancelled, "the run stopped before it started"
			r.emit(dbctx, Event{Kind: Cancelled, Step: sr.Step, Record: &sr})
		}
		d.finished[pl.step.Name] = sr.Status
	}
	r.emit(dbctx, Event{Kind: Turn})
	switch {
	case cancelled:
		return meta.RunCancelled, context.Cause(ctx)
	case d.firstErr != nil:
		return meta.RunFailed, d.firstErr
	case len(r.lost) > 0:
		return meta.RunFailed, fmt.Errorf("the records of steps %s could not be written", strings.Join(r.lost, ", "))
	}
	for _, st := range d.finished {
		if st != meta.StepSucceeded && st != meta.StepCached {
			return meta.RunFailed, errors.New("some steps did not finish")
		}
	}
	return meta.RunSucceeded, nil
}

// planned is the event of the run's plan; it names the steps that never
// run beside another only when steps could overlap at all.
func (r *Runner) planned(plan []*planned) Event {
	e := Event{Kind: Planned}
	for _, pl := range plan {
		e.Plan = append(e.Plan, pl.step)
		if pl.step.Alone != "" && r.opts.Parallel > 1 {
			e.Alone = append(e.Alone, pl.step)
		}
	}
	return e
}

// emit hands e to every observer in order and returns the first error.
func (r *Runner) emit(ctx context.Context, e Event) error {
	var first error
	for _, o := range r.observers {
		if err := o.Observe(ctx, e); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func artifactsByName(as []meta.Artifact) map[string]meta.Artifact {
	m := make(map[string]meta.Artifact, len(as))
	for _, a := range as {
		m[a.Name] = a
	}
	return m
}

// resolveInputs finds the artifact behind each input of s.
func (r *Runner) resolveInputs(s *pipeline.Step, produced map[string]map[string]meta.Artifact) (map[string]meta.Artifact, error) {
	inputs := make(map[string]meta.Artifact, len(s.Inputs))
	for _, in := range s.Inputs {
		a, ok := produced[in.From][in.Name]
		if !ok {
			return nil, fmt.Errorf("input %s: step %s recorded no output named %s", in.Name, in.From, in.Name)
		}
		a.FromStep = in.From
		inputs[in.Name] = a
	}
	return inputs, nil
}
