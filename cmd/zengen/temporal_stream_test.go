package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/internal/servertest"
)

// TestTemporalStreamsStepOutput runs a step on a worker process that
// prints two lines and then waits for a file which this test creates only
// once the submitting command's terminal has shown those lines: output
// that reached the terminal only when the step ended would leave the step
// waiting until it gives up. The terminal shows every line once, in order,
// as a local run of the same binary does.
func TestTemporalStreamsStepOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated command and starts a Temporal server; skipped with -short")
	}
	srv := servertest.StartTemporal(t)
	bin := temporalBinary(t, filepath.Join(repoRoot, "testdata", "temporal", "talk.go"), "talk")
	marks := t.TempDir()
	env := []string{"ZEN_TEMPORAL=" + srv.HostPort, "ZEN_TEST_MARK=" + marks, "ZEN_HOME=" + filepath.Join(t.TempDir(), "home")}
	startWorker(t, bin, env)

	run := proctest.Command(t, bin, "run", "--orchestrator", "temporal")
	run.Env = append(os.Environ(), env...)
	var progress strings.Builder
	run.Stderr = &progress
	stdout, err := run.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	var shown []string
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		shown = append(shown, lines.Text())
		if lines.Text() == "[talk] ready 2" {
			if err := os.WriteFile(filepath.Join(marks, "go"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := run.Wait(); err != nil {
		t.Errorf("run --orchestrator temporal: %v\n%s", err, progress.String())
	}
	want := []string{"[talk] ready 1", "[talk] ready 2", "[talk] went", "[talk] bye"}
	if got := strings.Join(shown, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("the submitting terminal showed:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}

	// A local run of the same binary prints the same lines.
	local := proctest.Command(t, bin, "run", "--home", t.TempDir())
	local.Env = append(os.Environ(), env...)
	out, err := local.Output()
	if err != nil {
		t.Fatalf("local run: %v", err)
	}
	if got := strings.TrimSuffix(string(out), "\n"); got != strings.Join(want, "\n") {
		t.Errorf("a local run printed:\n%s\nwant the Temporal run's lines", got)
	}
}
