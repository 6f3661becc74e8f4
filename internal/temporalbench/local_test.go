package temporalbench

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"testing"

	"github.com/zengen-dev/zengen/runtime"
)

// chain is the chain shape as a zengen pipeline of n no-op steps, each
// reading the previous one's output, as runtime's own benchmarks build it.
func chain(n int) *runtime.Pipeline {
	p := &runtime.Pipeline{Name: "chain"}
	for i := range n {
		s := noOp(fmt.Sprintf("s%04d", i))
		if i > 0 {
			s.Inputs = []runtime.Input{{Name: "v", Type: "int", Codec: "json", From: fmt.Sprintf("s%04d", i-1)}}
		}
		p.Steps = append(p.Steps, s)
	}
	return p
}

// fanOut is the fan-out shape: n no-op steps that read nothing.
func fanOut(n int) *runtime.Pipeline {
	p := &runtime.Pipeline{Name: "fanout"}
	for i := range n {
		p.Steps = append(p.Steps, noOp(fmt.Sprintf("s%04d", i)))
	}
	return p
}

// noOp is a step that saves its input plus one (0 without an input).
func noOp(name string) *runtime.Step {
	s := &runtime.Step{Name: name, CodeHash: "h" + name, Outputs: []runtime.Output{{Name: "v", Type: "int", Codec: "json"}}}
	s.Run = func(ctx context.Context, sc *runtime.StepContext) error {
		v := 0
		if len(s.Inputs) > 0 {
			var err error
			if v, err = runtime.Load(sc, "v", runtime.JSON[int]()); err != nil {
				return err
			}
		}
		return runtime.Save(sc, "v", runtime.JSON[int](), v+1)
	}
	return s
}

// BenchmarkLocal runs the two shapes on zengen's local orchestrator, every
// step run and recorded (--no-cache), the fan-out with every step at once
// as Temporal's worker runs them.
func BenchmarkLocal(b *testing.B) {
	run := func(b *testing.B, p *runtime.Pipeline, parallel int) {
		home := b.TempDir()
		args := []string{"run", "--home", home, "--no-cache", "--parallel", strconv.Itoa(parallel)}
		exec := func() {
			if code := runtime.Exec(context.Background(), p, args, io.Discard, io.Discard); code != 0 {
				b.Fatalf("run exited %d", code)
			}
		}
		exec() // the store is created untimed
		b.ResetTimer()
		for range b.N {
			exec()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(p.Steps)), "ns/step")
	}
	b.Run("chain100", func(b *testing.B) { run(b, chain(chainSteps), 1) })
	b.Run("fanout50", func(b *testing.B) { run(b, fanOut(fanOutWide), fanOutWide) })
}
