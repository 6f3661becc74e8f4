package temporal

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// The follower shows a running step's saved output line by line as it
// grows, each line once; the rest, and a last line without its newline,
// when the step ends. Output that starts over — the step run again on
// another worker after its own was lost — is said so and shown from its
// start; output that outran the saves is shown from the final record.
func TestFollowerShowsOutputAsItIsSaved(t *testing.T) {
	ctx := context.Background()
	st, _ := tempStore(t)
	if _, ok := st.Meta.(runStates); !ok {
		t.Error("the local store has no RunState: each poll would read every step's whole record")
	}
	run := meta.Run{ID: meta.NewRunID(time.Now()), Pipeline: "talk", StartedAt: time.Now(), Orchestrator: "temporal://test/default"}
	if err := st.Meta.EnsurePipeline(ctx, "talk", "talk.ipynb", map[string]string{"a": "h", "b": "h"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Meta.CreateRun(ctx, &run); err != nil {
		t.Fatal(err)
	}
	start := func(step string) *meta.StepRun {
		sr := &meta.StepRun{RunID: run.ID, Pipeline: "talk", Step: step, CodeHash: "h", Attempt: 1, StartedAt: time.Now()}
		tx, err := st.Meta.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.StartStep(ctx, sr); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		return sr
	}
	finish := func(sr *meta.StepRun, log string) {
		sr.Status, sr.EndedAt, sr.Log, sr.Stdout = meta.StepSucceeded, time.Now(), log, log
		tx, err := st.Meta.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.FinishStep(ctx, sr); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	save := func(sr *meta.StepRun, text string, leftOut int64) {
		if err := st.Meta.SaveLiveLog(ctx, sr.ID, text, nil, leftOut, nil); err != nil {
			t.Fatal(err)
		}
	}
	var out, progress strings.Builder
	f := newFollower(st, run.ID, []engine.Observer{&engine.Terminal{Stdout: &out, Stderr: &progress}})
	expect := func(when, stdout string) {
		t.Helper()
		f.poll(ctx)
		if out.String() != stdout {
			t.Errorf("%s: the terminal shows\n%s\nwant\n%s", when, out.String(), stdout)
		}
	}

	a := start("a")
	expect("a started", "")
	save(a, "one\ntw", 0)
	expect("a saved a line and a half", "[a] one\n")
	expect("nothing new", "[a] one\n")
	save(a, "one\ntwo\nthree\n", 0)
	expect("a saved more", "[a] one\n[a] two\n[a] three\n")
	save(a, "wo\nthree\nfour\n", 5)
	expect("a's saved output lost its start", "[a] one\n[a] two\n[a] three\n[a] four\n")
	save(a, "one\n", 0)
	expect("a started over", "[a] one\n[a] two\n[a] three\n[a] four\n[a] one\n")
	if !strings.Contains(progress.String(), "↻ a attempt 1 failed: its worker was lost") {
		t.Errorf("a's restart not said: %q", progress.String())
	}
	finish(a, "one\ntwo\nlast")
	expect("a ended", "[a] one\n[a] two\n[a] three\n[a] four\n[a] one\n[a] two\n[a] last\n")

	out.Reset()
	b := start("b")
	save(b, "x\n", 0)
	expect("b saved", "[b] x\n")
	save(b, "z\n", 4)
	expect("b's output outran the saves", "[b] x\n")
	finish(b, "x\ny\nz\n")
	expect("b ended", "[b] x\n[b] y\n[b] z\n")

	out.Reset()
	c := start("c")
	save(c, "1\n2\n", 0)
	expect("c saved", "[c] 1\n[c] 2\n")
	finish(c, "1\n3\n")
	expect("c's final output is another run's", "[c] 1\n[c] 2\n[c] 1\n[c] 3\n")
	if strings.Count(progress.String(), "↻") != 2 {
		t.Errorf("progress:\n%s\nwant c's restart said", progress.String())
	}

	// A second restart, seen only in the final record, is the second.
	out.Reset()
	progress.Reset()
	d := start("d")
	save(d, "1\n", 0)
	expect("d saved", "[d] 1\n")
	save(d, "2\n", 0)
	expect("d started over", "[d] 1\n[d] 2\n")
	finish(d, "3\n")
	expect("d's final output is a third run's", "[d] 1\n[d] 2\n[d] 3\n")
	for _, want := range []string{"↻ d attempt 1 failed", "↻ d attempt 2 failed"} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress:\n%s\nwant %q", progress.String(), want)
		}
	}
}

// endedRun records a run of n steps that all ended, each with an output,
// a metric and a line of output, as a 50-wide fan-out's poll finds them.
func endedRun(tb testing.TB, st *engine.Store, n int) meta.Run {
	tb.Helper()
	ctx := context.Background()
	codes := map[string]string{}
	for i := range n {
		codes[fmt.Sprintf("s%03d", i)] = "h"
	}
	run := meta.Run{ID: meta.NewRunID(time.Now()), Pipeline: "fan", StartedAt: time.Now(), Orchestrator: "temporal://test/default"}
	if err := st.Meta.EnsurePipeline(ctx, "fan", "fan.ipynb", codes); err != nil {
		tb.Fatal(err)
	}
	if err := st.Meta.CreateRun(ctx, &run); err != nil {
		tb.Fatal(err)
	}
	tx, err := st.Meta.Begin(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		step := fmt.Sprintf("s%03d", i)
		sr := &meta.StepRun{RunID: run.ID, Pipeline: "fan", Step: step, CodeHash: "h", Attempt: 1, Status: meta.StepSucceeded,
			StartedAt: time.Now(), EndedAt: time.Now(), Log: step + " done\n", Stdout: step + " done\n",
			Outputs: []meta.Artifact{{Name: "v", Digest: fmt.Sprintf("sha256:%064d", i), Size: 2, Codec: "json", Type: "int", Inline: []byte(fmt.Sprint(i))}},
			Metrics: []meta.Metric{{Name: "m", Value: float64(i)}}}
		if err := tx.FinishStep(ctx, sr); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		tb.Fatal(err)
	}
	return run
}

// Steps that ended between two polls are shown in the order they ran, each
// once, with their output.
func TestFollowerShowsEndedStepsInOrder(t *testing.T) {
	st, _ := tempStore(t)
	run := endedRun(t, st, 12)
	var out, progress strings.Builder
	f := newFollower(st, run.ID, []engine.Observer{&engine.Terminal{Stdout: &out, Stderr: &progress}})
	f.poll(t.Context())
	f.poll(t.Context())
	var want strings.Builder
	for i := range 12 {
		fmt.Fprintf(&want, "[s%03d] s%03d done\n", i, i)
	}
	if out.String() != want.String() {
		t.Errorf("the terminal shows\n%s\nwant\n%s", out.String(), want.String())
	}
	if got := strings.Count(progress.String(), "✓"); got != 12 {
		t.Errorf("progress shows %d steps done; want 12:\n%s", got, progress.String())
	}
}

// BenchmarkFollowerPoll is the submitting command's poll that finds a
// 50-wide fan-out ended: what it costs after the run's last step.
func BenchmarkFollowerPoll(b *testing.B) {
	st, err := engine.OpenStore(b.Context(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	run := endedRun(b, st, benchFanOut)
	for b.Loop() {
		newFollower(st, run.ID, []engine.Observer{&engine.Terminal{Stdout: io.Discard, Stderr: io.Discard}}).poll(b.Context())
	}
}

// The follower shows each line of a step on the stream it was written to,
// holding a stream's unfinished line as a local run does, from the saved
// output (whole or its end only) and from the final record, and an
// output that starts over from its start, each stream's lines in order.
func TestFollowerKeepsStreamsApart(t *testing.T) {
	ctx := context.Background()
	st, sr, record := oneStepRun(t)
	var shown printedLines
	f := newFollower(st, sr.RunID, []engine.Observer{&shown})
	save := func(text string, streams meta.Streams, leftOut int64) {
		if err := st.Meta.SaveLiveLog(ctx, sr.ID, text, streams, leftOut, nil); err != nil {
			t.Fatal(err)
		}
		f.poll(ctx)
	}
	f.poll(ctx)
	save("o1\ne1\no2", meta.Streams{3, 3, 2}, 0)
	save("o1\ne1\no2e2\n!\n", meta.Streams{3, 3, 2, 3, 2}, 0)
	// Its end only, from inside a run of stderr.
	full := "o1\ne1\no2e2\n!\ne3\n"
	save(full[4:], meta.Streams{3, 3, 2, 3, 2, 3}.From(4), 4)
	// Run again from its start, elsewhere.
	save("o1\n", nil, 0)
	sr.Status, sr.EndedAt = meta.StepSucceeded, time.Now()
	sr.Log, sr.Stdout, sr.Streams = "o1\ne2\nEo", "o1\no", meta.Streams{3, 4, 1}
	record(func(tx engine.MetadataTx) error { return tx.FinishStep(ctx, sr) })
	f.poll(ctx)

	want := []string{"out o1\n", "err e1\n", "err e2\n", "out o2!\n", "err e3\n", "↻ 1 " + errLostWorker.Error(), "out o1\n", "err e2\n", "out o", "err E"}
	if strings.Join(shown, "|") != strings.Join(want, "|") {
		t.Errorf("shown:\n%q\nwant:\n%q", shown, want)
	}
}

// printedLines records the lines a follower shows, each with its stream,
// and the restarts it says.
type printedLines []string

func (p *printedLines) Observe(_ context.Context, e engine.Event) error {
	switch {
	case e.Kind == engine.Printed && e.Stderr:
		*p = append(*p, "err "+string(e.Text))
	case e.Kind == engine.Printed:
		*p = append(*p, "out "+string(e.Text))
	case e.Kind == engine.Retrying:
		*p = append(*p, fmt.Sprintf("↻ %d %v", e.Attempt, e.Err))
	case e.Kind == engine.Displayed:
		*p = append(*p, fmt.Sprintf("◆ %s %s %d", e.Name, e.MediaType, e.Size))
	}
	return nil
}

// A step's displays are shown where they came in its output, from its
// final record: one that came before the output shown while the step ran
// comes first.
func TestFollowerShowsDisplaysWhereTheyCame(t *testing.T) {
	ctx := context.Background()
	st, sr, record := oneStepRun(t)
	var shown printedLines
	f := newFollower(st, sr.RunID, []engine.Observer{&shown})
	f.poll(ctx)
	if err := st.Meta.SaveLiveLog(ctx, sr.ID, "a\nb\n", nil, 0, nil); err != nil {
		t.Fatal(err)
	}
	f.poll(ctx)
	display := func(name, mediaType string, size int64) meta.Artifact {
		return meta.Artifact{Name: name, Digest: "sha256:" + name, Size: layout.DisplayHeaderSize(mediaType) + size, Codec: layout.Display, Type: mediaType}
	}
	sr.Status, sr.EndedAt, sr.Log, sr.Stdout = meta.StepSucceeded, time.Now(), "a\nb\nc\nd", "a\nb\nc\nd"
	sr.Outputs = []meta.Artifact{display("display.1", "text/html", 3), display("display.2", "image/png", 40)}
	sr.Displays = []meta.DisplayAt{{Name: "display.1", Log: 2, Stdout: 2}, {Name: "display.2", Log: 6, Stdout: 6}}
	record(func(tx engine.MetadataTx) error { return tx.FinishStep(ctx, sr) })
	f.poll(ctx)

	want := []string{"out a\nb\n", "◆ display.1 text/html 3", "out c\n", "◆ display.2 image/png 40", "out d"}
	if strings.Join(shown, "|") != strings.Join(want, "|") {
		t.Errorf("shown:\n%q\nwant:\n%q", shown, want)
	}
}

// oneStepRun records a run of one step, s, started, and returns its store,
// the step's record and what writes records in a transaction.
func oneStepRun(t *testing.T) (*engine.Store, *meta.StepRun, func(write func(tx engine.MetadataTx) error)) {
	ctx := context.Background()
	st, _ := tempStore(t)
	run := meta.Run{ID: meta.NewRunID(time.Now()), Pipeline: "talk", StartedAt: time.Now(), Orchestrator: "temporal://test/default"}
	if err := st.Meta.EnsurePipeline(ctx, "talk", "talk.ipynb", map[string]string{"s": "h"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Meta.CreateRun(ctx, &run); err != nil {
		t.Fatal(err)
	}
	record := func(write func(tx engine.MetadataTx) error) {
		t.Helper()
		tx, err := st.Meta.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := write(tx); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	sr := &meta.StepRun{RunID: run.ID, Pipeline: "talk", Step: "s", CodeHash: "h", Attempt: 1, StartedAt: time.Now()}
	record(func(tx engine.MetadataTx) error { return tx.StartStep(ctx, sr) })
	return st, sr, record
}

// A step's retries are shown once each, in order, where they came in its
// output: while it runs, from what its worker saves (a retry that printed
// nothing too), and from its final record those not shown yet. A step
// run again from its start on another worker starts its retries over.
func TestFollowerShowsRetries(t *testing.T) {
	ctx := context.Background()
	st, sr, record := oneStepRun(t)
	var shown printedLines
	f := newFollower(st, sr.RunID, []engine.Observer{&shown})
	expect := func(when string, want ...string) {
		t.Helper()
		shown = nil
		f.poll(ctx)
		if strings.Join(shown, "|") != strings.Join(want, "|") {
			t.Errorf("%s: shown\n%q\nwant\n%q", when, shown, want)
		}
	}
	save := func(text string, retries ...meta.Retry) {
		if err := st.Meta.SaveLiveLog(ctx, sr.ID, text, nil, 0, retries); err != nil {
			t.Fatal(err)
		}
	}
	boom, bang := meta.Retry{Log: 6, Error: "boom"}, meta.Retry{Log: 6, Error: "bang"}
	expect("s started")
	save("try 1\ntry 2\n", boom)
	expect("s retried once", "out try 1\n", "↻ 1 boom", "out try 2\n")
	save("try 1\ntry 2\n", boom, meta.Retry{Log: 12, Error: "bang"})
	expect("s retried without printing", "↻ 2 bang")
	expect("nothing new")
	save("again\n", boom)
	expect("s started over on another worker", "↻ 1 "+errLostWorker.Error(), "out again\n", "↻ 1 boom")
	sr.Status, sr.EndedAt, sr.Log, sr.Stdout = meta.StepSucceeded, time.Now(), "again\nthen\nfine\n", "again\nthen\nfine\n"
	sr.Retries = []meta.Retry{boom, {Log: 11, Error: "bang"}}
	record(func(tx engine.MetadataTx) error { return tx.FinishStep(ctx, sr) })
	expect("s ended", "out then\n", "↻ 2 bang", "out fine\n")

	// A step that ended before any poll saw it run: its retries come from
	// its final record, before a display of the attempt that followed.
	st, sr, record = oneStepRun(t)
	f = newFollower(st, sr.RunID, []engine.Observer{&shown})
	sr.Status, sr.EndedAt, sr.Log, sr.Stdout = meta.StepSucceeded, time.Now(), "try 1\ntry 2\n", "try 1\ntry 2\n"
	sr.Retries = []meta.Retry{boom, bang}
	sr.Outputs = []meta.Artifact{{Name: "display.1", Digest: "sha256:d", Size: layout.DisplayHeaderSize("text/plain") + 1,
		Codec: layout.Display, Type: "text/plain"}}
	sr.Displays = []meta.DisplayAt{{Name: "display.1", Log: 6, Stdout: 6}}
	record(func(tx engine.MetadataTx) error { return tx.FinishStep(ctx, sr) })
	expect("a quick step ended", "out try 1\n", "↻ 1 boom", "↻ 2 bang", "◆ display.1 text/plain 1", "out try 2\n")
}
