package cli

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

var pushCommand = &command{
	name:  "push",
	args:  "[RUN…]",
	nargs: -1,
	summary: "Copy runs (all, or the RUNs named) with their artifacts and lineage from this store to a team stack: " +
		"idempotent, resumable, every artifact verified.",
	examples: []example{
		{cmd: "push --to-db postgres://zen@db.example/zen --to-store 's3://artifacts?region=eu-west-1'"},
		{cmd: "push --to-db postgres://zen@db.example/zen --to-store 's3://artifacts?region=eu-west-1' latest"},
	},
	flags: func(fs *pflag.FlagSet, c *cli, st *cmdState) error {
		fs.StringVar(&st.push.store, "to-store", "", "the team's artifact store URL")
		fs.StringVar(&st.push.db, "to-db", "", "the team's metadata store DSN")
		return nil
	},
	run: runPush,
}

func runPush(ctx context.Context, c *cli, st *cmdState, args []string) error {
	if st.push.store == "" || st.push.db == "" {
		return usagef("push needs --to-store URL and --to-db DSN")
	}
	to := engine.ChooseStack(engine.StackFlags{Home: c.home, Store: st.push.store, DB: st.push.db})
	if to.Err != nil {
		return fmt.Errorf("--to-db: %w", to.Err)
	}
	src, err := c.readStore(ctx)
	if err != nil {
		return err
	}
	defer src.Close()
	var runs []meta.Run
	if len(args) == 0 {
		all, err := src.Meta.Runs(ctx, c.p.Name, 0)
		if err != nil {
			return err
		}
		for i := len(all) - 1; i >= 0; i-- { // oldest first, as they ran
			if all[i].Status != meta.RunRunning {
				runs = append(runs, all[i])
			}
		}
	}
	for _, ref := range args {
		r, err := src.Meta.ResolveRun(ctx, c.p.Name, ref)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	dst, err := to.OpenStore(ctx)
	if err != nil {
		return err
	}
	defer dst.Close()
	pushed := 0
	err = engine.Push(ctx, src, dst, c.p.Name, c.p.Notebook, runs, func(r engine.PushResult) {
		if r.Imported {
			pushed++
			fmt.Fprintf(c.stdout, "pushed %s (%s, %d artifacts uploaded)\n", r.Run.ID, r.Run.Status, r.Artifacts)
		} else {
			fmt.Fprintf(c.stdout, "%s is there already\n", r.Run.ID)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%d of %d runs pushed to %s and %s\n", pushed, len(runs), engine.RedactDSN(to.DB), engine.RedactURL(to.Store))
	return nil
}
