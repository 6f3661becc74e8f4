// Package zentest is the test double of the runtime's test helpers, with
// the API that generated tests call. The double runtime does not capture
// output per step, so Parity here checks only that every expectation names
// a step of the pipeline and a cell; the comparison itself is tested
// against the real runtime.
package zentest

import (
	"bytes"
	"context"
	"testing"

	"github.com/zengen-dev/zengen/runtime"
)

type Result struct {
	p *runtime.Pipeline
}

type Expect struct {
	Step string
	Cell string
	Text string
	Skip bool
}

func Run(t testing.TB, p *runtime.Pipeline, args ...string) *Result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := append([]string{"run", "--home", t.TempDir()}, args...)
	if code := runtime.Exec(context.Background(), p, cmd, &stdout, &stderr); code != 0 {
		t.Fatalf("run exited with status %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
	}
	return &Result{p: p}
}

func Parity(t testing.TB, r *Result, want []Expect) {
	t.Helper()
	steps := map[string]bool{}
	for _, s := range r.p.Steps {
		steps[s.Name] = true
	}
	for _, w := range want {
		if !steps[w.Step] || w.Cell == "" {
			t.Errorf("expectation %+v does not name a step of %s and a cell", w, r.p.Name)
		}
	}
}
