package runtime

import (
	"context"
	"fmt"
	"io"
)

var logsCommand = &command{
	name:     "logs",
	args:     "RUN STEP",
	nargs:    2,
	summary:  "Print what a step printed during a run.",
	examples: `  PROG logs latest train`,
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		s, sr, err := c.openStepRun(ctx, args[0], args[1])
		if err != nil {
			return err
		}
		defer s.Close()
		if sr.CachedFrom != "" && sr.Log == "" {
			fmt.Fprintf(c.stderr, "step %s was cached from run %s in run %s; its output is logged there\n", sr.Step, sr.CachedFrom, sr.RunID)
		}
		_, err = io.WriteString(c.stdout, sr.Log)
		return err
	},
}
