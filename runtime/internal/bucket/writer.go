package bucket

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"gocloud.dev/blob"

	zblob "github.com/zengen-dev/zengen/runtime/internal/blob"
)

// writer hashes a blob's bytes as they come (beside the caller: see
// hasher) and keeps them until Commit knows their digest: in memory up to
// one part, beyond that in a local temporary file. Commit then uploads them straight to the digest's name.
// Every driver publishes an object only when its upload completes (S3's
// PUT and multipart completion, a rename for file://), so no reader ever
// sees part of one under that name; and writing the final key directly
// costs one upload, where a temporary object and a server-side copy cost
// the server the bytes twice (measured at half the throughput of a raw PUT).
type writer struct {
	ctx   context.Context // the step's: cancelling it stops the upload
	s     *Store
	hash  *hasher
	size  int64
	buf   []byte   // the bytes while they fit one part
	spill *os.File // the bytes beyond that, nil until then

	done   bool
	digest string
	err    error
}

func newWriter(ctx context.Context, s *Store) *writer {
	return &writer{ctx: ctx, s: s, hash: newHasher()}
}

func (w *writer) Write(p []byte) (int, error) {
	if w.done {
		return 0, errors.New("write to a finished blob")
	}
	w.hash.write(p)
	w.size += int64(len(p))
	if w.spill == nil && len(w.buf)+len(p) <= partSize {
		w.buf = append(w.buf, p...)
		return len(p), nil
	}
	if w.spill == nil {
		f, err := os.CreateTemp("", "zen-upload-*.tmp")
		if err != nil {
			return 0, fmt.Errorf("upload to %s: %w", w.s.name, err)
		}
		w.spill = f
		if _, err := f.Write(w.buf); err != nil {
			return 0, fmt.Errorf("upload to %s: %w", w.s.name, err)
		}
		w.buf = nil
	}
	n, err := w.spill.Write(p)
	if err != nil {
		return n, fmt.Errorf("upload to %s: %w", w.s.name, err)
	}
	return n, nil
}

// Commit gives the bytes their digest's name. An object of that name that
// still matches its digest is kept as it is; one that does not is
// replaced by the new bytes, which repairs it.
func (w *writer) Commit() (string, int64, error) {
	if w.done {
		return w.digest, w.size, w.err
	}
	w.done = true
	defer w.discard()
	w.digest = zblob.DigestPrefix + hex.EncodeToString(w.hash.close())
	k, _ := key(w.digest)
	ctx := w.ctx
	exists, err := w.s.bucket.Exists(ctx, k)
	if err != nil {
		w.err = fmt.Errorf("upload to %s: %w", w.s.name, explain(err))
		return "", 0, w.err
	}
	if exists && w.s.Verify(w.digest) == nil {
		return w.digest, w.size, nil
	}
	var body io.Reader = bytes.NewReader(w.buf)
	if w.spill != nil {
		if _, err := w.spill.Seek(0, io.SeekStart); err != nil {
			w.err = fmt.Errorf("upload to %s: %w", w.s.name, err)
			return "", 0, w.err
		}
		body = w.spill
	}
	if err := w.upload(ctx, k, body); err != nil {
		w.err = fmt.Errorf("upload of blob %s to %s: %w", w.digest, w.s.name, explain(err))
		return "", 0, w.err
	}
	return w.digest, w.size, nil
}

// upload writes body to key. A failed upload leaves no object: a single
// PUT stores nothing unless it completes, and S3's uploader aborts a
// multipart upload whose part or completion fails.
func (w *writer) upload(ctx context.Context, key string, body io.Reader) error {
	// Upload gives the local file to the driver as the request body,
	// without the pipe and goroutine a blob.Writer puts between them: a
	// 1 GiB upload measured 9–17 % faster.
	return w.s.bucket.Upload(ctx, key, body, &blob.WriterOptions{
		BufferSize:  partSize,
		ContentType: "application/octet-stream",
	})
}

// Abort discards the blob; nothing was uploaded.
func (w *writer) Abort() error {
	if !w.done {
		w.done = true
		w.hash.close()
		w.discard()
	}
	return nil
}

func (w *writer) discard() {
	w.buf = nil
	if w.spill != nil {
		w.spill.Close()
		os.Remove(w.spill.Name())
		w.spill = nil
	}
}
