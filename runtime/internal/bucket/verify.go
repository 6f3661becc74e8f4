package bucket

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"

	zblob "github.com/zengen-dev/zengen/runtime/internal/blob"
)

// verifyingReader returns an object's bytes while hashing them. It knows
// the object's size from the server's answer, so the Read that reaches the
// last byte checks the digest before reporting that last chunk: a reader
// never sees the end of a corrupt object as if it were intact.
type verifyingReader struct {
	r      io.ReadCloser
	hash   hash.Hash
	want   []byte
	digest string
	size   int64
	off    int64
	done   bool
	err    error // sticky
}

func newVerifyingReader(r io.ReadCloser, size int64, digest string, want []byte) *verifyingReader {
	return &verifyingReader{r: r, hash: sha256.New(), want: want, digest: digest, size: size}
}

func (r *verifyingReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.done {
		return 0, io.EOF
	}
	if r.off == r.size {
		return 0, r.finish()
	}
	n, err := r.r.Read(p)
	r.hash.Write(p[:n])
	if r.off+int64(n) > r.size {
		return 0, r.fail() // longer than the server said
	}
	r.off += int64(n)
	if r.off == r.size {
		if err := r.finish(); err != io.EOF {
			return 0, err
		}
		return n, nil
	}
	if err == io.EOF {
		return 0, r.fail() // shorter than the server said
	}
	if err != nil {
		r.err = fmt.Errorf("read blob %s: %w", r.digest, err)
		return n, r.err
	}
	return n, nil
}

func (r *verifyingReader) finish() error {
	if !bytes.Equal(r.hash.Sum(nil), r.want) {
		return r.fail()
	}
	r.done = true
	return io.EOF
}

func (r *verifyingReader) fail() error {
	r.err = fmt.Errorf("blob %s: %w", r.digest, zblob.ErrCorrupt)
	return r.err
}

// Len reports how many bytes remain unread, as the local store's reader
// does.
func (r *verifyingReader) Len() int { return int(r.size - r.off) }

func (r *verifyingReader) Close() error { return r.r.Close() }
