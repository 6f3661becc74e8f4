package blob

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/proctest"
)

// Environment variables that turn the test binary into a helper process.
const (
	helperModeEnv = "ZEN_BLOB_TEST_HELPER" // "write-forever" or "same-content"
	helperDirEnv  = "ZEN_BLOB_TEST_DIR"
)

func TestMain(m *testing.M) {
	switch os.Getenv(helperModeEnv) {
	case "":
		os.Exit(m.Run())
	case "write-forever":
		writeForever(os.Getenv(helperDirEnv))
	case "same-content":
		writeSameContent(os.Getenv(helperDirEnv))
	}
	os.Exit(2)
}

// writeForever commits 8 MiB blobs in 1 MiB writes until it is killed,
// reporting on stdout each write ("w") and each commit ("c DIGEST").
func writeForever(dir string) {
	s, err := OpenLocal(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		w, err := s.Create(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for j := range 8 {
			if _, err := w.Write(pattern(1<<20, byte(i*8+j))); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			fmt.Fprintln(out, "w")
			out.Flush()
		}
		digest, _, err := w.Commit()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Fprintln(out, "c", digest)
		out.Flush()
	}
}

// writeSameContent commits one fixed content 50 times and exits 0.
func writeSameContent(dir string) {
	s, err := OpenLocal(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	content := pattern(256<<10, 42)
	for range 50 {
		w, err := s.Create(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for i := 0; i < len(content); i += 8192 {
			w.Write(content[i : i+8192])
		}
		if _, _, err := w.Commit(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	os.Exit(0)
}

func helper(t *testing.T, mode, dir string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := proctest.Command(t, exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), helperModeEnv+"="+mode, helperDirEnv+"="+dir)
	cmd.Stderr = os.Stderr
	return cmd
}

func TestKillMidWriteLeavesNoPartialBlob(t *testing.T) {
	if testing.Short() {
		t.Skip("writes tens of megabytes in a subprocess")
	}
	// Kill after a varying number of reported writes so that the signal
	// lands in different phases: early, mid-blob, around a commit.
	for _, killAfterWrites := range []int{1, 5, 8, 13, 20} {
		t.Run(fmt.Sprintf("after %d writes", killAfterWrites), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "blobs")
			cmd := helper(t, "write-forever", dir)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var committed []string
			lines := bufio.NewScanner(stdout)
			for writes := 0; writes < killAfterWrites && lines.Scan(); {
				switch line := lines.Text(); {
				case line == "w":
					writes++
				case strings.HasPrefix(line, "c "):
					committed = append(committed, strings.TrimPrefix(line, "c "))
				}
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()

			s, err := OpenLocal(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range files(t, s.objects) {
				digest := DigestPrefix + strings.Replace(name, "/", "", 1)
				if err := s.Verify(digest); err != nil {
					t.Errorf("after kill -9, object %s: %v", name, err)
				}
			}
			for _, digest := range committed {
				if err := s.Verify(digest); err != nil {
					t.Errorf("blob reported committed before the kill: %v", err)
				}
			}
			if n := len(files(t, s.tmp)); n > 1 {
				t.Errorf("%d temporary files left; one writer can leave at most one", n)
			}
		})
	}
}

func TestTwoProcessesCommitSameContent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs subprocesses")
	}
	dir := filepath.Join(t.TempDir(), "blobs")
	cmds := []*exec.Cmd{helper(t, "same-content", dir), helper(t, "same-content", dir)}
	for _, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.AfterFunc(time.Minute, func() {
		for _, cmd := range cmds {
			cmd.Process.Kill()
		}
	})
	defer deadline.Stop()
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	s, err := OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := digestOf(pattern(256<<10, 42))
	if err := s.Verify(want); err != nil {
		t.Error(err)
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("files = %v, want the one object", got)
	}
}
