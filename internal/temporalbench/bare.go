package temporalbench

import (
	"context"
	"time"

	"go.temporal.io/sdk/workflow"
)

// The bare workflows are exported so that runtime/temporal's benchmark
// runs them beside zengen's on one dev server and one machine load: two
// benchmarks run apart (or, with go test's default -p, at once) measure
// two different loads.

// AddOne is the trivial activity: the work of a no-op step.
func AddOne(_ context.Context, v int) (int, error) { return v + 1, nil }

var activityOptions = workflow.ActivityOptions{StartToCloseTimeout: time.Minute}

// ChainWorkflow runs n activities one after another, each on the previous
// one's result; it returns n.
func ChainWorkflow(ctx workflow.Context, n int) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	v := 0
	for range n {
		if err := workflow.ExecuteActivity(ctx, AddOne, v).Get(ctx, &v); err != nil {
			return 0, err
		}
	}
	return v, nil
}

// FanOutWorkflow starts n activities at once and waits for all of them;
// it returns n(n+1)/2.
func FanOutWorkflow(ctx workflow.Context, n int) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	futures := make([]workflow.Future, n)
	for i := range futures {
		futures[i] = workflow.ExecuteActivity(ctx, AddOne, i)
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
