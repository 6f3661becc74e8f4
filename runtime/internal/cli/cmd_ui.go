package cli

import (
	"context"
	"strings"

	"github.com/spf13/pflag"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/ui"
)

var uiCommand = &command{
	name:  "ui",
	nargs: 0,
	summary: "Serve the dashboard of the store in use (every pipeline's runs, their DAGs, artifacts and metrics) " +
		"and print its URL; Ctrl-C stops it.",
	examples: []example{{cmd: "ui --open", note: "serve on 127.0.0.1:8765 and open a browser"},
		{cmd: "ui --addr 0.0.0.0:8765", note: "reachable from other hosts, behind a token it prints in the URL"}},
	flags: func(fs *pflag.FlagSet, c *cli, st *cmdState) error {
		fs.StringVar(&st.ui.addr, "addr", "127.0.0.1:8765", "listen on `HOST:PORT`; beyond loopback a token is required (given or generated)")
		fs.BoolVar(&st.ui.open, "open", false, "open the dashboard in a browser")
		fs.StringVar(&st.ui.token, "token", "", "require `TOKEN` of every request (default: none on loopback, a generated one elsewhere)")
		return nil
	},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		s, err := c.readStore(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		explain := func(ctx context.Context, sr meta.StepRun) (string, error) {
			e, err := explainStep(ctx, s.Meta, sr)
			if err != nil {
				return "", err
			}
			if len(e.Changes) == 0 {
				return e.Verdict, nil
			}
			return e.Verdict + ": " + strings.Join(e.Changes, "; "), nil
		}
		return ui.Serve(ctx, s, c.p, st.ui.addr, st.ui.token, st.ui.open, explain, c.stdout)
	},
}

// uiFlags are ui's flags.
type uiFlags struct {
	addr, token string
	open        bool
}
