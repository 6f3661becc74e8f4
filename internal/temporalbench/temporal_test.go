package temporalbench

import (
	"context"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/internal/servertest"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// addOne is the trivial activity: the work of a no-op step.
func addOne(_ context.Context, v int) (int, error) { return v + 1, nil }

var activityOptions = workflow.ActivityOptions{StartToCloseTimeout: time.Minute}

// chainWorkflow runs n activities one after another, each on the previous
// one's result.
func chainWorkflow(ctx workflow.Context, n int) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	v := 0
	for range n {
		if err := workflow.ExecuteActivity(ctx, addOne, v).Get(ctx, &v); err != nil {
			return 0, err
		}
	}
	return v, nil
}

// fanOutWorkflow starts n activities at once and waits for all of them.
func fanOutWorkflow(ctx workflow.Context, n int) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	futures := make([]workflow.Future, n)
	for i := range futures {
		futures[i] = workflow.ExecuteActivity(ctx, addOne, i)
	}
	sum := 0
	for _, f := range futures {
		var v int
		if err := f.Get(ctx, &v); err != nil {
			return 0, err
		}
		sum += v
	}
	return sum, nil
}

// BenchmarkBareTemporal runs the two shapes as plain Temporal workflows on
// a dev server of its own (transfer poll rate raised as the deployment
// notes say) with one worker in this process: what Temporal itself costs
// per step, before anything zengen adds.
func BenchmarkBareTemporal(b *testing.B) {
	srv := servertest.StartTemporal(b)
	const queue = "temporalbench"
	w := worker.New(srv.Client, queue, worker.Options{})
	w.RegisterWorkflow(chainWorkflow)
	w.RegisterWorkflow(fanOutWorkflow)
	w.RegisterActivity(addOne)
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
		run(b, chainWorkflow, chainSteps, chainSteps) // the worker's caches warm up untimed
		b.ResetTimer()
		for range b.N {
			run(b, chainWorkflow, chainSteps, chainSteps)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*chainSteps), "ns/step")
	})
	b.Run("fanout50", func(b *testing.B) {
		want := fanOutWide * (fanOutWide + 1) / 2
		run(b, fanOutWorkflow, fanOutWide, want)
		b.ResetTimer()
		for range b.N {
			run(b, fanOutWorkflow, fanOutWide, want)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*fanOutWide), "ns/step")
	})
}
