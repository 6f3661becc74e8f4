package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/runtime/display/gonbui"
)

// displayStep returns a step that displays as generated code marks such
// steps: Alone, so that the runtime runs it by itself.
func displayStep(name string, run func(ctx context.Context, sc *StepContext) error) *Step {
	return &Step{Name: name, Func: strings.ToUpper(name[:1]) + name[1:], CodeHash: "code-" + name, Pos: "test.ipynb:cell 1",
		Alone: "gonbui.DisplayHTML at test.ipynb:cell 1:1:1", Run: run}
}

// TestDisplaysComeWhereTheStepDisplayedThem interleaves prints to the
// step's writer, prints to os.Stdout (through the pipe of a step running
// alone) and displays, one of them in the middle of a line: logs places
// each display where it came, logs --stdout holds the prints alone, and cat
// --output writes the bytes the call got, binary ones included.
func TestDisplaysComeWhereTheStepDisplayedThem(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\xff binary"
	p := &Pipeline{Name: "shown", Steps: []*Step{displayStep("chart", func(ctx context.Context, sc *StepContext) error {
		fmt.Fprintln(Stdout(ctx), "to the step's writer")
		gonbui.DisplayHTML("<b>one</b>")
		fmt.Print("to os.Stdout, then ")
		gonbui.DisplayPNG([]byte(png))
		fmt.Println("the rest of the line")
		fmt.Fprintln(Stderr(ctx), "to stderr")
		gonbui.DisplayMarkdown("")
		return nil
	})}}
	for _, parallel := range []string{"1", "4"} {
		home := t.TempDir()
		r := mustRun(t, p, home, "--parallel", parallel)
		if !strings.Contains(r.stderr, "◆ chart displayed chart.display.2: image/png, 17 bytes\n") {
			t.Errorf("--parallel %s: run does not show the PNG display:\n%s", parallel, r.stderr)
		}
		want := "to the step's writer\n[display chart.display.1: text/html, 10 bytes]\nto os.Stdout, then \n" +
			"[display chart.display.2: image/png, 17 bytes]\nthe rest of the line\nto stderr\n[display chart.display.3: text/markdown, 0 bytes]\n"
		if got := execIn(t, t.Context(), p, home, "logs", "latest", "chart").stdout; got != want {
			t.Errorf("--parallel %s: logs latest chart =\n%s\nwant\n%s", parallel, got, want)
		}
		wantStdout := "to the step's writer\nto os.Stdout, then the rest of the line\n"
		if got := execIn(t, t.Context(), p, home, "logs", "latest", "chart", "--stdout").stdout; got != wantStdout {
			t.Errorf("--parallel %s: logs --stdout = %q, want %q", parallel, got, wantStdout)
		}
		list := execIn(t, t.Context(), p, home, "artifacts", "latest").stdout
		for _, line := range []string{"chart.display.1  text/html ", "chart.display.2  image/png ", "chart.display.3  text/markdown "} {
			if !strings.Contains(list, line) {
				t.Errorf("artifacts lacks %q:\n%s", line, list)
			}
		}
		for name, want := range map[string]string{"chart.display.1": "<b>one</b>", "chart.display.2": png, "chart.display.3": ""} {
			file := filepath.Join(t.TempDir(), "out")
			if r := execIn(t, t.Context(), p, home, "cat", "latest", name, "--output", file); r.code != 0 {
				t.Fatalf("cat %s --output: exit %d: %s", name, r.code, r.stderr)
			}
			if got, err := os.ReadFile(file); err != nil || string(got) != want {
				t.Errorf("cat %s --output wrote %q (%v), want %q", name, got, err, want)
			}
		}
		if r := execIn(t, t.Context(), p, home, "cat", "latest", "chart.display.1"); r.code != 0 || r.stdout != "<b>one</b>\n" {
			t.Errorf("cat chart.display.1: exit %d, %q, %s; want the HTML", r.code, r.stdout, r.stderr)
		}
		r = execIn(t, t.Context(), p, home, "cat", "latest", "chart.display.2")
		if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "chart.display.2 is a display of 17 bytes of image/png, not text: write it to a file with cat --output FILE") {
			t.Errorf("cat of a PNG without --output: exit %d, stdout %q, stderr %q; want a refusal", r.code, r.stdout, r.stderr)
		}
	}
}

// TestARetriedStepKeepsTheDisplaysOfItsLastAttempt: the failed attempt's
// display is not an output of the step, and the log places the kept one
// after both attempts' prints.
func TestARetriedStepKeepsTheDisplaysOfItsLastAttempt(t *testing.T) {
	attempt := 0
	s := displayStep("flaky", func(ctx context.Context, sc *StepContext) error {
		attempt++
		fmt.Fprintf(Stdout(ctx), "attempt %d\n", attempt)
		gonbui.DisplayHTML(fmt.Sprintf("attempt %d", attempt))
		if attempt == 1 {
			return errors.New("first attempt fails")
		}
		return nil
	})
	s.Options.Retries = 1
	p := &Pipeline{Name: "retried", Steps: []*Step{s}}
	home := t.TempDir()
	mustRun(t, p, home)
	want := "attempt 1\nattempt 2\n[display flaky.display.1: text/html, 9 bytes]\n"
	if got := execIn(t, t.Context(), p, home, "logs", "latest", "flaky").stdout; got != want {
		t.Errorf("logs latest flaky = %q, want %q", got, want)
	}
	if list := execIn(t, t.Context(), p, home, "artifacts", "latest").stdout; strings.Count(list, "display.") != 1 {
		t.Errorf("artifacts lists other displays than the last attempt's:\n%s", list)
	}
	if r := execIn(t, t.Context(), p, home, "cat", "latest", "flaky.display.1"); r.stdout != "attempt 2\n" {
		t.Errorf("cat flaky.display.1 = %q (%s), want the second attempt's", r.stdout, r.stderr)
	}
}

// TestACachedStepBringsItsDisplays: the run that reuses a step lists its
// displays and cat reads them.
func TestACachedStepBringsItsDisplays(t *testing.T) {
	p := &Pipeline{Name: "cachedshown", Steps: []*Step{displayStep("plot", func(ctx context.Context, sc *StepContext) error {
		gonbui.DisplaySVG("<svg/>")
		return nil
	})}}
	home := t.TempDir()
	mustRun(t, p, home)
	r := mustRun(t, p, home)
	if !strings.Contains(r.stderr+r.stdout, "cached") {
		t.Fatalf("second run did not reuse plot:\n%s%s", r.stdout, r.stderr)
	}
	if list := execIn(t, t.Context(), p, home, "artifacts", "latest").stdout; !strings.Contains(list, "plot.display.1  image/svg+xml") {
		t.Errorf("artifacts of the cached run lacks the display:\n%s", list)
	}
	if r := execIn(t, t.Context(), p, home, "cat", "latest", "plot.display.1"); r.stdout != "<svg/>\n" {
		t.Errorf("cat plot.display.1 = %q (%s)", r.stdout, r.stderr)
	}
	if r := execIn(t, t.Context(), p, home, "logs", "latest", "plot"); r.stdout != "[display plot.display.1: image/svg+xml, 6 bytes]\n" {
		t.Errorf("logs of the cached step = %q (%s), want its display where it came when it ran", r.stdout, r.stderr)
	}
}

// TestADisplayOutsideAStepFailsLoudly: with no step running alone there
// is no step to store a display in, and the call panics rather than lose
// it.
func TestADisplayOutsideAStepFailsLoudly(t *testing.T) {
	defer func() {
		if v := recover(); v == nil || !strings.Contains(fmt.Sprint(v), "display outside a running step") {
			t.Errorf("panic %v, want one about a display outside a running step", v)
		}
	}()
	gonbui.DisplayHTML("lost?")
}
