package temporal

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/internal/temporalbench"
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

// chainPipeline is n steps, each reading the one before.
func chainPipeline(n int) *pipeline.Pipeline {
	p := &pipeline.Pipeline{Name: "chain"}
	for i := range n {
		from := ""
		if i > 0 {
			from = fmt.Sprintf("s%04d", i-1)
		}
		p.Steps = append(p.Steps, benchStep(fmt.Sprintf("s%04d", i), from))
	}
	return p
}

// fanOutPipeline is n independent steps.
func fanOutPipeline(n int) *pipeline.Pipeline {
	p := &pipeline.Pipeline{Name: "fanout"}
	for i := range n {
		p.Steps = append(p.Steps, benchStep(fmt.Sprintf("s%04d", i), ""))
	}
	return p
}

// BenchmarkTemporalRun is zengen on Temporal's cost per step beside bare
// Temporal's: whole runs of trivial steps (--no-cache, so every step runs
// and is recorded) submitted and followed as run --orchestrator temporal
// does, and the same shape as a bare workflow of trivial activities
// (internal/temporalbench), on one dev server, each iteration running one
// of each, in turns, so that both see the same machine load. Each has a
// worker of its own in this process with the same (default) options;
// zengen's records into a local store. Reported: ns/step for zengen,
// bare-ns/step, and x-bare, their ratio; and the CPU this process spent
// per step on each (cpu-ns/step, bare-cpu-ns/step: workers, workflow,
// submitter; not the server's), which a loaded machine does not stretch
// as it stretches the time.
//
//	go test ./runtime/temporal -run XXX -bench TemporalRun -benchtime 6x
//
// Figures are in docs/decisions.md (Temporal).
func BenchmarkTemporalRun(b *testing.B) {
	srv := servertest.StartTemporal(b)
	const bareQueue = "bench-bare"
	bw := worker.New(srv.Client, bareQueue, worker.Options{})
	bw.RegisterWorkflow(temporalbench.ChainWorkflow)
	bw.RegisterWorkflow(temporalbench.FanOutWorkflow)
	bw.RegisterActivity(temporalbench.AddOne)
	if err := bw.Start(); err != nil {
		b.Fatal(err)
	}
	defer bw.Stop()
	bench := func(b *testing.B, p *pipeline.Pipeline, bare any, want int) {
		home := b.TempDir()
		st, err := engine.OpenStore(b.Context(), home)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		// The submitting command is a process of its own, with its own
		// connection to the store: sharing the worker's one connection,
		// its polls would hold up the steps' writes.
		sub, err := engine.OpenStore(b.Context(), home)
		if err != nil {
			b.Fatal(err)
		}
		defer sub.Close()
		conn := connection{hostPort: srv.HostPort, namespace: srv.Namespace, taskQueue: "bench-" + p.Name}
		wk := worker.New(srv.Client, conn.taskQueue, worker.Options{})
		register(wk, &activities{p: p, st: st, params: newParamsGate(), orchestrator: conn.orchestratorURL()})
		if err := wk.Start(); err != nil {
			b.Fatal(err)
		}
		defer wk.Stop()
		o := &orchestrator{conn: conn, st: sub}
		var zenCPU, bareCPU time.Duration
		zen := func() time.Duration {
			start, cpu := time.Now(), cpuTime()
			out, err := o.Execute(b.Context(), p, engine.RunOptions{NoCache: true, Parallel: 1}, map[string]string{})
			if err != nil || out.Run.Status != meta.RunSucceeded {
				b.Fatalf("run: %+v, %v", out.Run, err)
			}
			zenCPU += cpuTime() - cpu
			return time.Since(start)
		}
		bareRun := func() time.Duration {
			start, cpu := time.Now(), cpuTime()
			defer func() { bareCPU += cpuTime() - cpu }()
			r, err := srv.Client.ExecuteWorkflow(b.Context(), client.StartWorkflowOptions{TaskQueue: bareQueue}, bare, len(p.Steps))
			if err != nil {
				b.Fatal(err)
			}
			var got int
			if err := r.Get(b.Context(), &got); err != nil || got != want {
				b.Fatalf("bare workflow %s: %d, %v; want %d", r.GetID(), got, err, want)
			}
			return time.Since(start)
		}
		zen() // the store, the queues and the workers' caches warm up untimed
		bareRun()
		var zenTook, bareTook time.Duration
		zenCPU, bareCPU = 0, 0
		b.ResetTimer()
		for i := range b.N {
			// Each goes first every other time, so neither always runs
			// on the server's and the worker's leftovers of the other.
			if i%2 == 0 {
				bareTook += bareRun()
				zenTook += zen()
			} else {
				zenTook += zen()
				bareTook += bareRun()
			}
		}
		steps := float64(b.N * len(p.Steps))
		b.ReportMetric(float64(zenTook.Nanoseconds())/steps, "ns/step")
		b.ReportMetric(float64(bareTook.Nanoseconds())/steps, "bare-ns/step")
		b.ReportMetric(float64(zenTook)/float64(bareTook), "x-bare")
		b.ReportMetric(float64(zenCPU.Nanoseconds())/steps, "cpu-ns/step")
		b.ReportMetric(float64(bareCPU.Nanoseconds())/steps, "bare-cpu-ns/step")
	}
	b.Run("chain100", func(b *testing.B) {
		p := chainPipeline(benchChain)
		bench(b, p, temporalbench.ChainWorkflow, benchChain)
	})
	b.Run("fanout50", func(b *testing.B) {
		p := fanOutPipeline(benchFanOut)
		bench(b, p, temporalbench.FanOutWorkflow, benchFanOut*(benchFanOut+1)/2)
	})
}

// BenchmarkRemoteSteps is what zengen adds to each step on Temporal,
// without Temporal: whole runs (--no-cache) of trivial steps prepared,
// run and recorded as a worker's activities do (RunRemoteStep on the
// worker's grouped store), in a chain one after another and in a fan-out
// all at once, submitted and closed as a workflow does. Reported: ns/step
// and the process's CPU per step (cpu-ns/step).
//
//	go test ./runtime/temporal -run XXX -bench RemoteSteps
func BenchmarkRemoteSteps(b *testing.B) {
	bench := func(b *testing.B, p *pipeline.Pipeline, together bool) {
		st, err := engine.OpenStore(b.Context(), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		a := &activities{p: p, st: st, params: newParamsGate()}
		x, grouped, err := a.steps()
		if err != nil {
			b.Fatal(err)
		}
		ctx := b.Context()
		cpu := cpuTime()
		b.ResetTimer()
		for range b.N {
			plan, _, err := engine.SubmitRun(ctx, p, st, engine.RunOptions{NoCache: true}, map[string]string{}, "temporal://bench/default")
			if err != nil {
				b.Fatal(err)
			}
			g, err := engine.NewRemoteDAG(p, plan)
			if err != nil {
				b.Fatal(err)
			}
			for g.Ready() {
				var rss []engine.RemoteStep
				for g.Ready() {
					rss = append(rss, g.Next())
					if !together {
						break
					}
				}
				results := make([]meta.StepRun, len(rss))
				errs := make([]error, len(rss))
				var wg sync.WaitGroup
				for i, rs := range rss {
					wg.Go(func() { results[i], errs[i] = engine.RunRemoteStep(ctx, x, grouped, rs) })
				}
				wg.Wait()
				for i, sr := range results {
					if errs[i] != nil || sr.Status != meta.StepSucceeded {
						b.Fatalf("%s: %s, %v", rss[i].Step, sr.Status, errs[i])
					}
					g.Settle(sr)
				}
			}
			if _, err := engine.CloseRemoteRun(ctx, p, st, g.Close("")); err != nil {
				b.Fatal(err)
			}
		}
		steps := float64(b.N * len(p.Steps))
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/steps, "ns/step")
		b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/steps, "cpu-ns/step")
	}
	b.Run("chain100", func(b *testing.B) {
		p := chainPipeline(benchChain)
		bench(b, p, false)
	})
	b.Run("fanout50", func(b *testing.B) {
		p := fanOutPipeline(benchFanOut)
		bench(b, p, true)
	})
}
