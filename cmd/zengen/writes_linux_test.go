package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/zengen-dev/zengen/internal/gomodtest"
	"github.com/zengen-dev/zengen/internal/proctest"
)

// These tests make a write fail halfway for real: a read-only file, a
// read-only folder, a full disk. They need root (for chattr and mount) and
// are skipped without it.

// mount mounts as mount(2) does and unmounts when the test ends; it skips
// the test where mounting is not permitted.
func mount(t *testing.T, source, target, fstype string, flags uintptr, data string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting needs root")
	}
	if err := syscall.Mount(source, target, fstype, flags, data); err != nil {
		t.Skipf("cannot mount here: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(target, 0); err != nil {
			t.Errorf("unmount %s: %v", target, err)
		}
	})
}

func TestAFailedWriteChangesNothing(t *testing.T) {
	module := gomodtest.Module(t, "example.com/failing")
	nb := filepath.Join(module, "failing.go")

	t.Run("read-only file", func(t *testing.T) {
		chattr, err := exec.LookPath("chattr")
		if err != nil || os.Geteuid() != 0 {
			t.Skip("needs chattr and root")
		}
		out := filepath.Join(module, "rofile")
		immutable := filepath.Join(out, "step_zulu_zen.go")
		var before map[string]map[string]string
		status, stderr := generateTwice(t, nb, out, twoSteps("1"), twoSteps("2"), func() {
			if out, err := proctest.Command(t, chattr, "+i", immutable).CombinedOutput(); err != nil {
				t.Skipf("chattr +i: %v\n%s", err, out)
			}
			t.Cleanup(func() { proctest.Command(t, chattr, "-i", immutable).Run() })
			before = map[string]map[string]string{out: readTree(t, out)}
		})
		wantRefused(t, status, stderr, "operation not permitted", before)
	})

	t.Run("read-only folder", func(t *testing.T) {
		out := filepath.Join(module, "rodir")
		ro := filepath.Join(out, "zz")
		var before map[string]map[string]string
		status, stderr := generateTwice(t, nb, out,
			twoSteps("1", "%%writefile zz/data.txt\nfirst\n"), twoSteps("2", "%%writefile zz/data.txt\nsecond\n"), func() {
				mount(t, ro, ro, "", syscall.MS_BIND, "")
				if err := syscall.Mount("", ro, "", syscall.MS_BIND|syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
					t.Skipf("cannot remount read-only: %v", err)
				}
				before = map[string]map[string]string{out: readTree(t, out)}
			})
		wantRefused(t, status, stderr, "read-only file system", before)
	})

	t.Run("full disk", func(t *testing.T) {
		out := filepath.Join(module, "full")
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		mount(t, "tmpfs", out, "tmpfs", 0, "size=1m")
		big := "%%writefile zz.txt\n" + strings.Repeat("0123456789abcdef\n", 8<<10)
		var before map[string]map[string]string
		status, stderr := generateTwice(t, nb, out, twoSteps("1"), twoSteps("2", big), func() {
			var st syscall.Statfs_t
			if err := syscall.Statfs(out, &st); err != nil {
				t.Fatal(err)
			}
			// Leave room for the small files, not for the big one.
			free := int64(st.Bavail) * st.Bsize
			writeFile(t, filepath.Join(out, ".filler"), strings.Repeat("x", int(free-32<<10)))
			before = map[string]map[string]string{out: readTree(t, out)}
		})
		wantRefused(t, status, stderr, "no space left on device", before)
	})

	// A folder generate makes gets its files under their own names at
	// once, not staged: a failure must still take them and it away.
	t.Run("full disk in a new folder", func(t *testing.T) {
		disk := filepath.Join(module, "small")
		if err := os.Mkdir(disk, 0o755); err != nil {
			t.Fatal(err)
		}
		mount(t, "tmpfs", disk, "tmpfs", 0, "size=1m")
		big := "%%writefile zz.txt\n" + strings.Repeat("0123456789abcdef\n", 128<<10)
		writeFile(t, nb, twoSteps("1", big))
		status, _, stderr := runZengen(t, "generate", nb, "-o", filepath.Join(disk, "new", "pipeline"))
		wantRefused(t, status, stderr, "no space left on device", map[string]map[string]string{disk: {}})
		if entries, err := os.ReadDir(disk); err != nil || len(entries) > 0 {
			t.Errorf("%s holds %v after a failed generate (%v), want nothing", disk, entries, err)
		}
	})
}

// TestStandaloneModuleWritesNothingBesideItsFolder generates a standalone
// module into a writable folder whose parent is read-only: go mod tidy's
// scratch copy must not go beside the output folder.
func TestStandaloneModuleWritesNothingBesideItsFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy; skipped with -short")
	}
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	nb := filepath.Join(t.TempDir(), "standalone.go")
	writeFile(t, nb, twoSteps("1"))
	mount(t, parent, parent, "", syscall.MS_BIND, "")
	if err := syscall.Mount("", parent, "", syscall.MS_BIND|syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only: %v", err)
	}
	mount(t, "tmpfs", out, "tmpfs", 0, "size=4m")
	args := []string{nb, "-o", out, "--module", "example.com/standalone", "--runtime-replace", repoRoot}
	if status, _, stderr := runZengen(t, append([]string{"generate"}, args...)...); status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	if status, stdout, stderr := runZengen(t, append([]string{"check"}, args...)...); status != exitOK {
		t.Errorf("check after generate: exit %d\n%s%s", status, stdout, stderr)
	}
}
