package cli

import (
	"context"
	"fmt"
)

var stackCommand = &command{
	name:  "stack",
	nargs: 0,
	summary: "Show where runs are kept (the local store, or a team stack from --store/--db, $ZEN_STORE/$ZEN_DB or zen.yaml) " +
		"and check that each part is reachable and writable.",
	examples: []example{{cmd: "stack"}, {cmd: "stack --db postgres://zen@db.example/zen --store 's3://artifacts?region=eu-west-1'"}},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		b := c.backends()
		if b.Err != nil {
			return b.Err
		}
		switch {
		case b.StackName != "":
			fmt.Fprintf(c.stdout, "stack %s (from %s)\n", b.StackName, b.StackFrom)
		case b.Team():
			fmt.Fprintf(c.stdout, "stack from the command line and environment\n")
		default:
			fmt.Fprintf(c.stdout, "local store in %s\n", b.Home)
		}
		failed := 0
		for _, p := range b.CheckStack(ctx) {
			from := ""
			if p.From != "" {
				from = " (from " + p.From + ")"
			}
			fmt.Fprintf(c.stdout, "%-9s  %s%s\n", p.Role, p.Where, from)
			if p.Err != nil {
				failed++
				fmt.Fprintf(c.stdout, "           FAILED: %v\n", p.Err)
			} else {
				fmt.Fprintf(c.stdout, "           ok: %s\n", p.OK)
			}
		}
		if failed > 0 {
			return errReported
		}
		return nil
	},
}
