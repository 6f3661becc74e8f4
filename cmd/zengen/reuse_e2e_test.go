package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/gomodtest"
	"github.com/zengen-dev/zengen/internal/proctest"
)

// reuseCells are the cells of the notebook TestReuseOnlyByKeyEndToEnd
// edits: a param, an %env default, go flags, a shipped file, a module, and
// steps that read each of them.
var reuseCells = []string{
	"//zen:params\nseed := 42",
	"%env ZEN_E2E_GREETING hello\n%goflags -tags=zen",
	"%%writefile words.txt\nalpha beta gamma\n",
	"import (\n\t\"fmt\"\n\t\"os\"\n\t\"strings\"\n\n\t\"github.com/google/go-cmp/cmp\"\n)",
	"//zen:step load\nxs := []int{seed, seed + 1}\nfmt.Println(\"load\", xs)",
	"//zen:step train\n//zen:output total\ntotal := 0\nfor _, x := range xs {\n\ttotal += x\n}\nfmt.Println(\"train\", total)",
	// The variable's name is not a constant: only the %env default puts it
	// in the key.
	"//zen:step greet\n//zen:output greeting\nname := \"ZEN_E2E_GREETING\"\ngreeting := os.Getenv(name)\nfmt.Println(greeting)",
	"//zen:step words\n//zen:output n\nb, err := os.ReadFile(\"words.txt\")\nif err != nil {\n\tpanic(err)\n}\nn := len(strings.Fields(string(b)))\nfmt.Println(\"words\", n, cmp.Equal(n, 3))",
	"//zen:step scale\n//zen:output scale\nscale := os.Getenv(\"ZEN_E2E_SCALE\")\nfmt.Println(\"scale\", scale)",
}

// ipynb is a gophernotes notebook of code cells.
func ipynb(t *testing.T, cells []string) string {
	t.Helper()
	type cell struct {
		CellType string         `json:"cell_type"`
		Metadata map[string]any `json:"metadata"`
		Source   string         `json:"source"`
		Outputs  []any          `json:"outputs"`
		Count    *int           `json:"execution_count"`
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 4,
		"metadata": map[string]any{"kernelspec": map[string]string{"name": "gophernotes", "language": "go", "display_name": "Go"}},
	}
	var cs []cell
	for _, src := range cells {
		cs = append(cs, cell{CellType: "code", Metadata: map[string]any{}, Source: src, Outputs: []any{}})
	}
	nb["cells"] = cs
	b, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReuseOnlyByKeyEndToEnd runs a generated pipeline against one store
// through edits of its notebook and of its environment: --from, --only and
// --resume reuse a step only under the key this run computes for it, and
// the key holds %env defaults, shipped files and variables read by name.
func TestReuseOnlyByKeyEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated pipeline five times; skipped with -short")
	}
	module := gomodtest.Module(t, "example.com/reuse")
	notebook := filepath.Join(t.TempDir(), "reuse.ipynb")
	cells := append([]string(nil), reuseCells...)
	out := filepath.Join(module, "reuse")
	bin := filepath.Join(t.TempDir(), "reuse")
	home := t.TempDir()
	build := func(edit func()) {
		t.Helper()
		if edit != nil {
			edit()
		}
		writeFile(t, notebook, ipynb(t, cells))
		if status, _, stderr := runZengen(t, "generate", notebook, "-o", out); status != exitOK {
			t.Fatalf("generate: exit %d\n%s", status, stderr)
		}
		if output, err := goCommand(t, module, "build", "-o", bin, "./reuse/cmd/reuse"); err != nil {
			t.Fatalf("go build: %v\n%s", err, output)
		}
	}
	// pipe runs the command in the generated folder, where words.txt is
	// shipped, with ZEN_E2E_SCALE set to scale.
	pipe := func(scale string, args ...string) (string, error) {
		t.Helper()
		cmd := proctest.Command(t, bin, append(args, "--home", home)...)
		cmd.Dir = out
		cmd.Env = append(os.Environ(), "ZEN_E2E_SCALE="+scale)
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	run := func(scale string, args ...string) {
		t.Helper()
		if output, err := pipe(scale, append([]string{"run"}, args...)...); err != nil {
			t.Fatalf("run %v: %v\n%s", args, err, output)
		}
	}
	// expect checks the statuses of the latest run (only those named) and
	// what cat prints for each artifact, and logs both for the record.
	expect := func(scenario string, statuses map[string]string, artifacts map[string]string) {
		t.Helper()
		got := showLatest(t, bin, home).Statuses()
		for step, want := range statuses {
			if got[step] != want {
				t.Errorf("%s: step %s %s, want %s", scenario, step, got[step], want)
			}
		}
		for name, want := range artifacts {
			output, err := pipe("", "cat", "latest", name)
			if err != nil || strings.TrimSpace(output) != want {
				t.Errorf("%s: cat latest %s = %q (%v), want %s", scenario, name, strings.TrimSpace(output), err, want)
			}
		}
		t.Logf("%s: statuses %v", scenario, got)
	}
	explains := func(scenario, step string, wants ...string) {
		t.Helper()
		output, _ := pipe("", "explain", "latest", step)
		for _, want := range wants {
			if !strings.Contains(output, want) {
				t.Errorf("%s: explain latest %s does not say %q:\n%s", scenario, step, want, output)
			}
		}
		t.Logf("%s: explain latest %s:\n%s", scenario, step, output)
	}
	edit := func(old, new string) func() {
		return func() {
			for i, c := range cells {
				if strings.Contains(c, old) {
					cells[i] = strings.Replace(c, old, new, 1)
					return
				}
			}
			t.Fatalf("no cell holds %q", old)
		}
	}

	build(nil)
	run("1")
	first := runID(t, pipe)
	expect("first run", map[string]string{"load": "succeeded", "train": "succeeded"},
		map[string]string{"train.total": "85", "greet.greeting": "hello", "words.n": "3", "scale.scale": "1"})

	run("1", "--from", "train", "--seed", "7")
	expect("--from with a changed param", map[string]string{"load": "succeeded", "train": "succeeded"},
		map[string]string{"train.total": "15"})
	explains("--from with a changed param", "load", "param seed changed: 42 → 7", "\n  param seed ")
	if output, _ := pipe("", "show", "latest"); !strings.Contains(output, `params {"seed":7}`) {
		t.Errorf("the run does not record seed 7:\n%s", output)
	}

	output, err := pipe("1", "run", "--only", "train", "--seed", "9")
	wantOnly := "reuse run: --only train: step load, which produces input xs, has no stored result for the params and code of this run: " +
		"since its run "
	if err == nil || !strings.Contains(output, wantOnly) || !strings.Contains(output, "param seed changed: 7 → 9") ||
		!strings.Contains(output, "\trefresh it with: reuse run --only load --seed=9 --home="+home) {
		t.Errorf("--only train with a param load uses changed: %v\n%s", err, output)
	}
	t.Logf("--only refusing:\n%s", output)

	build(edit("seed + 1}", "seed + 2}"))
	run("1", "--from", "train")
	expect("--from with changed code", map[string]string{"load": "succeeded", "train": "succeeded"},
		map[string]string{"train.total": "86"})
	explains("--from with changed code", "load", "code changed: ")

	build(edit("seed + 2}", "seed + 3}"))
	run("1", "--resume", first)
	expect("--resume after an upstream edit", map[string]string{"load": "succeeded", "train": "succeeded", "greet": "cached"},
		map[string]string{"train.total": "87"})
	explains("--resume after an upstream edit", "train", "input xs changed: ")

	build(edit("ZEN_E2E_GREETING hello", "ZEN_E2E_GREETING bonjour"))
	run("1")
	expect("%env default", map[string]string{"greet": "succeeded"}, map[string]string{"greet.greeting": "bonjour"})
	explains("%env default", "greet", "env ZEN_E2E_GREETING changed: sha256:")

	build(edit("alpha beta gamma\n", "alpha beta gamma delta\n"))
	run("1")
	expect("%%writefile content", map[string]string{"words": "succeeded"}, map[string]string{"words.n": "4"})
	explains("%%writefile content", "words", "file words.txt changed: sha256:", "\n  module github.com/google/go-cmp ")

	run("2")
	expect("os.Getenv value", map[string]string{"scale": "succeeded", "load": "cached", "words": "cached"},
		map[string]string{"scale.scale": "2"})
	explains("os.Getenv value", "scale", "env ZEN_E2E_SCALE changed: sha256:6b86b273ff34 → sha256:d4735e3a265e",
		"\n  code ", "\n  env ZEN_E2E_GREETING ", "\n  env ZEN_E2E_SCALE ", "\n  file words.txt ", "\n  goflags ", "-tags=zen\n")
}

// runID is the id of the latest run.
func runID(t *testing.T, pipe func(string, ...string) (string, error)) string {
	t.Helper()
	output, err := pipe("", "runs", "--json")
	if err != nil {
		t.Fatalf("runs: %v\n%s", err, output)
	}
	var runs []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(output), &runs); err != nil || len(runs) == 0 {
		t.Fatalf("runs --json: %v\n%s", err, output)
	}
	return runs[0].ID
}
