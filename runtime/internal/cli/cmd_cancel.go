package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

var cancelCommand = &command{
	name:  "cancel",
	args:  "RUN",
	nargs: 1,
	summary: "Cancel a run that another process is running, on this host or another sharing the stack " +
		"(or on Temporal), and wait for it to stop, as Ctrl-C in its terminal would.",
	examples: []example{{cmd: "cancel latest"}, {cmd: "cancel 20261125T183000"}},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		s, run, err := c.openRun(ctx, args[0])
		if err != nil {
			return err
		}
		defer s.Close()
		now, err := engine.CancelRun(ctx, s, run)
		switch {
		case errors.Is(err, engine.ErrNotRunning):
			return fmt.Errorf("run %s is not running: %s", now.ID, howEnded(now))
		case errors.Is(err, engine.ErrStillRunning) && now.Orchestrator != "":
			return fmt.Errorf("run %s has not stopped within %s: %s took the request and records the run "+
				"cancelled once its steps stop; '%s show %s' says when it has", now.ID, engine.CancelWait, now.Orchestrator, c.prog, now.ID)
		case errors.Is(err, engine.ErrStillRunning):
			return fmt.Errorf("run %s has not stopped within %s: the request is recorded, and its process "+
				"(pid %d on %s) stops the run when it next looks; '%s show %s' says when it has",
				now.ID, engine.CancelWait, now.PID, now.Hostname, c.prog, now.ID)
		case err != nil:
			return err
		case now.Status != meta.RunCancelled:
			return fmt.Errorf("run %s ended before the request reached it: %s", now.ID, howEnded(now))
		}
		fmt.Fprintf(c.stdout, "run %s cancelled after %s\n", now.ID, engine.FormatDuration(now.EndedAt.Sub(now.StartedAt)))
		return nil
	},
}

// howEnded says how a run that is not running ended.
func howEnded(r meta.Run) string {
	switch r.Status {
	case meta.RunSucceeded:
		return "it succeeded"
	case meta.RunCancelled:
		return "it was cancelled"
	}
	s := "it " + r.Status
	if r.Status == meta.RunInterrupted {
		s = "it was interrupted"
	}
	if r.Error != "" {
		s += ": " + engine.FirstLine(r.Error)
	}
	return s
}
