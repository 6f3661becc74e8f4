package bucket

import (
	"fmt"
	"io"

	zblob "github.com/zengen-dev/zengen/runtime/internal/blob"
)

// verifyingReader returns an object's bytes while hashing them. It knows
// the object's size from the server's answer, so the Read that reaches the
// last byte checks the digest before reporting that last chunk: a reader
// never sees the end of a corrupt object as if it were intact.
type verifyingReader struct {
	r io.ReadCloser
	zblob.Check
}

func newVerifyingReader(r io.ReadCloser, size int64, digest string, want []byte) *verifyingReader {
	return &verifyingReader{r: r, Check: zblob.NewCheck(size, digest, want)}
}

func (r *verifyingReader) Read(p []byte) (int, error) {
	if r.Err != nil {
		return 0, r.Err
	}
	if r.Done {
		return 0, io.EOF
	}
	if r.Off == r.Size {
		return 0, r.Finish()
	}
	n, err := r.r.Read(p)
	r.Hash.Write(p[:n])
	if r.Off+int64(n) > r.Size {
		return 0, r.Fail() // longer than the server said
	}
	r.Off += int64(n)
	if r.Off == r.Size {
		if err := r.Finish(); err != io.EOF {
			return 0, err
		}
		return n, nil
	}
	if err == io.EOF {
		return 0, r.Fail() // shorter than the server said
	}
	if err != nil {
		r.Err = fmt.Errorf("read blob %s: %w", r.Digest, err)
		return n, r.Err
	}
	return n, nil
}

func (r *verifyingReader) Close() error { return r.r.Close() }
