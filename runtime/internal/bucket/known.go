package bucket

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"gocloud.dev/blob"

	zblob "github.com/zengen-dev/zengen/runtime/internal/blob"
)

// knownWriter uploads a blob whose digest the caller knows (a push from
// another store) straight to the digest's key while hashing the bytes as
// they pass: no local copy, and the upload runs as the caller reads.
// The driver publishes the object only when Close completes the upload
// (S3's multipart completion or single PUT, a rename for file://); when
// the bytes do not hash to the digest the upload is cancelled before
// that, so nothing reaches the name.
type knownWriter struct {
	s      *Store
	want   string
	hash   *hasher
	size   int64
	up     *blob.Writer       // nil when an intact object is already there
	cancel context.CancelFunc // stops the upload without completing it

	done bool
	err  error // sticky: a failed Write dooms the blob
}

// CreateKnown starts a blob that goes straight to digest's key. An object
// already there that matches its digest is kept: the bytes are then only
// checked. One that does not match is replaced, which repairs it.
func (s *Store) CreateKnown(ctx context.Context, digest string) (zblob.Writer, error) {
	k, err := key(digest)
	if err != nil {
		return nil, err
	}
	w := &knownWriter{s: s, want: digest, hash: newHasher()}
	exists, err := s.bucket.Exists(ctx, k)
	if err != nil {
		w.hash.close()
		return nil, fmt.Errorf("upload to %s: %w", s.name, explain(err))
	}
	if exists && s.Verify(digest) == nil {
		return w, nil
	}
	upCtx, cancel := context.WithCancel(ctx)
	up, err := s.bucket.NewWriter(upCtx, k, &blob.WriterOptions{
		BufferSize:  partSize,
		ContentType: "application/octet-stream",
	})
	if err != nil {
		cancel()
		w.hash.close()
		return nil, fmt.Errorf("upload of blob %s to %s: %w", digest, s.name, explain(err))
	}
	w.up, w.cancel = up, cancel
	return w, nil
}

func (w *knownWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, errors.New("write to a finished blob")
	}
	if w.err != nil {
		return 0, w.err
	}
	w.hash.write(p)
	w.size += int64(len(p))
	if w.up == nil {
		return len(p), nil
	}
	n, err := w.up.Write(p)
	if err != nil {
		w.err = fmt.Errorf("upload of blob %s to %s: %w", w.want, w.s.name, explain(err))
		return n, w.err
	}
	return n, nil
}

// Commit completes the upload when the bytes hash to the digest and
// cancels it otherwise.
func (w *knownWriter) Commit() (string, int64, error) {
	if w.done {
		return w.result()
	}
	w.done = true
	got := zblob.DigestPrefix + hex.EncodeToString(w.hash.close())
	if w.err == nil && got != w.want {
		w.err = zblob.Mismatch(w.want, got)
	}
	if w.up == nil {
		return w.result()
	}
	if w.err != nil {
		w.cancel()
		w.up.Close()
		return w.result()
	}
	err := w.up.Close()
	w.cancel()
	if err != nil {
		w.err = fmt.Errorf("upload of blob %s to %s: %w", w.want, w.s.name, explain(err))
	}
	return w.result()
}

func (w *knownWriter) result() (string, int64, error) {
	if w.err != nil {
		return "", 0, w.err
	}
	return w.want, w.size, nil
}

// Abort cancels the upload; nothing reaches the digest's key.
func (w *knownWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.hash.close()
	if w.up != nil {
		w.cancel()
		w.up.Close()
	}
	return nil
}
