package temporalbench

import (
	"context"
	"testing"

	"github.com/zengen-dev/zengen/internal/servertest"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
)

// BenchmarkBareTemporal runs the two shapes as plain Temporal workflows on
// a dev server of its own (transfer poll rate raised as the deployment
// notes say) with one worker in this process: what Temporal itself costs
// per step, before anything zengen adds.
func BenchmarkBareTemporal(b *testing.B) {
	srv := servertest.StartTemporal(b)
	const queue = "temporalbench"
	w := worker.New(srv.Client, queue, worker.Options{})
	w.RegisterWorkflow(ChainWorkflow)
	w.RegisterWorkflow(FanOutWorkflow)
	w.RegisterActivity(AddOne)
	if err := w.Start(); err != nil {
		b.Fatal(err)
	}
	defer w.Stop()

	run := func(b *testing.B, wf any, n, want int) {
		b.Helper()
		ctx := context.Background()
		r, err := srv.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, wf, n)
		if err != nil {
			b.Fatal(err)
		}
		var got int
		if err := r.Get(ctx, &got); err != nil || got != want {
			b.Fatalf("workflow %s: %d, %v; want %d", r.GetID(), got, err, want)
		}
	}
	b.Run("chain100", func(b *testing.B) {
		run(b, ChainWorkflow, chainSteps, chainSteps) // the worker's caches warm up untimed
		b.ResetTimer()
		for range b.N {
			run(b, ChainWorkflow, chainSteps, chainSteps)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*chainSteps), "ns/step")
	})
	b.Run("fanout50", func(b *testing.B) {
		want := fanOutWide * (fanOutWide + 1) / 2
		run(b, FanOutWorkflow, fanOutWide, want)
		b.ResetTimer()
		for range b.N {
			run(b, FanOutWorkflow, fanOutWide, want)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*fanOutWide), "ns/step")
	})
}
