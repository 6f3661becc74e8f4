package runtime

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"
)

// chain builds n no-op steps, each reading the previous one's output.
func chain(n int) *Pipeline {
	p := &Pipeline{Name: "chain"}
	for i := range n {
		name := fmt.Sprintf("s%04d", i)
		s := &Step{Name: name, CodeHash: "h" + name, Outputs: []Output{{Name: "v", Type: "int", Codec: "json"}}}
		if i > 0 {
			s.Inputs = []Input{{Name: "v", Type: "int", Codec: "json", From: fmt.Sprintf("s%04d", i-1)}}
		}
		s.Run = func(ctx context.Context, sc *StepContext) error {
			v := 0
			if len(s.Inputs) > 0 {
				var err error
				if v, err = Load(sc, "v", JSON[int]()); err != nil {
					return err
				}
			}
			return Save(sc, "v", JSON[int](), v+1)
		}
		p.Steps = append(p.Steps, s)
	}
	return p
}

func benchRun(b *testing.B, p *Pipeline, home string, args ...string) {
	b.Helper()
	if code := Exec(context.Background(), p, append([]string{"run", "--home", home}, args...), io.Discard, io.Discard); code != 0 {
		b.Fatalf("run exited %d", code)
	}
}

// BenchmarkChainTracked measures per-step overhead of a fully tracked run:
// cache lookup, two store transactions, one fsync'd blob, lineage.
func BenchmarkChainTracked(b *testing.B) {
	const steps = 1000
	p := chain(steps)
	home := b.TempDir()
	b.ResetTimer()
	for range b.N {
		benchRun(b, p, home, "--no-cache")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*steps), "ns/step")
}

// BenchmarkChainCached measures a re-run where every step is a verified
// cache hit.
func BenchmarkChainCached(b *testing.B) {
	const steps = 1000
	p := chain(steps)
	home := b.TempDir()
	benchRun(b, p, home)
	b.ResetTimer()
	for range b.N {
		benchRun(b, p, home)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*steps), "ns/step")
}

// BenchmarkTwoCPUBoundSteps runs two independent 1 s CPU-bound steps with
// --parallel 2; the wall time per run is the figure.
func BenchmarkTwoCPUBoundSteps(b *testing.B) {
	spin := func(name string) *Step {
		s := &Step{Name: name, CodeHash: name, Outputs: []Output{{Name: "n", Type: "int", Codec: "json"}}}
		s.Run = func(ctx context.Context, sc *StepContext) error {
			n := 0
			for start := time.Now(); time.Since(start) < time.Second; {
				for range 10000 {
					n++
				}
			}
			return Save(sc, "n", JSON[int](), n)
		}
		return s
	}
	p := &Pipeline{Name: "cpu", Steps: []*Step{spin("a"), spin("b")}}
	home := b.TempDir()
	b.ResetTimer()
	for range b.N {
		benchRun(b, p, home, "--parallel", "2", "--no-cache")
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
}
