package temporal

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// activities run on a worker, against the store it opened.
type activities struct {
	p      *pipeline.Pipeline
	st     *engine.Store
	params *paramsGate
	// orchestrator is the connection's orchestratorURL, which the runs a
	// schedule starts record.
	orchestrator string
	// isolate, when set, runs a step that reaches package-level state in a
	// process of its own (isolate.go).
	isolate func(context.Context, engine.RemoteStep) (meta.StepRun, error)
	// oneAtATime is set on a worker that runs one step at a time
	// (--parallel 1): each runs alone, and keeps its displays.
	oneAtATime bool

	// Set up once, on the first step run here: p's steps indexed, and st
	// with the records of the steps running at once committed together.
	once     sync.Once
	index    *engine.StepIndex
	indexErr error
	grouped  *engine.Store
}

func (a *activities) steps() (*engine.StepIndex, *engine.Store, error) {
	a.once.Do(func() {
		a.index, a.indexErr = engine.IndexSteps(a.p)
		if a.indexErr == nil && a.oneAtATime {
			a.index.OneStepAtATime()
		}
		a.grouped = engine.GroupCommits(a.st)
	})
	return a.index, a.grouped, a.indexErr
}

// Step prepares, runs and records one step, heartbeating meanwhile so that
// Temporal notices within seconds when this worker dies, and so that a
// cancelled run reaches the step (a heartbeat is how it learns). It
// returns what the workflow decides on (settled); the record is in the
// store.
func (a *activities) Step(ctx context.Context, rs engine.RemoteStep) (meta.StepRun, error) {
	sr, err := a.step(ctx, rs)
	return settled(sr), err
}

// settled is the part of a step's record its run's workflow reads: whether
// it finished, what it produced (digests), and why it failed. The rest
// would be encoded, kept in the workflow's history and decoded for each
// step, for nothing.
func settled(sr meta.StepRun) meta.StepRun {
	return meta.StepRun{RunID: sr.RunID, Step: sr.Step, Status: sr.Status, Outputs: sr.Outputs, Error: sr.Error, Position: sr.Position}
}

func (a *activities) step(ctx context.Context, rs engine.RemoteStep) (meta.StepRun, error) {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			activity.RecordHeartbeat(ctx)
		}
	}()
	defer func() {
		close(done)
		<-stopped
	}()
	rs.Lost = int(activity.GetInfo(ctx).Attempt) - 1
	sctx, stop := stepContext(ctx)
	defer stop()
	x, st, err := a.steps()
	if err != nil {
		return meta.StepRun{}, temporal.NewNonRetryableApplicationError(err.Error(), "zen.pipeline", nil)
	}
	if s := x.Step(rs.Step); a.isolate != nil && s != nil && len(s.State) > 0 {
		return a.isolate(sctx, rs)
	}
	release, err := a.params.tryEnter(a.p, rs.Plan.Params)
	if err == nil && release == nil {
		if a.isolate != nil {
			// Steps of a run with other params hold this process's
			// Params, maybe for hours while other workers idle: the step
			// runs in a process of its own, which holds its run's.
			return a.isolate(sctx, rs)
		}
		release, err = a.params.enter(sctx, a.p, rs.Plan.Params)
	}
	if err != nil {
		return meta.StepRun{}, temporal.NewNonRetryableApplicationError(err.Error(), "zen.params", nil)
	}
	defer release()
	return engine.RunRemoteStep(sctx, x, st, rs)
}

// stepContext is ctx, an activity's, cancelled when ctx is, with a cause
// that tells a cancelled run from an attempt Temporal gave up on: the
// SDK cancels an activity the same way when its run was cancelled
// (temporal.CanceledError) and when its attempt is no longer waited for
// (its heartbeats went unheard past the timeout and the step went to
// another worker, or it was paused or reset), which is
// engine.ErrSuperseded. The heartbeats go on with ctx.
func stepContext(ctx context.Context) (context.Context, func()) {
	sctx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		cause := context.Cause(ctx)
		var cancelled *temporal.CanceledError
		if errors.As(cause, &cancelled) {
			cancel(cause)
			return
		}
		cancel(fmt.Errorf("%w (%v)", engine.ErrSuperseded, cause))
	})
	return sctx, func() {
		stop()
		cancel(nil)
	}
}

// Close records the end of a run.
func (a *activities) Close(ctx context.Context, rc engine.RemoteClose) (meta.Run, error) {
	return engine.CloseRemoteRun(ctx, a.p, a.st, rc)
}
