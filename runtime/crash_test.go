package runtime

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// processPipeline is the pipeline the helper process runs: a → b → c. When
// blockIn names a marker file, b creates it and then blocks forever.
func processPipeline(blockIn string, runs *atomic.Int32) *Pipeline {
	b := wrap(intStep("b", 10, "a.a_out"), func(ctx context.Context, sc *StepContext, next func() error) error {
		if blockIn != "" {
			os.WriteFile(blockIn, nil, 0o644)
			select {}
		}
		return next()
	})
	return &Pipeline{Name: "proc", Steps: []*Step{
		counted(intStep("a", 1), runs), counted(b, runs), counted(intStep("c", 100, "b.b_out"), runs),
	}}
}

// TestHelperPipelineProcess is not a test: the tests below re-execute the
// test binary with ZEN_TEST_HOME set to run a pipeline in a process of its
// own, which they can kill.
func TestHelperPipelineProcess(t *testing.T) {
	home := os.Getenv("ZEN_TEST_HOME")
	if home == "" {
		t.Skip("helper process only")
	}
	var n atomic.Int32
	code := Exec(context.Background(), processPipeline(os.Getenv("ZEN_TEST_BLOCK"), &n), []string{"run", "--home", home},
		os.Stdout, os.Stderr)
	os.Exit(code)
}

func helperProcess(t *testing.T, home, block string) *exec.Cmd {
	cmd := proctest.Command(t, os.Args[0], "-test.run=^TestHelperPipelineProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ZEN_TEST_HOME="+home, "ZEN_TEST_BLOCK="+block)
	return cmd
}

func TestKillDashNineMidStepThenResume(t *testing.T) {
	home := t.TempDir()
	marker := filepath.Join(t.TempDir(), "b-started")
	cmd := helperProcess(t, home, marker)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the helper never reached step b")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	// The next command that opens the store notices the dead process.
	var n atomic.Int32
	p := processPipeline("", &n)
	run, st := statuses(t, p, home, "latest")
	if run.Status != meta.RunInterrupted {
		t.Errorf("run status %s, want interrupted", run.Status)
	}
	if diff := cmp.Diff(map[string]string{"a": "succeeded", "b": "interrupted"}, st); diff != "" {
		t.Errorf("statuses after kill -9 (-want +got):\n%s", diff)
	}
	// A writer killed mid-blob leaves at most a temporary file: every
	// object under its digest name is whole.
	store, err := engine.OpenStore(t.Context(), home)
	if err != nil {
		t.Fatal(err)
	}
	objects, _ := filepath.Glob(filepath.Join(home, "blobs", "objects", "*", "*"))
	for _, o := range objects {
		digest := "sha256:" + filepath.Base(filepath.Dir(o)) + filepath.Base(o)
		if err := blob.OpenLocalReadOnly(filepath.Join(home, "blobs")).Verify(digest); err != nil {
			t.Errorf("object %s: %v", o, err)
		}
	}
	// Inline artifacts commit with the record of their step: a step the
	// kill left recorded as succeeded has every output whole.
	steps, err := store.Meta.StepRuns(t.Context(), run.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, sr := range steps {
		if sr.Status != meta.StepSucceeded {
			continue
		}
		for _, o := range sr.Outputs {
			if err := store.Artifacts.Verify(t.Context(), o); err != nil {
				t.Errorf("output %s.%s: %v", sr.Step, o.Name, err)
			}
		}
	}
	store.Close()

	mustRun(t, p, home, "--resume", run.ID, "--no-cache")
	if got := n.Load(); got != 2 {
		t.Errorf("--resume ran %d steps, want 2 (b and c)", got)
	}
	_, st = statuses(t, p, home, "latest")
	if diff := cmp.Diff(map[string]string{"a": "cached", "b": "succeeded", "c": "succeeded"}, st); diff != "" {
		t.Errorf("statuses after resume (-want +got):\n%s", diff)
	}
	if got := catInt(t, p, home, "latest", "c.c_out"); got != 111 {
		t.Errorf("c = %d, want 111", got)
	}
}

func TestTwoProcessesShareAStore(t *testing.T) {
	home := t.TempDir()
	var cmds []*exec.Cmd
	outs := make([]bytes.Buffer, 2)
	for i := range 2 {
		cmd := helperProcess(t, home, "")
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outs[i].String())
		}
	}
	db := openTestDB(t, home)
	runs, err := db.Runs(t.Context(), "proc", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 {
		t.Fatalf("%d runs recorded, want 2", len(runs))
	}
	for _, r := range runs {
		if r.Status != meta.RunSucceeded {
			t.Errorf("run %s: %s %s", r.ID, r.Status, r.Error)
		}
	}
}
