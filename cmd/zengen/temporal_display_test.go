package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/proctest"
)

// TestTemporalKeepsDisplaysOfAStepRunAlone runs a GoNB notebook whose two
// steps display on Temporal workers. counted reads package-level state, so
// a worker runs it in a process of its own, where it runs alone and keeps
// its display as a local run does; plain, run in a worker's process beside
// whatever else the worker runs, has its display refused (a display cannot
// tell which step made it), unless the worker runs one step at a time
// (--parallel 1). Each kept display is where the step's log says, as
// locally.
func TestTemporalKeepsDisplaysOfAStepRunAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated command and starts a Temporal server; skipped with -short")
	}
	bin, env, _ := temporalFixture(t, filepath.Join(repoRoot, "testdata", "temporal", "gonbdisplay.ipynb"), "gonbdisplay")
	command := func(args ...string) (string, error) {
		t.Helper()
		cmd := proctest.Command(t, bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	wantLogs := map[string]string{
		"counted": "shown 11\n[display counted.display.1: text/html, 9 bytes]\nafter\n",
		"plain":   "plain\n[display plain.display.1: text/markdown, 9 bytes]\ndone\n",
	}
	checkLogs := func(when string, steps ...string) {
		t.Helper()
		for _, step := range steps {
			if got, err := command("logs", "latest", step); err != nil || got != wantLogs[step] {
				t.Errorf("%s: logs of %s: %v\n%s\nwant:\n%s", when, step, err, got, wantLogs[step])
			}
		}
	}

	startWorker(t, bin, env)
	if out, err := command("run", "--orchestrator", "temporal", "--no-cache", "--only", "counted"); err != nil {
		t.Fatalf("counted on a worker of --parallel 4: %v\n%s", err, out)
	}
	checkLogs("counted in a process of its own", "counted")
	out, err := command("run", "--orchestrator", "temporal", "--no-cache")
	if err == nil || !strings.Contains(out, "✗ plain failed") || !strings.Contains(out, "this worker runs up to 4 steps at once") ||
		!strings.Contains(out, "--parallel 1") {
		t.Errorf("plain beside other steps on a worker: %v\n%s\nwant its display refused, saying why", err, out)
	}

	startWorker(t, bin, env, "--parallel", "1", "--task-queue", "one")
	out, err = command("run", "--orchestrator", "temporal", "--no-cache", "--task-queue", "one")
	if err != nil {
		t.Fatalf("on a worker of --parallel 1: %v\n%s", err, out)
	}
	checkLogs("on a worker of --parallel 1", "counted", "plain")
	// The submitting terminal says so, as a local run's does.
	for _, said := range []string{"◆ counted displayed counted.display.1: text/html, 9 bytes", "◆ plain displayed plain.display.1: text/markdown, 9 bytes"} {
		if !strings.Contains(out, said+"\n") {
			t.Errorf("the submitting terminal showed:\n%s\nwant a line %q", out, said)
		}
	}

	// A local run of the same binary keeps the same displays.
	env = append(env, "ZEN_HOME="+filepath.Join(t.TempDir(), "local"))
	if out, err := command("run"); err != nil {
		t.Fatalf("local run: %v\n%s", err, out)
	}
	checkLogs("locally", "counted", "plain")
}
