package cli

import (
	"context"
	"fmt"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

var diffCommand = &command{
	name:     "diff",
	args:     "RUN RUN",
	nargs:    2,
	listing:  true,
	summary:  "Compare two runs: params, step statuses, metrics and artifact digests.",
	examples: []example{{cmd: "diff 20261125T1830 latest"}, {cmd: "diff 20261125T1830 latest --json"}},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		s, err := c.readStore(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		var runs [2]meta.Run
		var steps [2][]meta.StepRun
		for i := range 2 {
			if runs[i], err = s.Meta.ResolveRun(ctx, c.p.Name, args[i]); err != nil {
				return err
			}
			if steps[i], err = s.Meta.StepRuns(ctx, runs[i].ID); err != nil {
				return err
			}
		}
		d := engine.DiffRuns(runs[0], runs[1], steps[0], steps[1])
		if c.json {
			return c.printJSON(d)
		}
		fmt.Fprintf(c.stdout, "run %s → %s\n", d.A, d.B)
		if d.Status != nil {
			fmt.Fprintf(c.stdout, "status: %s → %s\n", d.Status.A, d.Status.B)
		}
		for _, sec := range []struct {
			title string
			rows  []engine.DiffRow
		}{{"params", d.Params}, {"steps", d.Steps}, {"metrics", d.Metrics}, {"artifacts", d.Artifacts}} {
			if len(sec.rows) == 0 {
				continue
			}
			fmt.Fprintf(c.stdout, "%s:\n", sec.title)
			for _, r := range sec.rows {
				fmt.Fprintf(c.stdout, "  %s: %s → %s\n", r.Name, dash(r.A), dash(r.B))
			}
		}
		if d.Status == nil && len(d.Params)+len(d.Steps)+len(d.Metrics)+len(d.Artifacts) == 0 {
			fmt.Fprintln(c.stdout, "no differences")
		}
		return nil
	},
}
