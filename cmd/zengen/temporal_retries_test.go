package main

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/proctest"
)

// TestTemporalShowsRetries runs on a worker process two steps with
// retries=2 that fail their first attempt: flaky then waits for a file
// which this test creates only once the submitting terminal has shown its
// retry, so a retry shown only when the step ended would leave it waiting
// until it gives up; quick ends at once. The submitting terminal's stderr
// shows each retry once, before the step's ✓, as the same line a local
// run of the same binary shows.
func TestTemporalShowsRetries(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated command and starts a Temporal server; skipped with -short")
	}
	bin, env, marks := temporalFixture(t, filepath.Join(repoRoot, "testdata", "temporal", "retries.go"), "retries")
	startWorker(t, bin, env)

	run := proctest.Command(t, bin, "run", "--orchestrator", "temporal")
	run.Env = append(os.Environ(), env...)
	stderr, err := run.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	var shown []string
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		shown = append(shown, lines.Text())
		if strings.HasPrefix(lines.Text(), "↻ flaky attempt 1 failed") {
			if err := os.WriteFile(filepath.Join(marks, "go"), nil, 0o644); err != nil {
				t.Error(err)
			}
		}
	}
	if err := run.Wait(); err != nil {
		t.Errorf("run --orchestrator temporal: %v\n%s", err, strings.Join(shown, "\n"))
	}

	// A local run of the same binary, its steps' first attempts to come.
	localMarks := t.TempDir()
	if err := os.WriteFile(filepath.Join(localMarks, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	local := proctest.Command(t, bin, "run", "--home", t.TempDir())
	local.Env = append(os.Environ(), append(env, "ZEN_TEST_MARK="+localMarks)...)
	var localErr strings.Builder
	local.Stderr = &localErr
	if err := local.Run(); err != nil {
		t.Fatalf("local run: %v\n%s", err, localErr.String())
	}
	localLines := strings.Split(localErr.String(), "\n")
	for _, step := range []string{"flaky", "quick"} {
		want := retryLines(localLines, step)
		if len(want) != 1 || !strings.HasPrefix(want[0], "↻ "+step+" attempt 1 failed: panic: "+step+": first try") ||
			!strings.HasSuffix(want[0], "; retrying") {
			t.Fatalf("a local run shows %s's retries as %q; want one line, attempt 1:\n%s", step, want, localErr.String())
		}
		if got := retryLines(shown, step); !slices.Equal(got, want) {
			t.Errorf("the submitting terminal's stderr shows %s's retries as %q; want a local run's %q:\n%s",
				step, got, want, strings.Join(shown, "\n"))
		}
		retried := slices.Index(shown, want[0])
		done := slices.IndexFunc(shown, func(l string) bool { return strings.HasPrefix(l, "✓ "+step+" ") })
		if retried < 0 || done < retried {
			t.Errorf("%s's retry (line %d) does not come before its ✓ (line %d):\n%s", step, retried, done, strings.Join(shown, "\n"))
		}
	}
}

// retryLines keeps the lines that say a step is retried.
func retryLines(lines []string, step string) []string {
	var kept []string
	for _, l := range lines {
		if strings.HasPrefix(l, "↻ "+step+" ") {
			kept = append(kept, l)
		}
	}
	return kept
}
