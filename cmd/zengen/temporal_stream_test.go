package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zengen-dev/zengen/internal/proctest"
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
	bin, env, marks := temporalFixture(t, filepath.Join(repoRoot, "testdata", "temporal", "talk.go"), "talk")
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

// TestTemporalKeepsStepStreamsApart runs on a worker process a step that
// prints to stdout and stderr, then waits for a file which this test
// creates only once the submitting command has shown the lines printed
// before, each on its stream: the submitting terminal shows a step's
// stdout on its stdout and its stderr on its stderr, in order, while the
// step runs and from its final record, as a local run of the same binary
// does.
func TestTemporalKeepsStepStreamsApart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated command and starts a Temporal server; skipped with -short")
	}
	bin, env, marks := temporalFixture(t, filepath.Join(repoRoot, "testdata", "temporal", "streams.go"), "streams")
	startWorker(t, bin, env)

	run := proctest.Command(t, bin, "run", "--orchestrator", "temporal")
	run.Env = append(os.Environ(), env...)
	stdout, err := run.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := run.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	// Each stream is read on its own; the step goes on once both have
	// shown its lines printed before it waits, wherever they went.
	var mu sync.Mutex
	var shown [2][]string
	before := map[string]bool{"[streams] out 2": true, "[streams] err 2": true}
	read := func(n int, r io.Reader, done chan<- struct{}) {
		lines := bufio.NewScanner(r)
		for lines.Scan() {
			mu.Lock()
			shown[n] = append(shown[n], lines.Text())
			if before[lines.Text()] {
				delete(before, lines.Text())
				if len(before) == 0 {
					if err := os.WriteFile(filepath.Join(marks, "go"), nil, 0o644); err != nil {
						t.Error(err)
					}
				}
			}
			mu.Unlock()
		}
		close(done)
	}
	outDone, errDone := make(chan struct{}), make(chan struct{})
	go read(0, stdout, outDone)
	go read(1, stderr, errDone)
	<-outDone
	<-errDone
	if err := run.Wait(); err != nil {
		t.Errorf("run --orchestrator temporal: %v\n%s", err, strings.Join(shown[1], "\n"))
	}
	wantOut := "[streams] out 1\n[streams] out 2\n[streams] out 3\n[streams] out 4"
	wantErr := "[streams] err 1\n[streams] err 2\n[streams] err 3\n[streams] err 4"
	if got := strings.Join(shown[0], "\n"); got != wantOut {
		t.Errorf("the submitting terminal's stdout showed:\n%s\nwant:\n%s", got, wantOut)
	}
	if got := strings.Join(stepLines(shown[1]), "\n"); got != wantErr {
		t.Errorf("the submitting terminal's stderr showed, of the step's lines:\n%s\nwant:\n%s", got, wantErr)
	}

	// A local run of the same binary prints the same lines on the same
	// streams.
	local := proctest.Command(t, bin, "run", "--home", t.TempDir())
	local.Env = append(os.Environ(), env...)
	var localErr strings.Builder
	local.Stderr = &localErr
	out, err := local.Output()
	if err != nil {
		t.Fatalf("local run: %v", err)
	}
	if got := strings.TrimSuffix(string(out), "\n"); got != wantOut {
		t.Errorf("a local run printed on stdout:\n%s\nwant the Temporal run's lines", got)
	}
	if got := strings.Join(stepLines(strings.Split(localErr.String(), "\n")), "\n"); got != wantErr {
		t.Errorf("a local run printed on stderr, of the step's lines:\n%s\nwant the Temporal run's lines", got)
	}
}

// stepLines keeps the lines a step printed, which its name leads, from
// the progress lines around them.
func stepLines(lines []string) []string {
	var kept []string
	for _, l := range lines {
		if strings.HasPrefix(l, "[") {
			kept = append(kept, l)
		}
	}
	return kept
}
