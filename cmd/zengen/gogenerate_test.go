package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

// userModule lays out a user's module as the README tells them to: the
// churn notebook, a doc.go whose go:generate line runs zengen with
// generator, and a go.mod that requires zengen (replaced by this checkout).
// A go tool line needs the tool directive in go.mod; a go run line needs
// the tools.go import that keeps zengen and its dependencies in go.mod and
// go.sum. go mod tidy then completes go.mod as a user's would be.
func userModule(t *testing.T, generator string) string {
	t.Helper()
	dir := t.TempDir()
	gomod := "module example.com/research\n\ngo " + goVersionLine(t) + "\n\n"
	if strings.HasPrefix(generator, "go tool ") {
		gomod += "tool github.com/zengen-dev/zengen/cmd/zengen\n\n"
	} else {
		writeFile(t, filepath.Join(dir, "tools.go"), "//go:build tools\n\n// Importing zengen keeps it in go.mod and go.sum for go:generate's go run.\npackage research\n\nimport _ \"github.com/zengen-dev/zengen/cmd/zengen\"\n")
	}
	gomod += "require " + gomodtest.ModulePath + " v0.0.0\n\n" + gomodtest.Replace(t)
	writeFile(t, filepath.Join(dir, "go.mod"), gomod)
	writeFile(t, filepath.Join(dir, "doc.go"), "// Package research holds the churn notebook; its pipeline is generated into churn/.\npackage research\n\n//go:generate "+generator+" generate churn.ipynb -o churn\n")
	notebook, err := os.ReadFile(caseNotebook(t, "repl_churn"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "churn.ipynb"), string(notebook))
	userGo(t, dir, "mod", "tidy")
	return dir
}

// goVersionLine is the go line of this repository's go.mod, which a
// module depending on it must at least declare.
func goVersionLine(t *testing.T) string {
	t.Helper()
	gomod, err := os.ReadFile(filepath.Join(gomodtest.Root(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod of the repository has no go line")
	}
	return string(m[1])
}

// goIn runs the go command in a user's module the way a user's shell would:
// unlike goCommand it does not let the go command fix go.mod on the fly, so
// a module that needs another go mod tidy fails here as it would for them.
func goIn(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	out, err := gomodtest.Go(t, dir, []string{"GOFLAGS=-buildvcs=false"}, args...)
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out, 0
	case errors.As(err, &exit):
		return out, exit.ExitCode()
	default:
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		return "", 0
	}
}

// userGo runs the go command in dir and fails the test if it fails.
func userGo(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, status := goIn(t, dir, args...)
	if status != 0 {
		t.Fatalf("go %s: exit %d\n%s", strings.Join(args, " "), status, out)
	}
	return out
}

// diffedFiles lists the files a unified diff from check names, sorted.
func diffedFiles(diff string) []string {
	var files []string
	for _, line := range strings.Split(diff, "\n") {
		if name, ok := strings.CutPrefix(line, "--- "); ok {
			files = append(files, name)
		}
	}
	slices.Sort(files)
	return files
}

// changedFiles lists, sorted, the files whose content differs between two
// readTree snapshots, including added and removed ones.
func changedFiles(before, after map[string]string) []string {
	var files []string
	for name, content := range after {
		if old, ok := before[name]; !ok || old != content {
			files = append(files, name)
		}
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			files = append(files, name)
		}
	}
	slices.Sort(files)
	return files
}

// TestGoGenerateAndTheStalenessGate is the CI story end to end, once with
// each way of calling zengen from a go:generate line: go generate writes
// the package and it builds and vets; after a notebook edit, check fails
// with a diff of exactly the files go generate then rewrites; afterwards
// check passes, and go generate again changes nothing, which is what
// `go generate ./... && git diff --exit-code` asks in CI.
func TestGoGenerateAndTheStalenessGate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds zengen and the generated package in user modules; skipped with -short")
	}
	for _, generator := range []string{
		"go tool zengen",
		"go run github.com/zengen-dev/zengen/cmd/zengen",
	} {
		t.Run(strings.Fields(generator)[1], func(t *testing.T) {
			t.Parallel()
			dir := userModule(t, generator)
			zengen := func(args ...string) (string, int) {
				return goIn(t, dir, append(strings.Fields(generator)[1:], args...)...)
			}

			out := userGo(t, dir, "generate", "./...")
			if !strings.Contains(out, "churn.ipynb → churn (") {
				t.Errorf("go generate printed %q, want zengen's report on churn.ipynb", out)
			}
			// The generated package imports zengen's runtime: its
			// dependencies enter go.mod with the next tidy, once.
			userGo(t, dir, "mod", "tidy")
			userGo(t, dir, "build", "./...")
			userGo(t, dir, "vet", "./...")
			for _, name := range []string{"churn/pipeline_zen.go", "churn/step_train_zen.go", "churn/churn_zen_test.go", "churn/cmd/churn/main_zen.go"} {
				content, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
				if err != nil {
					t.Fatalf("go generate did not write %s: %v", name, err)
				}
				if !strings.HasPrefix(string(content), "// Code generated by zengen from churn.ipynb. DO NOT EDIT.\n") {
					t.Errorf("%s starts %q, want the generated header naming churn.ipynb as go generate passed it", name, strings.SplitN(string(content), "\n", 2)[0])
				}
			}
			if out, status := zengen("check", "churn.ipynb", "-o", "churn"); status != exitOK || out != "" {
				t.Fatalf("check right after go generate: exit %d\n%s", status, out)
			}

			before, stamps := readTree(t, dir), modTimes(t, dir)
			notebook := filepath.Join(dir, "churn.ipynb")
			edited := strings.Replace(before["churn.ipynb"], "xs := make([]float64, 200)", "xs := make([]float64, 150)", 1)
			if edited == before["churn.ipynb"] {
				t.Fatal("churn.ipynb no longer makes 200 customers")
			}
			writeFile(t, notebook, edited)
			edit, err := os.Stat(notebook)
			if err != nil {
				t.Fatal(err)
			}
			stamps["churn.ipynb"] = edit.ModTime().Format(time.RFC3339Nano)

			diff, status := zengen("check", "churn.ipynb", "-o", "churn")
			if status != exitFindings {
				t.Fatalf("check after a notebook edit: exit %d, want %d\n%s", status, exitFindings, diff)
			}
			for _, want := range []string{
				"--- churn/step_load_zen.go\n+++ churn/step_load_zen.go (regenerated)\n@@ ",
				"\n-\txs := make([]float64, 200)\n+\txs := make([]float64, 150)\n",
				"zengen: 1 generated file out of date; run zengen generate with the same arguments",
			} {
				if !strings.Contains(diff, want) {
					t.Errorf("check output lacks %q:\n%s", want, diff)
				}
			}
			if got, want := diffedFiles(diff), []string{"churn/step_load_zen.go"}; !cmp.Equal(got, want) {
				t.Errorf("check named %v, want only the load step, whose file holds its code and code hash: %v", got, want)
			}
			if after := readTree(t, dir); !cmp.Equal(changedFiles(before, after), []string{"churn.ipynb"}) {
				t.Errorf("check changed files on disk: %v", changedFiles(before, after))
			}

			userGo(t, dir, "generate", "./...")
			if out, status := zengen("check", "churn.ipynb", "-o", "churn"); status != exitOK || out != "" {
				t.Errorf("check after go generate: exit %d\n%s", status, out)
			}
			regenerated := readTree(t, dir)
			want := append(diffedFiles(diff), "churn.ipynb")
			slices.Sort(want)
			if got := changedFiles(before, regenerated); !cmp.Equal(got, want) {
				t.Errorf("go generate changed %v, want exactly the edited notebook and the files check named: %v", got, want)
			}
			touched := modTimes(t, dir)
			for name, stamp := range stamps {
				if !slices.Contains(want, name) && touched[name] != stamp {
					t.Errorf("go generate touched %s, whose content it did not change", name)
				}
			}

			// The CI gate: regenerating a fresh tree is a no-op.
			userGo(t, dir, "generate", "./...")
			if diff := cmp.Diff(regenerated, readTree(t, dir)); diff != "" {
				t.Errorf("a second go generate changed the tree (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(touched, modTimes(t, dir)); diff != "" {
				t.Errorf("a second go generate touched files (-before +after):\n%s", diff)
			}
			userGo(t, dir, "build", "./...")
		})
	}
}
