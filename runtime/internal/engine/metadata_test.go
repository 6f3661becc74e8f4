package engine_test

import (
	"path/filepath"
	"testing"

	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/seamtest"
)

func TestSQLiteMetadata(t *testing.T) {
	seamtest.TestMetadataStore(t, func(t *testing.T) engine.MetadataStore {
		db, err := meta.Open(t.Context(), filepath.Join(t.TempDir(), "meta.db"))
		if err != nil {
			t.Fatal(err)
		}
		return engine.SQLiteMetadata(db)
	})
}
