package runtime

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// startBlocked starts the helper process on the store in home and returns
// once its step b runs (and blocks, ignoring its context); out gathers what
// it prints.
func startBlocked(t *testing.T, home string) (cmd *exec.Cmd, out *bytes.Buffer) {
	t.Helper()
	marker := filepath.Join(t.TempDir(), "b-started")
	cmd = helperProcess(t, home, marker)
	out = &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(marker); err == nil {
			return cmd, out
		}
		if time.Now().After(deadline) {
			t.Fatalf("the helper never reached step b:\n%s", out)
		}
	}
}

// TestCancelFromAnotherProcess: cancel, run by another process, stops a
// run whose step ignores its context; the run ends recorded as cancelled,
// its running step cancelled and the next one skipped, and the process that
// ran it exits as an interrupted run does. A second cancel says the run is
// no longer running.
func TestCancelFromAnotherProcess(t *testing.T) {
	home := t.TempDir()
	cmd, out := startBlocked(t, home)
	p := processPipeline("", new(atomic.Int32))
	r := execIn(t, context.Background(), p, home, "cancel", "latest")
	run, st := statuses(t, p, home, "latest")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "run "+run.ID+" cancelled after ") || r.stderr != "" {
		cmd.Process.Kill()
		t.Errorf("cancel: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("the cancelled run's process ended with %v, want exit status 1", err)
	}
	if !strings.Contains(out.String(), "run "+run.ID+" cancelled after ") || !strings.Contains(out.String(), ": cancel requested") {
		t.Errorf("the cancelled run's process printed:\n%s", out)
	}
	if run.Status != meta.RunCancelled || run.Error != "cancel requested" {
		t.Errorf("run recorded as %s: %q; want cancelled: cancel requested", run.Status, run.Error)
	}
	if diff := cmp.Diff(map[string]string{"a": "succeeded", "b": "cancelled", "c": "skipped"}, st); diff != "" {
		t.Errorf("step statuses (-want +got):\n%s", diff)
	}

	r = execIn(t, context.Background(), p, home, "cancel", run.ID)
	if want := "proc cancel: run " + run.ID + " is not running: it was cancelled\n"; r.code != 1 || r.stderr != want {
		t.Errorf("cancel of a cancelled run: exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, want)
	}
	mustRun(t, p, home)
	r = execIn(t, context.Background(), p, home, "cancel", "latest")
	if r.code != 1 || !strings.HasSuffix(r.stderr, " is not running: it succeeded\n") {
		t.Errorf("cancel of a finished run: exit %d, stderr %q; want exit 1 saying it succeeded", r.code, r.stderr)
	}
	r = execIn(t, context.Background(), p, home, "cancel", "nosuch")
	if want := "proc cancel: run \"nosuch\": not found\n"; r.code != 1 || r.stderr != want {
		t.Errorf("cancel of an unknown run: exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, want)
	}
}

// TestCancelAbandonedRun: a run whose process is gone (kill -9) is not
// waited for; cancel marks it interrupted, as any command that opens the
// store would, and says so.
func TestCancelAbandonedRun(t *testing.T) {
	home := t.TempDir()
	cmd, _ := startBlocked(t, home)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	p := processPipeline("", new(atomic.Int32))
	r := execIn(t, context.Background(), p, home, "cancel", "latest")
	run, st := statuses(t, p, home, "latest")
	want := "proc cancel: run " + run.ID + " is not running: it was interrupted: " + meta.InterruptedError + "\n"
	if r.code != 1 || r.stderr != want {
		t.Errorf("cancel of an abandoned run: exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, want)
	}
	if run.Status != meta.RunInterrupted {
		t.Errorf("run recorded as %s, want interrupted", run.Status)
	}
	if diff := cmp.Diff(map[string]string{"a": "succeeded", "b": "interrupted"}, st); diff != "" {
		t.Errorf("step statuses (-want +got):\n%s", diff)
	}
}
