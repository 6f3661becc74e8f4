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
	summary:  "Print what a step printed during a run: stdout and stderr, in the order printed.",
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
			fmt.Fprintf(c.stderr, "step %s was cached from run %s in run %s; its output is logged there\n", sr.Step, sr.CachedFrom, sr.RunID)
		}
		text := sr.Log
		if st.stdoutOnly {
			text = sr.Stdout
		}
		_, err = io.WriteString(c.stdout, text)
		return err
	},
}
