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
	file *os.File
	buf  *bufio.Reader
	Check
}

func newVerifyingReader(f *os.File, size int64, digest string, want []byte) *verifyingReader {
	return &verifyingReader{
		file:  f,
		buf:   bufio.NewReaderSize(f, verifyBufferSize(size)),
		Check: NewCheck(size, digest, want), // size from fstat at Open; objects are never modified in place
	}
}

// Check is what a reader that verifies a blob as it returns it keeps: the
// hash of what it returned and the verdict, shared by the local store's
// reader and the object store's.
type Check struct {
	Hash   hash.Hash
	Want   []byte // the SHA-256 the digest names
	Digest string
	Size   int64 // the blob's size
	Off    int64 // bytes returned so far
	Done   bool  // the digest matched and every byte was returned
	Err    error // sticky
}

// NewCheck starts the check of a blob of size bytes named digest, whose
// SHA-256 is want.
func NewCheck(size int64, digest string, want []byte) Check {
	return Check{Hash: sha256.New(), Want: want, Digest: digest, Size: size}
}

func (r *verifyingReader) Read(p []byte) (int, error) {
	if r.Err != nil {
		return 0, r.Err
	}
	if r.Done {
		return 0, io.EOF
	}
	if r.Off == r.Size {
		// An empty blob: there is no last chunk to hold back.
		return 0, r.Finish()
	}
	var n int
	var err error
	if len(p) >= overlapMin && r.buf.Buffered() == 0 {
		n, err = r.readOverlapped(p)
	} else {
		// Chunked for the same reason as writes: hash what was just read
		// while it is still in the CPU cache.
		n, err = r.buf.Read(p[:min(len(p), ioChunk)])
		r.Hash.Write(p[:n])
	}
	if r.Off+int64(n) > r.Size {
		// The file grew after Open: what it holds now is not the blob.
		return 0, r.Fail()
	}
	r.Off += int64(n)
	if r.Off == r.Size {
		// This Read reaches the last byte: p holds it already, but the
		// count says nothing was read unless the digest matches.
		if err := r.Finish(); err != io.EOF {
			return 0, err
		}
		return n, nil
	}
	if err == io.EOF {
		// The file ended before its size at Open: truncated underneath us.
		return 0, r.Fail()
	}
	if err != nil {
		r.Err = fmt.Errorf("read blob %s: %w", r.Digest, err)
		return n, r.Err
	}
	return n, nil
}

// overlapMin is the smallest Read that hashes in a second goroutine. Below
// it a Read is one or two system calls and the goroutine would cost more
// than it saves; above it, as when Numeric decodes a large array in one
// io.ReadFull, reading and hashing take about as long as each other, so
// overlapping them nearly halves the time on a machine with two cores.
const overlapMin = 4 * overlapChunk

// overlapChunk is how much of p one system call fills on the overlapped
// path; the hashing goroutine follows a chunk or two behind, while those
// bytes are still in the CPU cache.
const overlapChunk = 1 << 20

// readOverlapped fills p straight from the file (the read-ahead buffer is
// empty, so no byte is copied twice) and hashes each chunk in a second
// goroutine while the next one is read. It returns only when every byte it
// reports has been hashed, so the caller may reuse p at once and the
// digest check of the last chunk sees all of them. It stops at the blob's
// size: past it there is nothing to verify.
func (r *verifyingReader) readOverlapped(p []byte) (int, error) {
	remaining := r.Size - r.Off
	toHash := make(chan []byte, 2)
	hashed := make(chan struct{})
	go func() {
		defer close(hashed)
		for chunk := range toHash {
			r.Hash.Write(chunk)
		}
	}()
	n := 0
	var err error
	for n < len(p) && int64(n) < remaining {
		chunk := p[n:min(len(p), n+overlapChunk)]
		prefault(chunk)
		m, readErr := r.file.Read(chunk)
		if m > 0 {
			toHash <- p[n : n+m]
			n += m
		}
		if readErr != nil {
			err = readErr
			break
		}
		if m == 0 {
			err = io.ErrNoProgress
			break
		}
	}
	close(toHash)
	<-hashed
	return n, err
}

// Finish compares the hash of everything read with the digest. It returns
// io.EOF when they match and an error wrapping ErrCorrupt when not.
func (c *Check) Finish() error {
	if !bytes.Equal(c.Hash.Sum(nil), c.Want) {
		return c.Fail()
	}
	c.Done = true
	return io.EOF
}

// Fail records, and returns, that the blob is not the digest's.
func (c *Check) Fail() error {
	c.Err = fmt.Errorf("blob %s: %w", c.Digest, ErrCorrupt)
	return c.Err
}

// Len reports how many bytes of the blob remain unread, like bytes.Reader.
// Decoders use it to allocate once and to reject a header that promises
// more data than the blob holds.
func (c *Check) Len() int { return int(c.Size - c.Off) }

func (r *verifyingReader) Close() error { return r.file.Close() }
