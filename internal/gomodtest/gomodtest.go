// Package gomodtest sets up scratch Go modules that build against this
// checkout of zengen, runs the go command in them and reads what the
// generated pipelines there report. It is for tests only: the gen and
// cmd/zengen tests share it so that every scratch module is made the same
// way; no non-test code may import it.
package gomodtest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/proctest"
)

// ModulePath is the module path of zengen, which scratch modules replace
// by the checkout.
const ModulePath = "github.com/zengen-dev/zengen"

// Root returns the absolute path of the zengen checkout: the folder of the
// nearest go.mod at or above the working directory. Only packages of the
// zengen module can import this one, and go test runs in their folders.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod at or above the working directory")
		}
		dir = parent
	}
}

// Replace is the go.mod directive that points ModulePath at the checkout.
func Replace(t testing.TB) string {
	t.Helper()
	return "replace " + ModulePath + " => " + filepath.ToSlash(Root(t)) + "\n"
}

// Module creates a module with path modulePath in a temporary folder,
// requiring what zengen requires (with zengen's go.sum) and replacing
// zengen by the checkout, so that generated packages build against the
// runtime here.
func Module(t testing.TB, modulePath string) string {
	t.Helper()
	gomod, err := os.ReadFile(filepath.Join(Root(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("module " + modulePath + "\n")
	for _, line := range strings.Split(string(gomod), "\n") {
		if !strings.HasPrefix(line, "module ") {
			b.WriteString(line + "\n")
		}
	}
	b.WriteString("require " + ModulePath + " v0.0.0-00010101000000-000000000000\n")
	b.WriteString(Replace(t))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	CopyGoSum(t, dir)
	return dir
}

// CopyGoSum writes zengen's go.sum into dir, so that a module there
// resolves zengen's dependencies without asking a proxy.
func CopyGoSum(t testing.TB, dir string) {
	t.Helper()
	gosum, err := os.ReadFile(filepath.Join(Root(t), "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), gosum, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Go runs the go command in dir and returns its combined output. GOWORK is
// off, so that no go.work above the temporary folder reaches the module;
// env adds the settings each caller's policy needs (GOFLAGS, GOPROXY…).
func Go(t testing.TB, dir string, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), proctest.Timeout)
	defer cancel()
	cmd := proctest.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOWORK=off"), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// ShownRun is the part of a generated pipeline's `show RUN --json` that
// tests read.
type ShownRun struct {
	Steps []ShownStep `json:"steps"`
}

// ShownStep is one step of a ShownRun.
type ShownStep struct {
	Step    string `json:"step"`
	Status  string `json:"status"`
	Metrics []struct {
		Name  string  `json:"name"`
		Value float64 `json:"value"`
	} `json:"metrics"`
}

// ParseShown decodes the output of `show RUN --json`.
func ParseShown(t testing.TB, out string) ShownRun {
	t.Helper()
	var r ShownRun
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	return r
}

// Statuses maps each step of the run to its status.
func (r ShownRun) Statuses() map[string]string {
	m := map[string]string{}
	for _, s := range r.Steps {
		m[s.Step] = s.Status
	}
	return m
}

// Metrics maps "step.metric" to the value the run recorded.
func (r ShownRun) Metrics() map[string]float64 {
	m := map[string]float64{}
	for _, s := range r.Steps {
		for _, metric := range s.Metrics {
			m[s.Step+"."+metric.Name] = metric.Value
		}
	}
	return m
}
