package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

func TestCommandLine(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.ipynb")
	tests := []struct {
		name     string
		args     []string
		status   int
		stdout   string // substring expected on stdout
		stderr   string // substring expected on stderr
		noStdout bool
		noStderr bool
	}{
		{name: "no command", args: nil, status: exitUsage, stderr: "Commands:"},
		{name: "help", args: []string{"help"}, status: exitOK, stdout: "generate", noStderr: true},
		{name: "help of a verb", args: []string{"help", "check"}, status: exitOK, stdout: "Examples:", noStderr: true},
		{name: "unknown command", args: []string{"bogus"}, status: exitUsage, stderr: `unknown command "bogus"`, noStdout: true},
		{name: "generate without notebook", args: []string{"generate"}, status: exitUsage, stderr: "no notebook given"},
		{name: "generate --help", args: []string{"generate", "--help"}, status: exitOK, stdout: "--runtime-replace", noStderr: true},
		{name: "generate -h", args: []string{"generate", "-h"}, status: exitOK, stdout: "Examples:", noStderr: true},
		{name: "unknown flag", args: []string{"generate", "--bogus", "x.ipynb"}, status: exitUsage, stderr: "unknown flag: --bogus"},
		{name: "bad split", args: []string{"generate", "x.ipynb", "--split", "rows"}, status: exitUsage, stderr: `--split must be one of`},
		{name: "replace without module", args: []string{"generate", "x.ipynb", "--runtime-replace", "."}, status: exitUsage, stderr: "--runtime-replace needs --module"},
		{name: "package named by a keyword", args: []string{"generate", "../../testdata/notebooks/script_percent/wordcount.go", "-o", t.TempDir(), "--package", "func"},
			status: exitFindings, stderr: `wordcount.go: invalid package name "func": a Go keyword`, noStdout: true},
		{name: "package main", args: []string{"generate", "../../testdata/notebooks/script_percent/wordcount.go", "-o", t.TempDir(), "--package", "main"},
			status: exitFindings, stderr: `invalid package name "main": package main is a program, which the command cannot import`, noStdout: true},
		{name: "unreadable notebook", args: []string{"generate", missing, "-o", t.TempDir()}, status: exitFindings, stderr: "cannot read notebook", noStdout: true},
		{name: "check without notebook", args: []string{"check"}, status: exitUsage, stderr: "no notebook given"},
		{name: "check takes generate's flags", args: []string{"check", "--help"}, status: exitOK, stdout: "--no-line-directives", noStderr: true},
		{name: "check bad split", args: []string{"check", "x.ipynb", "--split", "rows"}, status: exitUsage, stderr: "zengen check: --split must be one of"},
		{name: "inspect two notebooks", args: []string{"inspect", "a.ipynb", "b.ipynb"}, status: exitUsage, stderr: "exactly one notebook"},
		{name: "inspect bad format", args: []string{"inspect", "a.ipynb", "--format", "svg"}, status: exitUsage, stderr: "--format must be one of"},
		{name: "version", args: []string{"version"}, status: exitOK, stdout: "zengen ", noStderr: true},
		{name: "--version", args: []string{"--version"}, status: exitOK, stdout: "zengen ", noStderr: true},
		{name: "version with arguments", args: []string{"version", "extra"}, status: exitUsage, stderr: "no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := runZengen(t, tt.args...)
			if status != tt.status {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", status, tt.status, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			if tt.noStdout && stdout != "" {
				t.Errorf("unexpected stdout:\n%s", stdout)
			}
			if tt.noStderr && stderr != "" {
				t.Errorf("unexpected stderr:\n%s", stderr)
			}
		})
	}
}

// TestCheckFindsStaleMissingAndOrphanedFiles edits a generated tree in
// every way check must notice, next to files check must leave alone, then
// lets generate repair it.
func TestCheckFindsStaleMissingAndOrphanedFiles(t *testing.T) {
	notebook := caseNotebook(t, "auto_cells")
	module := gomodtest.Module(t, "example.com/check")
	out := filepath.Join(module, "sums")
	if status, _, stderr := runZengen(t, "generate", notebook, "-o", out); status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	generated := readTree(t, out)
	var stalePath, missingPath string
	for name := range generated {
		switch {
		case strings.HasPrefix(name, "cmd/"):
			missingPath = name
		case strings.HasSuffix(name, "_zen.go") && !strings.HasSuffix(name, "_test.go") && stalePath == "":
			stalePath = name
		}
	}
	if stalePath == "" || missingPath == "" {
		t.Fatalf("generated tree lacks a command or a package file: %v", generated)
	}
	writeFile(t, filepath.Join(out, stalePath), generated[stalePath]+"// a hand edit\n")
	if err := os.Remove(filepath.Join(out, missingPath)); err != nil {
		t.Fatal(err)
	}
	orphan := "// Code generated by zengen from " + notebook + ". DO NOT EDIT.\n\npackage sums\n"
	writeFile(t, filepath.Join(out, "removed_step_zen.go"), orphan)
	untouchable := map[string]string{
		"helpers.go":              "package sums\n\n// Hand-written code beside the generated package.\n",
		"other_zen.go":            "// Code generated by zengen from other.ipynb. DO NOT EDIT.\n\npackage sums\n",
		"stringer_string.go":      "// Code generated by \"stringer -type=Kind\"; DO NOT EDIT.\n\npackage sums\n",
		".zen/blobs/old_zen.go":   orphan,
		"testdata/fixture_zen.go": orphan,
	}
	for name, content := range untouchable {
		writeFile(t, filepath.Join(out, filepath.FromSlash(name)), content)
	}

	status, stdout, stderr := runZengen(t, "check", notebook, "-o", out)
	if status != exitFindings {
		t.Errorf("check: exit %d, want %d\n%s", status, exitFindings, stderr)
	}
	for _, want := range []string{
		"missing: " + filepath.ToSlash(filepath.Join(out, missingPath)),
		"orphaned: " + filepath.ToSlash(filepath.Join(out, "removed_step_zen.go")),
		"--- " + filepath.ToSlash(filepath.Join(out, stalePath)),
		"-// a hand edit",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, stdout)
		}
	}
	for name := range untouchable {
		if strings.Contains(stdout, name) {
			t.Errorf("check reports %s, which zengen did not generate from this notebook:\n%s", name, stdout)
		}
	}
	if !strings.Contains(stderr, "3 generated files out of date") {
		t.Errorf("check summary: %q", stderr)
	}

	if status, _, stderr := runZengen(t, "generate", notebook, "-o", out); status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	after := readTree(t, out)
	for name, content := range untouchable {
		if after[name] != content {
			t.Errorf("generate changed %s", name)
		}
		delete(after, name)
	}
	if diff := diffMaps(generated, after); diff != "" {
		t.Errorf("generate did not restore the tree:\n%s", diff)
	}
	if status, stdout, stderr := runZengen(t, "check", notebook, "-o", out); status != exitOK {
		t.Errorf("check after generate: exit %d\n%s%s", status, stdout, stderr)
	}
}

// TestGenerateIsAllOrNothing names a good and a broken notebook: nothing
// may be written for either.
func TestGenerateIsAllOrNothing(t *testing.T) {
	module := gomodtest.Module(t, "example.com/atomic")
	out := filepath.Join(module, "pipelines")
	status, _, stderr := runZengen(t, "generate", caseNotebook(t, "auto_cells"), caseNotebook(t, "duplicate_step"), "-o", out)
	if status != exitFindings {
		t.Errorf("exit %d, want %d\n%s", status, exitFindings, stderr)
	}
	if !strings.Contains(stderr, "duplicate.ipynb:cell 3") {
		t.Errorf("stderr does not name the duplicate step:\n%s", stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists after a failed generate", out)
	}
}

// TestOutputFolders covers where generated trees go without -o and with
// several notebooks, and the import path of the command.
func TestOutputFolders(t *testing.T) {
	module := gomodtest.Module(t, "example.com/layout")
	for _, name := range []string{"auto_cells", "auto_headings"} {
		src := caseNotebook(t, name)
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(module, "notebooks", filepath.Base(src)), string(data))
	}
	sums := filepath.Join(module, "notebooks", "sums.ipynb")
	temperatures := filepath.Join(module, "notebooks", "temperatures.ipynb")

	if status, _, stderr := runZengen(t, "generate", sums); status != exitOK {
		t.Fatalf("generate without -o: exit %d\n%s", status, stderr)
	}
	main, err := os.ReadFile(filepath.Join(module, "notebooks", "sums", "cmd", "sums", "main_zen.go"))
	if err != nil {
		t.Fatalf("without -o the package goes beside the notebook: %v", err)
	}
	if !strings.Contains(string(main), `"example.com/layout/notebooks/sums"`) {
		t.Errorf("the command does not import the package by its module path:\n%s", main)
	}

	out := filepath.Join(module, "pipelines")
	if status, _, stderr := runZengen(t, "generate", sums, temperatures, "-o", out); status != exitOK {
		t.Fatalf("generate two notebooks: exit %d\n%s", status, stderr)
	}
	for _, dir := range []string{"sums", "temperatures"} {
		if _, err := os.Stat(filepath.Join(out, dir, "cmd", dir, "main_zen.go")); err != nil {
			t.Errorf("several notebooks go to DIR/<pipeline>/: %v", err)
		}
	}
	if testing.Short() {
		return
	}
	if out, err := goCommand(t, module, "build", "./..."); err != nil {
		t.Errorf("go build ./... of the generated packages: %v\n%s", err, out)
	}
}

// TestNoModuleNeedsModuleFlag generates outside any module.
func TestNoModuleNeedsModuleFlag(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sums")
	status, _, stderr := runZengen(t, "generate", caseNotebook(t, "auto_cells"), "-o", out)
	if status != exitFindings || !strings.Contains(stderr, "--module") {
		t.Errorf("exit %d, stderr %q; want 1 and a pointer to --module", status, stderr)
	}
}

// TestStandaloneModule is the README's first command: a standalone module
// with a replace directive to this checkout, tidied, that builds and checks.
func TestStandaloneModule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy and go build; skipped with -short")
	}
	out := filepath.Join(t.TempDir(), "sums")
	args := []string{caseNotebook(t, "auto_cells"), "-o", out, "--module", "example.com/sums", "--runtime-replace", repoRoot}
	if status, _, stderr := runZengen(t, append([]string{"generate"}, args...)...); status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	gomod, err := os.ReadFile(filepath.Join(out, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gomod), "module example.com/sums") || !strings.Contains(string(gomod), "github.com/zengen-dev/zengen => ") {
		t.Errorf("go.mod lacks the module or the replace directive:\n%s", gomod)
	}
	if _, err := os.Stat(filepath.Join(out, "go.sum")); err != nil {
		t.Errorf("go mod tidy left no go.sum: %v", err)
	}
	if output, err := goCommand(t, out, "build", "./..."); err != nil {
		t.Errorf("go build ./... of the standalone module: %v\n%s", err, output)
	}
	if status, stdout, stderr := runZengen(t, append([]string{"check"}, args...)...); status != exitOK {
		t.Errorf("check with generate's flags: exit %d\n%s%s", status, stdout, stderr)
	}
}
