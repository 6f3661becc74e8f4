package runtime

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/proctest"
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
// one store transaction (this step's record and the next one's start), one
// fsync'd blob, lineage.
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

// BenchmarkHelpColdStart runs `--help` of a freshly built pipeline binary
// (testdata/helpbin, shaped like a generated one) in a new process each
// time: exec, package initialisation, flag set-up and usage. The build is
// not timed.
func BenchmarkHelpColdStart(b *testing.B) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command to build the pipeline binary")
	}
	bin := filepath.Join(b.TempDir(), "helpbin")
	if out, err := proctest.Command(b, goTool, "build", "-o", bin, "./testdata/helpbin").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	b.ResetTimer()
	for range b.N {
		if out, err := proctest.Command(b, bin, "--help").Output(); err != nil || len(out) == 0 {
			b.Fatalf("--help: %v, %d bytes", err, len(out))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

// BenchmarkStepPrintsALot runs one step that prints a million short lines
// (about 30 MB, for a second or so), while its output so far is saved to
// the store every LiveLogEvery; the time per line is the figure.
func BenchmarkStepPrintsALot(b *testing.B) {
	const lines = 1_000_000
	s := &Step{Name: "chatty", CodeHash: "chatty"}
	s.Run = func(ctx context.Context, sc *StepContext) error {
		for i := range lines {
			fmt.Println("epoch", i, "loss 0.25")
		}
		return nil
	}
	p := &Pipeline{Name: "chatty", Steps: []*Step{s}}
	home := b.TempDir()
	b.ResetTimer()
	for range b.N {
		benchRun(b, p, home, "--no-cache")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lines), "ns/line")
}
