package bucket

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	zblob "github.com/zengen-dev/zengen/runtime/internal/blob"
)

// writer streams a blob to its temporary object while hashing it.
type writer struct {
	s      *Store
	tmp    string
	w      *blob.Writer
	cancel context.CancelFunc
	hash   hash.Hash
	size   int64

	done   bool
	digest string
	err    error
}

func newWriter(s *Store, tmp string, w *blob.Writer, cancel context.CancelFunc) *writer {
	return &writer{s: s, tmp: tmp, w: w, cancel: cancel, hash: sha256.New()}
}

func (w *writer) Write(p []byte) (int, error) {
	if w.done {
		return 0, errors.New("write to a finished blob")
	}
	n, err := w.w.Write(p)
	w.hash.Write(p[:n])
	w.size += int64(n)
	if err != nil {
		return n, fmt.Errorf("upload to %s: %w", w.s.name, err)
	}
	return n, nil
}

// Commit finishes the upload and gives the object its digest's name. An
// object of that name that still matches its digest is kept as it is; one
// that does not (or vanished meanwhile) is replaced by the new bytes.
func (w *writer) Commit() (string, int64, error) {
	if w.done {
		return w.digest, w.size, w.err
	}
	w.done = true
	defer w.cancel()
	ctx := context.Background()
	if err := w.w.Close(); err != nil {
		// A failed upload never got a name: only its temporary object, if
		// any, is left.
		w.s.bucket.Delete(ctx, w.tmp)
		w.err = fmt.Errorf("upload to %s: %w", w.s.name, err)
		return "", 0, w.err
	}
	defer w.s.bucket.Delete(ctx, w.tmp)
	w.digest = zblob.DigestPrefix + hex.EncodeToString(w.hash.Sum(nil))
	k, _ := key(w.digest)
	exists, err := w.s.bucket.Exists(ctx, k)
	if err != nil {
		w.err = fmt.Errorf("upload to %s: %w", w.s.name, err)
		return "", 0, w.err
	}
	if exists && w.s.Verify(w.digest) == nil {
		return w.digest, w.size, nil
	}
	if err := w.s.bucket.Copy(ctx, k, w.tmp, nil); err != nil {
		w.err = fmt.Errorf("upload to %s: naming blob %s: %w", w.s.name, w.digest, err)
		return "", 0, w.err
	}
	return w.digest, w.size, nil
}

// Abort cancels the upload and removes what reached the server.
func (w *writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.cancel() // a cancelled context makes Close abort the upload
	w.w.Close()
	err := w.s.bucket.Delete(context.Background(), w.tmp)
	if err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return fmt.Errorf("abort upload to %s: %w", w.s.name, err)
	}
	return nil
}
