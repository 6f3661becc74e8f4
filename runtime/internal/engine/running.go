package engine

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// A step that runs for more than a moment would leave the terminal silent
// after its "▶ step" line, as if the run hung. The terminal therefore shows
// which steps are running and for how long: on a terminal one line at the
// bottom, rewritten in place; in a log (CI, a file) a plain line now and
// then, at growing intervals so that an hour-long step writes a dozen.

// RunningMode says how a Terminal shows the steps that are running.
type RunningMode int

const (
	// RunningHidden shows nothing (run -q, --json).
	RunningHidden RunningMode = iota
	// RunningLines writes a plain line per step as it passes each of
	// runningMarks: for logs.
	RunningLines
	// RunningLive keeps one line on stderr, rewritten in place, naming
	// every running step and how long it has run: for a terminal.
	RunningLive
)

// runningAfter is how long a step runs before the terminal says so.
const runningAfter = 2 * time.Second

// runningMarks are the times at which RunningLines reports a step; after
// the last, every runningEvery.
var runningMarks = []time.Duration{2 * time.Second, 10 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute}

const runningEvery = 10 * time.Minute

// runningTick is how often the running steps are looked at.
const runningTick = 500 * time.Millisecond

// liveWidth bounds the live line, so that it does not wrap on a narrow
// terminal (a wrapped line cannot be erased with one carriage return).
const liveWidth = 72

// clearLine returns the cursor to the start of the line and erases it.
const clearLine = "\r\x1b[K"

// running is the Terminal's view of the steps that run.
type running struct {
	mode  RunningMode
	now   func() time.Time
	since map[string]time.Time     // step → when its code began
	mark  map[string]time.Duration // step → the last mark reported (RunningLines)
	shown bool                     // the live line is on the screen
	line  string                   // what it says
}

// IsTerminal says whether w is a terminal that understands the live line:
// a character device, with $TERM not "dumb".
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// ShowRunning makes the terminal show the steps that run longer than a
// moment, in mode, until the returned stop is called.
func (t *Terminal) ShowRunning(mode RunningMode) (stop func()) {
	tick := time.NewTicker(runningTick)
	stopWatching := t.watchRunning(mode, time.Now, tick.C)
	return func() {
		stopWatching()
		tick.Stop()
	}
}

// watchRunning is ShowRunning on a given clock, looking at each tick.
func (t *Terminal) watchRunning(mode RunningMode, now func() time.Time, ticks <-chan time.Time) (stop func()) {
	r := &running{mode: mode, now: now, since: map[string]time.Time{}, mark: map[string]time.Duration{}}
	t.mu.Lock()
	t.run = r
	t.mu.Unlock()
	if mode == RunningHidden {
		return func() {}
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-quit:
				return
			case <-ticks:
				t.showRunning()
			}
		}
	}()
	return func() {
		close(quit)
		<-done
		t.mu.Lock()
		defer t.mu.Unlock()
		t.clearLive()
	}
}

// stepRunning and stepDone follow the steps' code starting and ending.
func (t *Terminal) stepRunning(step string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.run != nil {
		t.run.since[step] = t.run.now()
	}
}

func (t *Terminal) stepDone(step string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.run != nil {
		delete(t.run.since, step)
		delete(t.run.mark, step)
	}
}

// showRunning writes what the running steps' times call for now.
func (t *Terminal) showRunning() {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.run
	if r == nil {
		return
	}
	now := r.now()
	steps := make([]string, 0, len(r.since))
	for s := range r.since {
		steps = append(steps, s)
	}
	slices.SortFunc(steps, func(a, b string) int { return r.since[a].Compare(r.since[b]) })
	switch r.mode {
	case RunningLines:
		for _, s := range steps {
			took := now.Sub(r.since[s])
			if next := nextMark(r.mark[s]); took >= next {
				r.mark[s] = next
				fmt.Fprintf(t.Stderr, "… %s has been running for %s\n", s, seconds(took))
			}
		}
	case RunningLive:
		if len(steps) == 0 || now.Sub(r.since[steps[0]]) < runningAfter {
			t.clearLive()
			return
		}
		line := "⋯ running:"
		for i, s := range steps {
			part := fmt.Sprintf(" %s %s", s, seconds(now.Sub(r.since[s])))
			if i > 0 {
				part = "," + part
			}
			if more := fmt.Sprintf(", +%d more", len(steps)-i); i > 0 && len(line)+len(part)+len(more) > liveWidth {
				line += more
				break
			}
			line += part
		}
		if !r.shown || line != r.line {
			io.WriteString(t.Stderr, clearLine+line)
			r.shown, r.line = true, line
		}
	}
}

// clearLive erases the live line before anything else is written; the
// next tick draws it again below. The caller holds t.mu.
func (t *Terminal) clearLive() {
	if t.run != nil && t.run.shown {
		io.WriteString(t.Stderr, clearLine)
		t.run.shown = false
	}
}

// nextMark is the mark that follows last (0 before the first).
func nextMark(last time.Duration) time.Duration {
	for _, m := range runningMarks {
		if m > last {
			return m
		}
	}
	return last + runningEvery
}

// seconds writes d in whole seconds: "12s", "1m5s", "2m".
func seconds(d time.Duration) string {
	s := d.Truncate(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	return s
}
