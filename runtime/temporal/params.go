package temporal

import (
	"context"
	"sync"

	"github.com/zengen-dev/zengen/runtime/internal/cli"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// paramsGate lets a worker's steps run at once only while they are of runs
// with the same params. A step's code reads its params from the
// pipeline's one Params struct, so a step of a run with other params
// runs in a process of its own (a worker's), or waits until the running
// ones end and the struct is set to its run's.
type paramsGate struct {
	mu      sync.Mutex
	cond    *sync.Cond
	current string // engine.ParamsJSON of the params set
	running int
}

func newParamsGate() *paramsGate {
	g := &paramsGate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// enter waits until p may hold params, sets them and returns the release.
func (g *paramsGate) enter(ctx context.Context, p *pipeline.Pipeline, params map[string]string) (release func(), err error) {
	key := engine.ParamsJSON(params)
	stop := context.AfterFunc(ctx, func() {
		g.mu.Lock()
		g.cond.Broadcast()
		g.mu.Unlock()
	})
	defer stop()
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.running > 0 && g.current != key {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		g.cond.Wait()
	}
	return g.admit(p, params, key)
}

// tryEnter is enter that does not wait: while steps of a run with other
// params run, it returns no release (and no error).
func (g *paramsGate) tryEnter(p *pipeline.Pipeline, params map[string]string) (release func(), err error) {
	key := engine.ParamsJSON(params)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.running > 0 && g.current != key {
		return nil, nil
	}
	return g.admit(p, params, key)
}

// admit sets params, of key, unless they are set, and counts the step in;
// g.mu is held.
func (g *paramsGate) admit(p *pipeline.Pipeline, params map[string]string, key string) (release func(), err error) {
	if g.running == 0 && g.current != key {
		if err := cli.SetParams(p, params); err != nil {
			return nil, err
		}
		g.current = key
	}
	g.running++
	return func() {
		g.mu.Lock()
		g.running--
		g.cond.Broadcast()
		g.mu.Unlock()
	}, nil
}
