package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	goruntime "runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// components gathers the cache components of s for this run, given its
// resolved inputs.
func (r *Runner) components(s *pipeline.Step, inputs map[string]meta.Artifact) Components {
	digests := make(map[string]string, len(inputs))
	for name, a := range inputs {
		digests[name] = a.Digest
	}
	return newCacheComponents(s, digests, r.params, r.outside)
}

// prepare computes the cache key of a step about to run and looks it up.
// It returns the step's record: cached when hit is set (the step need not
// run), otherwise with the reason for the miss, ready to start. A result
// is reused only under the key computed here: a step --resume finds
// finished, a cache hit; never a step's latest result as such.
func (r *Runner) prepare(ctx context.Context, pl *planned, inputs map[string]meta.Artifact) (sr meta.StepRun, hit bool) {
	s := pl.step
	comps := r.components(s, inputs)
	sr = meta.StepRun{RunID: r.run.ID, Pipeline: r.p.Name, Step: s.Name, CodeHash: s.CodeHash,
		CacheKey: comps.key(), Components: comps.encode(), Inputs: sortedArtifacts(inputs)}
	if prev := pl.resumed; prev != nil && prev.CacheKey == sr.CacheKey && r.unusable(ctx, s, prev) == "" {
		return r.reused(sr, prev, "finished in run "+r.opts.Resume+", which this run resumes"), true
	}
	switch {
	case pl.force:
		sr.CacheNote = pl.note
	case r.opts.NoCache:
		sr.CacheNote = "cache disabled by --no-cache"
	case s.Options.NoCache:
		sr.CacheNote = "cache disabled for this step (cache=off)"
	default:
		prev, note := r.cacheHit(ctx, s, sr.CacheKey)
		if prev == nil {
			sr.CacheNote = note
			return sr, false
		}
		return r.reused(sr, prev, ""), true
	}
	return sr, false
}

// reused completes sr, the record of a step whose key prev already has, as
// cached from prev; note says why prev was the one looked at, if not a
// plain cache hit.
func (r *Runner) reused(sr meta.StepRun, prev *meta.StepRun, note string) meta.StepRun {
	now := time.Now()
	sr.Status, sr.StartedAt, sr.EndedAt = meta.StepCached, now, now
	sr.CachedFrom = prev.RunID
	if prev.CachedFrom != "" {
		sr.CachedFrom = prev.CachedFrom
	}
	sr.CacheNote = note
	sr.Outputs, sr.Metrics = prev.Outputs, prev.Metrics
	return sr
}

// ReuseReason says why a cached step was reused, as progress and explain
// print it.
func ReuseReason(sr meta.StepRun) string {
	why := "same key as run " + sr.CachedFrom
	if sr.CacheNote != "" {
		why += ", " + sr.CacheNote
	}
	return why
}

// execStep runs a launched step to its end — success after retries,
// failure, timeout or cancellation — and returns the event of its end,
// with its completed record, which the scheduler hands to the observers.
func (r *Runner) execStep(ctx context.Context, l *launch) Event {
	s, sr, inputs := l.pl.step, l.sr, l.inputs
	r.emit(ctx, Event{Kind: Running, Step: s.Name})
	sr.StartedAt = time.Now()
	out := newStepOutput(func(text []byte, stderr bool) {
		r.emit(ctx, Event{Kind: Printed, Step: s.Name, Text: text, Stderr: stderr})
	})
	stdout, stderr := out.writer(toStdout), out.writer(toStderr)
	var captured *osStdoutCapture
	if l.alone {
		captured, _ = captureOSStdout(stdout)
	}
	if captured != nil {
		// One channel for everything the step prints to stdout, and its
		// stderr in step with it.
		stdout, stderr = captured.w, captured.stderr(stderr)
	}
	// Displays go to the step that runs alone, placed in its output once
	// everything it printed before is in.
	var offsets func() (int, int)
	if l.alone {
		offsets = out.offsets
		if captured != nil {
			offsets = func() (int, int) {
				captured.sync()
				return out.offsets()
			}
		}
	}
	row := func() int64 { return sr.ID }
	if l.late != nil {
		row = func() int64 { return l.late.write(ctx) }
	}
	stopLive := r.saveLiveLog(ctx, row, out)
	var res attemptResult
	for attempt := 1; ; attempt++ {
		sr.Attempt = l.lost + attempt
		res = r.attempt(ctx, s, inputs, stdout, stderr, offsets)
		if res.err == nil || res.cancelled || attempt > s.Options.Retries {
			break
		}
		out.retried(res.err)
		r.emit(ctx, Event{Kind: Retrying, Step: s.Name, Attempt: attempt, Err: res.err})
	}
	if res.abandoned {
		// The abandoned goroutine may still print; os.Stdout stays put from
		// now on.
		r.osCapture.Store(false)
	}
	if captured != nil {
		// Before the log is taken: what the step wrote to os.Stdout may
		// still be in the pipe.
		captured.restore()
	}
	stopLive()
	if l.late != nil {
		sr.ID = l.late.end()
	}
	sr.EndedAt = time.Now()
	sr.Log, sr.Stdout, sr.Streams = out.text()
	sr.Retries = out.retriesSoFar()
	end := Event{Step: s.Name, Record: &sr, Took: sr.EndedAt.Sub(sr.StartedAt), Ran: true}
	switch {
	case res.err == nil:
		sr.Status, sr.Outputs, sr.Metrics, sr.Displays = meta.StepSucceeded, res.outputs, res.metrics, res.displays
		end.Kind = Finished
	case res.cancelled:
		sr.Status, sr.Error = meta.StepCancelled, res.err.Error()
		end.Kind = Cancelled
	default:
		sr.Status, sr.Error, sr.Position, sr.Stack = meta.StepFailed, res.err.Error(), res.position, res.stack
		if sr.Position == "" {
			sr.Position = s.Pos
		}
		end.Kind, end.Where = Failed, res.position
	}
	return end
}

func sortedArtifacts(m map[string]meta.Artifact) []meta.Artifact {
	out := make([]meta.Artifact, 0, len(m))
	for _, a := range m {
		out = append(out, a)
	}
	sortArtifacts(out)
	return out
}

func sortArtifacts(as []meta.Artifact) {
	for i := 1; i < len(as); i++ {
		for j := i; j > 0 && as[j].Name < as[j-1].Name; j-- {
			as[j], as[j-1] = as[j-1], as[j]
		}
	}
}

// cacheHit returns a previous step run with this key whose outputs all
// exist and verify, or nil and the reason for the miss.
func (r *Runner) cacheHit(ctx context.Context, s *pipeline.Step, key string) (*meta.StepRun, string) {
	hit, err := r.rec.cacheHit(ctx, s, key)
	if err != nil {
		return nil, "cache lookup failed: " + err.Error()
	}
	if hit == nil {
		return nil, ""
	}
	if why := r.unusable(ctx, s, hit); why != "" {
		return nil, why
	}
	return hit, ""
}

// unusable says why the outputs of a finished step run cannot be reused:
// one of s's outputs is missing, or does not exist or verify in the store.
// It is "" when all are fine.
func (r *Runner) unusable(ctx context.Context, s *pipeline.Step, prev *meta.StepRun) string {
	have := artifactsByName(prev.Outputs)
	for _, o := range s.Outputs {
		a, ok := have[o.Name]
		if !ok {
			return fmt.Sprintf("cached run %s lacks output %s", prev.RunID, o.Name)
		}
		if err := r.st.Artifacts.Verify(ctx, a); err != nil {
			return fmt.Sprintf("cached output %s of run %s is unusable: %v", o.Name, prev.RunID, err)
		}
	}
	// The displays come along with a reused result, so they must be
	// there too.
	for _, a := range prev.Outputs {
		if a.Codec != layout.Display {
			continue
		}
		if err := r.st.Artifacts.Verify(ctx, a); err != nil {
			return fmt.Sprintf("cached %s of run %s is unusable: %v", a.Name, prev.RunID, err)
		}
	}
	return ""
}

// attemptResult is the end of one attempt.
type attemptResult struct {
	err       error
	cancelled bool   // the run was cancelled (not a timeout)
	abandoned bool   // the step's goroutine may still be running
	position  string // where in the notebook a panic happened
	stack     string
	outputs   []meta.Artifact
	metrics   []meta.Metric
	displays  []meta.DisplayAt
}

// attempt calls the step's Run once, in its own goroutine so that a step
// ignoring its context can be abandoned at the deadline. With offsets, the
// step runs alone and takes the process's displays.
func (r *Runner) attempt(ctx context.Context, s *pipeline.Step, inputs map[string]meta.Artifact, stdout, stderr io.Writer, offsets func() (int, int)) attemptResult {
	if err := ctx.Err(); err != nil {
		return attemptResult{err: err, cancelled: true}
	}
	actx, cancel := ctx, context.CancelFunc(func() {})
	if s.Options.Timeout > 0 {
		actx, cancel = context.WithTimeoutCause(ctx, s.Options.Timeout, errTimedOut)
	}
	defer cancel()
	actx = pipeline.WithStreams(actx, stdout, stderr)
	sc := pipeline.NewStepContext(actx, s, r.st.Artifacts, inputs, pipeline.SaveObserverOf(ctx))
	var sink *pipeline.DisplaySink
	if offsets != nil {
		var remove func()
		sink, remove = pipeline.InstallDisplaySink(sc, offsets, func(name, mediaType string, size int) {
			r.emit(ctx, Event{Kind: Displayed, Step: s.Name, Name: name, MediaType: mediaType, Size: size})
		})
		defer remove()
	}
	done := make(chan attemptResult, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- panicResult(v, r.p.Notebook)
			}
		}()
		done <- attemptResult{err: s.Run(actx, sc)}
	}()
	var res attemptResult
	select {
	case res = <-done:
	case <-actx.Done():
		// Give a step that honours its context the chance to say so, so
		// that its goroutine is not left behind.
		select {
		case res = <-done:
		case <-time.After(50 * time.Millisecond):
			res = attemptResult{err: context.Cause(actx), abandoned: true}
		}
	}
	res.outputs, res.metrics = pipeline.Finish(sc)
	if sink != nil {
		res.displays = sink.Placed()
	}
	if res.err != nil && artifact.IsDiskFull(res.err) {
		r.diskFull.Store(true)
	}
	switch {
	case ctx.Err() != nil:
		res.err, res.cancelled = fmt.Errorf("cancelled: %w", context.Cause(ctx)), true
	case actx.Err() != nil && errors.Is(context.Cause(actx), errTimedOut):
		res.err = fmt.Errorf("timed out after %s", s.Options.Timeout)
	case res.err == nil:
		res.err = missingOutputs(s, res.outputs)
	}
	return res
}

var errTimedOut = errors.New("step timed out")

// missingOutputs makes a step that returned without saving a declared
// output fail: a cache hit later requires every output.
func missingOutputs(s *pipeline.Step, saved []meta.Artifact) error {
	have := artifactsByName(saved)
	var missing []string
	for _, o := range s.Outputs {
		if _, ok := have[o.Name]; !ok {
			missing = append(missing, o.Name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("step returned without saving output %s", strings.Join(missing, ", "))
	}
	return nil
}

// panicResult turns a recovered panic into a failure that names the
// innermost frame inside the notebook: the line that panicked, in the step
// or in a helper the notebook defines. Generated code carries //line
// directives naming the notebook's file (a script's "fit.go") or one of its
// cells ("churn.ipynb:cell 4"), so a frame whose file is notebook, alone or
// followed by ':', is notebook code; a script ends in .go as the generated
// files do, so the name's ending is no test. A pipeline that names no
// notebook has its notebook frames told by a file that is not Go.
func panicResult(v any, notebook string) attemptResult {
	res := attemptResult{err: fmt.Errorf("panic: %v", v), stack: string(debug.Stack())}
	inNotebook := func(file string) bool {
		if notebook == "" {
			return file != "" && !strings.HasSuffix(file, ".go") && !strings.HasSuffix(file, ".s")
		}
		return file == notebook || strings.HasPrefix(file, notebook+":")
	}
	pcs := make([]uintptr, 64)
	n := goruntime.Callers(3, pcs)
	frames := goruntime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if inNotebook(f.File) {
			res.position = fmt.Sprintf("%s:%d", f.File, f.Line)
			break
		}
		if !more {
			break
		}
	}
	return res
}
