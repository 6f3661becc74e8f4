package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
)

// recordLost reports records that a failed write lost: steps are all the
// steps the write recorded, done those among them that had finished, outs
// the outputs of those. A full disk is reported once, naming what it kept
// from being recorded, and stops the run: nothing after it could be
// recorded, and every later failure (a foreign key to an artifact whose row
// was lost with it, the run's own record) is its consequence, not news.
func (r *Runner) recordLost(steps, done, outs []string, err error) {
	r.lost = append(r.lost, steps...)
	if r.lostErr == nil {
		r.lostErr = err
	}
	if r.diskFull.Load() {
		return
	}
	full := artifact.IsDiskFull(err)
	if full {
		r.diskFull.Store(true)
	}
	r.emit(context.Background(), Event{Kind: Lost, Steps: steps, Done: done, Outs: outs, Err: err, DiskFull: full})
}

// plural names a list: "step a", "steps a, b".
func plural(noun string, names []string) string {
	if len(names) != 1 {
		noun += "s"
	}
	return noun + " " + strings.Join(names, ", ")
}

// DiskFull reports whether the run stopped because the store's disk was
// full.
func (r *Runner) DiskFull() bool { return r.diskFull.Load() }

// FullHint is the last line of a run the full disk stopped.
func (r *Runner) FullHint() string {
	return fmt.Sprintf("the store at %s is full: free space (or choose another store with --home), then '%s run --resume %s' runs what did not finish",
		r.st.Home, r.p.Name, r.run.ID)
}
