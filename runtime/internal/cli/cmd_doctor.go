package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

var doctorCommand = &command{
	name:     "doctor",
	nargs:    0,
	summary:  "Check the store without changing it: the metadata database's integrity and every artifact against its digest.",
	examples: []example{{cmd: "doctor"}, {cmd: "doctor --home /data/zen"}},
	run: func(ctx context.Context, c *cli, st *cmdState, args []string) error {
		home := c.backends().Home // doctor tends the local store
		dbPath := filepath.Join(home, "meta.db")
		if _, err := os.Stat(dbPath); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no store at %s", home)
		}
		healthy := true
		problems, err := meta.Check(ctx, dbPath)
		if err != nil {
			return fmt.Errorf("checking %s: %w", dbPath, err)
		}
		var recorded []string
		if len(problems) == 0 {
			fmt.Fprintf(c.stdout, "%s: ok\n", dbPath)
			if s, err := c.readStore(ctx); err == nil {
				recorded, err = s.Meta.BlobDigests(ctx)
				s.Close()
				if err != nil {
					return err
				}
			}
		} else {
			healthy = false
			fmt.Fprintf(c.stdout, "%s: damaged\n", dbPath)
			for _, p := range problems {
				for line := range strings.Lines(p) {
					fmt.Fprintf(c.stdout, "  %s\n", strings.TrimRight(line, "\n"))
				}
			}
			fmt.Fprintf(c.stdout, "  '%s recover' rebuilds it from what can still be read, keeping the damaged file beside it; it does not touch the artifacts\n", c.prog)
		}
		blobs := blob.OpenLocalReadOnly(filepath.Join(home, "blobs"))
		digests, err := blobs.List()
		if err != nil {
			return err
		}
		onDisk := map[string]bool{}
		var bad []string
		for _, d := range digests {
			onDisk[d] = true
			if err := blobs.Verify(d); err != nil {
				bad = append(bad, err.Error())
			}
		}
		for _, d := range recorded {
			if !onDisk[d] {
				bad = append(bad, fmt.Sprintf("blob %s: recorded as an artifact but missing", d))
			}
		}
		if len(bad) == 0 {
			fmt.Fprintf(c.stdout, "%s: %d artifacts, all intact\n", blobs.Dir(), len(digests))
		} else {
			healthy = false
			fmt.Fprintf(c.stdout, "%s: %d artifacts, %d damaged or missing\n", blobs.Dir(), len(digests), len(bad))
			for _, b := range bad {
				fmt.Fprintf(c.stdout, "  %s\n", b)
			}
			fmt.Fprintf(c.stdout, "  a run that needs them computes them again: the cache does not serve a damaged artifact\n")
		}
		if !healthy {
			return errReported
		}
		return nil
	},
}
