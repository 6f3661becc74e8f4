package engine

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// Backends are the implementations a command works against: where
// artifacts and records are kept and what runs the steps. ChooseStack
// picks them from the command's flags, the environment and zen.yaml, the
// one place that does. Each store is the local one (records in SQLite,
// artifacts inline or as local files, in Home) unless a URL names a team
// store: an object store for artifacts (Store), PostgreSQL for records
// (DB), opened by the drivers registered in registry.go.
type Backends struct {
	// Home is the local store's directory: --home, then $ZEN_HOME, then
	// .zen at the root of the binary's module (see home.go).
	Home string
	// Store is the artifact store's URL, "" for Home's blobs; StoreFrom
	// says where it was chosen (--store, $ZEN_STORE, zen.yaml).
	Store, StoreFrom string
	// DB is the metadata store's DSN, "" for Home's meta.db.
	DB, DBFrom string
	// StackName is the named stack chosen, if any, and StackFrom where.
	StackName, StackFrom string
	// Err is why the choice failed (a bad zen.yaml); opening reports it.
	Err error
}

// Choose picks the backends from the --home flag and the environment.
func Choose(homeFlag string) Backends {
	return ChooseStack(StackFlags{Home: homeFlag})
}

// Team reports whether a part of the stack is a team store.
func (b Backends) Team() bool { return b.Store != "" || b.DB != "" }

// OpenStore opens the chosen store for a run, creating it when needed.
func (b Backends) OpenStore(ctx context.Context) (*Store, error) {
	if b.Err != nil {
		return nil, b.Err
	}
	if !b.Team() {
		return OpenStore(ctx, b.Home)
	}
	return b.openTeam(ctx, false)
}

// ReadStore opens the chosen store, which must exist, for a command that
// only reads it.
func (b Backends) ReadStore(ctx context.Context) (*Store, error) {
	if b.Err != nil {
		return nil, b.Err
	}
	if !b.Team() {
		return ReadStore(ctx, b.Home)
	}
	return b.openTeam(ctx, true)
}

// openTeam opens a stack with at least one team part; the other part is
// the local store's, created for a run and required for reading.
func (b Backends) openTeam(ctx context.Context, read bool) (*Store, error) {
	st := &Store{Home: b.Home, DB: b.DB}
	var blobs blob.Store
	if b.Store != "" {
		open := blobOpener()
		if open == nil {
			return nil, fmt.Errorf("artifact store %s (%s): %s", b.Store, b.StoreFrom, teamstackHint)
		}
		bs, closer, err := open(ctx, b.Store)
		if err != nil {
			return nil, err
		}
		blobs = bs
		st.closers = append(st.closers, closer)
	} else if read {
		blobs = blob.OpenLocalReadOnly(filepath.Join(b.Home, "blobs"))
	} else {
		local, err := blob.OpenLocal(filepath.Join(b.Home, "blobs"))
		if err != nil {
			return nil, fmt.Errorf("store %s: %w", b.Home, err)
		}
		blobs = local
	}
	st.Artifacts = artifact.NewLocal(blobs)
	if b.DB != "" {
		open := metadataOpener()
		if open == nil {
			st.Close()
			return nil, fmt.Errorf("metadata store (%s): %s", b.DBFrom, teamstackHint)
		}
		m, err := open(ctx, b.DB, !read)
		if err != nil {
			st.Close()
			return nil, err
		}
		st.Meta = m
		return st, nil
	}
	local, err := b.localMeta(ctx, read)
	if err != nil {
		st.Close()
		return nil, err
	}
	st.Meta = local
	return st, nil
}

func (b Backends) localMeta(ctx context.Context, read bool) (MetadataStore, error) {
	if read {
		s, err := ReadStore(ctx, b.Home)
		if err != nil {
			return nil, err
		}
		return s.Meta, nil
	}
	s, err := OpenStore(ctx, b.Home)
	if err != nil {
		return nil, err
	}
	return s.Meta, nil
}

// Orchestrator returns the chosen orchestrator, recording in st.
func (b Backends) Orchestrator(st *Store) Orchestrator {
	return LocalScheduler(st)
}

// metaOpen opens the metadata store a run's supervisor records an
// abandoned run in: the DSN's when there is one, else home's meta.db.
func metaOpen(ctx context.Context, home, dsn string) (abandoner, error) {
	if dsn == "" {
		return meta.Open(ctx, filepath.Join(home, "meta.db"))
	}
	open := metadataOpener()
	if open == nil {
		return nil, fmt.Errorf("metadata store: %s", teamstackHint)
	}
	m, err := open(ctx, dsn, false)
	if err != nil {
		return nil, err
	}
	a, ok := m.(abandoner)
	if !ok {
		m.Close()
		return nil, fmt.Errorf("metadata store %T cannot record an abandoned run", m)
	}
	return a, nil
}

// abandoner records a run whose process ended without finishing it.
type abandoner interface {
	FailAbandoned(ctx context.Context, id, cause string) (string, error)
	Close() error
}
