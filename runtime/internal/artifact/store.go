package artifact

import (
	"context"
	"io"

	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// Store keeps the encoded bytes of step outputs under the SHA-256 of those
// bytes. The engine and the API's Load and Save use nothing else of it, so
// another backend (an object store) only has to implement this and pass
// the conformance suite in runtime/internal/seamtest.
//
// Errors are classified with errors.Is: ErrNotFound (no artifact has that
// digest), ErrCorrupt (its bytes no longer match it) and ErrFull (the
// store has no room).
type Store interface {
	// Create starts an artifact. Nothing is visible until Commit.
	Create(ctx context.Context) Writer
	// CreateKnown starts an artifact whose digest the caller already
	// knows, as a copy from another store does. Its Commit fails, keeping
	// nothing, when the bytes are not those of digest (ErrCorrupt). A
	// store whose objects are named by their digest sends large ones
	// straight there, without waiting for the last byte to learn it.
	CreateKnown(ctx context.Context, digest string) Writer
	// Open returns a reader of a's bytes that guarantees them: a reader
	// that reaches io.EOF has delivered exactly the bytes of a.Digest, and
	// otherwise fails with ErrCorrupt at the latest on its last Read. It
	// also has Len() int, the bytes not yet read.
	Open(ctx context.Context, a meta.Artifact) (io.ReadCloser, error)
	// Verify checks that a exists and still hashes to its digest.
	Verify(ctx context.Context, a meta.Artifact) error
}

// Writer receives the encoded bytes of one artifact.
type Writer interface {
	io.Writer
	// Commit finishes the artifact and returns its record: Digest and Size,
	// and Inline when the bytes travel with the step's metadata record.
	// The digest is the same wherever the bytes are kept.
	Commit() (meta.Artifact, error)
	// Abort discards the artifact.
	Abort()
}

// The classes of artifact store errors.
var (
	ErrNotFound = blob.ErrNotFound
	ErrCorrupt  = blob.ErrCorrupt
	ErrFull     = errFull{}
)

type errFull struct{}

func (errFull) Error() string { return "no space left on the store's disk" }
