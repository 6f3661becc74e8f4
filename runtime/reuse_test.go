package runtime

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/cli"
)

// A result is reused only under the key this run computes for its step:
// --from, --resume and --only included. Each case runs the param pipeline
// (load uses seed, train reads load and uses epochs), changes something,
// and runs again.
func TestReuseOnlyByKey(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Pipeline)
		// args of the second run; FIRST stands for the first run's id.
		args      []string
		want      map[string]string
		trainOut  int    // train_out after the second run: seed*epochs, or (seed+100)*epochs for the edited load
		recorded  string // params the second run records
		explained map[string]string
	}{
		{
			name: "--from with a changed param", args: []string{"--from", "train", "--seed", "7"},
			want: map[string]string{"load": "succeeded", "train": "succeeded"}, trainOut: 21,
			recorded:  `{"epochs":3,"label":"","seed":7}`,
			explained: map[string]string{"load": "param seed changed: 1 → 7"},
		},
		{
			name: "--from with changed code", change: editLoad, args: []string{"--from", "train"},
			want: map[string]string{"load": "succeeded", "train": "succeeded"}, trainOut: 303,
			recorded:  `{"epochs":3,"label":"","seed":1}`,
			explained: map[string]string{"load": "code changed: code-load → code-load-v"},
		},
		{
			name: "--from reuses an unchanged upstream by key", args: []string{"--from", "train"},
			want: map[string]string{"load": "cached", "train": "succeeded"}, trainOut: 3,
			recorded:  `{"epochs":3,"label":"","seed":1}`,
			explained: map[string]string{"load": "cached: same key as run FIRST"},
		},
		{
			name: "--resume after an upstream edit", change: editLoad, args: []string{"--resume", "FIRST"},
			want: map[string]string{"load": "succeeded", "train": "succeeded"}, trainOut: 303,
			recorded:  `{"epochs":3,"label":"","seed":1}`,
			explained: map[string]string{"train": "input load_out changed: "},
		},
		{
			name: "--resume reuses what finished under the same key", args: []string{"--resume", "FIRST", "--no-cache"},
			want: map[string]string{"load": "cached", "train": "cached"}, trainOut: 3,
			recorded:  `{"epochs":3,"label":"","seed":1}`,
			explained: map[string]string{"train": "cached: same key as run FIRST, finished in run FIRST, which this run resumes"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			p := paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
			mustRun(t, p, home)
			first, _ := statuses(t, p, home, "latest")
			p = paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
			if tc.change != nil {
				tc.change(p)
			}
			var args []string
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "FIRST", first.ID))
			}
			mustRun(t, p, home, args...)
			run, st := statuses(t, p, home, "latest")
			if diff := cmp.Diff(tc.want, st); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			if got := catInt(t, p, home, "latest", "train.train_out"); got != tc.trainOut {
				t.Errorf("train_out = %d, want %d", got, tc.trainOut)
			}
			if run.Params != tc.recorded {
				t.Errorf("the run records params %s, want %s", run.Params, tc.recorded)
			}
			// show says why each cached step was reused.
			var shown cli.ShowView
			if r := execIn(t, t.Context(), p, home, "show", "latest", "--json"); json.Unmarshal([]byte(r.stdout), &shown) != nil {
				t.Fatalf("show --json: %s%s", r.stdout, r.stderr)
			}
			for _, v := range shown.Steps {
				if (v.Status == "cached") != strings.HasPrefix(v.Reused, "same key as run ") {
					t.Errorf("show: step %s %s, reused %q", v.Step, v.Status, v.Reused)
				}
			}
			for step, want := range tc.explained {
				want = strings.ReplaceAll(want, "FIRST", first.ID)
				r := execIn(t, t.Context(), p, home, "explain", "latest", step)
				if !strings.Contains(r.stdout, want) {
					t.Errorf("explain latest %s does not say %q:\n%s%s", step, want, r.stdout, r.stderr)
				}
			}
		})
	}
}

// editLoad changes load's code and what it computes: seed+100.
func editLoad(p *Pipeline) {
	load := p.Steps[0]
	load.CodeHash = "code-load-v2"
	params := p.Params.(*cacheParams)
	load.Run = func(ctx context.Context, sc *StepContext) error {
		return Save(sc, "load_out", JSON[int](), int(params.Seed)+100)
	}
}

// --only runs a step on upstream results stored under this run's keys, or
// refuses, naming what changed and the command that refreshes the input.
func TestOnlyRefusesStaleInputs(t *testing.T) {
	home := t.TempDir()
	p := paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
	mustRun(t, p, home)
	first, _ := statuses(t, p, home, "latest")

	r := execIn(t, t.Context(), p, home, "run", "--only", "train", "--seed", "7")
	want := "cached run: --only train: step load, which produces input load_out, has no stored result for the params and code of this run: " +
		"since its run " + first.ID + ", param seed changed: 1 → 7\n" +
		"\trefresh it with: cached run --only load --seed=7 --home=" + home + "\n"
	if r.code != 1 || r.stderr != want {
		t.Fatalf("--only train --seed 7: exit %d, stderr:\n%s\nwant:\n%s", r.code, r.stderr, want)
	}
	mustRun(t, p, home, "--only", "load", "--seed=7")
	mustRun(t, p, home, "--only", "train", "--seed", "7")
	if got := catInt(t, p, home, "latest", "train.train_out"); got != 21 {
		t.Errorf("train_out = %d after refreshing load, want 21", got)
	}

	// An edit of load's code is refused the same way.
	p = paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
	editLoad(p)
	r = execIn(t, t.Context(), p, home, "run", "--only", "train")
	if r.code != 1 || !strings.Contains(r.stderr, "code changed: code-load → code-load-v") ||
		!strings.Contains(r.stderr, "refresh it with: cached run --only load --home=") {
		t.Errorf("--only train after editing load: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// Every input zengen knows from outside a step's code enters its key as a
// named component: a change re-runs the step, and explain names it.
func TestKeyCoversOutsideInputs(t *testing.T) {
	const literal, defaulted = "ZEN_REUSE_TEST_SCALE", "ZEN_REUSE_TEST_MODE"
	tests := []struct {
		name    string
		before  func(t *testing.T, p *Pipeline)
		after   func(t *testing.T, p *Pipeline)
		explain string
	}{
		{
			name:    "a variable read by literal name",
			before:  func(t *testing.T, p *Pipeline) { t.Setenv(literal, "1") },
			after:   func(t *testing.T, p *Pipeline) { t.Setenv(literal, "2") },
			explain: "env " + literal + " changed: sha256:6b86b273ff34 → sha256:d4735e3a265e",
		},
		{
			name:    "a variable read by literal name, unset",
			before:  func(t *testing.T, p *Pipeline) { t.Setenv(literal, "1") },
			after:   func(t *testing.T, p *Pipeline) { unsetenv(t, literal) },
			explain: "env " + literal + " changed: sha256:6b86b273ff34 → unset",
		},
		{
			name:    "an %env default",
			before:  func(t *testing.T, p *Pipeline) { unsetenv(t, defaulted); p.Env = map[string]string{defaulted: "fast"} },
			after:   func(t *testing.T, p *Pipeline) { unsetenv(t, defaulted); p.Env = map[string]string{defaulted: "slow"} },
			explain: "env " + defaulted + " changed: ",
		},
		{
			name:    "a shipped file",
			before:  func(t *testing.T, p *Pipeline) { p.Files = map[string]string{"words.txt": "sha256:aaaa"} },
			after:   func(t *testing.T, p *Pipeline) { p.Files = map[string]string{"words.txt": "sha256:bbbb"} },
			explain: "file words.txt changed: sha256:aaaa → sha256:bbbb",
		},
		{
			name:    "go flags",
			before:  func(t *testing.T, p *Pipeline) { p.GoFlags = "-tags=a" },
			after:   func(t *testing.T, p *Pipeline) { p.GoFlags = "-tags=b" },
			explain: `goflags changed: "-tags=a" → "-tags=b"`,
		},
		{
			name:    "a module version",
			before:  func(t *testing.T, p *Pipeline) { p.Steps[1].Modules = []string{"example.com/m@v1.0.0"} },
			after:   func(t *testing.T, p *Pipeline) { p.Steps[1].Modules = []string{"example.com/m@v1.1.0"} },
			explain: "module example.com/m changed: v1.0.0 → v1.1.0",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			var pipeline = func() *Pipeline {
				p := paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
				p.Steps[1].Env = []string{literal}
				return p
			}
			p := pipeline()
			tc.before(t, p)
			mustRun(t, p, home)
			mustRun(t, p, home)
			if _, st := statuses(t, p, home, "latest"); st["train"] != "cached" {
				t.Fatalf("unchanged rerun: train %s, want cached", st["train"])
			}
			p = pipeline()
			tc.after(t, p)
			mustRun(t, p, home)
			if _, st := statuses(t, p, home, "latest"); st["train"] != "succeeded" {
				t.Errorf("after the change train %s, want succeeded", st["train"])
			}
			r := execIn(t, t.Context(), p, home, "explain", "latest", "train")
			if !strings.Contains(r.stdout, tc.explain) {
				t.Errorf("explain does not say %q:\n%s", tc.explain, r.stdout)
			}
		})
	}
}

// explain lists every component of the key by name.
func TestExplainPrintsEveryComponent(t *testing.T) {
	t.Setenv("ZEN_REUSE_TEST_SCALE", "2")
	home := t.TempDir()
	p := paramPipeline(&cacheParams{Epochs: 3, Seed: 1})
	p.Env = map[string]string{"ZEN_REUSE_TEST_MODE": "fast"}
	p.Files = map[string]string{"words.txt": "sha256:aaaa"}
	p.GoFlags = "-tags=zen"
	p.Steps[1].Env = []string{"ZEN_REUSE_TEST_SCALE"}
	p.Steps[1].Modules = []string{"example.com/m@v1.0.0"}
	mustRun(t, p, home)
	r := execIn(t, t.Context(), p, home, "explain", "latest", "train")
	var names []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if name, _, ok := strings.Cut(strings.TrimSpace(line), "  "); ok && strings.HasPrefix(line, "  ") {
			names = append(names, name)
		}
	}
	want := []string{"code", "input load_out", "param epochs", "codec of output train_out", "codec of input load_out",
		"env ZEN_REUSE_TEST_MODE", "env ZEN_REUSE_TEST_SCALE", "file words.txt", "goflags", "module example.com/m",
		"Go version", "cache_version"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("explain's key components (-want +got):\n%s\n%s", diff, r.stdout)
	}
}

// unsetenv unsets a variable for the rest of the test.
func unsetenv(t *testing.T, name string) {
	t.Setenv(name, "")
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}
