package engine

import "context"

// Backends are the implementations a command works against: where
// artifacts and records are kept and what runs the steps. Choose picks
// them from the command's flags and the environment, the one place that
// does; today there is one of each: the store in a local directory
// (records in SQLite, artifacts inline or as local files) and the local
// scheduler. A new backend adds its choice here and nowhere else.
type Backends struct {
	// Home is the local store's directory: --home, then $ZEN_HOME, then
	// .zen at the root of the binary's module (see home.go).
	Home string
}

// Choose picks the backends from the --home flag and the environment.
func Choose(homeFlag string) Backends {
	return Backends{Home: HomeDir(homeFlag)}
}

// OpenStore opens the chosen store for a run, creating it when needed.
func (b Backends) OpenStore(ctx context.Context) (*Store, error) {
	return OpenStore(ctx, b.Home)
}

// ReadStore opens the chosen store, which must exist, for a command that
// only reads it.
func (b Backends) ReadStore(ctx context.Context) (*Store, error) {
	return ReadStore(ctx, b.Home)
}

// Orchestrator returns the chosen orchestrator, recording in st.
func (b Backends) Orchestrator(st *Store) Orchestrator {
	return LocalScheduler(st)
}
