package engine

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// A run of another orchestrator is cancelled through it: its steps run in
// processes this one cannot signal. The orchestrator's package registers
// how, by the scheme of meta.Run.Orchestrator ("temporal://…").
var cancellers struct {
	sync.Mutex
	by map[string]RunCanceller
}

// RunCanceller asks the orchestrator that runs run to cancel it. It
// returns once the request is taken; the run records itself cancelled.
type RunCanceller func(ctx context.Context, run meta.Run) error

// RegisterCanceller makes c cancel the runs whose Orchestrator starts with
// scheme + "://".
func RegisterCanceller(scheme string, c RunCanceller) {
	cancellers.Lock()
	defer cancellers.Unlock()
	if cancellers.by == nil {
		cancellers.by = map[string]RunCanceller{}
	}
	cancellers.by[scheme] = c
}

// CancelRemote cancels a run of another orchestrator than the local
// scheduler; it refuses a local run, which the cancel command handles.
func CancelRemote(ctx context.Context, run meta.Run) error {
	scheme, _, ok := strings.Cut(run.Orchestrator, "://")
	if !ok {
		return fmt.Errorf("run %s is a local run", run.ID)
	}
	cancellers.Lock()
	c := cancellers.by[scheme]
	cancellers.Unlock()
	if c == nil {
		return fmt.Errorf("run %s runs on %s, which this binary does not link", run.ID, run.Orchestrator)
	}
	return c(ctx, run)
}
