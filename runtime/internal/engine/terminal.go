package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// Terminal is the observer that shows a run to the person who started it:
// a progress line per step transition on stderr, and the lines steps print
// behind their step's name ("[step] line") on the matching stream. It
// serialises its writes, so lines of parallel steps never interleave
// mid-line.
//
// Quiet keeps the lines of steps starting, finishing and being reused off
// the terminal (run -q); what steps print and what fails still shows.
// ShowRunning adds the steps that are running (running.go).
type Terminal struct {
	mu     sync.Mutex
	Stdout io.Writer
	Stderr io.Writer
	Quiet  bool
	run    *running
}

// Progress writes one progress line to stderr, unless the terminal is
// quiet.
func (t *Terminal) Progress(line string) {
	if !t.Quiet {
		t.Problem(line)
	}
}

// Problem writes one line about a failure to stderr, also when the
// terminal is quiet.
func (t *Terminal) Problem(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clearLive()
	io.WriteString(t.Stderr, line+"\n")
}

// Observe prints e; a terminal never refuses an event.
func (t *Terminal) Observe(_ context.Context, e Event) error {
	switch e.Kind {
	case Running:
		t.stepRunning(e.Step)
	case Finished, Failed, Cancelled:
		t.stepDone(e.Step)
	}
	switch e.Kind {
	case Planned:
		if len(e.Alone) > 0 {
			t.Progress(aloneNote(e.Alone))
		}
	case Running:
		t.Progress("▶ " + e.Step)
	case Printed:
		t.printed(e.Step, e.Text, e.Stderr)
	case Displayed:
		t.Progress(fmt.Sprintf("◆ %s displayed %s.%s: %s, %d bytes", e.Step, e.Step, e.Name, e.MediaType, e.Size))
	case Retrying:
		t.Problem(fmt.Sprintf("↻ %s attempt %d failed: %s; retrying", e.Step, e.Attempt, e.Err))
	case Finished:
		t.Progress(fmt.Sprintf("✓ %s %s", e.Step, FormatDuration(e.Took)))
	case Cached:
		t.Progress(fmt.Sprintf("↺ %s cached (%s)", e.Step, ReuseReason(*e.Record)))
	case Failed:
		if !e.Ran {
			t.Problem(fmt.Sprintf("✗ %s failed: %s", e.Step, e.Record.Error))
			break
		}
		where := ""
		if e.Where != "" {
			where = e.Where + ": "
		}
		t.Problem(fmt.Sprintf("✗ %s failed after %s: %s%s", e.Step, FormatDuration(e.Took), where, e.Record.Error))
	case Cancelled:
		if e.Ran {
			t.Progress(fmt.Sprintf("⊘ %s cancelled after %s", e.Step, FormatDuration(e.Took)))
		} else {
			t.Progress(fmt.Sprintf("⊘ %s cancelled", e.Step))
		}
	case Skipped:
		t.Progress(fmt.Sprintf("- %s skipped: %s", e.Step, e.Record.Error))
	case Lost:
		t.lost(e)
	}
	return nil
}

// aloneNote says which steps never run beside another and why.
func aloneNote(alone []*pipeline.Step) string {
	var names, whys []string
	for _, s := range alone {
		names = append(names, s.Name)
		whys = append(whys, s.Name+": "+s.Alone)
	}
	what := "step " + names[0] + " runs with no other step beside it: its"
	if len(names) > 1 {
		what = "steps " + strings.Join(names, ", ") + " run with no other step beside them: their"
	}
	return fmt.Sprintf("note: %s code prints or displays where zengen cannot tell which step did (%s)", what, strings.Join(whys, "; "))
}

// printed writes complete lines of a step, each behind the step's name.
func (t *Terminal) printed(step string, lines []byte, stderr bool) {
	prefix := "[" + step + "] "
	var b bytes.Buffer
	for len(lines) > 0 {
		line := lines
		if i := bytes.IndexByte(lines, '\n'); i >= 0 {
			line = lines[:i+1]
		}
		lines = lines[len(line):]
		b.WriteString(prefix)
		b.Write(line)
		if line[len(line)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clearLive()
	if stderr {
		t.Stderr.Write(b.Bytes())
	} else {
		t.Stdout.Write(b.Bytes())
	}
}

// lost reports records a failed write lost; a full disk names what it
// kept from being recorded.
func (t *Terminal) lost(e Event) {
	if !e.DiskFull {
		t.Problem(fmt.Sprintf("! recording steps %v failed: %v", e.Steps, e.Err))
		return
	}
	what := plural("step", e.Steps)
	switch {
	case len(e.Outs) > 0:
		what = plural("step", e.Done) + ": " + plural("output", e.Outs)
	case len(e.Done) > 0:
		what = plural("step", e.Done)
	}
	t.Problem(fmt.Sprintf("✗ %s could not be recorded: no space left on the store's disk", what))
}
