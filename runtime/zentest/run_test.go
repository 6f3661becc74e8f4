package zentest

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRunReadsBackStdoutAndArtifacts(t *testing.T) {
	r := Run(t, twoSteps("hello\n"))
	if diff := cmp.Diff("hello\n", r.Stdout("load")); diff != "" {
		t.Errorf("Stdout(load) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("epochs 3\nsum 7.5\n", r.Stdout("train")); diff != "" {
		t.Errorf("Stdout(train) (-want +got):\n%s", diff)
	}
	// The blank line that cat prints after JSON today is the runtime's
	// business; the artifact's text is what matters here.
	xs := strings.TrimRight(string(r.Artifact("load.xs")), "\n")
	if diff := cmp.Diff("[\n  1,\n  2.5,\n  4\n]", xs); diff != "" {
		t.Errorf("Artifact(load.xs) (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.Terminal, "[train] sum 7.5") {
		t.Errorf("Terminal does not echo train's output behind its name:\n%s", r.Terminal)
	}
	if entries, err := os.ReadDir(r.Home); err != nil || len(entries) == 0 {
		t.Errorf("Home %s holds no store (%v)", r.Home, err)
	}
}

func TestRunAppliesArgsAndRestoresDefaults(t *testing.T) {
	p := twoSteps("")
	r := Run(t, p, "--epochs=5")
	if got := r.Stdout("train"); !strings.HasPrefix(got, "epochs 5\n") {
		t.Errorf("with --epochs=5, train printed %q", got)
	}
	if got := p.Params.(*testParams).Epochs; got != 3 {
		t.Errorf("after the run Params.Epochs = %d, want the default 3 back", got)
	}
	again := Run(t, p)
	if got := again.Stdout("train"); !strings.HasPrefix(got, "epochs 3\n") {
		t.Errorf("a second Run printed %q, want the default epochs", got)
	}
	if again.Home == r.Home {
		t.Errorf("two runs share the store %s", r.Home)
	}
}

func TestRunFailsWithTheRunsStderr(t *testing.T) {
	rec := record(t, func(tb testing.TB) { Run(tb, failing()) })
	if !rec.fatal {
		t.Fatalf("Run of a failing pipeline did not stop the test; recorded: %q", rec.messages())
	}
	for _, want := range []string{"exited with status 1", "the disk is full of cats"} {
		if !strings.Contains(rec.messages(), want) {
			t.Errorf("failure does not mention %q:\n%s", want, rec.messages())
		}
	}
}

func TestQueriesFailOnUnknownNames(t *testing.T) {
	r := Run(t, twoSteps("x\n"))
	tests := []struct {
		name  string
		query func(r *Result)
		want  string
	}{
		{"unknown step", func(r *Result) { r.Stdout("nope") }, "logs latest nope"},
		{"unknown artifact", func(r *Result) { r.Artifact("load.nope") }, "nope"},
		{"unknown step of an artifact", func(r *Result) { r.Artifact("nope") }, `no step "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := record(t, func(tb testing.TB) {
				bound := *r
				bound.t = tb
				tt.query(&bound)
			})
			if !rec.fatal || !strings.Contains(rec.messages(), tt.want) {
				t.Errorf("want a fatal failure mentioning %q, got fatal=%v: %s", tt.want, rec.fatal, rec.messages())
			}
		})
	}
}
