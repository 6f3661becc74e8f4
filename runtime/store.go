package runtime

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// store is the on-disk home of a pipeline's runs: HOME/meta.db holds the
// records, HOME/blobs the artifacts by content.
type store struct {
	home  string
	meta  *meta.DB
	blobs blob.Store
}

// homeDir picks the store location: --home, then $ZEN_HOME, then .zen in the
// working directory.
func homeDir(flag string) string {
	if flag != "" {
		return flag
	}
	if env := os.Getenv("ZEN_HOME"); env != "" {
		return env
	}
	return ".zen"
}

func openStore(ctx context.Context, home string) (*store, error) {
	if err := os.MkdirAll(home, 0o755); err != nil {
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
	return &store{home: home, meta: db, blobs: blobs}, nil
}

func (s *store) Close() error { return s.meta.Close() }
