package teamstack_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/zengen-dev/zengen/internal/servertest"
	zen "github.com/zengen-dev/zengen/runtime"
)

// longChain builds n steps, each reading the previous one's small output,
// as the runtime's own chain benchmark does.
func longChain(n int) *zen.Pipeline {
	p := &zen.Pipeline{Name: "chain"}
	for i := range n {
		name := fmt.Sprintf("s%04d", i)
		s := &zen.Step{Name: name, CodeHash: "h" + name, Outputs: []zen.Output{{Name: "v", Type: "int", Codec: "json"}}}
		if i > 0 {
			s.Inputs = []zen.Input{{Name: "v", Type: "int", Codec: "json", From: fmt.Sprintf("s%04d", i-1)}}
		}
		s.Run = func(ctx context.Context, sc *zen.StepContext) error {
			v := 0
			if len(s.Inputs) > 0 {
				var err error
				if v, err = zen.Load(sc, "v", zen.JSON[int]()); err != nil {
					return err
				}
			}
			return zen.Save(sc, "v", zen.JSON[int](), v+1)
		}
		p.Steps = append(p.Steps, s)
	}
	return p
}

func benchStacks(b *testing.B) map[string][]string {
	_, u := servertest.S3Bucket(b)
	return map[string][]string{
		"embedded":    nil,
		"postgres+s3": {"--db", servertest.Postgres(b), "--store", u},
	}
}

func benchRun(b *testing.B, p *zen.Pipeline, home string, stack []string, args ...string) {
	b.Helper()
	argv := append(append([]string{"run", "--home", home}, stack...), args...)
	if code := zen.Exec(context.Background(), p, argv, io.Discard, io.Discard); code != 0 {
		b.Fatalf("run exited %d", code)
	}
}

// BenchmarkChainTracked is the per-step overhead of a fully tracked run of
// a 1,000-step chain on each stack (targets: embedded ≤ 1 ms, PostgreSQL
// and S3 ≤ 5 ms per step).
func BenchmarkChainTracked(b *testing.B) {
	const steps = 1000
	for _, name := range []string{"embedded", "postgres+s3"} {
		b.Run(name, func(b *testing.B) {
			stack := benchStacks(b)[name]
			p, home := longChain(steps), b.TempDir()
			b.ResetTimer()
			for range b.N {
				benchRun(b, p, home, stack, "--no-cache")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*steps)/1e6, "ms/step")
		})
	}
}

// BenchmarkChainCached is a re-run of the chain where every step is a
// verified cache hit.
func BenchmarkChainCached(b *testing.B) {
	const steps = 1000
	for _, name := range []string{"embedded", "postgres+s3"} {
		b.Run(name, func(b *testing.B) {
			stack := benchStacks(b)[name]
			p, home := longChain(steps), b.TempDir()
			benchRun(b, p, home, stack)
			b.ResetTimer()
			for range b.N {
				benchRun(b, p, home, stack)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*steps)/1e6, "ms/step")
		})
	}
}
