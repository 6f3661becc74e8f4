package temporal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"
	"go.temporal.io/sdk/client"

	"github.com/zengen-dev/zengen/runtime/internal/cli"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// runFlags defines run's flags for Temporal: the connection and --detach.
func runFlags(fs *pflag.FlagSet) cli.OpenOrchestrator {
	o := &orchestrator{}
	connectionFlags(fs, &o.conn)
	fs.BoolVar(&o.detach, "detach", false, "with --orchestrator temporal: print the run's id and return once it is submitted")
	return func(ctx context.Context, env cli.Env, st *engine.Store) (engine.Orchestrator, error) {
		o.st, o.conn, o.stderr, o.prog = st, o.conn.resolved(), env.Stderr, env.Prog
		return o, nil
	}
}

// orchestrator submits runs as workflows and follows them in the store.
type orchestrator struct {
	conn   connection
	detach bool
	st     *engine.Store
	// stderr, when set, hears that no worker has taken the run yet.
	stderr io.Writer
	prog   string
}

// noWorkerAfter is how long a followed run may go without any step
// starting before the command says it waits for a worker.
const noWorkerAfter = 5 * time.Second

// submitWithin bounds the submission of a recorded run's workflow.
const submitWithin = 30 * time.Second

// pollEvery is how often a followed run's records are read.
const pollEvery = 200 * time.Millisecond

// Execute submits the run and, unless detached, shows its steps'
// transitions and output as the workers record them, until it ends. An
// interrupt cancels the run, as it does a local one.
func (o *orchestrator) Execute(ctx context.Context, p *pipeline.Pipeline, opts engine.RunOptions, params map[string]string, observers ...engine.Observer) (engine.Outcome, error) {
	cl, err := o.conn.dial()
	if err != nil {
		return engine.Outcome{}, err
	}
	defer cl.Close()
	plan, run, err := engine.SubmitRun(ctx, p, o.st, opts, params, o.conn.orchestratorURL(), observers...)
	if err != nil {
		return engine.Outcome{}, err
	}
	// The run is recorded: an interrupt must not leave it without its
	// workflow, or fail a workflow that already started (a fast step may
	// end before the server's answer arrives). The submission completes,
	// bounded, and an interrupt then cancels the workflow below.
	subCtx, subDone := context.WithTimeout(context.WithoutCancel(ctx), submitWithin)
	we, err := cl.ExecuteWorkflow(subCtx, client.StartWorkflowOptions{ID: run.ID, TaskQueue: o.conn.queue(p)}, workflowName, plan)
	subDone()
	if err != nil {
		msg := fmt.Sprintf("submitting it to Temporal at %s: %v", o.conn.hostPort, err)
		o.st.Meta.FinishRun(context.WithoutCancel(ctx), run.ID, meta.RunFailed, msg, time.Now())
		return engine.Outcome{}, errors.New(msg)
	}
	if o.detach {
		return engine.Outcome{Run: run, Detached: true}, nil
	}
	ended := make(chan error, 1)
	go func() {
		var final meta.Run
		ended <- we.Get(context.WithoutCancel(ctx), &final)
	}()
	f := newFollower(o.st, run.ID, observers)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	interrupted := ctx.Done()
	idle := time.After(noWorkerAfter)
	var unanswered <-chan time.Time
	var wfErr error
wait:
	for {
		select {
		case <-interrupted:
			interrupted = nil
			cl.CancelWorkflow(context.WithoutCancel(ctx), run.ID, "")
			unanswered = time.After(cancelAnswer)
		case <-unanswered:
			// No worker took the cancellation: none may be running. The
			// workflow is ended here and the run closed from what the
			// store holds.
			return o.terminate(context.WithoutCancel(ctx), cl, p, plan, f)
		case <-tick.C:
			f.poll(context.WithoutCancel(ctx))
		case <-idle:
			if len(f.seen) == 0 && o.stderr != nil {
				fmt.Fprintf(o.stderr, "… no worker has taken run %s yet: start one with '%s worker --temporal %s' (task queue %s)\n",
					run.ID, o.prog, o.conn.hostPort, o.conn.queue(p))
			}
		case wfErr = <-ended:
			break wait
		}
	}
	dbctx := context.WithoutCancel(ctx)
	f.poll(dbctx)
	final, err := o.st.Meta.ResolveRun(dbctx, p.Name, run.ID)
	if err != nil {
		return engine.Outcome{}, err
	}
	if final.Status == meta.RunRunning {
		return engine.Outcome{}, fmt.Errorf("run %s: its workflow ended without closing it: %v", run.ID, wfErr)
	}
	return engine.Outcome{Run: final}, nil
}

// cancelAnswer is how long a cancelled run's workflow may take to end
// before the command that cancelled it ends it itself.
const cancelAnswer = 10 * time.Second

// terminate ends a run whose workflow did not answer a cancellation (no
// worker serves its queue): Temporal terminates the workflow, and the run
// is closed here, cancelled, keeping the steps the store has finished.
func (o *orchestrator) terminate(ctx context.Context, cl client.Client, p *pipeline.Pipeline, plan engine.RemotePlan, f *follower) (engine.Outcome, error) {
	why := "cancelled; no worker answered, so the workflow was terminated"
	if err := cl.TerminateWorkflow(ctx, plan.RunID, "", why); err != nil {
		return engine.Outcome{}, fmt.Errorf("run %s: terminating its workflow: %w", plan.RunID, err)
	}
	steps, err := o.st.Meta.StepRuns(ctx, plan.RunID)
	if err != nil {
		return engine.Outcome{}, err
	}
	rc := engine.RemoteClose{Plan: plan, Stopped: why}
	for _, sr := range steps {
		if sr.Status != meta.StepRunning {
			rc.Settled = append(rc.Settled, sr)
		}
	}
	run, err := engine.CloseRemoteRun(ctx, p, o.st, rc)
	if err != nil {
		return engine.Outcome{}, err
	}
	f.poll(ctx)
	return engine.Outcome{Run: run}, nil
}

// cancelRun asks Temporal to cancel run's workflow; the workflow stops its
// steps and records the run cancelled.
func cancelRun(ctx context.Context, run meta.Run) error {
	conn, err := parseOrchestrator(run.Orchestrator)
	if err != nil {
		return err
	}
	cl, err := conn.dial()
	if err != nil {
		return err
	}
	defer cl.Close()
	if err := cl.CancelWorkflow(ctx, run.ID, ""); err != nil {
		return fmt.Errorf("cancelling run %s on Temporal at %s: %w", run.ID, conn.hostPort, err)
	}
	return nil
}
