package runtime

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// TestOneCommitPerStep holds the scheduler to its store budget: a tracked
// chain commits once per step (a step's record and its successor's start
// together), and a fully cached re-run gathers its records into a commit
// or two.
func TestOneCommitPerStep(t *testing.T) {
	const steps = 20
	p := chain(steps)
	home := t.TempDir()
	tests := []struct {
		name                   string
		opts                   engine.RunOptions
		hold                   time.Duration // engine.MaxJournalHold
		minCommits, maxCommits int64
		status                 string
	}{
		{"tracked", engine.RunOptions{Parallel: 2, NoCache: true}, time.Minute, 1, steps + 1, meta.StepSucceeded},
		{"cached", engine.RunOptions{Parallel: 2}, time.Minute, 1, 1, meta.StepCached},
		// A transaction gathering cache hits holds the write lock; past
		// maxJournalHold it commits and a new one begins.
		{"cached, held too long", engine.RunOptions{Parallel: 2}, 0, steps, 2*steps + 1, meta.StepCached},
	}
	defer func(hold time.Duration) { engine.MaxJournalHold = hold }(engine.MaxJournalHold)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			engine.MaxJournalHold = tc.hold
			st, err := engine.OpenStore(t.Context(), home)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			r, err := engine.NewRunner(p, st, tc.opts, map[string]string{}, &engine.Terminal{Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				t.Fatal(err)
			}
			// Counting commits is today's SQLite store's own instrument.
			db := st.Meta.(interface{ Commits() int64 })
			before := db.Commits()
			run, err := r.Execute(context.Background())
			if err != nil || run.Status != meta.RunSucceeded {
				t.Fatalf("run %s: %v %s", run.Status, err, run.Error)
			}
			if got := db.Commits() - before; got < tc.minCommits || got > tc.maxCommits {
				t.Errorf("%d commits for %d steps, want %d to %d", got, steps, tc.minCommits, tc.maxCommits)
			}
			recorded, err := st.Meta.StepRuns(t.Context(), run.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(recorded) != steps {
				t.Fatalf("%d step runs recorded, want %d", len(recorded), steps)
			}
			for _, sr := range recorded {
				if sr.Status != tc.status {
					t.Errorf("step %s %s, want %s", sr.Step, sr.Status, tc.status)
				}
			}
		})
	}
}
