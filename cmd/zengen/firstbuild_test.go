package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

// TestGenerateSaysTheFirstBuildTakesLong: with a build cache that has not
// compiled zengen's runtime, generate says, after writing a new command,
// that its first build compiles the runtime and SQLite; regenerating the
// same command says nothing more.
func TestGenerateSaysTheFirstBuildTakesLong(t *testing.T) {
	module := gomodtest.Module(t, "example.com/first")
	script := filepath.Join(module, "lab.go")
	// No imports: analysis compiles nothing in the empty build cache.
	writeFile(t, script, "//go:build ignore\n\n// %%\nx := 6 * 7\n\n// %%\nprintln(x)\n")
	out := filepath.Join(module, "lab")
	t.Setenv("GOCACHE", t.TempDir())

	status, stdout, stderr := runZengen(t, "generate", script, "-o", out)
	want := "note: the first go build or go run in " + filepath.ToSlash(out) + " compiles zengen's runtime and its dependencies, the SQLite driver among them"
	if status != exitOK || !strings.Contains(stdout, want) {
		t.Errorf("first generate: exit %d, stdout lacks %q\nstdout:\n%s\nstderr:\n%s", status, want, stdout, stderr)
	}
	writeFile(t, script, "//go:build ignore\n\n// %%\nx := 6 * 9\n\n// %%\nprintln(x)\n")
	status, stdout, stderr = runZengen(t, "generate", script, "-o", out)
	if status != exitOK || strings.Contains(stdout, "note:") {
		t.Errorf("regenerate: exit %d, want no note for a command that exists\nstdout:\n%s\nstderr:\n%s", status, stdout, stderr)
	}
}
