package temporal

import (
	"errors"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// The names the workflow and activities are registered under.
const (
	workflowName  = "zen.run"
	stepActivity  = "zen.step"
	closeActivity = "zen.close"
)

// heartbeatTimeout is how long a step's activity may go unheard of before
// Temporal counts its worker lost and hands the step to another; the
// activity heartbeats every heartbeatEvery.
const (
	heartbeatTimeout = 5 * time.Second
	heartbeatEvery   = time.Second
)

// lostWorkerAttempts bounds how often a step is handed to a worker again
// after losing one. A step's own retries (retries=N) happen inside one
// activity, as locally; these attempts count workers that died or went
// silent, and a step that kills every worker it runs on stops here.
const lostWorkerAttempts = 3

// noTimeout is the start-to-close timeout of a step without one: Temporal
// requires some bound, and heartbeats notice a dead worker long before.
const noTimeout = 30 * 24 * time.Hour

// runWorkflow is a run of p: it starts each step once its inputs are
// there, in pipeline order, as an activity on the pipeline's queue; stops
// starting steps after a failure (unless --keep-going) or a cancellation;
// and closes the run. Everything it decides comes from the plan and the
// activities' results, so a replay decides the same.
func runWorkflow(p *pipeline.Pipeline) func(ctx workflow.Context, plan engine.RemotePlan) (meta.Run, error) {
	return func(ctx workflow.Context, plan engine.RemotePlan) (meta.Run, error) {
		g, err := engine.NewRemoteDAG(p, plan)
		if err != nil {
			return meta.Run{}, temporal.NewNonRetryableApplicationError(err.Error(), "zen.plan", nil)
		}
		byName := map[string]*pipeline.Step{}
		for _, s := range p.Steps {
			byName[s.Name] = s
		}
		stepsCtx, cancelSteps := workflow.WithCancel(ctx)
		sel := workflow.NewSelector(ctx)
		var unrecorded []meta.StepRun
		running, stopping, aloneRunning := 0, false, false
		for {
			for !stopping && !aloneRunning && g.Ready() {
				if ctx.Err() != nil {
					stopping = true
					break
				}
				if g.PeekAlone() && running > 0 {
					break
				}
				rs := g.Next()
				aloneRunning = g.Alone(rs.Step)
				fut := workflow.ExecuteActivity(workflow.WithActivityOptions(stepsCtx, stepOptions(byName[rs.Step])), stepActivity, rs)
				running++
				sel.AddFuture(fut, func(f workflow.Future) {
					running--
					if g.Alone(rs.Step) {
						aloneRunning = false
					}
					var sr meta.StepRun
					err := f.Get(ctx, &sr)
					var cancelled *temporal.CanceledError
					switch {
					case errors.As(err, &cancelled):
						// The activity recorded the step cancelled as it stopped.
						sr = meta.StepRun{RunID: plan.RunID, Step: rs.Step, Status: meta.StepCancelled}
					case err != nil:
						sr = engine.LostStep(rs, p, lostReason(err))
						unrecorded = append(unrecorded, sr)
					}
					g.Settle(sr)
					if sr.Status == meta.StepFailed && !plan.Opts.KeepGoing && !stopping {
						stopping = true
						cancelSteps()
					}
				})
			}
			if running == 0 {
				break
			}
			sel.Select(ctx)
			if ctx.Err() != nil {
				stopping = true
			}
		}
		stopped := ""
		if ctx.Err() != nil {
			stopped = "cancelled through Temporal"
		}
		// The run is closed even when the workflow was cancelled. Closing
		// is a local activity: it runs in this worker, which has the store
		// as every worker of the pipeline does, and so costs no trip
		// through the server's task queue, which was a run's last wait.
		dctx, _ := workflow.NewDisconnectedContext(ctx)
		dctx = workflow.WithLocalActivityOptions(dctx, workflow.LocalActivityOptions{
			StartToCloseTimeout: time.Minute,
			RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 10},
		})
		rc := g.Close(stopped)
		rc.Unrecorded = unrecorded
		var run meta.Run
		if err := workflow.ExecuteLocalActivity(dctx, closeActivity, rc).Get(dctx, &run); err != nil {
			return meta.Run{}, err
		}
		if stopped != "" {
			return run, temporal.NewCanceledError(run.ID)
		}
		return run, nil
	}
}

// stepOptions map a step's options to its activity's: timeout bounds each
// attempt, inside the activity as locally, and start-to-close bounds them
// all with some slack; heartbeats notice a dead worker.
func stepOptions(s *pipeline.Step) workflow.ActivityOptions {
	limit := noTimeout
	if s.Options.Timeout > 0 {
		limit = time.Duration(s.Options.Retries+1)*(s.Options.Timeout+time.Second) + time.Minute
	}
	return workflow.ActivityOptions{
		StartToCloseTimeout: limit,
		HeartbeatTimeout:    heartbeatTimeout,
		WaitForCancellation: true,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    100 * time.Millisecond,
			BackoffCoefficient: 2,
			MaximumInterval:    5 * time.Second,
			MaximumAttempts:    lostWorkerAttempts,
		},
	}
}

// lostReason says why a step's activity ended without its record.
func lostReason(err error) string {
	var timeout *temporal.TimeoutError
	if errors.As(err, &timeout) {
		return "no worker finished it: " + strconv.Itoa(lostWorkerAttempts) + " attempts timed out (" + timeout.TimeoutType().String() +
			"): each worker that took it died or went silent"
	}
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return "its worker could not run it: " + app.Message()
	}
	return "its worker could not run it: " + err.Error()
}
