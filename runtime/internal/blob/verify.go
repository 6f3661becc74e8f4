package blob

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"os"
)

// maxReadBuffer bounds the read-ahead buffer of a verifying reader. Reads
// into a caller's buffer at least this large bypass it, so decoding a 1 GiB
// array is one long read into the array, hashed as it arrives.
const maxReadBuffer = 1 << 20

// verifyBufferSize picks a read buffer for a blob of the given size: big
// enough to make few system calls, small enough not to cost a large
// allocation for the many tiny blobs a pipeline writes.
func verifyBufferSize(size int64) int {
	const minReadBuffer = 4 << 10
	switch {
	case size < minReadBuffer:
		return minReadBuffer
	case size > maxReadBuffer:
		return maxReadBuffer
	default:
		return int(size)
	}
}

// verifyingReader returns a blob's bytes while hashing them. It knows the
// blob's size from the open file, so the Read that reaches the last byte
// checks the digest before handing that last chunk over: a reader never
// sees the end of a corrupt blob as if it were intact.
type verifyingReader struct {
	file   *os.File
	buf    *bufio.Reader
	hash   hash.Hash
	want   []byte // the SHA-256 the digest names
	digest string
	size   int64 // from fstat at Open; objects are never modified in place
	off    int64 // bytes returned so far
	done   bool  // the digest matched and every byte was returned
	err    error // sticky
}

func newVerifyingReader(f *os.File, size int64, digest string, want []byte) *verifyingReader {
	return &verifyingReader{
		file:   f,
		buf:    bufio.NewReaderSize(f, verifyBufferSize(size)),
		hash:   sha256.New(),
		want:   want,
		digest: digest,
		size:   size,
	}
}

func (r *verifyingReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.done {
		return 0, io.EOF
	}
	if r.off == r.size {
		// An empty blob: there is no last chunk to hold back.
		return 0, r.finish()
	}
	// Chunked for the same reason as writes: hash what was just read while
	// it is still in the CPU cache.
	n, err := r.buf.Read(p[:min(len(p), ioChunk)])
	if n > 0 {
		if r.off+int64(n) > r.size {
			// The file grew after Open: what it holds now is not the blob.
			return 0, r.fail()
		}
		r.hash.Write(p[:n])
		r.off += int64(n)
		if r.off == r.size {
			if err := r.finish(); err != io.EOF {
				return 0, err
			}
			return n, nil
		}
	}
	if err == io.EOF {
		// The file ended before its size at Open: truncated underneath us.
		return 0, r.fail()
	}
	if err != nil {
		r.err = fmt.Errorf("read blob %s: %w", r.digest, err)
		return n, r.err
	}
	return n, nil
}

// finish compares the hash of everything read with the digest. It returns
// io.EOF when they match and an error wrapping ErrCorrupt when not.
func (r *verifyingReader) finish() error {
	if !bytes.Equal(r.hash.Sum(nil), r.want) {
		return r.fail()
	}
	r.done = true
	return io.EOF
}

func (r *verifyingReader) fail() error {
	r.err = fmt.Errorf("blob %s: %w", r.digest, ErrCorrupt)
	return r.err
}

// Len reports how many bytes of the blob remain unread, like bytes.Reader.
// Decoders use it to allocate once and to reject a header that promises
// more data than the blob holds.
func (r *verifyingReader) Len() int { return int(r.size - r.off) }

func (r *verifyingReader) Close() error { return r.file.Close() }
