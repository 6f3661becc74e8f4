package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// fakeClock is the time a test sets.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// watched is a terminal writing into one buffer for both streams, as a
// terminal shows them, with the running steps in mode on a fake clock that
// never ticks: the test looks at the running steps itself.
func watched(t *testing.T, mode RunningMode) (*Terminal, *strings.Builder, *fakeClock) {
	var out strings.Builder
	term := &Terminal{Stdout: &out, Stderr: &out}
	clock := &fakeClock{time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}
	t.Cleanup(term.watchRunning(mode, clock.now, nil))
	return term, &out, clock
}

func observe(t *testing.T, term *Terminal, e Event) {
	t.Helper()
	if err := term.Observe(context.Background(), e); err != nil {
		t.Fatal(err)
	}
}

// TestLiveLineShowsRunningSteps draws the live line once a step has run
// for a moment, names every running step, erases it before a step's
// output and after the steps end.
func TestLiveLineShowsRunningSteps(t *testing.T) {
	term, out, clock := watched(t, RunningLive)
	observe(t, term, Event{Kind: Running, Step: "train"})
	clock.t = clock.t.Add(time.Second)
	observe(t, term, Event{Kind: Running, Step: "plot"})
	term.showRunning()
	if got := out.String(); got != "▶ train\n▶ plot\n" {
		t.Fatalf("before 2 s the terminal shows %q", got)
	}
	clock.t = clock.t.Add(1500 * time.Millisecond)
	term.showRunning()
	clock.t = clock.t.Add(62 * time.Second)
	term.showRunning()
	observe(t, term, Event{Kind: Printed, Step: "plot", Text: []byte("done\n")})
	observe(t, term, Event{Kind: Finished, Step: "plot", Took: 64 * time.Second})
	term.showRunning()
	observe(t, term, Event{Kind: Finished, Step: "train", Took: 65 * time.Second})
	term.showRunning()
	want := "▶ train\n▶ plot\n" +
		"\r\x1b[K⋯ running: train 2s, plot 1s" +
		"\r\x1b[K⋯ running: train 1m4s, plot 1m3s" +
		"\r\x1b[K[plot] done\n" +
		"✓ plot 1m4s\n" +
		"\r\x1b[K⋯ running: train 1m4s" +
		"\r\x1b[K✓ train 1m5s\n"
	if got := out.String(); got != want {
		t.Errorf("the terminal shows\n%q\nwant\n%q", got, want)
	}
}

// TestPlainLinesAtGrowingIntervals writes a line for a long step at 2 s,
// 10 s, 30 s and so on, never on a live line.
func TestPlainLinesAtGrowingIntervals(t *testing.T) {
	term, out, clock := watched(t, RunningLines)
	observe(t, term, Event{Kind: Running, Step: "train"})
	for range 130 {
		clock.t = clock.t.Add(time.Second)
		term.showRunning()
	}
	observe(t, term, Event{Kind: Finished, Step: "train", Took: 130 * time.Second})
	want := "▶ train\n" +
		"… train has been running for 2s\n" +
		"… train has been running for 10s\n" +
		"… train has been running for 30s\n" +
		"… train has been running for 1m\n" +
		"… train has been running for 2m\n" +
		"✓ train 2m10s\n"
	if got := out.String(); got != want {
		t.Errorf("the log holds\n%s\nwant\n%s", got, want)
	}
}

// TestQuietShowsOnlyOutputAndFailures keeps progress lines and running
// steps off a quiet terminal.
func TestQuietShowsOnlyOutputAndFailures(t *testing.T) {
	var out strings.Builder
	term := &Terminal{Stdout: &out, Stderr: &out, Quiet: true}
	defer term.ShowRunning(RunningHidden)()
	observe(t, term, Event{Kind: Running, Step: "train"})
	term.showRunning()
	observe(t, term, Event{Kind: Printed, Step: "train", Text: []byte("loss 1\n")})
	observe(t, term, Event{Kind: Finished, Step: "train", Took: time.Second})
	if got := out.String(); got != "[train] loss 1\n" {
		t.Errorf("a quiet terminal shows %q", got)
	}
}
