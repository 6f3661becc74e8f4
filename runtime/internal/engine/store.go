package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// Store is the on-disk home of a pipeline's runs: HOME/meta.db holds the
// records, HOME/blobs the artifacts by content.
type Store struct {
	Home      string
	Meta      MetadataStore
	Artifacts artifact.Store
	// DB is the metadata store's DSN when it is not Home's meta.db.
	DB string

	closers []io.Closer // the team stores' connections
}

// OpenStore opens the store for run, creating it when it does not exist.
func OpenStore(ctx context.Context, home string) (*Store, error) {
	if _, err := os.Stat(home); err == nil && !Writable(home) {
		return nil, fmt.Errorf("store at %s is read-only: run records into it (the commands that only read, such as runs and cat, work)", home)
	}
	if err := os.MkdirAll(home, 0o755); err != nil {
		return nil, fmt.Errorf("store %s: %w", home, err)
	}
	if err := ignoreForGit(home); err != nil {
		return nil, fmt.Errorf("store %s: %w", home, err)
	}
	blobs, err := blob.OpenLocal(filepath.Join(home, "blobs"))
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", home, err)
	}
	db, err := meta.Open(ctx, filepath.Join(home, "meta.db"))
	if err != nil {
		return nil, err
	}
	return &Store{Home: home, Meta: SQLiteMetadata(db), Artifacts: artifact.NewLocal(blobs)}, nil
}

// ReadStore opens an existing store for the commands that only read it. It
// never creates one: a mistyped --home must say so, not show an empty
// history. A store this process may write is opened as run opens it, so
// that migrations apply and the runs of dead processes are marked; one it
// may not (a read-only mount, another user's files) is opened read-only
// and left exactly as it is.
func ReadStore(ctx context.Context, home string) (*Store, error) {
	dbPath := filepath.Join(home, "meta.db")
	if _, err := os.Stat(dbPath); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no store at %s (nothing has run with this store; --home or $ZEN_HOME chooses another)", home)
	}
	blobs := blob.OpenLocalReadOnly(filepath.Join(home, "blobs"))
	var db *meta.DB
	var err error
	if Writable(home) && Writable(dbPath) {
		db, err = meta.Open(ctx, dbPath)
	} else {
		db, err = meta.OpenReadOnly(ctx, dbPath)
	}
	if err != nil {
		return nil, err
	}
	return &Store{Home: home, Meta: SQLiteMetadata(db), Artifacts: artifact.NewLocal(blobs)}, nil
}

// Close closes the store's parts.
func (s *Store) Close() error {
	var err error
	if s.Meta != nil {
		err = s.Meta.Close()
	}
	for _, c := range s.closers {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
