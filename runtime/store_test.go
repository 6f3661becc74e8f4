package runtime

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/runtime/internal/artifact"
)

// readCommands are the commands that only read the store, with arguments
// for a run of storePipeline.
var readCommands = [][]string{
	{"runs"},
	{"show", "latest"},
	{"logs", "latest", "b"},
	{"artifacts", "latest"},
	{"cat", "latest", "b.b_out"},
	{"diff", "latest", "latest"},
	{"explain", "latest", "b"},
	{"dag"},
}

func storePipeline() *Pipeline {
	return &Pipeline{Name: "st", Steps: []*Step{intStep("a", 1), intStep("b", 2, "a.a_out")}}
}

func TestReadCommandsNeverCreateAStore(t *testing.T) {
	home := filepath.Join(t.TempDir(), "typo")
	for _, args := range readCommands {
		t.Run(args[0], func(t *testing.T) {
			r := execIn(t, t.Context(), storePipeline(), home, args...)
			if args[0] == "dag" {
				// dag shows the pipeline's code, not its runs.
				if r.code != 0 {
					t.Errorf("exit %d: %s", r.code, r.stderr)
				}
			} else {
				want := "st " + args[0] + ": no store at " + home +
					" (nothing has run with this store; --home or $ZEN_HOME chooses another)\n"
				if r.code != 1 || r.stderr != want {
					t.Errorf("exit %d, stderr %q; want exit 1, stderr %q", r.code, r.stderr, want)
				}
			}
			if _, err := os.Stat(home); !os.IsNotExist(err) {
				t.Errorf("%s created %s", args[0], home)
			}
		})
	}
}

// mountReadOnly makes dir available read-only at a new path, with a bind
// mount, which refuses writes to root as well. It skips the test where
// mounting is not allowed.
func mountReadOnly(t *testing.T, dir string) string {
	t.Helper()
	mnt := t.TempDir()
	if out, err := proctest.Command(t, "mount", "--bind", dir, mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot bind-mount (needs root): %v: %s", err, out)
	}
	t.Cleanup(func() { proctest.Command(t, "umount", mnt).Run() })
	if out, err := proctest.Command(t, "mount", "-o", "remount,ro,bind", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only: %v: %s", err, out)
	}
	if err := os.WriteFile(filepath.Join(mnt, "probe"), nil, 0o644); err == nil {
		t.Fatal("the read-only mount accepted a write")
	}
	return mnt
}

func TestReadCommandsOnAReadOnlyStore(t *testing.T) {
	home := t.TempDir()
	p := storePipeline()
	mustRun(t, p, home)
	// An artifact too large to be inline, so that cat reads the blob store.
	big := &Pipeline{Name: "st", Steps: []*Step{intStep("a", 1), wrap(intStep("b", 2, "a.a_out"),
		func(ctx context.Context, sc *StepContext, next func() error) error {
			if err := next(); err != nil {
				return err
			}
			return Save(sc, "big", Raw[[]byte](), []byte(strings.Repeat("x", 2*artifact.InlineThreshold)))
		})}}
	big.Steps[1].Outputs = append(big.Steps[1].Outputs, Output{Name: "big", Type: "[]byte", Codec: "raw"})
	mustRun(t, big, home, "--no-cache")
	ro := mountReadOnly(t, home)
	entries := func() []string {
		var names []string
		filepath.Walk(home, func(path string, info os.FileInfo, err error) error {
			names = append(names, path+" "+info.ModTime().String())
			return nil
		})
		return names
	}
	cmds := append(readCommands, []string{"cat", "latest", "b.big"})
	wants := make([]result, len(cmds))
	for i, args := range cmds {
		wants[i] = execIn(t, t.Context(), big, home, args...)
	}
	before := entries()
	for i, args := range cmds {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			got := execIn(t, t.Context(), big, ro, args...)
			if got.code != 0 {
				t.Fatalf("exit %d: %s", got.code, got.stderr)
			}
			if diff := cmp.Diff(wants[i].stdout, got.stdout); diff != "" {
				t.Errorf("output on the read-only store (-writable +read-only):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff(before, entries()); diff != "" {
		t.Errorf("reading changed the store (-before +after):\n%s", diff)
	}
	r := execIn(t, t.Context(), big, ro, "run")
	want := "st run: store at " + ro + " is read-only: run records into it (the commands that only read, such as runs and cat, work)\n"
	if r.code != 1 || r.stderr != want {
		t.Errorf("run on a read-only store: exit %d, stderr %q; want %q", r.code, r.stderr, want)
	}
}

// A run whose process died reads as interrupted on a read-only store too,
// although that store cannot record it.
func TestReadOnlyStoreShowsDeadRunsInterrupted(t *testing.T) {
	home := t.TempDir()
	marker := filepath.Join(t.TempDir(), "b-started")
	cmd := helperProcess(t, home, marker)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the helper never reached step b")
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	ro := mountReadOnly(t, home)
	var n atomic.Int32
	p := processPipeline("", &n)
	r := execIn(t, t.Context(), p, ro, "show", "latest", "--json")
	if r.code != 0 {
		t.Fatalf("show: exit %d: %s", r.code, r.stderr)
	}
	var got struct {
		Run struct {
			Status, Error string
		}
		Steps []struct{ Step, Status string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	statuses := map[string]string{}
	for _, s := range got.Steps {
		statuses[s.Step] = s.Status
	}
	if got.Run.Status != "interrupted" || got.Run.Error != "the process running it stopped" ||
		cmp.Diff(map[string]string{"a": "succeeded", "b": "interrupted"}, statuses) != "" {
		t.Errorf("show on the read-only store: run %s %q, steps %v; want the run and b interrupted\n%s",
			got.Run.Status, got.Run.Error, statuses, r.stdout)
	}
	if r := execIn(t, t.Context(), p, ro, "runs"); !strings.Contains(r.stdout, "interrupted") {
		t.Errorf("runs on the read-only store:\n%s", r.stdout)
	}
}
