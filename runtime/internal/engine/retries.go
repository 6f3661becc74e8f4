package engine

import (
	"slices"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// retried notes that an attempt of the step failed with err and is tried
// again, where its output stands now, so that a run followed from the
// store shows it where a local run does.
func (o *stepOutput) retried(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.retries = append(o.retries, meta.Retry{Log: o.all.Len(), Error: err.Error()})
}

// retriesSoFar returns the attempts that failed and were tried again.
func (o *stepOutput) retriesSoFar() []meta.Retry {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.retries)
}
