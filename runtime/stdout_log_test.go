package runtime

import (
	"context"
	"fmt"
	"testing"
)

// TestOSStdoutReachesTheLogOfAStepThatReturnsAtOnce covers a step that
// prints only to os.Stdout and returns right away, like a GoNB function
// step: its lines travel through a pipe and must be in the stored log, not
// only on the terminal. Several runs make a lost race show up.
func TestOSStdoutReachesTheLogOfAStepThatReturnsAtOnce(t *testing.T) {
	const lines = "1. notebook\n2. artifact\n3. cache\n"
	top := &Step{Name: "top", Func: "Top", CodeHash: "code-top", Pos: "test.ipynb:cell 1", After: []string{"a"},
		Run: func(ctx context.Context, sc *StepContext) error {
			fmt.Print(lines)
			return nil
		}}
	p := &Pipeline{Name: "stdoutlog", Steps: []*Step{intStep("a", 1), top}}
	for i := range 20 {
		home := t.TempDir()
		mustRun(t, p, home)
		if got := execIn(t, t.Context(), p, home, "logs", "latest", "top").stdout; got != lines {
			t.Fatalf("run %d: logs latest top = %q, want %q", i, got, lines)
		}
	}
}
