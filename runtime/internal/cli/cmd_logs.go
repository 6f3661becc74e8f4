package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

var logsCommand = &command{
	name:     "logs",
	args:     "RUN STEP",
	nargs:    2,
	summary:  "Print what a step printed during a run (a cached step: when it ran): stdout and stderr, in the order printed, and a line for each display where it came.",
	examples: []example{{cmd: "logs latest {step}"}, {cmd: "logs latest {step} --stdout"}},
	flags: func(fs *pflag.FlagSet, c *cli, st *cmdState) error {
		fs.BoolVar(&st.stdoutOnly, "stdout", false, "print only what the step wrote to stdout")
		return nil
	},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		s, sr, err := c.openStepRun(ctx, args[0], args[1])
		if err != nil {
			return err
		}
		defer s.Close()
		if sr.CachedFrom != "" && sr.Log == "" {
			// A cached step printed nothing in this run: what it printed
			// when it ran is the output of the result this run reused.
			ran, err := s.Meta.StepRun(ctx, sr.CachedFrom, sr.Step)
			if err != nil {
				return fmt.Errorf("step %s was cached in run %s from run %s, whose record of it cannot be read: %w", sr.Step, sr.RunID, sr.CachedFrom, err)
			}
			fmt.Fprintf(c.stderr, "step %s was cached in run %s; its output as recorded when it ran, in run %s:\n", sr.Step, sr.RunID, sr.CachedFrom)
			sr.Log, sr.Stdout, sr.Displays = ran.Log, ran.Stdout, ran.Displays
		}
		text := logWithDisplays(sr)
		if st.stdoutOnly {
			text = sr.Stdout
		}
		_, err = io.WriteString(c.stdout, text)
		return err
	},
}
