package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/internal/proctest"
)

// mountTmpfs mounts a file system of size bytes on a new directory. It
// skips the test where mounting is not allowed.
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := proctest.Command(t, "mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v: %s", err, out)
	}
	t.Cleanup(func() { proctest.Command(t, "umount", dir).Run() })
	return dir
}

// fillDisk writes a file in dir until its file system is full.
func fillDisk(dir string) error {
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		return err
	}
	defer f.Close()
	chunk := make([]byte, 4<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return nil
			}
			return err
		}
	}
}

// stable replaces the parts of a run's terminal output that change from
// run to run.
func stable(s, home string) string {
	s = strings.ReplaceAll(s, home, "HOME")
	s = regexp.MustCompile(`\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}`).ReplaceAllString(s, "RUN")
	return regexp.MustCompile(`(after|✓ \w+) [0-9.]+[µmn]?s`).ReplaceAllString(s, "$1 T")
}

// A full disk is one message naming what could not be stored, and a way
// on: no foreign-key errors, no message per later record.
func TestFullDisk(t *testing.T) {
	tests := []struct {
		name string
		run  func(home string, sc *StepContext) error
		want string
	}{
		{
			"a blob larger than the disk",
			func(home string, sc *StepContext) error {
				return Save(sc, "o1", Raw[[]byte](), make([]byte, 4<<20))
			},
			"▶ a\n✓ a T\n▶ big\n✗ big failed after T: step big: output o1: no space left on the store's disk\n" +
				"- c skipped: upstream step big failed\n" +
				"run RUN failed after T: the store at HOME is full: free space (or choose another store with --home), " +
				"then 'full run --resume RUN' runs what did not finish\n",
		},
		{
			"records after the disk filled",
			func(home string, sc *StepContext) error {
				if err := fillDisk(home); err != nil {
					return err
				}
				for _, o := range []string{"o1", "o2"} {
					if err := Save(sc, o, Raw[[]byte](), make([]byte, 15<<10)); err != nil {
						return err
					}
				}
				return nil
			},
			"▶ a\n✓ a T\n▶ big\n✓ big T\n✗ step big: outputs big.o1, big.o2 could not be recorded: no space left on the store's disk\n" +
				"⊘ c cancelled\n" +
				"run RUN failed after T: the store at HOME is full: free space (or choose another store with --home), " +
				"then 'full run --resume RUN' runs what did not finish\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := mountTmpfs(t, 2<<20)
			big := &Step{Name: "big", CodeHash: "c", Pos: "test.ipynb:cell 2", After: []string{"a"},
				Outputs: []Output{{Name: "o1", Type: "[]byte", Codec: "raw"}, {Name: "o2", Type: "[]byte", Codec: "raw"}},
				Run: func(ctx context.Context, sc *StepContext) error {
					if os.Getenv("ZEN_TEST_DISK_FREED") != "" {
						for _, o := range []string{"o1", "o2"} {
							if err := Save(sc, o, Raw[[]byte](), []byte("small")); err != nil {
								return err
							}
						}
						return nil
					}
					return tc.run(home, sc)
				}}
			p := &Pipeline{Name: "full", Steps: []*Step{intStep("a", 1), big, intStep("c", 1, "a.a_out")}}
			p.Steps[2].After = []string{"big"}
			r := execIn(t, t.Context(), p, home, "run", "--parallel", "1")
			if r.code != 1 {
				t.Errorf("exit %d, want 1", r.code)
			}
			if diff := cmp.Diff(tc.want, stable(r.stderr, home)); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			// The way on: free space, resume.
			os.Remove(filepath.Join(home, "filler"))
			t.Setenv("ZEN_TEST_DISK_FREED", "1")
			id := regexp.MustCompile(`--resume (\S+)'`).FindStringSubmatch(r.stderr)
			if id == nil {
				t.Fatal("no run id in the hint")
			}
			mustRun(t, p, home, "--resume", id[1])
			if _, st := statuses(t, p, home, "latest"); st["c"] != "succeeded" {
				t.Errorf("after the resume: %v", st)
			}
		})
	}
}
