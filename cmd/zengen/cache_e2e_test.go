package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

// trainLoss is the loss the run's train step recorded.
func trainLoss(t *testing.T, r gomodtest.ShownRun) float64 {
	t.Helper()
	loss, ok := r.Metrics()["train.loss"]
	if !ok {
		t.Fatal("the run records no metric train.loss")
	}
	return loss
}

func showLatest(t *testing.T, bin, home string) gomodtest.ShownRun {
	t.Helper()
	out, err := runBinary(t, bin, "show", "latest", "--json", "--home", home)
	if err != nil {
		t.Fatalf("show latest: %v\n%s", err, out)
	}
	return gomodtest.ParseShown(t, out)
}

// TestNotebookEditsRerunOnlyWhatChanged edits the churn notebook the way a
// researcher does between runs and regenerates, rebuilds and reruns the
// pipeline against one store after each edit. The code hash ignores
// comments and formatting and follows helpers, and the cache key holds the
// input digests: a step re-runs when its code or the data it reads changed,
// and only then.
func TestNotebookEditsRerunOnlyWhatChanged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated pipeline five times; skipped with -short")
	}
	module := gomodtest.Module(t, "example.com/edits")
	notebook := filepath.Join(t.TempDir(), "churn.ipynb")
	original, err := os.ReadFile(caseNotebook(t, "repl_churn"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, notebook, string(original))
	out := filepath.Join(module, "churn")
	bin := filepath.Join(t.TempDir(), "churn")
	home := t.TempDir()

	rounds := []struct {
		name string
		// edits replace JSON source lines of the notebook, in order; each
		// builds on the notebook the previous rounds left.
		edits [][2]string
		want  map[string]string
		// explain holds, per step, text that `explain latest STEP` must say.
		explain map[string]string
	}{
		{
			name: "first run",
			want: map[string]string{"load": "succeeded", "train": "succeeded", "evaluate": "succeeded"},
		},
		{
			name: "comments, blank lines and spacing in train",
			edits: [][2]string{
				{`"w, b := 0.0, 0.0\n",`, `"// Start from a flat model.\n", "\n", "w, b :=   0.0,0.0\n",`},
				{`"for epoch := 0; epoch < epochs; epoch++ {\n",`, `"for epoch := 0; epoch < epochs; epoch++ { // one pass over the data\n",`},
			},
			want:    map[string]string{"load": "cached", "train": "cached", "evaluate": "cached"},
			explain: map[string]string{"train": "cached: same key as run "},
		},
		{
			name:  "a constant in train",
			edits: [][2]string{{`"w, b :=   0.0,0.0\n",`, `"w, b := 0.1, 0.0\n",`}},
			want:  map[string]string{"load": "cached", "train": "succeeded", "evaluate": "succeeded"},
			explain: map[string]string{
				"train":    "code changed: ",
				"evaluate": "input w changed: ",
			},
		},
		{
			// logLoss is reached only from train, and only for the loss
			// metric: w and b come out bit for bit the same, so evaluate,
			// which reads them, stays cached.
			name:  "a helper only train reaches",
			edits: [][2]string{{`"\treturn total / float64(len(xs))\n",`, `"\treturn total / float64(len(xs)) / math.Ln2\n",`}},
			want:  map[string]string{"load": "cached", "train": "succeeded", "evaluate": "cached"},
			explain: map[string]string{
				"train": "code changed: ",
				"load":  "cached: ",
			},
		},
	}
	var previous gomodtest.ShownRun
	for i, round := range rounds {
		source, err := os.ReadFile(notebook)
		if err != nil {
			t.Fatal(err)
		}
		edited := string(source)
		for _, e := range round.edits {
			if !strings.Contains(edited, e[0]) {
				t.Fatalf("%s: the notebook no longer holds %s", round.name, e[0])
			}
			edited = strings.Replace(edited, e[0], e[1], 1)
		}
		writeFile(t, notebook, edited)

		status, stdout, stderr := runZengen(t, "generate", notebook, "-o", out)
		if status != exitOK {
			t.Fatalf("%s: generate: exit %d\n%s", round.name, status, stderr)
		}
		// Every edit, cosmetic ones included, moves at least the //line
		// directives: the binary below really is rebuilt from new code.
		if !strings.Contains(stdout, "written") {
			t.Fatalf("%s: generate wrote nothing: %s", round.name, stdout)
		}
		if output, err := goCommand(t, module, "build", "-o", bin, "./churn/cmd/churn"); err != nil {
			t.Fatalf("%s: go build: %v\n%s", round.name, err, output)
		}
		if output, err := runBinary(t, bin, "run", "--home", home); err != nil {
			t.Fatalf("%s: run: %v\n%s", round.name, err, output)
		}
		shown := showLatest(t, bin, home)
		if diff := cmp.Diff(round.want, shown.Statuses()); diff != "" {
			t.Errorf("%s: step statuses (-want +got):\n%s", round.name, diff)
		}
		for step, want := range round.explain {
			output, err := runBinary(t, bin, "explain", "latest", step, "--home", home)
			if err != nil || !strings.Contains(output, want) {
				t.Errorf("%s: explain latest %s does not say %q (%v):\n%s", round.name, step, want, err, output)
			}
		}
		if i == len(rounds)-1 {
			// The changed helper shows in what train measured.
			if before, after := trainLoss(t, previous), trainLoss(t, shown); after <= before {
				t.Errorf("loss in bits is %v, was %v in nats: the changed helper did not run", after, before)
			}
		}
		previous = shown
	}
}
