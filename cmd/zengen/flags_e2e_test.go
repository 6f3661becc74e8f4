package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNotebookFlagsAreParams runs the gonb_flags notebook, whose cells pass
// different values to the same flags with %%, %args and %exec: the default
// run prints what each cell recorded, --rounds changes every step that
// reads it but one given --third_game.rounds, and a changed value re-runs
// exactly the steps that read it.
func TestNotebookFlagsAreParams(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated pipeline; skipped with -short")
	}
	bin, _ := generateAndBuild(t, caseNotebook(t, "gonb_flags"))
	home := t.TempDir()
	rounds := []struct {
		name  string
		args  []string
		lines []string // printed, each behind its step's name
		want  map[string]string
	}{
		{
			name:  "defaults: each cell's own values",
			lines: []string{"[first_game] first: 4 rounds, total 15.00", "[second_game] second game: 3 rounds, total 9.00", "[third_game] round 2: 1.50", "[third_game] warmup: 2 rounds, total 1.50", "[report] 3 warmup 250ms"},
			want:  map[string]string{"first_game": "succeeded", "second_game": "succeeded", "third_game": "succeeded", "report": "succeeded"},
		},
		{
			name:  "a pipeline-wide flag and a per-step one",
			args:  []string{"--rounds=1", "--third_game.rounds=2", "--report.pause=1m30s"},
			lines: []string{"[first_game] first: 1 rounds, total 1.50", "[second_game] second game: 1 rounds, total 1.50", "[report] 1 warmup 1m30s"},
			want:  map[string]string{"first_game": "succeeded", "second_game": "succeeded", "third_game": "cached", "report": "succeeded"},
		},
		{
			name:  "a flag only one step reads",
			args:  []string{"--rounds=1", "--third_game.rounds=2", "--report.pause=1m30s", "--second_game.label=again"},
			lines: []string{"[second_game] again: 1 rounds, total 1.50"},
			want:  map[string]string{"first_game": "cached", "second_game": "succeeded", "third_game": "cached", "report": "cached"},
		},
	}
	for _, r := range rounds {
		out, err := runBinary(t, bin, append([]string{"run", "--home", home}, r.args...)...)
		if err != nil {
			t.Fatalf("%s: run: %v\n%s", r.name, err, out)
		}
		for _, line := range r.lines {
			if !strings.Contains(out, line+"\n") {
				t.Errorf("%s: the run does not print %q:\n%s", r.name, line, out)
			}
		}
		if diff := cmp.Diff(r.want, showLatest(t, bin, home).Statuses()); diff != "" {
			t.Errorf("%s: step statuses (-want +got):\n%s", r.name, diff)
		}
	}
	out, err := runBinary(t, bin, "explain", "latest", "second_game", "--home", home)
	if err != nil || !strings.Contains(out, "second_game.label") {
		t.Errorf("explain latest second_game does not name param second_game.label (%v):\n%s", err, out)
	}
}
