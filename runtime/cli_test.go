package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
)

func TestCommandsTextAndJSON(t *testing.T) {
	home := t.TempDir()
	p := paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
	mustRun(t, p, home)
	first, _ := statuses(t, p, home, "latest")
	mustRun(t, p, home, "--epochs", "4")
	second, _ := statuses(t, p, home, "latest")
	tests := []struct {
		args     []string
		wantCode int
		contains []string
		json     bool
	}{
		{args: []string{"runs"}, contains: []string{"RUN", "succeeded", "LOSS", "0.25", `epochs=4 label="" seed=1`}},
		{args: []string{"runs", "--json"}, json: true, contains: []string{`"status": "succeeded"`}},
		{args: []string{"show", "latest"}, contains: []string{"train", "succeeded", "loss=0.25", "cached", "hit from"}},
		{args: []string{"show", "latest", "--json"}, json: true, contains: []string{`"name": "loss"`}},
		{args: []string{"artifacts", "latest"}, contains: []string{"train.train_out", "load.load_out", "sha256:"}},
		{args: []string{"artifacts", "latest", "--json"}, json: true, contains: []string{`"codec": "json"`}},
		{args: []string{"cat", "latest", "train.train_out"}, contains: []string{"4\n"}},
		{args: []string{"cat", "latest", "train.nope"}, wantCode: 1, contains: []string{`no artifact "nope"`}},
		// Given "latest", the step commands name the run it resolved to.
		{args: []string{"cat", "latest", "load.nope"}, wantCode: 1,
			contains: []string{"step load of run " + second.ID + ` has no artifact "nope" (it has: load_out)`}},
		{args: []string{"logs", "latest", "train"}},
		{args: []string{"logs", "latest", "load"},
			contains: []string{"step load was cached in run " + second.ID + "; its output as recorded when it ran, in run " + first.ID + ":\n"}},
		{args: []string{"cat", "latest", "train"}, contains: []string{"4\n"}},
		{args: []string{"logs", "latest", "nope"}, wantCode: 1},
		{args: []string{"logs", "nope", "load"}, wantCode: 1, contains: []string{"not found"}},
		{args: []string{"explain", "latest", "train"}, contains: []string{"param epochs changed: 3 → 4"}},
		{args: []string{"explain", "latest", "train", "--json"}, json: true},
		{args: []string{"dag"}, contains: []string{"train ← load (load_out)"}},
		{args: []string{"dag", "--format", "dot"}, contains: []string{`"load" -> "train" [label="load_out"];`}},
		{args: []string{"dag", "--format", "mermaid"}, contains: []string{"load -->|load_out| train"}},
		{args: []string{"dag", "--json"}, json: true},
		{args: []string{"dag", "--format", "svg"}, wantCode: 2},
		{args: []string{"show"}, wantCode: 2},
		{args: []string{"show", "nope"}, wantCode: 1, contains: []string{"not found"}},
		{args: []string{"frobnicate"}, wantCode: 2},
		{args: []string{"run", "--help"}, contains: []string{"--epochs", "training epochs", "Examples:", "--keep-going"}},
		{args: []string{"--help"}, contains: []string{"Commands:", "explain"}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := execIn(t, t.Context(), p, home, tc.args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			for _, want := range tc.contains {
				if !strings.Contains(r.stdout+r.stderr, want) {
					t.Errorf("output lacks %q:\n%s%s", want, r.stdout, r.stderr)
				}
			}
			if tc.json && !json.Valid([]byte(r.stdout)) {
				t.Errorf("not JSON:\n%s", r.stdout)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	home := t.TempDir()
	p := paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
	mustRun(t, p, home)
	first, _ := statuses(t, p, home, "latest")
	mustRun(t, p, home, "--epochs", "4")
	r := execIn(t, t.Context(), p, home, "diff", first.ID, "latest", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var d engine.RunDiff
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]engine.DiffRow{{Name: "epochs", A: "3", B: "4"}}, d.Params); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]engine.DiffRow{{Name: "load", A: "succeeded", B: "cached"}}, d.Steps); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]engine.DiffRow{{Name: "train.loss", A: "0.3333333333333333", B: "0.25"}}, d.Metrics); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	if len(d.Artifacts) != 1 || d.Artifacts[0].Name != "train.train_out" {
		t.Errorf("artifacts: %+v", d.Artifacts)
	}
}

type allParams struct {
	S   string        `zen:"s"`
	B   bool          `zen:"b"`
	I8  int8          `zen:"i8"`
	U16 uint16        `zen:"u16"`
	F32 float32       `zen:"f32"`
	D   time.Duration `zen:"d"`
	SS  []string      `zen:"ss"`
	IS  []int         `zen:"is"`
	FS  []float64     `zen:"fs"`
	N   int           `zen:"n"`
}

func TestParamsFromFlagsAndFiles(t *testing.T) {
	dir := t.TempDir()
	yamlFile := filepath.Join(dir, "p.yaml")
	os.WriteFile(yamlFile, []byte("s: from-file\nn: 7\nd: 3s\nfs: [1.5, 2]\n"), 0o644)
	badFile := filepath.Join(dir, "bad.json")
	os.WriteFile(badFile, []byte(`{"nope": 1}`), 0o644)
	tests := []struct {
		name string
		args []string
		want allParams
		code int
	}{
		{"defaults", nil, allParams{S: "def", N: 1}, 0},
		{"flags", []string{"--s", "x", "--b", "--i8", "-3", "--u16", "9", "--f32", "0.5", "--d", "2m",
			"--ss", "a,b", "--is", "1", "--is", "2", "--fs", "0.25"},
			allParams{S: "x", B: true, I8: -3, U16: 9, F32: 0.5, D: 2 * time.Minute, SS: []string{"a", "b"}, IS: []int{1, 2},
				FS: []float64{0.25}, N: 1}, 0},
		{"file", []string{"--params", yamlFile}, allParams{S: "from-file", N: 7, D: 3 * time.Second, FS: []float64{1.5, 2}}, 0},
		{"flags beat the file", []string{"--params", yamlFile, "--n", "9"}, allParams{S: "from-file", N: 9, D: 3 * time.Second, FS: []float64{1.5, 2}}, 0},
		{"unknown param in file", []string{"--params", badFile}, allParams{}, 1},
		{"bad flag value", []string{"--n", "x"}, allParams{}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			params := &allParams{S: "def", N: 1}
			var seen allParams
			p := &Pipeline{Name: "params", Params: params, Env: map[string]string{"ZEN_TEST_ENV_DEFAULT": "on"},
				Setup: func() { seen = *params }, Steps: []*Step{intStep("a", 1)}}
			r := execIn(t, t.Context(), p, t.TempDir(), append([]string{"run"}, tc.args...)...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.code, r.stderr)
			}
			if tc.code != 0 {
				return
			}
			if diff := cmp.Diff(tc.want, seen); diff != "" {
				t.Errorf("params seen by Setup (-want +got):\n%s", diff)
			}
			if os.Getenv("ZEN_TEST_ENV_DEFAULT") != "on" {
				t.Error("Env default not set")
			}
		})
	}
}

func TestOutputIsCapturedPerStep(t *testing.T) {
	home := t.TempDir()
	direct := wrap(intStep("direct", 1), func(ctx context.Context, sc *StepContext, next func() error) error {
		fmt.Println("printed to os.Stdout")
		return next()
	})
	p := &Pipeline{Name: "capture", Steps: []*Step{intStep("a", 1), intStep("b", 2), direct}}
	r := mustRun(t, p, home, "--parallel", "1")
	for _, want := range []string{"[a] a=1\n", "[b] b=2\n", "[direct] printed to os.Stdout\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("terminal lacks %q:\n%s", want, r.stdout)
		}
	}
	// Bytes through the os.Stdout pipe arrive asynchronously, so only the
	// lines, not their order relative to Stdout(ctx), are guaranteed.
	for step, want := range map[string][]string{"a": {"a=1\n"}, "b": {"b=2\n"}, "direct": {"printed to os.Stdout\n", "direct=1\n"}} {
		got := execIn(t, t.Context(), p, home, "logs", "latest", step).stdout
		if len(got) != len(strings.Join(want, "")) {
			t.Errorf("logs %s = %q, want the lines %q", step, got, want)
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("logs %s = %q, lacks %q", step, got, w)
			}
		}
	}
}

// A --params file is held to the rules of the flags: YAML's own typing
// would truncate 1.5 into an int and read a bare number as nanoseconds.
func TestParamsFileHeldToFlagRules(t *testing.T) {
	tests := []struct {
		file string
		want string // stderr, after the file name
	}{
		{"n: 1.5\n", `:1: param n: invalid argument "1.5" for "--n" flag: must be an integer`},
		{"d: 90\n", `:1: param d: invalid argument "90" for "--d" flag: must be a duration like "30s" or "5m"`},
		{"is: [1, 2.5]\n", `:1: param is: invalid argument "1,2.5" for "--is" flag: strconv.Atoi: parsing "2.5": invalid syntax`},
		{"b: 1.0\n", `:1: param b: invalid argument "1.0" for "--b" flag: must be true or false`},
		{"s: null\n", `:1: param s: null is not a value; leave the param out to keep its default`},
		{"n: {a: 1}\n", `:1: param n: a int takes a single value, not a mapping`},
	}
	for _, tc := range tests {
		t.Run(strings.TrimSpace(tc.file), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "p.yaml")
			os.WriteFile(file, []byte(tc.file), 0o644)
			ran := false
			p := &Pipeline{Name: "params", Params: &allParams{S: "def", N: 1}, Setup: func() { ran = true },
				Steps: []*Step{intStep("a", 1)}}
			r := execIn(t, t.Context(), p, t.TempDir(), "run", "--params", file)
			want := "params run: " + file + tc.want + "\n"
			if r.code != 1 || r.stderr != want || ran {
				t.Errorf("exit %d, ran %v, stderr:\n%s\nwant exit 1, not run, stderr:\n%s", r.code, ran, r.stderr, want)
			}
		})
	}
	// What the flags accept, the file accepts, with the same meaning.
	file := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(file, []byte("s: 7\nn: 0x10\nd: 1m30s\nss: [\"a,b\", c]\nis: [1, 2]\nb: true\n"), 0o644)
	params := &allParams{S: "def", N: 1}
	p := &Pipeline{Name: "params", Params: params, Steps: []*Step{intStep("a", 1)}}
	mustRun(t, p, t.TempDir(), "--params", file)
	want := allParams{S: "7", N: 16, D: 90 * time.Second, SS: []string{"a,b", "c"}, IS: []int{1, 2}, B: true}
	if diff := cmp.Diff(want, *params); diff != "" {
		t.Errorf("params from the file (-want +got):\n%s", diff)
	}
}
