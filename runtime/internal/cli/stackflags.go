package cli

import (
	"github.com/spf13/pflag"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
)

// teamFlags are every command's choices of a team store beside --home.
type teamFlags struct {
	store, db string
}

// addStackFlags defines --store and --db on fs, as every command has them.
func (c *cli) addStackFlags(fs *pflag.FlagSet) {
	fs.StringVar(&c.team.store, "store", c.team.store, "artifact store URL: s3://BUCKET?region=…, file://DIR, … (default $ZEN_STORE, else the stack's, else the local store)")
	fs.StringVar(&c.team.db, "db", c.team.db, "metadata store DSN: postgres://USER@HOST/DB (default $ZEN_DB, else the stack's, else the local store)")
}

// stackFlags are this invocation's choices of a stack.
func (c *cli) stackFlags() engine.StackFlags {
	return engine.StackFlags{Home: c.home, Store: c.team.store, DB: c.team.db}
}
