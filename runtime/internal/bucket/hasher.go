package bucket

import (
	"crypto/sha256"
)

// hashChunk is how many bytes the hasher takes at a time, and hashChunks
// how many such buffers a writer holds at most: 6 MiB beside the part
// buffer, enough that an encoder rarely waits for the hash.
const (
	hashChunk  = 1 << 20
	hashChunks = 6
)

// hasher computes a blob's SHA-256 on a goroutine of its own, so that
// hashing runs beside the encoder that produces the bytes instead of after
// it: on two cores a 1 GiB upload spent as long hashing as encoding, and
// the server waits for both before the digest names the object. write
// copies the bytes (a Writer may not keep its caller's slice) into chunks
// that the goroutine hashes and hands back.
type hasher struct {
	work chan []byte // full chunks, in order
	free chan []byte // chunks hashed, to fill again
	sum  chan []byte // the digest, once work is closed
	cur  []byte      // the chunk being filled
	made int         // chunks allocated, at most hashChunks
}

func newHasher() *hasher {
	h := &hasher{
		work: make(chan []byte, hashChunks),
		free: make(chan []byte, hashChunks),
		sum:  make(chan []byte, 1),
	}
	go func() {
		d := sha256.New()
		for c := range h.work {
			d.Write(c)
			h.free <- c[:0]
		}
		h.sum <- d.Sum(nil)
	}()
	return h
}

func (h *hasher) write(p []byte) {
	for len(p) > 0 {
		if h.cur == nil {
			h.cur = h.chunk()
		}
		n := copy(h.cur[len(h.cur):cap(h.cur)], p)
		h.cur = h.cur[:len(h.cur)+n]
		p = p[n:]
		if len(h.cur) == cap(h.cur) {
			h.work <- h.cur
			h.cur = nil
		}
	}
}

// chunk returns an empty chunk: a hashed one, a new one while fewer than
// hashChunks exist, or else the next one the goroutine finishes.
func (h *hasher) chunk() []byte {
	select {
	case c := <-h.free:
		return c
	default:
	}
	if h.made < hashChunks {
		h.made++
		return make([]byte, 0, hashChunk)
	}
	return <-h.free
}

// close hashes what is left and returns the SHA-256 of everything
// written. The goroutine has ended when it returns.
func (h *hasher) close() []byte {
	if len(h.cur) > 0 {
		h.work <- h.cur
	}
	h.cur = nil
	close(h.work)
	return <-h.sum
}
