// Package blob stores byte strings by content: each blob is named by the
// SHA-256 of its bytes, written to a temporary file, made durable and only
// then renamed to its digest name, and checked against that digest every
// time it is read.
//
// The package knows nothing about codecs, steps or runs; the runtime encodes
// values into a Writer and decodes them from the reader Open returns. Store
// is an interface so that an object-store backend can follow the local one.
package blob

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrNotFound reports that no blob has the requested digest. Errors returned
// by a Store wrap it and name the digest; test with errors.Is.
var ErrNotFound = errors.New("blob not found")

// ErrCorrupt reports that a blob's bytes no longer hash to its digest. Errors
// returned by a Store wrap it and name the digest; test with errors.Is.
var ErrCorrupt = errors.New("blob corrupt: content does not match its digest")

// DigestPrefix starts every digest string: "sha256:" then 64 lowercase hex
// digits of the SHA-256 of the blob's bytes.
const DigestPrefix = "sha256:"

// Store keeps blobs by digest.
type Store interface {
	// Create starts a new blob; bytes written are hashed (SHA-256) as they
	// stream to a temporary file. The blob gets its digest name only on
	// Commit. Cancelling ctx stops a Commit that is still sending the
	// bytes somewhere (an object store's upload) and makes it fail.
	Create(ctx context.Context) (Writer, error)
	// CreateKnown starts a blob whose digest the caller already knows, as
	// a copy from another store does. Commit fails, keeping nothing, when
	// the bytes written do not hash to digest; the error wraps
	// ErrCorrupt. An object store sends the bytes straight to the
	// digest's name as they come, without the local copy Create keeps
	// until the digest is known.
	CreateKnown(ctx context.Context, digest string) (Writer, error)
	// Open returns a reader that verifies the digest while reading. When the
	// bytes do not match, the Read that would deliver the last of them
	// returns an error wrapping ErrCorrupt (naming the digest) instead; no
	// data is returned past a check that could have failed. A caller must
	// read to io.EOF to know the content was intact. The reader also has a
	// method Len() int that reports how many bytes remain unread, so that a
	// decoder can size its buffer once and reject a header that lies.
	// Open of a missing blob returns an error wrapping ErrNotFound.
	Open(digest string) (io.ReadCloser, error)
	// Verify re-reads the whole blob and checks its digest. It returns nil,
	// or an error wrapping ErrNotFound or ErrCorrupt.
	Verify(digest string) error
	// Stat returns the blob's size in bytes, or an error wrapping
	// ErrNotFound.
	Stat(digest string) (size int64, err error)
}

// Writer receives the bytes of one new blob.
type Writer interface {
	io.Writer
	// Commit makes the blob durable under its digest name and returns the
	// digest and size. It is idempotent when a blob with that digest already
	// exists: the committed copy atomically replaces it, which also repairs a
	// corrupt copy. Calling Commit again returns the first result.
	Commit() (digest string, size int64, err error)
	// Abort discards the blob and its temporary file. It is a no-op after
	// Commit or a previous Abort.
	Abort() error
}

// Mismatch is the error of a Commit whose bytes do not hash to the
// digest the caller gave CreateKnown.
func Mismatch(want, got string) error {
	return fmt.Errorf("blob %s: the bytes written hash to %s: %w", want, got, ErrCorrupt)
}

// ParseDigest checks that digest is "sha256:" followed by 64 lowercase hex
// digits and returns the hex part.
func ParseDigest(digest string) (hexSum string, err error) {
	hexSum, ok := strings.CutPrefix(digest, DigestPrefix)
	if !ok || len(hexSum) != 64 || strings.ToLower(hexSum) != hexSum {
		return "", fmt.Errorf("invalid blob digest %q: want %s followed by 64 lowercase hex digits", digest, DigestPrefix)
	}
	if _, err := hex.DecodeString(hexSum); err != nil {
		return "", fmt.Errorf("invalid blob digest %q: want %s followed by 64 lowercase hex digits", digest, DigestPrefix)
	}
	return hexSum, nil
}
