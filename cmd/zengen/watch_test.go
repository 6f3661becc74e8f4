package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

// lockedBuffer is a bytes.Buffer that the watcher's goroutine may write
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// fakeGenerate stands in for generate: it counts its calls and prints what
// the test tells it to.
type fakeGenerate struct {
	mu    sync.Mutex
	calls int
	fail  bool // print a positioned problem and exit 1, as generate does
}

func (f *fakeGenerate) regenerate(stdout, stderr io.Writer) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.fail {
		fmt.Fprintf(stderr, "demo.ipynb:cell 2:1:5: undefined: fit\n")
		return exitFindings
	}
	fmt.Fprintf(stdout, "demo.ipynb → demo (generation %d)\n", f.calls)
	return exitOK
}

func (f *fakeGenerate) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func (f *fakeGenerate) setFail(fail bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = fail
}

// watchHarness runs a watcher on a notebook in a temporary folder.
type watchHarness struct {
	t              *testing.T
	notebook       string
	gen            *fakeGenerate
	stdout, stderr *lockedBuffer
	debounce       time.Duration
}

func startWatch(t *testing.T) *watchHarness {
	t.Helper()
	return startWatchOn(t, "demo.ipynb")
}

// startWatchOn runs a watcher on the notebook called name in a temporary
// folder.
func startWatchOn(t *testing.T, name string) *watchHarness {
	t.Helper()
	dir := t.TempDir()
	h := &watchHarness{
		t:        t,
		notebook: filepath.Join(dir, name),
		gen:      &fakeGenerate{},
		stdout:   &lockedBuffer{},
		stderr:   &lockedBuffer{},
		debounce: 150 * time.Millisecond,
	}
	h.save("{}")
	w := &watcher{
		notebooks:  []string{h.notebook},
		debounce:   h.debounce,
		regenerate: h.gen.regenerate,
		stdout:     h.stdout,
		stderr:     h.stderr,
		now:        func() time.Time { return time.Date(2026, 11, 25, 18, 30, 0, 0, time.UTC) },
	}
	stop := make(chan struct{})
	status := make(chan int, 1)
	go func() { status <- w.run(stop) }()
	t.Cleanup(func() {
		close(stop)
		select {
		case s := <-status:
			if s != exitOK {
				t.Errorf("watch exited with status %d after stop", s)
			}
		case <-time.After(10 * time.Second):
			t.Error("watch did not stop")
		}
	})
	h.waitFor(func() bool { return strings.Contains(h.stdout.String(), "watching ") }, "the watcher to start")
	return h
}

// save writes the notebook the way editors do: a temporary file renamed
// over it, so that the watcher must follow the name and not the file.
func (h *watchHarness) save(content string) {
	h.t.Helper()
	tmp := h.notebook + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
	if err := os.Rename(tmp, h.notebook); err != nil {
		h.t.Fatal(err)
	}
}

// waitFor polls cond; the deadline only keeps a broken watcher from
// hanging the test, it measures nothing.
func (h *watchHarness) waitFor(cond func() bool, what string) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s\nstdout:\n%s\nstderr:\n%s", what, h.stdout, h.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settle waits well past the debounce so that a regeneration that should
// not happen would have happened.
func (h *watchHarness) settle() { time.Sleep(4 * h.debounce) }

func (h *watchHarness) waitCalls(n int) {
	h.t.Helper()
	h.waitFor(func() bool { return h.gen.count() >= n }, fmt.Sprintf("regeneration %d", n))
	h.settle()
	if got := h.gen.count(); got != n {
		h.t.Fatalf("regenerated %d times, want %d\nstdout:\n%s", got, n, h.stdout)
	}
}

func TestWatchRegeneratesOncePerBurst(t *testing.T) {
	h := startWatch(t)
	h.waitCalls(1) // the first generation, on start

	h.save(`{"cells": [1]}`)
	h.save(`{"cells": [1, 2]}`)
	h.waitCalls(2)

	h.save(`{"cells": [1, 2, 3]}`)
	h.waitCalls(3)

	out := h.stdout.String()
	for _, want := range []string{
		"demo.ipynb → demo (generation 1)\nwatching " + h.notebook + " for changes",
		"18:30:00 " + h.notebook + " changed\ndemo.ipynb → demo (generation 2)\n",
		"demo.ipynb → demo (generation 3)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout does not contain %q:\n%s", want, out)
		}
	}
	if h.stderr.String() != "" {
		t.Errorf("stderr is not empty:\n%s", h.stderr)
	}
}

func TestWatchKeepsGoingAfterErrors(t *testing.T) {
	h := startWatch(t)
	h.waitCalls(1)

	h.gen.setFail(true)
	h.save(`{"broken": true}`)
	h.waitCalls(2)
	errs := h.stderr.String()
	for _, want := range []string{"demo.ipynb:cell 2:1:5: undefined: fit\n", "generate failed (exit status 1); fix the problems above and save again"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, errs)
		}
	}

	h.gen.setFail(false)
	h.save(`{"fixed": true}`)
	h.waitCalls(3)
	if !strings.Contains(h.stdout.String(), "(generation 3)") {
		t.Errorf("no successful regeneration after the fix:\n%s", h.stdout)
	}
}

func TestWatchIgnoresOtherFiles(t *testing.T) {
	h := startWatch(t)
	h.waitCalls(1)
	if err := os.WriteFile(filepath.Join(filepath.Dir(h.notebook), "other.ipynb"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(h.notebook, 0o600); err != nil {
		t.Fatal(err)
	}
	h.waitCalls(1)
}

// TestWatchFollowsThePairedNotebook checks that saving the notebook
// jupytext pairs with a percent script regenerates: its outputs are the
// script's parity expectations.
func TestWatchFollowsThePairedNotebook(t *testing.T) {
	h := startWatchOn(t, "demo.go")
	h.waitCalls(1)
	paired := filepath.Join(filepath.Dir(h.notebook), "demo.ipynb")
	if err := os.WriteFile(paired+".tmp", []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(paired+".tmp", paired); err != nil {
		t.Fatal(err)
	}
	h.waitCalls(2)
}

func TestWatchWaitsForARemovedNotebook(t *testing.T) {
	h := startWatch(t)
	h.waitCalls(1)
	if err := os.Remove(h.notebook); err != nil {
		t.Fatal(err)
	}
	h.waitFor(func() bool { return strings.Contains(h.stderr.String(), "is gone") }, "the removal to be reported")
	h.waitCalls(1)
	h.save("{}")
	h.waitCalls(2)
}

func TestWatchFailsOnAMissingFolder(t *testing.T) {
	var stderr bytes.Buffer
	w := &watcher{
		notebooks:  []string{filepath.Join(t.TempDir(), "no", "such", "demo.ipynb")},
		debounce:   time.Millisecond,
		regenerate: (&fakeGenerate{}).regenerate,
		stdout:     io.Discard,
		stderr:     &stderr,
		now:        time.Now,
	}
	if status := w.run(make(chan struct{})); status != exitFindings {
		t.Errorf("status %d, want %d", status, exitFindings)
	}
	if !strings.Contains(stderr.String(), "cannot watch") {
		t.Errorf("stderr does not say what failed:\n%s", &stderr)
	}
}

// TestWatchRunsGenerate watches a real notebook with the real generate: the
// first generation writes the package, a save that breaks a cell reports
// the cell's position, and the fix brings the package back up to date.
func TestWatchRunsGenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks generated code with the go command")
	}
	module := gomodtest.Module(t, "example.com/watch")
	original, err := os.ReadFile(filepath.Join(notebooksDir, "repl_churn", "churn.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	notebook := filepath.Join(module, "churn.ipynb")
	writeFile(t, notebook, string(original))
	out := filepath.Join(module, "churn")

	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	env := &environment{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr}
	stop := make(chan struct{})
	status := make(chan int, 1)
	go func() { status <- watchUntil([]string{notebook, "-o", out}, env, stop) }()
	h := &watchHarness{t: t, notebook: notebook, gen: &fakeGenerate{}, stdout: stdout, stderr: stderr}
	h.waitFor(func() bool { return strings.Contains(stdout.String(), "watching ") }, "the first generation")
	if !strings.Contains(stdout.String(), "files written") {
		t.Fatalf("the first generation wrote nothing:\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
	}

	// Break a cell: an undefined name in the training step.
	broken := strings.Replace(string(original), "fmt.Println(", "fmt.Println(undefinedThing, ", 1)
	if broken == string(original) {
		t.Fatal("the notebook has no fmt.Println( to break")
	}
	h.save(broken)
	h.waitFor(func() bool { return strings.Contains(stderr.String(), "generate failed") }, "the broken notebook to be reported")
	if !strings.Contains(stderr.String(), "churn.ipynb:cell ") || !strings.Contains(stderr.String(), "undefinedThing") {
		t.Errorf("the problem is not reported at its cell:\n%s", stderr)
	}

	h.save(string(original))
	h.waitFor(func() bool {
		return strings.Count(stdout.String(), "churn.ipynb changed") == 2 && strings.Count(stdout.String(), "→") >= 2
	}, "the fixed notebook to regenerate")

	close(stop)
	if s := <-status; s != exitOK {
		t.Errorf("watch exited with status %d", s)
	}
	t.Logf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
}

func TestWatchCommandLine(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantOut    string
		wantErr    string
	}{
		{"help", []string{"--help"}, exitOK, "zengen watch NOTEBOOK…", ""},
		{"no notebook", nil, exitUsage, "", "no notebook given"},
		{"generate's flags are checked", []string{"--split", "chapters", "a.ipynb"}, exitUsage, "", "--split must be one of"},
		{"unknown flag", []string{"--bogus", "a.ipynb"}, exitUsage, "", "unknown flag: --bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			env := &environment{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
			stop := make(chan struct{})
			close(stop)
			if got := watchUntil(tt.args, env, stop); got != tt.wantStatus {
				t.Errorf("status %d, want %d\nstderr:\n%s", got, tt.wantStatus, &stderr)
			}
			if !strings.Contains(stdout.String(), tt.wantOut) || !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("want stdout containing %q and stderr containing %q, got\nstdout:\n%s\nstderr:\n%s", tt.wantOut, tt.wantErr, &stdout, &stderr)
			}
		})
	}
}
