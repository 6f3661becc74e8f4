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

// TestOSStdoutIsCapturedForEveryStepWithParallelOne covers a branching DAG:
// with --parallel 1 other steps are ready while one runs, but none can
// start, so every step's direct prints belong in its own log.
func TestOSStdoutIsCapturedForEveryStepWithParallelOne(t *testing.T) {
	printer := func(name string, after ...string) *Step {
		return &Step{Name: name, Func: name, CodeHash: "code-" + name, After: after,
			Run: func(ctx context.Context, sc *StepContext) error {
				fmt.Println("hello from", name)
				return nil
			}}
	}
	p := &Pipeline{Name: "branches", Steps: []*Step{
		printer("root"), printer("left", "root"), printer("right", "root"), printer("join", "left", "right"),
	}}
	home := t.TempDir()
	mustRun(t, p, home, "--parallel", "1")
	for _, s := range p.Steps {
		want := "hello from " + s.Name + "\n"
		if got := execIn(t, t.Context(), p, home, "logs", "latest", s.Name).stdout; got != want {
			t.Errorf("logs latest %s = %q, want %q", s.Name, got, want)
		}
	}
}
