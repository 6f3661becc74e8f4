package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestNotebookTestCellsRunUnderGoTest generates the gonb_test_cells
// notebook, whose %test cell declares a test and a benchmark, and runs the
// generated package's tests: go test runs the cell's functions beside the
// parity test, and the table the cell declares stays for the step after it.
func TestNotebookTestCellsRunUnderGoTest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a generated pipeline; skipped with -short")
	}
	_, out := generateAndBuild(t, caseNotebook(t, "gonb_test_cells"))
	output, err := goCommand(t, filepath.Dir(out), "test", "-v", "-bench", "Steps", "-benchtime", "1x", "./"+filepath.Base(out))
	if err != nil {
		t.Fatalf("go test: %v\n%s", err, output)
	}
	for _, want := range []string{"--- PASS: TestSteps", "checked 3 numbers\n", "--- PASS: TestNotebookParity", "BenchmarkSteps"} {
		if !strings.Contains(output, want) {
			t.Errorf("go test of the generated package does not print %q:\n%s", want, output)
		}
	}
}
