package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckOfAStandaloneModuleIsOffline is the README's first command,
// then check given the notebook and -o alone with no module proxy and an
// empty module cache: the go.mod that generate tidied records what tidy
// read and wrote, so check needs neither. When what tidy reads changes
// (here --module given anew), check says go.mod is stale instead of
// failing on the network.
func TestCheckOfAStandaloneModuleIsOffline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy; skipped with -short")
	}
	out := filepath.Join(t.TempDir(), "churn")
	notebook := caseNotebook(t, "repl_churn")
	if status, _, stderr := runZengen(t, "generate", notebook, "-o", out, "--module", "example.com/churn", "--runtime-replace", repoRoot); status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	gomod, err := os.ReadFile(filepath.Join(out, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gomod), "\n// zengen generate "+notebook+" -o ") || !strings.Contains(string(gomod), " --module example.com/churn --runtime-replace ") {
		t.Errorf("go.mod does not record the complete command:\n%s", gomod)
	}

	t.Setenv("GOPROXY", "off")
	t.Setenv("GOMODCACHE", t.TempDir())
	status, stdout, stderr := runZengen(t, "check", notebook, "-o", out)
	if status != exitOK || stdout != "" || stderr != "" {
		t.Errorf("offline check: exit %d\nstdout:\n%s\nstderr:\n%s", status, stdout, stderr)
	}
	status, stdout, stderr = runZengen(t, "check", notebook, "-o", out, "--module", "example.com/other")
	wantStale := "stale: " + filepath.ToSlash(out) + "/go.mod and go.sum: what go mod tidy reads changed since generate wrote them"
	if status != exitFindings || !strings.Contains(stdout, wantStale) || !strings.Contains(stdout, "+\t\"example.com/other\"") {
		t.Errorf("offline check with another --module: exit %d, want %d, %q and a diff of the import\nstdout:\n%s\nstderr:\n%s", status, exitFindings, wantStale, stdout, stderr)
	}
}

// TestTidyInputsFollowTheCheckoutsImports: with --runtime-replace, a new
// import in the checkout (a runtime that starts using another module's
// package) changes what go mod tidy writes into the generated go.mod, so
// it must change the digest that lets generate and check skip tidy; an
// edit that keeps the imports must not.
func TestTidyInputsFollowTheCheckoutsImports(t *testing.T) {
	checkout := t.TempDir()
	writeFile(t, filepath.Join(checkout, "go.mod"), "module github.com/zengen-dev/zengen\n\ngo 1.26\n")
	source := filepath.Join(checkout, "runtime", "run.go")
	digest := func(code string) string {
		t.Helper()
		writeFile(t, source, code)
		d, err := tidyInputsDigest([]byte("module example.com/churn\n"), filepath.ToSlash(checkout))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	before := digest("package runtime\n\nimport \"fmt\"\n\nfunc Run() { fmt.Println(1) }\n")
	if edited := digest("package runtime\n\nimport \"fmt\"\n\nfunc Run() { fmt.Println(2) }\n"); edited != before {
		t.Error("an edit that keeps the imports changed the tidy inputs digest")
	}
	if imported := digest("package runtime\n\nimport (\n\t\"fmt\"\n\n\t\"golang.org/x/term\"\n)\n\nfunc Run() { fmt.Println(term.IsTerminal(1)) }\n"); imported == before {
		t.Error("a new import in the checkout left the tidy inputs digest as it was")
	}
}
