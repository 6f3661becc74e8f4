// Package artifact keeps the encoded bytes of step outputs: small ones
// inline, in the step's metadata record, larger ones streamed to the blob
// store, under the same SHA-256 digest either way. It owns the inline
// threshold and the classification of store errors (a full disk); it knows
// nothing about codecs, steps or runs.
package artifact

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// InlineThreshold is the largest encoded artifact kept in the metadata
// store instead of the blob store. A blob costs a file: creating it, an
// fsync and a rename come to about half a millisecond on an ordinary disk,
// the whole budget of a tracked step, while bytes inside the step's own
// record cost only the few database pages they fill in a commit that
// happens anyway. 16 KiB covers scalars, metrics, short lists and small
// maps — most artifacts of a notebook — and is still a handful of pages, so
// a step's commit stays small; beyond it the cost of a file no longer
// dominates and the blob store's streaming pays off.
const InlineThreshold = 16 << 10

// localWriter receives the encoded bytes of one output. It keeps them in
// memory while they fit InlineThreshold and, from the write that would pass
// it, streams everything to a new blob instead, so a large artifact is never
// held in memory whole.
type localWriter struct {
	ctx   context.Context
	blobs blob.Store
	buf   []byte
	spill blob.Writer // nil while the bytes fit inline
	want  string      // the digest the bytes must have, when the caller knows it
}

// Local is today's artifact store: encoded bytes up to InlineThreshold
// travel inline in the step's metadata record, larger ones are streamed to
// a blob store (local files).
type Local struct{ blobs blob.Store }

var _ Store = Local{}

// NewLocal returns the artifact store over blobs.
func NewLocal(blobs blob.Store) Local { return Local{blobs} }

// Create starts an artifact whose bytes spill to the blobs when large.
func (l Local) Create(ctx context.Context) Writer {
	return &localWriter{ctx: ctx, blobs: l.blobs}
}

// CreateKnown starts an artifact whose bytes must hash to digest; when
// large they go to the blob store's CreateKnown.
func (l Local) CreateKnown(ctx context.Context, digest string) Writer {
	return &localWriter{ctx: ctx, blobs: l.blobs, want: digest}
}

func (w *localWriter) Write(p []byte) (int, error) {
	if w.spill == nil && len(w.buf)+len(p) <= InlineThreshold {
		w.buf = append(w.buf, p...)
		return len(p), nil
	}
	if w.spill == nil {
		bw, err := w.create()
		if err != nil {
			return 0, StoreErr(err)
		}
		w.spill = bw
		if _, err := bw.Write(w.buf); err != nil {
			return 0, StoreErr(err)
		}
		w.buf = nil
	}
	n, err := w.spill.Write(p)
	return n, StoreErr(err)
}

func (w *localWriter) create() (blob.Writer, error) {
	if w.want != "" {
		return w.blobs.CreateKnown(w.ctx, w.want)
	}
	return w.blobs.Create(w.ctx)
}

// Commit finishes the artifact: a spilled one is committed to the blob
// store, a small one is hashed and returned with its bytes in Inline, to be
// stored with the step's record. Digests are the same either way.
func (w *localWriter) Commit() (meta.Artifact, error) {
	if w.spill != nil {
		digest, size, err := w.spill.Commit()
		return meta.Artifact{Digest: digest, Size: size}, StoreErr(err)
	}
	sum := sha256.Sum256(w.buf)
	digest := blob.DigestPrefix + hex.EncodeToString(sum[:])
	if w.want != "" && digest != w.want {
		return meta.Artifact{}, blob.Mismatch(w.want, digest)
	}
	inline := w.buf
	if inline == nil {
		inline = []byte{} // an empty artifact is inline too, not a blob
	}
	return meta.Artifact{Digest: digest, Size: int64(len(inline)), Inline: inline}, nil
}

// Abort discards the artifact.
func (w *localWriter) Abort() {
	if w.spill != nil {
		w.spill.Abort()
	}
	w.buf = nil
}

// Open returns a reader of a's bytes that guarantees them: inline
// bytes are checked against the digest before any is returned, a blob's as
// the blob store checks them (the last Read reports corruption). Like a
// blob reader, it has Len() int.
func (l Local) Open(_ context.Context, a meta.Artifact) (io.ReadCloser, error) {
	if a.Inline == nil {
		return l.blobs.Open(a.Digest)
	}
	if err := verifyInline(a); err != nil {
		return nil, err
	}
	return inlineReader{bytes.NewReader(a.Inline)}, nil
}

// Verify checks that a exists and still hashes to its digest; the
// error wraps blob.ErrNotFound or blob.ErrCorrupt.
func (l Local) Verify(_ context.Context, a meta.Artifact) error {
	if a.Inline == nil {
		return l.blobs.Verify(a.Digest)
	}
	return verifyInline(a)
}

func verifyInline(a meta.Artifact) error {
	sum := sha256.Sum256(a.Inline)
	if a.Digest != blob.DigestPrefix+hex.EncodeToString(sum[:]) {
		return fmt.Errorf("inline artifact %s: %w", a.Digest, blob.ErrCorrupt)
	}
	return nil
}

type inlineReader struct{ *bytes.Reader }

func (inlineReader) Close() error { return nil }
