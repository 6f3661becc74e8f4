package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// A remote orchestrator (runtime/temporal) runs the steps of a run in
// other processes, maybe on other machines. The local scheduler's pieces
// are cut where a remote one needs them: the run is planned and recorded
// where it is submitted (SubmitRun); the order of its steps is kept by a
// RemoteDAG, which is deterministic so that a workflow can replay it; each
// step is prepared, run and recorded by the process that runs it
// (RunRemoteStep), under the same cache key as locally; the run is closed
// by whoever sees it end (CloseRemoteRun). Only records and digests cross
// between them: artifacts stay in the shared store.

// RemotePlan is a submitted run: what every process working on it needs
// besides the pipeline itself, which each has linked.
type RemotePlan struct {
	RunID  string
	Params map[string]string
	Opts   RunOptions
	// Steps are the planned steps, in pipeline order.
	Steps []string `json:",omitempty"`
	// Prior holds, for --only, the stored results of the upstream steps
	// outside the plan: the run that holds each and its outputs.
	Prior map[string]RemoteResult `json:",omitempty"`
}

// RemoteResult is where a step's result is recorded and what it produced
// (digests only: Inline does not travel).
type RemoteResult struct {
	RunID   string
	Outputs []meta.Artifact
}

// SubmitRun plans a run of p and records it as running in st, owned by
// orchestrator (see meta.Run.Orchestrator); observers see its plan.
func SubmitRun(ctx context.Context, p *pipeline.Pipeline, st *Store, opts RunOptions, params map[string]string, orchestrator string, observers ...Observer) (RemotePlan, meta.Run, error) {
	r, err := NewRunner(p, st, opts, params, observers...)
	if err != nil {
		return RemotePlan{}, meta.Run{}, err
	}
	plan, prior, err := r.plan(ctx)
	if err != nil {
		return RemotePlan{}, meta.Run{}, err
	}
	codes := map[string]string{}
	for _, s := range p.Steps {
		codes[s.Name] = s.CodeHash
	}
	if err := st.Meta.EnsurePipeline(ctx, p.Name, p.Notebook, codes); err != nil {
		return RemotePlan{}, meta.Run{}, fmt.Errorf("store at %s: %w", st.Home, artifact.StoreErr(err))
	}
	args, _ := json.Marshal(opts.Args)
	if args == nil || string(args) == "null" {
		args = []byte("[]")
	}
	now := time.Now()
	run := meta.Run{ID: meta.NewRunID(now), Pipeline: p.Name, Params: ParamsJSON(params),
		Args: string(args), ResumedFrom: opts.Resume, StartedAt: now, Orchestrator: orchestrator}
	if err := st.Meta.CreateRun(ctx, &run); err != nil {
		return RemotePlan{}, meta.Run{}, fmt.Errorf("store at %s: %w", st.Home, artifact.StoreErr(err))
	}
	rp := RemotePlan{RunID: run.ID, Params: params, Opts: opts, Prior: map[string]RemoteResult{}}
	for _, pl := range plan {
		rp.Steps = append(rp.Steps, pl.step.Name)
	}
	for name, sr := range prior {
		rp.Prior[name] = RemoteResult{RunID: sr.RunID, Outputs: sr.Outputs}
	}
	r.emit(ctx, r.planned(plan))
	return rp, run, nil
}

// RemoteDAG keeps the order of a remote run's steps: which are ready, and
// what each finished one produced. It reads no clock and no store, and
// decides in pipeline order, so a workflow replaying it decides the same.
type RemoteDAG struct {
	p       *pipeline.Pipeline
	plan    RemotePlan
	byName  map[string]*pipeline.Step
	d       *dagState
	sources map[string]string // step → the run that records its result
	settled []meta.StepRun
}

// NewRemoteDAG starts the bookkeeping of plan.
func NewRemoteDAG(p *pipeline.Pipeline, plan RemotePlan) (*RemoteDAG, error) {
	g := &RemoteDAG{p: p, plan: plan, byName: map[string]*pipeline.Step{}, sources: map[string]string{}}
	order := map[string]int{}
	for i, s := range p.Steps {
		g.byName[s.Name], order[s.Name] = s, i
	}
	var pls []*planned
	for _, name := range plan.Steps {
		s := g.byName[name]
		if s == nil {
			return nil, fmt.Errorf("pipeline %s has no step %s: the run was submitted by another version of it", p.Name, name)
		}
		pls = append(pls, &planned{step: s})
		g.sources[name] = plan.RunID
	}
	prior := map[string]*meta.StepRun{}
	for name, res := range plan.Prior {
		prior[name] = &meta.StepRun{Step: name, RunID: res.RunID, Outputs: res.Outputs}
		g.sources[name] = res.RunID
	}
	g.d = newDAGState(pls, prior, order)
	return g, nil
}

// Ready reports whether a step can start.
func (g *RemoteDAG) Ready() bool { return len(g.d.ready) > 0 }

// PeekAlone reports whether the next ready step must run alone
// (pipeline.Step.Alone): nothing may run beside it.
func (g *RemoteDAG) PeekAlone() bool { return g.d.ready[0].step.Alone != "" }

// Alone reports whether step must run alone.
func (g *RemoteDAG) Alone(step string) bool { return g.byName[step].Alone != "" }

// Next takes the next ready step and returns what its run needs.
func (g *RemoteDAG) Next() RemoteStep {
	pl := g.d.ready[0]
	g.d.ready = g.d.ready[1:]
	rs := RemoteStep{Plan: g.plan, Step: pl.step.Name, Sources: map[string]string{}}
	// A step needs neither the plan's step list nor its prior results:
	// left in, every step's input would grow with the pipeline, and the
	// workflow's history with its square.
	rs.Plan.Prior, rs.Plan.Steps = nil, nil
	inputs := make(map[string]meta.Artifact, len(pl.step.Inputs))
	for _, in := range pl.step.Inputs {
		a, ok := g.d.produced[in.From][in.Name]
		if !ok {
			rs.Refused = fmt.Sprintf("input %s: step %s recorded no output named %s", in.Name, in.From, in.Name)
			break
		}
		a.FromStep, a.Inline = in.From, nil
		inputs[in.Name] = a
		rs.Sources[in.From] = g.sources[in.From]
	}
	rs.Inputs = inputs
	return rs
}

// Settle takes the final record of a step.
func (g *RemoteDAG) Settle(sr meta.StepRun) {
	g.d.settle(sr)
	g.settled = append(g.settled, sr)
}

// Close is what closing the run needs: every settled record, in order.
func (g *RemoteDAG) Close(stopped string) RemoteClose {
	return RemoteClose{Plan: g.plan, Settled: g.settled, Stopped: stopped}
}

// ErrSuperseded, as the cause of a remote step's context's cancellation,
// says that the orchestrator gave the step to another process (this one
// went unheard for too long): the step's end here is not recorded.
var ErrSuperseded = errors.New("the step was handed to another process")

// RemoteStep is one step of a remote run to prepare, run and record.
type RemoteStep struct {
	Plan RemotePlan
	Step string
	// Inputs are the artifacts the step reads, by input name, as the DAG
	// knows them (digests); Sources the run that records each producer's
	// result, where their bytes or blobs are found and checked.
	Inputs  map[string]meta.Artifact `json:",omitempty"`
	Sources map[string]string        `json:",omitempty"`
	// Refused, when set, fails the step without running it.
	Refused string `json:",omitempty"`
	// Lost counts the processes that took this step before and were lost.
	Lost int `json:"-"`
}

// LostStep is the final record of a step whose process was lost, as many
// times as the orchestrator allows, before it recorded an end.
func LostStep(rs RemoteStep, p *pipeline.Pipeline, why string) meta.StepRun {
	sr := meta.StepRun{RunID: rs.Plan.RunID, Pipeline: p.Name, Step: rs.Step, Status: meta.StepFailed, Error: why, EndedAt: time.Now()}
	for _, s := range p.Steps {
		if s.Name == rs.Step {
			sr.CodeHash, sr.Position = s.CodeHash, s.Pos
		}
	}
	return sr
}

// RunRemoteStep prepares, runs and records one step of a remote run in
// this process, and returns its final record (outputs as digests). A step
// whose key the cache has is reused without running its code, as locally.
// Run again for the same step (rs.Lost set) — its process lost after it
// started, or after it ended but before its caller heard — it continues
// the step's record: a finished record is returned as it is, a running
// one is run again under the same row. x is the pipeline's index, which a
// worker keeps.
func RunRemoteStep(ctx context.Context, x *StepIndex, st *Store, rs RemoteStep) (meta.StepRun, error) {
	p := x.p
	r, err := x.runner(st, rs.Plan.Opts, rs.Plan.Params)
	if err != nil {
		return meta.StepRun{}, err
	}
	r.run = meta.Run{ID: rs.Plan.RunID, Pipeline: p.Name}
	s := r.byName[rs.Step]
	if s == nil {
		return meta.StepRun{}, fmt.Errorf("pipeline %s has no step %s: the run was submitted by another version of it", p.Name, rs.Step)
	}
	dbctx := context.WithoutCancel(ctx)
	// Only a step handed out again can have a record: a first attempt
	// reads none, a read every step would pay. Should one exist all the
	// same (a workflow reset to before the step), the record's uniqueness
	// fails this attempt (once its code ran, unless a cache hit stands in
	// for it: Temporal runs an activity at least once), and the next
	// attempt finds the record.
	var rowID int64
	if rs.Lost > 0 {
		switch prev, err := st.Meta.StepRun(ctx, rs.Plan.RunID, rs.Step); {
		case errors.Is(err, meta.ErrNotFound):
		case err != nil:
			return meta.StepRun{}, err
		case prev.Status == meta.StepRunning || prev.Status == meta.StepInterrupted:
			rowID = prev.ID
		default:
			return prev, nil
		}
	}
	base := meta.StepRun{ID: rowID, RunID: rs.Plan.RunID, Pipeline: p.Name, Step: s.Name, CodeHash: s.CodeHash}
	fail := func(why string) (meta.StepRun, error) {
		sr := base
		sr.Status, sr.Error, sr.Position, sr.EndedAt = meta.StepFailed, why, s.Pos, time.Now()
		r.emit(dbctx, Event{Kind: Failed, Step: s.Name, Record: &sr})
		return r.recorded(dbctx, &sr)
	}
	if rs.Refused != "" {
		return fail(rs.Refused)
	}
	inputs, err := r.remoteInputs(ctx, s, rs)
	if err != nil {
		return fail(err.Error())
	}
	pl := &planned{step: s}
	if rs.Plan.Opts.From != "" && r.downstream(rs.Plan.Opts.From)[s.Name] {
		pl.force, pl.note = true, "re-run by --from "+rs.Plan.Opts.From
	}
	if rs.Plan.Opts.Resume != "" {
		prev, err := st.Meta.StepRun(ctx, rs.Plan.Opts.Resume, s.Name)
		if err == nil && (prev.Status == meta.StepSucceeded || prev.Status == meta.StepCached) {
			pl.resumed = &prev
		} else if err != nil && !errors.Is(err, meta.ErrNotFound) {
			return meta.StepRun{}, err
		}
	}
	sr, hit := r.prepare(dbctx, pl, inputs)
	sr.ID = rowID
	if hit {
		r.emit(dbctx, Event{Kind: Cached, Step: s.Name, Record: &sr})
		return r.recorded(dbctx, &sr)
	}
	sr.StartedAt, sr.Attempt = time.Now(), 1
	var late *lateStart
	if rowID == 0 {
		late = startLate(dbctx, st.Meta, sr)
	}
	// The turn ends before the step's code runs: the cache lookup's
	// transaction would otherwise hold the store's write lock, and a
	// worker's one connection, through the step.
	if err := r.emit(dbctx, Event{Kind: Turn}); err != nil {
		if late != nil {
			late.end()
		}
		return meta.StepRun{}, err
	}
	alone := x.alone(r)
	end := r.execStep(ctx, &launch{pl: pl, inputs: inputs, sr: sr, lost: rs.Lost, late: late, alone: alone})
	x.ran(r, alone)
	if errors.Is(context.Cause(ctx), ErrSuperseded) {
		// Another process runs the step now, under the same record: this
		// end is not the step's, and written it could overwrite the other
		// process's (a step recorded cancelled that nobody cancelled).
		return meta.StepRun{}, fmt.Errorf("step %s: %w", s.Name, context.Cause(ctx))
	}
	if end.Kind == Finished {
		for _, m := range end.Record.Metrics {
			r.emit(dbctx, Event{Kind: Metric, Step: s.Name, Name: m.Name, Value: m.Value})
		}
	}
	r.emit(dbctx, end)
	return r.recorded(dbctx, end.Record)
}

// recorded ends a remote step's turn, which commits its final record sr
// (and sets its row), and returns sr once the store keeps it: the run
// must not go on from a result the store does not hold (a local run goes
// on, and fails at its end; here the step's caller retries it).
func (r *Runner) recorded(ctx context.Context, sr *meta.StepRun) (meta.StepRun, error) {
	if err := r.emit(ctx, Event{Kind: Turn}); err != nil {
		return meta.StepRun{}, err
	}
	if r.lostErr != nil {
		return meta.StepRun{}, fmt.Errorf("the record of step %s could not be written: %w", sr.Step, r.lostErr)
	}
	return *sr, nil
}

// remoteInputs reads the inputs of s from the records of their producers,
// where their inline bytes are, and checks that each is the artifact the
// DAG handed over.
func (r *Runner) remoteInputs(ctx context.Context, s *pipeline.Step, rs RemoteStep) (map[string]meta.Artifact, error) {
	produced := map[string]map[string]meta.Artifact{}
	for _, in := range s.Inputs {
		if produced[in.From] != nil {
			continue
		}
		outs, err := r.st.Meta.StepOutputs(ctx, rs.Sources[in.From], in.From)
		if err != nil {
			return nil, fmt.Errorf("input %s: the record of step %s in run %s: %w", in.Name, in.From, rs.Sources[in.From], err)
		}
		produced[in.From] = artifactsByName(outs)
	}
	inputs, err := r.resolveInputs(s, produced)
	if err != nil {
		return nil, err
	}
	for name, a := range inputs {
		if want := rs.Inputs[name]; a.Digest != want.Digest {
			return nil, fmt.Errorf("input %s: step %s recorded %s, the run was handed %s", name, a.FromStep, a.Digest, want.Digest)
		}
	}
	return inputs, nil
}

// RemoteClose is what closing a remote run needs.
type RemoteClose struct {
	Plan    RemotePlan
	Settled []meta.StepRun
	// Unrecorded are settled records no process could write (LostStep).
	Unrecorded []meta.StepRun
	// Stopped, when set, says why the run was cancelled.
	Stopped string
}

// CloseRemoteRun records the steps of a remote run that never ran —
// skipped or cancelled, as locally — and the run's end, and returns the
// finished run.
func CloseRemoteRun(ctx context.Context, p *pipeline.Pipeline, st *Store, rc RemoteClose) (meta.Run, error) {
	r, err := NewRunner(p, st, rc.Plan.Opts, rc.Plan.Params)
	if err != nil {
		return meta.Run{}, err
	}
	r.run = meta.Run{ID: rc.Plan.RunID, Pipeline: p.Name}
	for i := range rc.Unrecorded {
		sr := rc.Unrecorded[i]
		if prev, err := st.Meta.StepRun(ctx, sr.RunID, sr.Step); err == nil {
			sr.ID, sr.StartedAt, sr.Attempt, sr.CacheKey = prev.ID, prev.StartedAt, prev.Attempt, prev.CacheKey
		}
		r.emit(ctx, Event{Kind: Failed, Step: sr.Step, Record: &sr})
	}
	// A step cancelled before a worker took it was never run, so nothing
	// recorded it; the local scheduler records such a step cancelled.
	var cancelled []string
	for _, sr := range rc.Settled {
		if sr.Status == meta.StepCancelled {
			cancelled = append(cancelled, sr.Step)
		}
	}
	if recorded, err := st.Meta.StepRunsOf(ctx, rc.Plan.RunID, cancelled); err == nil {
		has := map[string]bool{}
		for _, sr := range recorded {
			has[sr.Step] = true
		}
		for _, step := range cancelled {
			if has[step] {
				continue
			}
			rec := meta.StepRun{RunID: rc.Plan.RunID, Pipeline: p.Name, Step: step, Status: meta.StepCancelled, Error: notStarted}
			if s := r.byName[step]; s != nil {
				rec.CodeHash = s.CodeHash
			}
			r.emit(ctx, Event{Kind: Cancelled, Step: rec.Step, Record: &rec})
		}
	}
	g, err := NewRemoteDAG(p, rc.Plan)
	if err != nil {
		return meta.Run{}, err
	}
	for _, sr := range rc.Settled {
		g.d.settle(sr)
	}
	var pls []*planned
	for _, name := range rc.Plan.Steps {
		pls = append(pls, &planned{step: r.byName[name]})
	}
	var stopped error
	if rc.Stopped != "" {
		stopped = errors.New(rc.Stopped)
	}
	status, runErr := r.closeRun(ctx, pls, g.d, stopped)
	errText := ""
	if runErr != nil {
		errText = runErr.Error()
	}
	if err := st.Meta.FinishRun(ctx, rc.Plan.RunID, status, errText, time.Now()); err != nil {
		return meta.Run{}, err
	}
	return st.Meta.ResolveRun(ctx, p.Name, rc.Plan.RunID)
}
