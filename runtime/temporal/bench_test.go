package temporal

import (
	"context"
	"fmt"
	"testing"

	"go.temporal.io/sdk/worker"

	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// The shapes of issue 13's comparison, as internal/temporalbench runs them
// on bare Temporal and on the local orchestrator.
const (
	benchChain  = 100 // each step reads the previous one's result
	benchFanOut = 50  // independent steps, all started at once
)

// benchStep saves its input plus one (0 without an input).
func benchStep(name, from string) *pipeline.Step {
	s := &pipeline.Step{Name: name, CodeHash: "h" + name, Pos: "bench.ipynb:cell 1",
		Outputs: []pipeline.Output{{Name: "v", Type: "int", Codec: "json"}}}
	if from != "" {
		s.Inputs = []pipeline.Input{{Name: "v", Type: "int", Codec: "json", From: from}}
	}
	s.Run = func(ctx context.Context, sc *pipeline.StepContext) error {
		v := 0
		if from != "" {
			var err error
			if v, err = runtime.Load(sc, "v", runtime.JSON[int]()); err != nil {
				return err
			}
		}
		return runtime.Save(sc, "v", runtime.JSON[int](), v+1)
	}
	return s
}

// BenchmarkTemporalRun is zengen on Temporal's cost per step: whole runs
// of trivial steps (--no-cache, so every step runs and is recorded) on a
// real dev server, submitted and followed as run --orchestrator temporal
// does, with one worker in this process on the local store.
//
//	go test ./runtime/temporal -run XXX -bench TemporalRun -benchtime 3x
//
// Measured here (2 shared cores, load 18–23, -benchtime 2x): 48 ms per
// chain step, 52 ms per fan-out step, on servertest's dev server, whose
// task queue partitions now and then hold an activity task 2 s (see
// internal/temporalbench for bare Temporal on the same server).
func BenchmarkTemporalRun(b *testing.B) {
	srv := servertest.StartTemporal(b)
	bench := func(b *testing.B, p *pipeline.Pipeline) {
		st, err := engine.OpenStore(b.Context(), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		conn := connection{hostPort: srv.HostPort, namespace: srv.Namespace, taskQueue: "bench-" + p.Name}
		wk := worker.New(srv.Client, conn.taskQueue, worker.Options{})
		register(wk, &activities{p: p, st: st, params: newParamsGate(), orchestrator: conn.orchestratorURL()})
		if err := wk.Start(); err != nil {
			b.Fatal(err)
		}
		defer wk.Stop()
		o := &orchestrator{conn: conn, st: st}
		run := func() {
			out, err := o.Execute(b.Context(), p, engine.RunOptions{NoCache: true, Parallel: 1}, map[string]string{})
			if err != nil || out.Run.Status != meta.RunSucceeded {
				b.Fatalf("run: %+v, %v", out.Run, err)
			}
		}
		run() // the store, the queue and the worker's caches warm up untimed
		b.ResetTimer()
		for range b.N {
			run()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(p.Steps)), "ns/step")
	}
	b.Run("chain100", func(b *testing.B) {
		p := &pipeline.Pipeline{Name: "chain"}
		for i := range benchChain {
			from := ""
			if i > 0 {
				from = fmt.Sprintf("s%04d", i-1)
			}
			p.Steps = append(p.Steps, benchStep(fmt.Sprintf("s%04d", i), from))
		}
		bench(b, p)
	})
	b.Run("fanout50", func(b *testing.B) {
		p := &pipeline.Pipeline{Name: "fanout"}
		for i := range benchFanOut {
			p.Steps = append(p.Steps, benchStep(fmt.Sprintf("s%04d", i), ""))
		}
		bench(b, p)
	})
}
