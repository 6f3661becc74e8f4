package engine_test

import (
	"testing"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/seamtest"
)

func TestLocalScheduler(t *testing.T) {
	seamtest.TestOrchestrator(t, func(t *testing.T, st *engine.Store) engine.Orchestrator {
		return engine.Choose(st.Home).Orchestrator(st)
	})
}
