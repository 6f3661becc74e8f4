package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zengen-dev/zengen/parser"
)

// The tests in this file write generated packages into temporary modules
// and run the go command on them: vet, build, the generated test and the
// generated command. They run against testdata/runtimedouble, an in-memory
// stand-in for the runtime with the same API, and against the real runtime
// of this repository when it builds.

// goCommand runs the go command in dir, offline, and returns its combined
// output.
func goCommand(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// writeTree writes emitted files under dir.
func writeTree(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var (
	realRuntimeOnce sync.Once
	realRuntimeErr  string
)

// realRuntimeBroken says why the repository's runtime does not build, or "".
func realRuntimeBroken(t *testing.T) string {
	realRuntimeOnce.Do(func() {
		out, err := goCommand(t, "..", "build", "./runtime")
		if err != nil {
			realRuntimeErr = firstLines(out, 3)
		}
	})
	return realRuntimeErr
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// emitModule emits p as a standalone module in a temporary folder with the
// runtime replaced by the double or the real one.
func emitModule(t *testing.T, p *Pipeline, runtimeKind string, opts EmitOptions) string {
	t.Helper()
	dir := t.TempDir()
	replace, err := filepath.Abs("testdata/runtimedouble")
	if err != nil {
		t.Fatal(err)
	}
	if runtimeKind == "real" {
		if why := realRuntimeBroken(t); why != "" {
			t.Skipf("the repository's runtime does not build yet:\n%s", why)
		}
		if replace, err = filepath.Abs(".."); err != nil {
			t.Fatal(err)
		}
		sum, err := os.ReadFile("../go.sum")
		if err != nil {
			t.Fatal(err)
		}
		writeTree(t, dir, map[string][]byte{"go.sum": sum})
	}
	opts.Module = "example.com/zgtest/" + p.Name
	opts.RuntimeReplace = replace
	files, err := Emit(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, files)
	return dir
}

func TestEmittedPackageBuildsAndRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	tests := []struct {
		name     string
		pipeline func() *Pipeline
		// wantRun are lines the generated command prints on `run` with the
		// runtime double, which echoes each metric.
		wantRun []string
	}{
		{"churn", churnPipeline, []string{"loss ", "train: loss="}},
		{"funcs", funcPipeline, []string{"count: n=25"}},
		{"clash", clashPipeline, []string{"TRUEgardenctx", "measure: n=13"}},
	}
	for _, tt := range tests {
		for _, runtimeKind := range []string{"double", "real"} {
			t.Run(tt.name+"/"+runtimeKind, func(t *testing.T) {
				t.Parallel()
				dir := emitModule(t, tt.pipeline(), runtimeKind, EmitOptions{Command: "generate " + tt.name})
				for _, args := range [][]string{{"vet", "./..."}, {"build", "./..."}, {"test", "./..."}} {
					if out, err := goCommand(t, dir, args...); err != nil {
						t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
					}
				}
				if runtimeKind != "double" {
					return
				}
				out, err := goCommand(t, dir, "run", "./cmd/"+tt.name, "run")
				if err != nil {
					t.Fatalf("go run ./cmd/%s run: %v\n%s", tt.name, err, out)
				}
				for _, want := range tt.wantRun {
					if !strings.Contains(out, want) {
						t.Errorf("the pipeline printed\n%s\nwant a line with %q", out, want)
					}
				}
			})
		}
	}
}

// TestLineDirectivesReachTheCompiler checks that a mistake in a cell is
// reported by the compiler at its notebook position.
func TestLineDirectivesReachTheCompiler(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on a generated module")
	}
	tests := []struct {
		name string
		nb   string
		cell int
		want string
	}{
		{"notebook", "broken.ipynb", 4, "broken.ipynb:cell 4:2:"},
		{"script", "broken.go", 0, "broken.go:2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := churnPipeline()
			p.Name, p.Package, p.Notebook = "broken", "broken", tt.nb
			p.Steps[1].Body[0] = &Chunk{Pos: parser.Pos{File: tt.nb, Cell: tt.cell, Line: 2}, Code: "w, loss := fit(xs, epochs, undefinedThing)"}
			dir := emitModule(t, p, "double", EmitOptions{NoTests: true})
			out, err := goCommand(t, dir, "build", "./...")
			if err == nil {
				t.Fatal("go build succeeded on a cell with an undefined name")
			}
			if !strings.Contains(out, tt.want) || !strings.Contains(out, "undefinedThing") {
				t.Errorf("go build said\n%s\nwant an error at %s about undefinedThing", out, tt.want)
			}
		})
	}
}

// TestNoLineDirectivesCompile checks that code without directives still
// builds (the compiler then speaks about the generated files).
func TestNoLineDirectivesCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on a generated module")
	}
	dir := emitModule(t, churnPipeline(), "double", EmitOptions{NoLineDirectives: true})
	if out, err := goCommand(t, dir, "vet", "./..."); err != nil {
		t.Fatalf("go vet: %v\n%s", err, out)
	}
}
