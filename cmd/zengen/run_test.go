package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/internal/gomodtest"
	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/parser"
)

// generateAndBuild generates notebook into a fresh scratch module and
// builds its command; it returns the binary and the generated folder.
func generateAndBuild(t *testing.T, notebook string) (bin, out string) {
	t.Helper()
	module := gomodtest.Module(t, "example.com/e2e")
	out = filepath.Join(module, "pipeline")
	if status, _, stderr := runZengen(t, "generate", notebook, "-o", out); status != exitOK {
		t.Fatalf("generate %s: exit %d\n%s", notebook, status, stderr)
	}
	cmds, err := filepath.Glob(filepath.Join(out, "cmd", "*"))
	if err != nil || len(cmds) != 1 {
		t.Fatalf("want exactly one folder under %s/cmd, got %v (%v)", out, cmds, err)
	}
	bin = filepath.Join(t.TempDir(), filepath.Base(cmds[0]))
	rel, err := filepath.Rel(module, cmds[0])
	if err != nil {
		t.Fatal(err)
	}
	if output, err := goCommand(t, module, "build", "-o", bin, "./"+filepath.ToSlash(rel)); err != nil {
		t.Fatalf("go build of the generated command: %v\n%s", err, output)
	}
	return bin, out
}

// pipelineTimeout bounds one command of a generated pipeline: the fixtures
// run in milliseconds, so anything near this is a hang.
const pipelineTimeout = 2 * time.Minute

// runBinary runs a generated pipeline command and returns its combined
// output.
func runBinary(t *testing.T, bin string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), pipelineTimeout)
	defer cancel()
	cmd := proctest.CommandContext(ctx, bin, args...)
	cmd.Dir = filepath.Dir(bin)
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s %s hung for %v:\n%s", filepath.Base(bin), strings.Join(args, " "), pipelineTimeout, out)
	}
	return string(out), err
}

// recordedOutput is what the notebook recorded on stdout in the cells that
// make up its pipeline (everything but skipped and nocheck cells), in
// notebook order. A script records nothing; its folder holds stdout.txt.
func recordedOutput(t *testing.T, notebook string) string {
	t.Helper()
	if want, err := os.ReadFile(filepath.Join(filepath.Dir(notebook), "stdout.txt")); err == nil {
		return string(want)
	}
	data, err := os.ReadFile(notebook)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := parser.Read(notebook, data)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range nb.Cells {
		if c.Kind != parser.Code || slices.ContainsFunc(c.Directives, func(d parser.Directive) bool {
			return d.Name == "skip" || d.Name == "nocheck"
		}) {
			continue
		}
		for _, o := range c.Outputs {
			if o.Type == "stream" && o.Name == "stdout" {
				b.WriteString(o.Text)
			}
		}
	}
	return b.String()
}

// TestGeneratedPipelinesRunLikeTheNotebook generates, builds and runs the
// main fixture of each dialect and the percent script, and compares what
// the steps printed, step by step in pipeline order, with what the
// notebook recorded.
func TestGeneratedPipelinesRunLikeTheNotebook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated pipelines; skipped with -short")
	}
	for _, name := range []string{"repl_churn", "gonb_functions", "repl_functions", "script_percent", "gonum_matrix", "user_codec", "gonb_flags", "repl_cell_exits_last", "heading_markup", "gonb_setup_cells", "repl_main_called", "gonb_step_main", "gonb_pipeline_prints", "script_implicit_params", "gonb_forget", "repl_rejected_cells", "gonb_colab_setup", "data_literals", "gonb_redeclared", "lgo_type_rejected", "gonb_init_functions", "repl_changed_by_calls"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			notebook := caseNotebook(t, name)
			want := recordedOutput(t, notebook)
			if want == "" {
				t.Fatalf("%s records no output to compare with", notebook)
			}
			bin, out := generateAndBuild(t, notebook)
			home := t.TempDir()
			if output, err := runBinary(t, bin, "run", "--home", home, "--parallel", "1"); err != nil {
				t.Fatalf("run: %v\n%s", err, output)
			}
			p, problems, err := analyze(plainJob(notebook, generateOptions{}), out)
			if err != nil || len(problems) > 0 {
				t.Fatalf("analyze: %v %v", err, problems)
			}
			var got strings.Builder
			for _, s := range p.Steps {
				log, err := runBinary(t, bin, "logs", "latest", s.Name, "--home", home)
				if err != nil {
					t.Fatalf("logs latest %s: %v\n%s", s.Name, err, log)
				}
				got.WriteString(log)
			}
			if diff := cmp.Diff(want, got.String()); diff != "" {
				t.Errorf("steps printed something else than the notebook recorded (-notebook +pipeline):\n%s", diff)
			}
		})
	}
}

func caseNotebook(t *testing.T, name string) string {
	t.Helper()
	for _, c := range testCases(t) {
		if c.name == name {
			return c.notebook
		}
	}
	t.Fatalf("no test case %s", name)
	return ""
}

// plant copies the churn fixture into a temporary folder with one source
// line of its JSON replaced, and returns the copy's path.
func plant(t *testing.T, old, new string) string {
	t.Helper()
	data, err := os.ReadFile(caseNotebook(t, "repl_churn"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("churn.ipynb no longer holds %s", old)
	}
	path := filepath.Join(t.TempDir(), "churn.ipynb")
	writeFile(t, path, strings.Replace(string(data), old, new, 1))
	return path
}

// TestCompileErrorsPointIntoTheNotebook plants a type error in cell 6 and
// expects the Go compiler to name the notebook cell and line.
func TestCompileErrorsPointIntoTheNotebook(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build; skipped with -short")
	}
	notebook := plant(t, `"churnRate := float64(churned) / float64(len(ys))"`, `"churnRate := float64(churned) / len(ys)"`)
	module := gomodtest.Module(t, "example.com/planted")
	out := filepath.Join(module, "churn")
	if status, _, stderr := runZengen(t, "generate", notebook, "-o", out); status != exitOK {
		// Analysis may already catch the mismatch: then its own position
		// must name the cell.
		if !strings.Contains(stderr, "churn.ipynb:cell 6:16") {
			t.Fatalf("generate: exit %d, error does not name cell 6 line 16:\n%s", status, stderr)
		}
		return
	}
	output, err := goCommand(t, module, "build", "./...")
	if err == nil {
		t.Fatal("go build succeeded on a planted type error")
	}
	if !strings.Contains(output, "churn.ipynb:cell 6:16") {
		t.Errorf("go build output does not name churn.ipynb:cell 6:16:\n%s", output)
	}
}

// TestVetFindingsPointIntoTheNotebook plants a format mistake that type
// checking accepts, so that it is the go command, reading the //line
// directives, that must name cell 6 line 15.
func TestVetFindingsPointIntoTheNotebook(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet; skipped with -short")
	}
	notebook := plant(t, `"fmt.Printf(\"loaded %d customers, %d churned\\n\", len(xs), churned)\n",`, `"fmt.Printf(\"loaded %d customers, %d churned\\n\", len(xs), \"many\")\n",`)
	module := gomodtest.Module(t, "example.com/planted")
	if status, _, stderr := runZengen(t, "generate", notebook, "-o", filepath.Join(module, "churn")); status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	output, err := goCommand(t, module, "vet", "./...")
	if err == nil {
		t.Fatal("go vet accepted a planted format mistake")
	}
	if !strings.Contains(output, "churn.ipynb:cell 6:15") {
		t.Errorf("go vet output does not name churn.ipynb:cell 6:15:\n%s", output)
	}
}

// TestPanicsPointIntoTheNotebook plants a panic in the train step (cell 10,
// line 5) and expects the failed run to name that position.
func TestPanicsPointIntoTheNotebook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated pipeline; skipped with -short")
	}
	notebook := plant(t, `"w, b := 0.0, 0.0\n",`, `"w, b := 0.0, 0.0\n", "if epochs > 0 {\n", "\tpanic(\"planted failure\")\n", "}\n",`)
	bin, _ := generateAndBuild(t, notebook)
	output, err := runBinary(t, bin, "run", "--home", t.TempDir())
	if err == nil {
		t.Fatalf("run succeeded despite a panicking step:\n%s", output)
	}
	if !strings.Contains(output, "planted failure") || !strings.Contains(output, "churn.ipynb:cell 10:5") {
		t.Errorf("the failed run does not name the panic and churn.ipynb:cell 10:5:\n%s", output)
	}
}

// TestOSExitFailsTheRun plants os.Exit(3) in the train step: the process
// ends without running any deferred code, and the run must still be
// recorded as failed, with the status and the step, not as interrupted.
func TestOSExitFailsTheRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated pipeline; skipped with -short")
	}
	notebook := plant(t, `"w, b := 0.0, 0.0\n",`, `"w, b := 0.0, 0.0\n", "if epochs > 0 {\n", "\tos.Exit(3)\n", "}\n",`)
	bin, _ := generateAndBuild(t, notebook)
	home := t.TempDir()
	output, err := runBinary(t, bin, "run", "--home", home)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Errorf("run: %v, want exit status 3\n%s", err, output)
	}
	want := "process exited with status 3 during step train"
	if !strings.Contains(output, "failed: "+want+"\n") {
		t.Errorf("run does not say %q:\n%s", want, output)
	}
	show, err := runBinary(t, bin, "show", "latest", "--home", home)
	if err != nil || !strings.Contains(show, "failed") || !strings.Contains(show, want) || strings.Contains(show, "interrupted") {
		t.Errorf("show latest: %v, want the run and train failed with %q:\n%s", err, want, show)
	}
}

// panicScript is a percent script whose steps panic on lines the test
// knows: deep in the step body, under a loop, and in a helper a cell
// defines. A script's //line file ends in .go like the generated files, so
// only the notebook's own name tells its frames apart.
const panicScript = `// %% tags=["parameters"]
where := "body"

// %%
import "fmt"

// %%
func check(n int) int {
	if n > 2 {
		panic(fmt.Sprintf("helper: n = %d", n)) // line 10
	}
	return n
}

// %% tags=["step:count"]
total := 0
for i := 0; i < 5; i++ {
	if where == "body" && i == 3 {
		panic("body: i = 3") // line 19
	}
	if where == "helper" {
		total += check(i)
	}
}
fmt.Println(total)
`

// TestScriptPanicsPointAtTheLine runs a script notebook whose step panics
// in its body and in a helper: the run, show and the store name the line
// that panicked, not the step's first line.
func TestScriptPanicsPointAtTheLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated pipeline; skipped with -short")
	}
	notebook := filepath.Join(t.TempDir(), "panics.go")
	writeFile(t, notebook, panicScript)
	bin, _ := generateAndBuild(t, notebook)
	for _, c := range []struct{ where, line string }{
		{"body", "panics.go:19: panic: body: i = 3"},
		{"helper", "panics.go:10: panic: helper: n = 3"},
	} {
		home := t.TempDir()
		output, err := runBinary(t, bin, "run", "--home", home, "--where", c.where)
		if err == nil {
			t.Fatalf("run --where %s succeeded despite a panic:\n%s", c.where, output)
		}
		if !strings.Contains(output, c.line) {
			t.Errorf("run --where %s does not name %s:\n%s", c.where, c.line, output)
		}
		shown, err := runBinary(t, bin, "show", "--home", home, "latest")
		if err != nil {
			t.Fatalf("show: %v\n%s", err, shown)
		}
		if !strings.Contains(shown, c.line) {
			t.Errorf("show after --where %s does not name %s:\n%s", c.where, c.line, shown)
		}
	}
}
