package artifact_test

import (
	"path/filepath"
	"testing"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/seamtest"
)

func TestLocalStore(t *testing.T) {
	seamtest.TestArtifactStore(t, func(t *testing.T) artifact.Store {
		blobs, err := blob.OpenLocal(filepath.Join(t.TempDir(), "blobs"))
		if err != nil {
			t.Fatal(err)
		}
		return artifact.NewLocal(blobs)
	})
}
