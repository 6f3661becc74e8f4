package blob

import (
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
		w, err := s.Create()
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
