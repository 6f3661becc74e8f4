package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// Test pipelines are built by hand: each step's Run closure plays the part
// of a generated adapter.

// intStep returns a step that reads the int outputs named by inputs (as
// "step.var"), passes their sum plus add through f and saves it as out.
func intStep(name string, add int, inputs ...string) *Step {
	s := &Step{Name: name, Func: strings.ToUpper(name[:1]) + name[1:], CodeHash: "code-" + name,
		Pos: "test.ipynb:cell 1", Outputs: []Output{{Name: name + "_out", Type: "int", Codec: "json"}}}
	for _, in := range inputs {
		from, v, _ := strings.Cut(in, ".")
		s.Inputs = append(s.Inputs, Input{Name: v, Type: "int", Codec: "json", From: from})
	}
	s.Run = func(ctx context.Context, sc *StepContext) error {
		sum := add
		for _, in := range s.Inputs {
			v, err := Load(sc, in.Name, JSON[int]())
			if err != nil {
				return err
			}
			sum += v
		}
		fmt.Fprintf(Stdout(ctx), "%s=%d\n", name, sum)
		return Save(sc, name+"_out", JSON[int](), sum)
	}
	return s
}

// wrap replaces s.Run with f around the original.
func wrap(s *Step, f func(ctx context.Context, sc *StepContext, next func() error) error) *Step {
	orig := s.Run
	s.Run = func(ctx context.Context, sc *StepContext) error {
		return f(ctx, sc, func() error { return orig(ctx, sc) })
	}
	return s
}

// counted counts how often s really runs.
func counted(s *Step, n *atomic.Int32) *Step {
	return wrap(s, func(ctx context.Context, sc *StepContext, next func() error) error {
		n.Add(1)
		return next()
	})
}

type result struct {
	stdout, stderr string
	code           int
}

// execIn runs the binary's command line against the store in home.
func execIn(t testing.TB, ctx context.Context, p *Pipeline, home string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Exec(ctx, p, append(args, "--home", home), &out, &errb)
	return result{out.String(), errb.String(), code}
}

func mustRun(t testing.TB, p *Pipeline, home string, args ...string) result {
	t.Helper()
	r := execIn(t, context.Background(), p, home, append([]string{"run"}, args...)...)
	if r.code != 0 {
		t.Fatalf("run %v: exit %d\nstdout:\n%s\nstderr:\n%s", args, r.code, r.stdout, r.stderr)
	}
	return r
}

// openTestDB opens the store in home for assertions.
func openTestDB(t testing.TB, home string) *meta.DB {
	t.Helper()
	db, err := meta.Open(context.Background(), filepath.Join(home, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// statuses returns step → status of the latest run (or of ref).
func statuses(t testing.TB, p *Pipeline, home, ref string) (meta.Run, map[string]string) {
	t.Helper()
	db := openTestDB(t, home)
	run, err := db.ResolveRun(context.Background(), p.Name, ref)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := db.StepRuns(context.Background(), run.ID)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, s := range steps {
		m[s.Step] = s.Status
	}
	return run, m
}

// catInt decodes an int artifact of the latest run.
func catInt(t testing.TB, p *Pipeline, home, ref, artifact string) int {
	t.Helper()
	r := execIn(t, context.Background(), p, home, "cat", ref, artifact)
	if r.code != 0 {
		t.Fatalf("cat %s: exit %d: %s", artifact, r.code, r.stderr)
	}
	var v int
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("cat %s: %q: %v", artifact, r.stdout, err)
	}
	return v
}
