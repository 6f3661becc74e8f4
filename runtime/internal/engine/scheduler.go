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
//
// A remote run's steps carry it (RemotePlan), in every step's Temporal
// input: what is not set is left out.
type RunOptions struct {
	Parallel  int      `json:",omitempty"`
	KeepGoing bool     `json:",omitempty"`
	NoCache   bool     `json:",omitempty"`
	Only      string   `json:",omitempty"` // run just this step, on inputs stored under this run's keys
	From      string   `json:",omitempty"` // re-run this step and its downstream, reuse the rest by key
	Resume    string   `json:",omitempty"` // a run id: re-run only what did not finish in it
	Args      []string `json:",omitempty"`
	// Prog and Flags spell the command line again, for the command that
	// refreshes a stale upstream step of --only.
	Prog  string   `json:",omitempty"`
	Flags []string `json:",omitempty"`
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
	// a failed write lost: such a run cannot count as succeeded; lostErr
	// is the first such write's error.
	diskFull atomic.Bool
	lost     []string
	lostErr  error

	// osCapture allows swapping os.Stdout around a step running alone. It
	// is cleared for the rest of the run once a step is abandoned, since its
	// goroutine may still touch os.Stdout.
	osCapture atomic.Bool
}

// launch is a step the scheduler starts in a goroutine of its own.
type launch struct {
	pl     *planned
	inputs map[string]meta.Artifact
	sr     meta.StepRun // its record, running; the worker completes it
	alone  bool         // nothing else runs: os.Stdout may be captured
	// lost counts the earlier runs of the step's code that ended with
	// their process (a remote worker lost): they count as attempts.
	lost int
	// late, set for a remote step not yet recorded, writes its running
	// record if it runs long enough; sr.ID is then known at its end.
	late *lateStart
}

// NewRunner prepares a run of p recorded in st, shown to observers (the
// terminal, a dashboard) after the metadata recorder.
func NewRunner(p *pipeline.Pipeline, st *Store, opts RunOptions, params map[string]string, observers ...Observer) (*Runner, error) {
	x, err := IndexSteps(p)
	if err != nil {
		return nil, err
	}
	return x.runner(st, opts, params, observers...)
}

// StepIndex is a pipeline's steps, checked and indexed once: what every
// Runner of the pipeline shares, and a remote worker keeps for the many
// single steps it runs (indexing per step cost it O(steps) each).
type StepIndex struct {
	p      *pipeline.Pipeline
	byName map[string]*pipeline.Step
	order  map[string]int // position in p.Steps
	// outside holds what cache keys take from outside the steps' code.
	outside *keyInputs
	// oneAtATime and abandoned tell whether a remote step runs alone in
	// this process (remotealone.go).
	oneAtATime, abandoned atomic.Bool
}

// IndexSteps checks that p's step names are unique and its dependencies
// known, and indexes its steps.
func IndexSteps(p *pipeline.Pipeline) (*StepIndex, error) {
	x := &StepIndex{p: p, outside: newKeyInputs(p), byName: make(map[string]*pipeline.Step, len(p.Steps)), order: make(map[string]int, len(p.Steps))}
	for i, s := range p.Steps {
		if _, dup := x.byName[s.Name]; dup {
			return nil, fmt.Errorf("pipeline %s: two steps named %s", p.Name, s.Name)
		}
		x.byName[s.Name], x.order[s.Name] = s, i
	}
	for _, s := range p.Steps {
		for _, d := range deps(s) {
			if x.byName[d] == nil {
				return nil, fmt.Errorf("pipeline %s: step %s depends on unknown step %s", p.Name, s.Name, d)
			}
		}
	}
	return x, nil
}

// Step returns the step named name, or nil.
func (x *StepIndex) Step(name string) *pipeline.Step { return x.byName[name] }

// runner prepares a run of the indexed pipeline (see NewRunner).
func (x *StepIndex) runner(st *Store, opts RunOptions, params map[string]string, observers ...Observer) (*Runner, error) {
	r := &Runner{p: x.p, st: st, opts: opts, params: params, outside: x.outside, byName: x.byName, order: x.order}
	r.rec = &journal{db: st.Meta, pipeline: x.p.Name, lost: r.recordLost}
	r.observers = append([]Observer{r.rec}, observers...)
	for _, s := range x.p.Steps {
		// A param missing here would silently stay out of the step's cache
		// key, and a changed value would then serve stale results.
		for _, name := range s.Params {
			if _, ok := params[name]; !ok {
				return nil, fmt.Errorf("pipeline %s: step %s uses unknown param %s", x.p.Name, s.Name, name)
			}
		}
	}
	if r.opts.Parallel < 1 {
		r.opts.Parallel = 1
	}
	return r, nil
}

// Execute runs the pipeline and records it; it returns the finished run.
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
	reportRunStart(r.st, r.run.ID)
	r.osCapture.Store(true)
	runCtx, cancelRun := context.WithCancelCause(ctx)
	defer cancelRun(nil)
	stopWatch := r.watch(cancelRun)
	status, runErr := r.schedule(runCtx, plan, prior)
	stopWatch()
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

// watch keeps the run's heartbeat fresh and looks for a cancel request
// (another process's NAME cancel RUN) every CancelPoll, until the returned
// func is called. A request stops the run, with ErrCancelRequested as the
// cause, as Ctrl-C stops it.
func (r *Runner) watch(cancel context.CancelCauseFunc) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(min(CancelPoll, meta.StaleHeartbeat/8))
		defer t.Stop()
		beat, asked := r.run.StartedAt, false
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				if now.Sub(beat) >= meta.StaleHeartbeat/8 {
					r.st.Meta.Heartbeat(context.Background(), r.run.ID, now)
					beat = now
				}
				if !asked {
					asked, _ = r.st.Meta.CancelRequested(context.Background(), r.run.ID)
					if asked {
						cancel(ErrCancelRequested)
					}
				}
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

	var stopped error
	if ctx.Err() != nil {
		stopped = context.Cause(ctx)
	}
	return r.closeRun(context.WithoutCancel(ctx), plan, d, stopped)
}

// notStarted is the error of a step cancelled before it started.
const notStarted = "the run stopped before it started"

// closeRun records whatever never ran — skipped (an upstream step did not
// finish) or cancelled (the run stopped first, for the reason stopped) —
// and returns the run's status.
func (r *Runner) closeRun(dbctx context.Context, plan []*planned, d *dagState, stopped error) (string, error) {
	cancelled := stopped != nil
	for _, pl := range plan {
		if _, ok := d.finished[pl.step.Name]; ok {
			continue
		}
		sr := meta.StepRun{RunID: r.run.ID, Pipeline: r.p.Name, Step: pl.step.Name, CodeHash: pl.step.CodeHash}
		if blocker := d.blockedBy(pl.step); blocker != "" {
			sr.Status, sr.Error = meta.StepSkipped, "upstream step "+blocker+" "+d.finished[blocker]
			r.emit(dbctx, Event{Kind: Skipped, Step: sr.Step, Record: &sr})
		} else {
			sr.Status, sr.Error = meta.StepCancelled, notStarted
			r.emit(dbctx, Event{Kind: Cancelled, Step: sr.Step, Record: &sr})
		}
		d.finished[pl.step.Name] = sr.Status
	}
	r.emit(dbctx, Event{Kind: Turn})
	switch {
	case cancelled:
		return meta.RunCancelled, stopped
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
