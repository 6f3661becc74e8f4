package engine

import (
	"context"
	"errors"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// A run is cancelled from another process (NAME cancel RUN), perhaps on
// another host sharing a team stack. The local scheduler's runs are asked
// through the metadata store: the process running one finds the request
// beside its heartbeat (Runner.watch) and stops the run as Ctrl-C does.
// A run of another orchestrator is cancelled through it (CancelRemote).

// ErrCancelRequested is the cause a run stopped by a cancel request ends
// with: its error, and its cancelled steps'.
var ErrCancelRequested = errors.New("cancel requested")

// ErrNotRunning is CancelRun's error for a run that had already ended.
var ErrNotRunning = errors.New("not running")

// ErrStillRunning is CancelRun's error for a run that took the request but
// whose record still says running after CancelWait.
var ErrStillRunning = errors.New("still running")

// CancelPoll is how often a running run looks for a cancel request.
var CancelPoll = 500 * time.Millisecond

// CancelWait bounds how long CancelRun waits for a run to end once asked.
// The local scheduler abandons a step that ignores its context within
// moments, so a run that has not ended by then has a process that does not
// look (an older binary) or no longer runs.
var CancelWait = 15 * time.Second

// CancelRun asks run, recorded in st, to stop — through the metadata
// store for a local run, through its orchestrator for another's — and
// waits for its record to say it ended, at most CancelWait. It returns
// the record as it is then: with ErrNotRunning when the run had already
// ended, ErrStillRunning when it has not ended yet. Whoever runs it
// records how it ended (cancelled, or what it reached first).
func CancelRun(ctx context.Context, st *Store, run meta.Run) (meta.Run, error) {
	if run.Status != meta.RunRunning {
		return run, ErrNotRunning
	}
	if run.Orchestrator != "" {
		if err := CancelRemote(ctx, run); err != nil {
			return run, err
		}
	} else {
		asked, err := st.Meta.RequestCancel(ctx, run.ID, time.Now())
		if err != nil {
			return run, err
		}
		if !asked {
			// It ended between the look and the request.
			now, err := st.Meta.ResolveRun(ctx, run.Pipeline, run.ID)
			if err != nil {
				return run, err
			}
			return now, ErrNotRunning
		}
	}
	deadline := time.Now().Add(CancelWait)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		now, err := st.Meta.ResolveRun(ctx, run.Pipeline, run.ID)
		if err != nil || now.Status != meta.RunRunning {
			return now, err
		}
		if time.Now().After(deadline) {
			return now, ErrStillRunning
		}
		select {
		case <-ctx.Done():
			return now, ctx.Err()
		case <-tick.C:
		}
	}
}
