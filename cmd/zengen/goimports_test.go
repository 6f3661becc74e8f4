package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

// genericSums is a GoNB notebook that uses constraints.Float without
// importing golang.org/x/exp/constraints, which GoNB's goimports adds.
const genericSums = `{
 "cells": [
  {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
   "source": ["func Sum[T constraints.Float](xs []T) T {\n", "\tvar s T\n", "\tfor _, x := range xs {\n", "\t\ts += x\n", "\t}\n", "\treturn s\n", "}"]},
  {"cell_type": "code", "execution_count": 2, "metadata": {},
   "outputs": [{"output_type": "stream", "name": "stdout", "text": ["6.5\n"]}],
   "source": ["%%\n", "fmt.Println(Sum([]float64{1, 2, 3.5}))"]}
 ],
 "metadata": {"kernelspec": {"display_name": "Go (gonb)", "language": "go", "name": "gonb"}},
 "nbformat": 4, "nbformat_minor": 4
}`

// TestGoImportsAsGoNB generates GoNB notebooks that rely on goimports as
// standalone modules and runs their parity tests: constraints.Float gets
// golang.org/x/exp/constraints, which go.mod then requires, and the
// gonb_goimports case gets gonum's mat and loses its misspelt import. A
// module that cannot load goimports' choice gets a positioned error.
func TestGoImportsAsGoNB(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy and go test on generated modules; skipped with -short")
	}
	// goimports looks in the module cache, where a GoNB user's earlier
	// go get left the module.
	if out, err := gomodtest.Go(t, t.TempDir(), nil, "mod", "download", "golang.org/x/exp@latest"); err != nil {
		t.Skipf("the module proxy does not serve golang.org/x/exp: %v\n%s", err, out)
	}
	generic := filepath.Join(t.TempDir(), "generic.ipynb")
	writeFile(t, generic, genericSums)
	for _, tt := range []struct {
		name, notebook, require, imports string
	}{
		{"constraints", generic, "golang.org/x/exp v", `import "golang.org/x/exp/constraints"`},
		{"gonb_goimports", caseNotebook(t, "gonb_goimports"), "gonum.org/v1/gonum v", `import "gonum.org/v1/gonum/mat"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), tt.name)
			status, _, stderr := runZengen(t, "generate", tt.notebook, "-o", out, "--module", "example.com/"+tt.name, "--runtime-replace", repoRoot)
			if status != exitOK {
				t.Fatalf("generate: exit %d\n%s", status, stderr)
			}
			gomod, err := os.ReadFile(filepath.Join(out, "go.mod"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(gomod), tt.require) {
				t.Errorf("go.mod does not require %s:\n%s", tt.require, gomod)
			}
			decls, err := os.ReadFile(filepath.Join(out, "decls_zen.go"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(decls), tt.imports) {
				t.Errorf("decls_zen.go lacks %s:\n%s", tt.imports, decls)
			}
			if output, err := goCommand(t, out, "test", "-count=1", "."); err != nil {
				t.Errorf("the generated parity test fails: %v\n%s", err, output)
			}
		})
	}
	// In a module that does not require golang.org/x/exp, goimports'
	// choice cannot load: a positioned error at the first use.
	out := filepath.Join(gomodtest.Module(t, "example.com/lab"), "generic")
	status, _, stderr := runZengen(t, "generate", generic, "-o", out)
	want := generic + `:cell 1:1:12: constraints is not imported, and goimports' choice fails: cannot import "golang.org/x/exp/constraints": `
	// Which of go's reasons comes depends on whether a dependency of
	// zengen's (the Temporal SDK's gRPC middleware) puts golang.org/x/exp
	// in the module graph: then go knows the module but not its checksum.
	why := strings.TrimPrefix(stderr, want)
	if status != exitFindings || why == stderr ||
		!strings.HasPrefix(why, "no required module provides it") && !strings.HasPrefix(why, "missing go.sum entry for module providing package golang.org/x/exp/constraints") {
		t.Errorf("generate in a module without golang.org/x/exp: exit %d, stderr\n%s\nwant it to start with\n%s", status, stderr, want)
	}
}
