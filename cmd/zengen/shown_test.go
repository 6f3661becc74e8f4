package main

import (
	"path/filepath"
	"testing"
)

// TestShownValuesReproduce generates the REPL cases whose cells end in an
// expression as standalone modules and runs their generated parity tests:
// each step must show those values exactly as the kernel recorded them
// (gophernotes in the execute_result, lgo in stdout), and print nothing
// for the results of a trailing fmt.Printf.
func TestShownValuesReproduce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy and go test on generated modules; skipped with -short")
	}
	for _, name := range []string{"repl_shown", "lgo_shown"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), name)
			status, _, stderr := runZengen(t, "generate", caseNotebook(t, name), "-o", out, "--module", "example.com/"+name, "--runtime-replace", repoRoot)
			if status != exitOK {
				t.Fatalf("generate: exit %d\n%s", status, stderr)
			}
			if output, err := goCommand(t, out, "test", "-count=1", "."); err != nil {
				t.Errorf("the generated parity test fails: %v\n%s", err, output)
			}
		})
	}
}
