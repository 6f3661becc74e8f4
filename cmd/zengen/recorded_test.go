package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCheckAndGenerateReproduceTheRecordedCommand: go generate runs zengen
// with flags in the notebook's folder; from the module root, check and
// generate given only the notebook find the tree, reproduce the recorded
// command byte for byte, and flags given then override the recorded ones.
func TestCheckAndGenerateReproduceTheRecordedCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds zengen in a user's module; skipped with -short")
	}
	t.Parallel()
	dir := userModule(t, "go tool zengen")
	// The notebook and its go:generate line move to research/, with flags
	// that check without them would get wrong.
	for _, name := range []string{"churn.ipynb", "doc.go"} {
		if err := os.MkdirAll(filepath.Join(dir, "research"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(dir, name), filepath.Join(dir, "research", name)); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(dir, "research", "doc.go"), "package research\n\n//go:generate go tool zengen generate churn.ipynb -o churn --package churnpipe --no-tests\n")
	zengen := func(in string, args ...string) (string, int) {
		return goIn(t, filepath.Join(dir, in), append([]string{"tool", "zengen"}, args...)...)
	}

	userGo(t, dir, "generate", "./...")
	userGo(t, dir, "mod", "tidy")
	generated := readTree(t, filepath.Join(dir, "research", "churn"))
	const recorded = "// zengen generate churn.ipynb -o churn --package churnpipe --no-tests\n"
	if !strings.Contains(generated["pipeline_zen.go"], recorded) {
		t.Fatalf("pipeline_zen.go does not record the complete command %q:\n%s", recorded, generated["pipeline_zen.go"])
	}

	for _, in := range []string{".", "research", "research/churn"} {
		nb, _ := filepath.Rel(filepath.Join(dir, in), filepath.Join(dir, "research", "churn.ipynb"))
		if out, status := zengen(in, "check", nb); status != exitOK || out != "" {
			t.Errorf("check %s in %s/ right after go generate: exit %d\n%s", nb, in, status, out)
		}
	}
	// With -o the command runs as typed, and the record gives the flags
	// it lacks.
	if out, status := zengen("research", "check", "churn.ipynb", "-o", "churn"); status != exitOK || out != "" {
		t.Errorf("check churn.ipynb -o churn in research/: exit %d\n%s", status, out)
	}
	if out, status := zengen(".", "check", "research/churn.ipynb", "--package", "other"); status != exitFindings || !strings.Contains(out, "+package other") {
		t.Errorf("check --package other: exit %d, want %d and a diff to package other\n%s", status, exitFindings, out)
	}

	notebook := filepath.Join(dir, "research", "churn.ipynb")
	original, err := os.ReadFile(notebook)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, notebook, strings.Replace(string(original), "xs := make([]float64, 200)", "xs := make([]float64, 150)", 1))
	diff, status := zengen(".", "check", "research/churn.ipynb")
	if status != exitFindings || !cmp.Equal(diffedFiles(diff), []string{"research/churn/step_load_zen.go"}) {
		t.Fatalf("check after an edit: exit %d, want %d and a diff of research/churn/step_load_zen.go alone\n%s", status, exitFindings, diff)
	}
	if out, status := zengen(".", "generate", "research/churn.ipynb"); status != exitOK || !strings.Contains(out, "research/churn.ipynb → research/churn (1 file written)") {
		t.Fatalf("generate without flags: exit %d\n%s", status, out)
	}
	byZengen := readTree(t, dir)
	userGo(t, dir, "generate", "./...")
	if diff := cmp.Diff(byZengen, readTree(t, dir)); diff != "" {
		t.Errorf("go generate after generate without flags changed the tree (-zengen +go generate):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "research", "churn", "churn", "pipeline_zen.go")); err == nil {
		t.Error("generate without flags wrote a second tree")
	}
	userGo(t, dir, "build", "./...")
}

// TestCheckFindsAStandaloneTreeBesideTheNotebook: outside any module, a
// standalone module generated into the notebook's folder (a module of its
// own, which the search must look into) is found and checked without flags.
func TestCheckFindsAStandaloneTreeBesideTheNotebook(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy; skipped with -short")
	}
	dir := t.TempDir()
	original, err := os.ReadFile(caseNotebook(t, "repl_churn"))
	if err != nil {
		t.Fatal(err)
	}
	notebook := filepath.Join(dir, "churn.ipynb")
	writeFile(t, notebook, string(original))
	if status, _, stderr := runZengen(t, "generate", notebook, "--module", "example.com/churn", "--runtime-replace", repoRoot, "--no-tests"); status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	if status, stdout, stderr := runZengen(t, "check", notebook); status != exitOK || stdout != "" {
		t.Errorf("check without flags: exit %d\nstdout:\n%s\nstderr:\n%s", status, stdout, stderr)
	}
}
