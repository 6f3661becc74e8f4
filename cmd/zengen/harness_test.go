package main

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

var update = flag.Bool("update", false, "rewrite golden/<case>/ from what zengen does now: the generated tree, or stderr.txt of a case that fails (never the notebooks)")

// Paths from this package's folder, where `go test` runs the tests.
const (
	repoRoot     = "../.."
	notebooksDir = "../../testdata/notebooks"
	goldenDir    = "../../golden"
)

// goldenModulePath is the module path of golden/go.mod; generated trees are
// rendered inside a scratch module of that path so that their import paths
// are the ones the golden files hold.
const goldenModulePath = "github.com/zengen-dev/zengen/golden"

// runZengen runs the command line in memory.
func runZengen(t testing.TB, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = Run(args, strings.NewReader(""), &out, &errOut)
	return status, out.String(), errOut.String()
}

// expectedStderr names the file in golden/<case>/ that holds the expected
// errors of a case that must fail; a golden folder holds either it or a
// generated tree.
const expectedStderr = "stderr.txt"

// testCase is one folder of testdata/notebooks, with its expectations in the
// golden folder of the same name.
type testCase struct {
	name     string
	notebook string // path from this package's folder, as the harness passes it
	failing  bool   // golden/<case>/stderr.txt holds the expected errors
	expected bool   // golden/<case>/ holds an expectation
}

func testCases(t testing.TB) []testCase {
	t.Helper()
	entries, err := os.ReadDir(notebooksDir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []testCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(notebooksDir, e.Name())
		files, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		c := testCase{name: e.Name()}
		names := map[string]bool{}
		for _, f := range files {
			names[f.Name()] = true
		}
		for _, f := range files {
			switch {
			case f.Name() == expectedStderr:
				t.Fatalf("%s/%s: a case's expected errors belong in golden/%s/%s", dir, f.Name(), e.Name(), expectedStderr)
			case strings.HasSuffix(f.Name(), ".ipynb") && names[strings.TrimSuffix(f.Name(), ".ipynb")+".go"]:
				// The notebook jupytext pairs with the script: the
				// script is the input, this its recorded outputs.
			case strings.HasSuffix(f.Name(), ".ipynb") || strings.HasSuffix(f.Name(), ".go"):
				if c.notebook != "" {
					t.Fatalf("%s holds two inputs: %s and %s", dir, c.notebook, f.Name())
				}
				c.notebook = filepath.ToSlash(filepath.Join(dir, f.Name()))
			}
		}
		if c.notebook == "" {
			t.Fatalf("%s holds no notebook", dir)
		}
		c.failing, c.expected = expectation(t, c.name)
		cases = append(cases, c)
	}
	return cases
}

// expectation says what golden/<name>/ expects: errors (stderr.txt alone),
// a generated tree, or nothing yet (the folder is missing or empty).
func expectation(t testing.TB, name string) (failing, expected bool) {
	t.Helper()
	want := readTree(t, filepath.Join(goldenDir, name))
	for file := range want {
		if strings.HasSuffix(file, ".actual") {
			delete(want, file)
		}
	}
	if _, ok := want[expectedStderr]; ok {
		if len(want) > 1 {
			t.Fatalf("golden/%s holds %s beside a generated tree: a case either fails or generates", name, expectedStderr)
		}
		return true, true
	}
	return false, len(want) > 0
}

// TestGoldenFoldersHaveCases reports a golden folder whose case no longer
// exists, so that no expectation outlives its input unseen; -update removes
// it.
func TestGoldenFoldersHaveCases(t *testing.T) {
	cases := map[string]bool{}
	for _, c := range testCases(t) {
		cases[c.name] = true
	}
	entries, err := os.ReadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() || cases[e.Name()] {
			continue
		}
		dir := filepath.Join(goldenDir, e.Name())
		if *update {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("golden/%s has no case testdata/notebooks/%s; delete it or run go test ./cmd/zengen -update", e.Name(), e.Name())
	}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readTree reads every file under dir into a map keyed by slash path; a
// symlink's entry names its target.
func readTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			files[filepath.ToSlash(rel)] = "symlink to " + target
			return err
		}
		content, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = string(content)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}

// goCommand runs the go command in dir. Module downloads are allowed to
// update the scratch go.mod and go.sum, never the repository's.
func goCommand(t testing.TB, dir string, args ...string) (string, error) {
	t.Helper()
	return gomodtest.Go(t, dir, []string{"GOFLAGS=-mod=mod -buildvcs=false"}, args...)
}

// relativeNotebookPaths makes error output independent of where the test
// runs from: a notebook path reads as it would from the case's folder.
func relativeNotebookPaths(stderr string, c testCase) string {
	return strings.ReplaceAll(stderr, filepath.ToSlash(filepath.Dir(c.notebook))+"/", "")
}

// asGolden rewrites the scratch module's path in the command line that a
// generated tree records (-o, relative to this package's folder) to the
// golden module's: the line then says how to regenerate golden/<case>/
// from here, and the goldens do not change with the temporary folder.
func asGolden(t *testing.T, tree map[string]string, module string) map[string]string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, module)
	if err != nil {
		t.Fatal(err)
	}
	golden := make(map[string]string, len(tree))
	for name, content := range tree {
		golden[name] = strings.ReplaceAll(content, " -o "+filepath.ToSlash(rel)+"/", " -o "+goldenDir+"/")
	}
	return golden
}

// compareGolden compares a generated tree with its golden folder. On a
// mismatch it writes <file>.actual beside the golden file; with -update it
// replaces the golden folder.
func compareGolden(t *testing.T, caseName string, got map[string]string) {
	t.Helper()
	dir := filepath.Join(goldenDir, caseName)
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for name, content := range got {
			writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
		}
		return
	}
	want := readTree(t, dir)
	for name := range want {
		if strings.HasSuffix(name, ".actual") {
			delete(want, name)
			os.Remove(filepath.Join(dir, filepath.FromSlash(name)))
		}
	}
	for name, content := range got {
		w, ok := want[name]
		if !ok {
			t.Errorf("golden/%s/%s is missing (generated content written to %s.actual)", caseName, name, name)
			writeFile(t, filepath.Join(dir, filepath.FromSlash(name))+".actual", content)
			continue
		}
		if w != content {
			t.Errorf("golden/%s/%s differs from what zengen generates; see %s.actual beside it", caseName, name, name)
			writeFile(t, filepath.Join(dir, filepath.FromSlash(name))+".actual", content)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("golden/%s/%s is no longer generated", caseName, name)
		}
	}
}

// TestEndToEnd is the harness: every folder of testdata/notebooks is one
// case, and golden/<case>/ holds what it must do. A case whose golden
// folder holds stderr.txt must fail with exactly those errors and write
// nothing; any other case must generate exactly golden/<case>/, a second
// time byte for byte the same without touching a file, and pass check. With
// -update the case's outcome now, failing or generating, becomes its
// expectation.
func TestEndToEnd(t *testing.T) {
	module := gomodtest.Module(t, goldenModulePath)
	for _, c := range testCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(module, c.name)
			status, stdout, stderr := runZengen(t, "generate", c.notebook, "-o", out)
			failing := c.failing
			if *update {
				failing = status == exitFindings
			} else if !c.expected {
				t.Fatalf("golden/%s is missing; run go test ./cmd/zengen -update to record what generate does now (exit %d)", c.name, status)
			}
			if failing {
				checkFailingCase(t, c, out, status, stderr)
				return
			}
			if status != exitOK {
				t.Fatalf("generate %s: exit %d\n%s", c.notebook, status, stderr)
			}
			if !strings.Contains(stdout, "written") {
				t.Errorf("generate reported %q, want the files it wrote", stdout)
			}
			first := readTree(t, out)
			compareGolden(t, c.name, asGolden(t, first, module))

			stamps := modTimes(t, out)
			status, stdout, stderr = runZengen(t, "generate", c.notebook, "-o", out)
			if status != exitOK || !strings.Contains(stdout, "up to date") {
				t.Errorf("second generate: exit %d, stdout %q, stderr %q; want exit 0 and up to date", status, stdout, stderr)
			}
			if diff := diffMaps(first, readTree(t, out)); diff != "" {
				t.Errorf("second generate changed bytes:\n%s", diff)
			}
			if diff := diffMaps(stamps, modTimes(t, out)); diff != "" {
				t.Errorf("second generate touched unchanged files:\n%s", diff)
			}
			if status, stdout, stderr := runZengen(t, "check", c.notebook, "-o", out); status != exitOK {
				t.Errorf("check right after generate: exit %d\n%s%s", status, stdout, stderr)
			}
		})
	}
}

func checkFailingCase(t *testing.T, c testCase, out string, status int, stderr string) {
	t.Helper()
	if status != exitFindings {
		t.Errorf("exit %d, want %d", status, exitFindings)
	}
	for _, bad := range []string{"panic", "goroutine ", "internal error"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("stderr holds %q:\n%s", bad, stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed generate left %s behind", out)
	}
	got := relativeNotebookPaths(stderr, c)
	dir := filepath.Join(goldenDir, c.name)
	wantFile := filepath.Join(dir, expectedStderr)
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		writeFile(t, wantFile, got)
		return
	}
	os.Remove(wantFile + ".actual")
	want, err := os.ReadFile(wantFile)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("stderr differs from golden/%s/%s (written to %s.actual beside it)\n--- want\n%s--- got\n%s", c.name, expectedStderr, expectedStderr, want, got)
		writeFile(t, wantFile+".actual", got)
	}
}

func modTimes(t testing.TB, dir string) map[string]string {
	t.Helper()
	stamps := map[string]string{}
	for name := range readTree(t, dir) {
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		stamps[name] = fi.ModTime().Format(time.RFC3339Nano)
	}
	return stamps
}

// TestGoldenPackagesBuild compiles and vets every golden tree, copied into
// a module whose path matches golden/go.mod: the goldens are what users
// get, so they must build, not only match.
func TestGoldenPackagesBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every golden package; skipped with -short")
	}
	module := gomodtest.Module(t, goldenModulePath)
	copied := 0
	for _, c := range testCases(t) {
		if c.failing {
			continue
		}
		for name, content := range readTree(t, filepath.Join(goldenDir, c.name)) {
			if strings.HasSuffix(name, ".actual") {
				continue
			}
			writeFile(t, filepath.Join(module, c.name, filepath.FromSlash(name)), content)
			copied++
		}
	}
	if copied == 0 {
		t.Fatal("no golden files to build")
	}
	if out, err := goCommand(t, module, "vet", "./..."); err != nil {
		t.Fatalf("go vet ./... of the golden packages: %v\n%s", err, out)
	}
	if out, err := goCommand(t, module, "build", "./..."); err != nil {
		t.Fatalf("go build ./... of the golden packages: %v\n%s", err, out)
	}
}

func diffMaps(a, b map[string]string) string {
	var lines []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			lines = append(lines, "removed "+k)
		} else if v != w {
			lines = append(lines, "changed "+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			lines = append(lines, "added "+k)
		}
	}
	return strings.Join(lines, "\n")
}
