//go:build unix

package runtime

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// exitPipeline is a → b → c where b, as notebook code may, ends the process:
// with os.Exit(3), or by blocking until killed when ZEN_TEST_BLOCK names
// a marker file.
func exitPipeline() *Pipeline {
	b := wrap(intStep("b", 10, "a.a_out"), func(ctx context.Context, sc *StepContext, next func() error) error {
		if marker := os.Getenv("ZEN_TEST_BLOCK"); marker != "" {
			os.WriteFile(marker, nil, 0o644)
			select {}
		}
		os.Exit(3)
		return next()
	})
	return &Pipeline{Name: "exits", Steps: []*Step{intStep("a", 1), b, intStep("c", 100, "b.b_out")}}
}

// TestHelperExitProcess is not a test: TestStepCallsOSExit runs it as the
// supervised child of a run.
func TestHelperExitProcess(t *testing.T) {
	home := os.Getenv("ZEN_TEST_EXIT_HOME")
	if home == "" {
		t.Skip("helper process only")
	}
	engine.AttachRunReport()
	os.Exit(Exec(context.Background(), exitPipeline(), []string{"run", "--home", home, "--parallel", "1"}, os.Stdout, os.Stderr))
}

func superviseHelper(t *testing.T, home, block string) (int, string) {
	cmd := proctest.Command(t, os.Args[0], "-test.run=^TestHelperExitProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ZEN_TEST_EXIT_HOME="+home, "ZEN_TEST_BLOCK="+block)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	var stderr bytes.Buffer
	code, ok := engine.Supervise(exitPipeline(), cmd, &stderr)
	if !ok {
		t.Fatal("could not start the child")
	}
	return code, stderr.String()
}

func TestStepCallsOSExit(t *testing.T) {
	home := t.TempDir()
	code, stderr := superviseHelper(t, home, "")
	run, st := statuses(t, exitPipeline(), home, "latest")
	want := "process exited with status 3 during step b"
	if code != 3 || stderr != "exits run: run "+run.ID+" failed: "+want+"\n" {
		t.Errorf("exit %d, stderr %q; want exit 3 and the run's failure", code, stderr)
	}
	if run.Status != meta.RunFailed || run.Error != want {
		t.Errorf("run recorded as %s: %q; want failed: %q", run.Status, run.Error, want)
	}
	if diff := cmp.Diff(map[string]string{"a": "succeeded", "b": "failed"}, st); diff != "" {
		t.Errorf("step statuses (-want +got):\n%s", diff)
	}
	db := openTestDB(t, home)
	if sr, err := db.StepRun(t.Context(), run.ID, "b"); err != nil || sr.Error != want {
		t.Errorf("step b: %q %v, want %q", sr.Error, err, want)
	}
}

func TestStepKilledBySignal(t *testing.T) {
	home := t.TempDir()
	marker := filepath.Join(t.TempDir(), "b-started")
	go func() {
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if _, err := os.Stat(marker); err == nil {
				break
			}
		}
		db, err := meta.Open(context.Background(), filepath.Join(home, "meta.db"))
		if err != nil {
			return
		}
		defer db.Close()
		if runs, err := db.Runs(context.Background(), "exits", 1); err == nil && len(runs) == 1 {
			syscall.Kill(runs[0].PID, syscall.SIGKILL)
		}
	}()
	code, stderr := superviseHelper(t, home, marker)
	run, st := statuses(t, exitPipeline(), home, "latest")
	want := "process was killed by SIGKILL during step b"
	if code != 128+9 || stderr != "exits run: run "+run.ID+" failed: "+want+"\n" {
		t.Errorf("exit %d, stderr %q; want exit 137 and the run's failure", code, stderr)
	}
	if run.Status != meta.RunFailed || run.Error != want {
		t.Errorf("run recorded as %s: %q; want failed: %q", run.Status, run.Error, want)
	}
	if diff := cmp.Diff(map[string]string{"a": "succeeded", "b": "failed"}, st); diff != "" {
		t.Errorf("step statuses (-want +got):\n%s", diff)
	}
}
