package blob

import (
	"context"
	"encoding/binary"
	"io"
	"testing"
)

// BenchmarkCommitSmallBlob measures the durable write of one small artifact,
// what every step pays per output: temp file, fsync, rename.
// Each iteration writes distinct content so that no rename replaces a file.
func BenchmarkCommitSmallBlob(b *testing.B) {
	s := openStore(b)
	content := pattern(100, 1)
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		binary.LittleEndian.PutUint64(content, i)
		i++
		w, err := s.Create(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Write(content); err != nil {
			b.Fatal(err)
		}
		if _, _, err := w.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenSmallBlob measures reading a small artifact back with its
// digest checked, what a cache hit pays per input.
func BenchmarkOpenSmallBlob(b *testing.B) {
	s := openStore(b)
	content := pattern(100, 2)
	digest := put(b, s, content)
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := s.Open(digest)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadAll(r); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// BenchmarkOpenLargeBlob measures loading a 64 MiB blob that is in the page
// cache the way Numeric decodes an array: a short header read, then one
// io.ReadFull into a fresh slice of the remaining length. It is the load
// half of the runtime's BenchmarkArtifact64MiB without the write beside it.
// The fresh slice per iteration is deliberate: its page faults are part of
// every real load.
func BenchmarkOpenLargeBlob(b *testing.B) {
	s := openStore(b)
	content := pattern(64<<20, 3)
	digest := put(b, s, content)
	b.SetBytes(int64(len(content)))
	var header [16]byte
	for b.Loop() {
		r, err := s.Open(digest)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(r, header[:]); err != nil {
			b.Fatal(err)
		}
		body := make([]byte, len(content)-len(header))
		if _, err := io.ReadFull(r, body); err != nil {
			b.Fatal(err)
		}
		if n, err := r.Read(header[:1]); n != 0 || err != io.EOF {
			b.Fatalf("Read at the end = %d, %v; want 0, io.EOF", n, err)
		}
		r.Close()
	}
}
