package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

var recoverCommand = &command{
	name:  "recover",
	nargs: 0,
	summary: "Rebuild a damaged meta.db from the records that can still be read; the damaged file is kept beside it " +
		"and the artifacts are not touched. Run it while no run uses the store.",
	examples: []example{{"doctor", "says whether meta.db is damaged"}, {cmd: "recover"}},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		home := c.backends().Home // recover rebuilds the local store's meta.db
		dbPath := filepath.Join(home, "meta.db")
		if _, err := os.Stat(dbPath); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no store at %s", home)
		}
		if !engine.Writable(home) {
			return fmt.Errorf("store at %s is read-only: recover writes a new meta.db beside the damaged one", home)
		}
		fresh := dbPath + ".recovering"
		removeDB(fresh) // left by an earlier recover that was stopped
		report, err := meta.Recover(ctx, dbPath, fresh)
		kept := 0
		for _, tr := range report {
			kept += tr.Kept
		}
		switch {
		case errors.Is(err, meta.ErrUnreadable) || err == nil && kept == 0:
			removeDB(fresh)
			if err == nil {
				err = meta.ErrUnreadable
			}
			return fmt.Errorf("%s: %w; it is left as it was.\n"+
				"The artifacts in %s are intact, but no record names them any more: "+
				"move %s aside and the next run starts a new history", dbPath, err, filepath.Join(home, "blobs"), dbPath)
		case err != nil:
			removeDB(fresh)
			return fmt.Errorf("%w\n%s is left as it was", err, dbPath)
		}
		damaged := dbPath + ".damaged-" + time.Now().UTC().Format("20060102T150405Z")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(dbPath+suffix, damaged+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		if err := os.Rename(fresh, dbPath); err != nil {
			return fmt.Errorf("%w (the damaged store is %s, the rebuilt one %s)", err, damaged, fresh)
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TABLE\tREAD\tKEPT\tDROPPED\tDAMAGE")
		for _, tr := range report {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", tr.Table, tr.Read, tr.Kept, tr.Dropped, dash(tr.Damage))
		}
		tw.Flush()
		fmt.Fprintf(c.stdout, "\n%s is rebuilt from what could be read; the damaged file is kept as %s.\n", dbPath, damaged)
		fmt.Fprintf(c.stdout, "Rows dropped referred to rows that were lost. The artifacts in %s were not touched;\n",
			filepath.Join(home, "blobs"))
		fmt.Fprintf(c.stdout, "steps whose records were lost run again the next time (they are not served from the cache).\n")
		return nil
	},
}

// removeDB removes an SQLite database file and its companions.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}
