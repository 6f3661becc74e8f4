package analysis

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/gen/emit"
	"github.com/zengen-dev/zengen/gen/internal/irtest"
	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/internal/gomodtest"
	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/parser"
)

// The tests in this file write generated packages into temporary modules
// and run the go command on them: vet, build, the generated test and the
// generated command, always against the runtime of this repository (a
// replace directive points the temporary module at the checkout), so that
// they fail when generated code and the runtime drift apart.

// goCommand runs the go command in dir, offline, and returns its combined
// output.
func goCommand(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	return gomodtest.Go(t, dir, offline, args...)
}

// offline keeps the go command to the module cache and the installed
// toolchain: a generated module needs nothing that zengen does not.
var offline = []string{"GOPROXY=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local"}

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

// emitModule emits p as a standalone module in a temporary folder whose
// go.mod replaces zengen by this checkout.
func emitModule(t *testing.T, p *ir.Pipeline, opts emit.Options) string {
	t.Helper()
	dir := t.TempDir()
	gomodtest.CopyGoSum(t, dir)
	opts.Module = "example.com/zgtest/" + p.Name
	opts.RuntimeReplace = gomodtest.Root(t)
	files, err := emit.Emit(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, files)
	return dir
}

// runPipeline runs the generated command of the module in dir with its
// store in home and returns what it printed on stdout.
func runPipeline(t *testing.T, dir, home, name string, args ...string) (string, error) {
	t.Helper()
	cmd := proctest.Command(t, "go", append([]string{"run", "./cmd/" + name}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOWORK=off", "ZEN_HOME="+home), offline...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		err = fmt.Errorf("%w\n%s", err, stderr.String())
	}
	return string(out), err
}

func TestEmittedPackageBuildsAndRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	tests := []struct {
		name     string
		pipeline func() *ir.Pipeline
		// wantRun are texts the generated command prints on `run`.
		wantRun []string
		// wantMetrics are the metrics `show latest` records, as
		// "step.metric" → value; a NaN value only needs the metric to exist.
		wantMetrics map[string]float64
	}{
		{"churn", irtest.Churn, []string{"[train] loss "}, map[string]float64{"train.loss": math.NaN()}},
		{"funcs", irtest.Funcs, nil, map[string]float64{"count.n": 25}},
		{"clash", irtest.Clash, []string{"[probe] TRUEgardenctx"}, map[string]float64{"measure.n": 13}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := emitModule(t, tt.pipeline(), emit.Options{Command: "generate " + tt.name})
			for _, args := range [][]string{{"vet", "./..."}, {"build", "./..."}, {"test", "./..."}} {
				if out, err := goCommand(t, dir, args...); err != nil {
					t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
				}
			}
			home := t.TempDir()
			out, err := runPipeline(t, dir, home, tt.name, "run")
			if err != nil {
				t.Fatalf("go run ./cmd/%s run: %v\n%s", tt.name, err, out)
			}
			for _, want := range tt.wantRun {
				if !strings.Contains(out, want) {
					t.Errorf("the pipeline printed\n%s\nwant a line with %q", out, want)
				}
			}
			out, err = runPipeline(t, dir, home, tt.name, "show", "latest", "--json")
			if err != nil {
				t.Fatalf("go run ./cmd/%s show latest --json: %v\n%s", tt.name, err, out)
			}
			shown := gomodtest.ParseShown(t, out)
			for _, s := range shown.Steps {
				if s.Status != "succeeded" {
					t.Errorf("step %s %s", s.Step, s.Status)
				}
			}
			got := shown.Metrics()
			if len(shown.Steps) != len(tt.pipeline().Steps) {
				t.Errorf("show lists %d steps, want %d:\n%s", len(shown.Steps), len(tt.pipeline().Steps), out)
			}
			for name, want := range tt.wantMetrics {
				if v, ok := got[name]; !ok || !math.IsNaN(want) && v != want {
					t.Errorf("metric %s = %v (recorded: %v), want %v", name, v, ok, want)
				}
			}
			if len(got) != len(tt.wantMetrics) {
				t.Errorf("metrics %v, want only %v", got, tt.wantMetrics)
			}
		})
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
			p := irtest.Churn()
			p.Name, p.Package, p.Notebook = "broken", "broken", tt.nb
			p.Steps[1].Body[0] = &ir.Chunk{Pos: parser.Pos{File: tt.nb, Cell: tt.cell, Line: 2}, Code: "w, loss := fit(xs, epochs, undefinedThing)"}
			dir := emitModule(t, p, emit.Options{NoTests: true})
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
	dir := emitModule(t, irtest.Churn(), emit.Options{NoLineDirectives: true})
	if out, err := goCommand(t, dir, "vet", "./..."); err != nil {
		t.Fatalf("go vet: %v\n%s", err, out)
	}
}
