package temporal

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"hash"
	"math"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// follower turns the step records workers write into the events a local
// run shows, and a running step's output and retries, which its worker
// saves to the store as they grow (engine.LiveLogEvery), into its lines
// as they come.
type follower struct {
	st        *engine.Store
	runID     string
	observers []engine.Observer
	seen      map[string]string // step → the status last shown
	shown     map[string]*shownOutput
}

func newFollower(st *engine.Store, runID string, observers []engine.Observer) *follower {
	return &follower{st: st, runID: runID, observers: observers, seen: map[string]string{}, shown: map[string]*shownOutput{}}
}

// shownOutput is what the terminal has taken in of a running step's
// output: its first n bytes, shown but for the last line of each stream
// while unfinished; their hash and last bytes tell the output's
// continuation from the output of the step's run on another worker after
// its own was lost, which starts over.
type shownOutput struct {
	n    int64
	sum  hash.Hash
	tail []byte
	// partial holds, per stream (stdout, stderr), the line taken in but
	// not yet shown, as a local run holds it until its newline.
	partial [2][]byte
	// behind is set once the saved output no longer reaches back to n
	// (the step printed more between two saves than a save keeps): the
	// rest is shown from the final record.
	behind bool
	// restarts counts the runs shown that started over.
	restarts int
	// retries counts the step's retries shown (of this run).
	retries int
}

// keptTail is how many of the last bytes shown are compared with a saved
// output that goes on from them.
const keptTail = 256

// take takes in the next bytes of the output, written to the streams
// streams tells, and shows the lines they end on their own stream.
func (o *shownOutput) take(b []byte, streams meta.Streams, show func(lines []byte, stderr bool)) {
	o.n += int64(len(b))
	o.sum.Write(b)
	o.tail = append(o.tail, b...)
	if len(o.tail) > keptTail {
		o.tail = append(o.tail[:0], o.tail[len(o.tail)-keptTail:]...)
	}
	streams.Each(b, func(run []byte, stderr bool) {
		line := &o.partial[stream(stderr)]
		*line = append(*line, run...)
		if i := bytes.LastIndexByte(*line, '\n'); i >= 0 {
			show(bytes.Clone((*line)[:i+1]), stderr)
			*line = append((*line)[:0], (*line)[i+1:]...)
		}
	})
}

// flush shows the unfinished last lines of a step that ended, stdout's
// first, as a local run does.
func (o *shownOutput) flush(show func(lines []byte, stderr bool)) {
	for n, line := range o.partial {
		if len(line) > 0 {
			show(bytes.Clone(line), n == 1)
		}
		o.partial[n] = nil
	}
}

func stream(stderr bool) int {
	if stderr {
		return 1
	}
	return 0
}

// continues reports whether output, of which the first leftOut bytes are
// not at hand, goes on from what was shown (as far as the bytes at hand
// tell: the shown bytes they overlap must be the same).
func (o *shownOutput) continues(text []byte, leftOut int64) bool {
	end := leftOut + int64(len(text))
	if end < o.n {
		return false
	}
	from := max(leftOut, o.n-int64(len(o.tail)))
	if from >= o.n {
		return true
	}
	return bytes.Equal(text[from-leftOut:o.n-leftOut], o.tail[int64(len(o.tail))-(o.n-from):])
}

// startsWith reports whether final, a step's whole output, begins with
// what was shown.
func (o *shownOutput) startsWith(final []byte) bool {
	if int64(len(final)) < o.n {
		return false
	}
	sum := sha256.Sum256(final[:o.n])
	return bytes.Equal(sum[:], o.sum.Sum(nil))
}

// runStates is the dashboard's cheap read of a run's steps, which both
// stores have: their states without artifacts, metrics or output.
type runStates interface {
	RunState(ctx context.Context, runID string) (meta.Run, []meta.StepState, error)
}

// states returns the status of each recorded step of the run.
func (f *follower) states(ctx context.Context) ([]meta.StepState, error) {
	if rs, ok := f.st.Meta.(runStates); ok {
		_, steps, err := rs.RunState(ctx, f.runID)
		return steps, err
	}
	full, err := f.st.Meta.StepRuns(ctx, f.runID)
	steps := make([]meta.StepState, len(full))
	for i, sr := range full {
		steps[i] = meta.StepState{Run: sr.RunID, Step: sr.Step, Status: sr.Status}
	}
	return steps, err
}

// poll shows what changed since the last: it reads the state of every
// step, and the whole records of the steps that ended since, together, so
// that a poll costs a few queries however long the run.
func (f *follower) poll(ctx context.Context) {
	steps, err := f.states(ctx)
	if err != nil {
		return
	}
	var ended []string
	for _, state := range steps {
		if last := f.seen[state.Step]; last != state.Status && state.Status != meta.StepRunning {
			ended = append(ended, state.Step)
		}
	}
	// A record this read misses is read again at the next poll.
	records := map[string]meta.StepRun{}
	if read, err := f.st.Meta.StepRunsOf(ctx, f.runID, ended); err == nil {
		for _, sr := range read {
			records[sr.Step] = sr
		}
	}
	running := false
	for _, state := range steps {
		last := f.seen[state.Step]
		if last == state.Status {
			running = running || state.Status == meta.StepRunning
			continue
		}
		if state.Status == meta.StepRunning {
			f.seen[state.Step] = state.Status
			f.emit(ctx, engine.Event{Kind: engine.Running, Step: state.Step})
			running = true
			continue
		}
		sr, ok := records[state.Step]
		if !ok {
			continue
		}
		f.seen[sr.Step] = sr.Status
		ran := !sr.StartedAt.IsZero() && sr.Attempt > 0
		if last == "" && ran && sr.Status != meta.StepCached {
			f.emit(ctx, engine.Event{Kind: engine.Running, Step: sr.Step})
		}
		took := sr.EndedAt.Sub(sr.StartedAt)
		switch sr.Status {
		case meta.StepSucceeded, meta.StepFailed, meta.StepCancelled:
			f.showRest(ctx, sr)
		}
		rec := sr
		switch sr.Status {
		case meta.StepSucceeded:
			f.emit(ctx, engine.Event{Kind: engine.Finished, Step: sr.Step, Record: &rec, Took: took, Ran: true})
		case meta.StepCached:
			f.emit(ctx, engine.Event{Kind: engine.Cached, Step: sr.Step, Record: &rec})
		case meta.StepFailed:
			f.emit(ctx, engine.Event{Kind: engine.Failed, Step: sr.Step, Record: &rec, Took: took, Ran: ran, Where: sr.Position})
		case meta.StepCancelled:
			f.emit(ctx, engine.Event{Kind: engine.Cancelled, Step: sr.Step, Record: &rec, Took: took, Ran: ran})
		case meta.StepSkipped:
			f.emit(ctx, engine.Event{Kind: engine.Skipped, Step: sr.Step, Record: &rec})
		}
	}
	if running {
		f.showLive(ctx)
	}
}

// showLive shows the whole lines running steps have printed since the
// last poll, each on the stream it was written to.
func (f *follower) showLive(ctx context.Context) {
	logs, err := f.st.Meta.LiveLogs(ctx, f.runID)
	if err != nil {
		return
	}
	for _, l := range logs {
		if f.seen[l.Step] != meta.StepRunning {
			// Not yet shown running: its Running event comes first.
			continue
		}
		o := f.output(l.Step)
		if o.behind {
			continue
		}
		text := []byte(l.Text)
		if !o.continues(text, l.LeftOut) || len(l.Retries) < o.retries {
			f.restarted(ctx, l.Step)
			o = f.output(l.Step)
		}
		if l.LeftOut > o.n {
			// Its retries wait for the output before them, in the final
			// record.
			o.behind = true
			continue
		}
		show := f.printer(ctx, l.Step)
		take := func(to int64) {
			if to > o.n {
				from := o.n - l.LeftOut
				o.take(text[from:to-l.LeftOut], l.Streams.From(int(from)), show)
			}
		}
		end := l.LeftOut + int64(len(text))
		for _, r := range l.Retries[o.retries:] {
			take(min(int64(r.Log), end))
			f.retried(ctx, l.Step, o, r)
		}
		take(end)
	}
}

// retried shows the next retry of a step, as a local run does.
func (f *follower) retried(ctx context.Context, step string, o *shownOutput, r meta.Retry) {
	o.retries++
	f.emit(ctx, engine.Event{Kind: engine.Retrying, Step: step, Attempt: o.retries, Err: errors.New(r.Error)})
}

// showRest shows what a step that ended printed beyond what was shown
// while it ran, from its final record's output and streams, and its
// retries not yet shown and displays where they came in it (those that
// came before the output shown while it ran, first; a retry before a
// display at the same place, whose attempt it ended).
func (f *follower) showRest(ctx context.Context, sr meta.StepRun) {
	step, final := sr.Step, []byte(sr.Log)
	o := f.output(step)
	if !o.startsWith(final) || len(sr.Retries) < o.retries {
		f.restarted(ctx, step)
		o = f.output(step)
	}
	delete(f.shown, step)
	show := f.printer(ctx, step)
	upTo := func(at int64) {
		if at > o.n && at <= int64(len(final)) {
			o.take(final[o.n:at], sr.Streams.From(int(o.n)), show)
		}
	}
	retries := sr.Retries[o.retries:]
	retriesTo := func(at int64) {
		for len(retries) > 0 && int64(retries[0].Log) <= at {
			upTo(int64(retries[0].Log))
			f.retried(ctx, step, o, retries[0])
			retries = retries[1:]
		}
	}
	outputs := map[string]meta.Artifact{}
	for _, a := range sr.Outputs {
		outputs[a.Name] = a
	}
	for _, d := range sr.Displays {
		retriesTo(int64(d.Log))
		upTo(int64(d.Log))
		a, ok := outputs[d.Name]
		if !ok || a.Codec != layout.Display {
			continue
		}
		f.emit(ctx, engine.Event{Kind: engine.Displayed, Step: step, Name: d.Name, MediaType: a.Type,
			Size: int(a.Size - layout.DisplayHeaderSize(a.Type))})
	}
	retriesTo(math.MaxInt64)
	o.take(final[o.n:], sr.Streams.From(int(o.n)), show)
	o.flush(show)
}

// printer shows a step's lines as a local run does, on their stream.
func (f *follower) printer(ctx context.Context, step string) func(lines []byte, stderr bool) {
	return func(lines []byte, stderr bool) {
		f.emit(ctx, engine.Event{Kind: engine.Printed, Step: step, Text: lines, Stderr: stderr})
	}
}

func (f *follower) output(step string) *shownOutput {
	o := f.shown[step]
	if o == nil {
		o = &shownOutput{sum: sha256.New()}
		f.shown[step] = o
	}
	return o
}

// restarted says that the step's output shown so far was of a run lost
// with its worker, whose step is run again elsewhere from its start, and
// shows the new run's output from its start.
func (f *follower) restarted(ctx context.Context, step string) {
	restarts := 0
	if o := f.shown[step]; o != nil {
		restarts = o.restarts
	}
	f.emit(ctx, engine.Event{Kind: engine.Retrying, Step: step, Attempt: restarts + 1, Err: errLostWorker})
	f.shown[step] = &shownOutput{sum: sha256.New(), restarts: restarts + 1}
}

var errLostWorker = errors.New("its worker was lost, and another runs it from its start")

func (f *follower) emit(ctx context.Context, e engine.Event) {
	for _, o := range f.observers {
		o.Observe(ctx, e)
	}
}
