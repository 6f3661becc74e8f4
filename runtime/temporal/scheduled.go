package temporal

import (
	"context"
	"net/url"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// The names a schedule's workflow and its first activity are registered
// under.
const (
	scheduledWorkflowName = "zen.scheduled"
	submitActivity        = "zen.submit"
)

// Scheduled is what a schedule starts its workflow with: no process
// submits its runs, so the workflow plans and records each itself.
type Scheduled struct {
	// Schedule is the schedule's name, recorded with each run it starts.
	Schedule string
	// Params are the canonical params schedule create chose: its flags,
	// the defaults for the rest.
	Params map[string]string
}

// scheduledWorkflow is one firing of a schedule: an activity plans and
// records the run, as run does where it is submitted, then the run goes on
// as a child workflow under the run's id, so that cancel and the run's
// records treat it like any other. The schedule's overlap policy sees the
// firing running until the run ends.
func scheduledWorkflow(ctx workflow.Context, s Scheduled) (meta.Run, error) {
	// One attempt: a retry after the run was recorded would record a
	// second; a firing that fails is reported and the next one comes.
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1},
	})
	var plan engine.RemotePlan
	if err := workflow.ExecuteActivity(actx, submitActivity, s).Get(ctx, &plan); err != nil {
		return meta.Run{}, err
	}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: plan.RunID})
	var run meta.Run
	err := workflow.ExecuteChildWorkflow(cctx, workflowName, plan).Get(ctx, &run)
	return run, err
}

// Submit plans and records a run for a schedule's firing.
func (a *activities) Submit(ctx context.Context, s Scheduled) (engine.RemotePlan, error) {
	where := a.orchestrator + "?schedule=" + url.QueryEscape(s.Schedule)
	plan, _, err := engine.SubmitRun(ctx, a.p, a.st, engine.RunOptions{Parallel: 1, Prog: a.p.Name}, s.Params, where)
	return plan, err
}
