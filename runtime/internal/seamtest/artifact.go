package seamtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// TestArtifactStore checks an artifact store against the contract of
// artifact.Store; open returns an empty store that lives as long as t.
func TestArtifactStore(t *testing.T, open func(t *testing.T) artifact.Store) {
	t.Run("RoundTrip", func(t *testing.T) {
		s := open(t)
		for _, n := range []int{0, 1, artifact.InlineThreshold, artifact.InlineThreshold + 1, 3*artifact.InlineThreshold + 7} {
			t.Run(fmt.Sprint(n), func(t *testing.T) {
				b := pattern(n)
				a := write(t, s, b, 1000)
				if want := digestOf(b); a.Digest != want || a.Size != int64(n) {
					t.Fatalf("committed %s, %d bytes; want %s, %d", a.Digest, a.Size, want, n)
				}
				if got := read(t, s, a); !bytes.Equal(got, b) {
					t.Fatalf("read %d bytes back, not the %d written", len(got), n)
				}
				if err := s.Verify(t.Context(), a); err != nil {
					t.Fatalf("verify: %v", err)
				}
			})
		}
	})
	t.Run("SameBytesSameDigest", func(t *testing.T) {
		s := open(t)
		b := pattern(2*artifact.InlineThreshold + 3)
		first, second := write(t, s, b, 1<<20), write(t, s, b, 17)
		if first.Digest != second.Digest {
			t.Fatalf("the same bytes committed as %s and %s", first.Digest, second.Digest)
		}
	})
	t.Run("Missing", func(t *testing.T) {
		s := open(t)
		a := meta.Artifact{Digest: digestOf(pattern(5 * artifact.InlineThreshold)), Size: 5 * artifact.InlineThreshold}
		if _, err := s.Open(t.Context(), a); !errors.Is(err, artifact.ErrNotFound) {
			t.Errorf("open of an artifact never stored: %v, want ErrNotFound", err)
		}
		if err := s.Verify(t.Context(), a); !errors.Is(err, artifact.ErrNotFound) {
			t.Errorf("verify of an artifact never stored: %v, want ErrNotFound", err)
		}
	})
	t.Run("CorruptRecord", func(t *testing.T) {
		s := open(t)
		a := write(t, s, []byte("0.25"), 100)
		if a.Inline == nil {
			t.Skip("this store keeps no artifact in its record")
		}
		a.Inline = []byte("0.26")
		if err := s.Verify(t.Context(), a); !errors.Is(err, artifact.ErrCorrupt) {
			t.Errorf("verify of bytes that are not the digest's: %v, want ErrCorrupt", err)
		}
		if r, err := s.Open(t.Context(), a); err == nil {
			_, err = io.ReadAll(r)
			r.Close()
			if !errors.Is(err, artifact.ErrCorrupt) {
				t.Errorf("reading bytes that are not the digest's: %v, want ErrCorrupt", err)
			}
		} else if !errors.Is(err, artifact.ErrCorrupt) {
			t.Errorf("open of bytes that are not the digest's: %v, want ErrCorrupt", err)
		}
	})
	t.Run("Abort", func(t *testing.T) {
		s := open(t)
		b := pattern(4 * artifact.InlineThreshold)
		w := s.Create(t.Context())
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
		w.Abort()
		if err := s.Verify(t.Context(), meta.Artifact{Digest: digestOf(b), Size: int64(len(b))}); !errors.Is(err, artifact.ErrNotFound) {
			t.Errorf("verify of an aborted artifact: %v, want ErrNotFound", err)
		}
	})
	t.Run("KnownDigest", func(t *testing.T) {
		for _, n := range []int{100, 3*artifact.InlineThreshold + 7} {
			t.Run(fmt.Sprint(n), func(t *testing.T) {
				s := open(t)
				b := pattern(n)
				d := digestOf(b)
				bad := append([]byte(nil), b...)
				bad[n/2] ^= 1
				w := s.CreateKnown(t.Context(), d)
				w.Write(bad)
				if _, err := w.Commit(); !errors.Is(err, artifact.ErrCorrupt) {
					t.Errorf("commit of bytes that are not the digest's: %v, want ErrCorrupt", err)
				}
				if n > artifact.InlineThreshold {
					if err := s.Verify(t.Context(), meta.Artifact{Digest: d, Size: int64(n)}); !errors.Is(err, artifact.ErrNotFound) {
						t.Errorf("after a refused commit: %v, want ErrNotFound", err)
					}
				}
				w = s.CreateKnown(t.Context(), d)
				w.Write(b[:n/3])
				w.Write(b[n/3:])
				a, err := w.Commit()
				if err != nil {
					t.Fatalf("commit of the digest's bytes: %v", err)
				}
				if a.Digest != d || a.Size != int64(n) {
					t.Fatalf("committed %s, %d bytes; want %s, %d", a.Digest, a.Size, d, n)
				}
				if got := read(t, s, a); !bytes.Equal(got, b) {
					t.Fatalf("read %d bytes back, not the %d written", len(got), n)
				}
			})
		}
	})
	t.Run("ConcurrentWriters", func(t *testing.T) {
		s := open(t)
		var wg sync.WaitGroup
		as := make([]meta.Artifact, 8)
		for i := range as {
			wg.Go(func() {
				w := s.Create(t.Context())
				w.Write(pattern(2*artifact.InlineThreshold + i))
				a, err := w.Commit()
				if err != nil {
					t.Errorf("writer %d: %v", i, err)
				}
				as[i] = a
			})
		}
		wg.Wait()
		for i, a := range as {
			if got := read(t, s, a); !bytes.Equal(got, pattern(2*artifact.InlineThreshold+i)) {
				t.Errorf("writer %d's artifact reads back other bytes", i)
			}
		}
	})
}

// pattern is n bytes that differ from those of any other n.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + n)
	}
	return b
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// write stores b in writes of at most chunk bytes.
func write(t *testing.T, s artifact.Store, b []byte, chunk int) meta.Artifact {
	t.Helper()
	w := s.Create(t.Context())
	for rest := b; len(rest) > 0; {
		n := min(chunk, len(rest))
		if _, err := w.Write(rest[:n]); err != nil {
			t.Fatalf("write: %v", err)
		}
		rest = rest[n:]
	}
	a, err := w.Commit()
	if err != nil {
		t.Fatalf("commit: %v", err)
	}
	return a
}

// read reads a back whole, checking the reader's Len on the way.
func read(t *testing.T, s artifact.Store, a meta.Artifact) []byte {
	t.Helper()
	r, err := s.Open(t.Context(), a)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer r.Close()
	l, ok := r.(interface{ Len() int })
	if !ok {
		t.Fatalf("the reader of %s has no Len", a.Digest)
	}
	if l.Len() != int(a.Size) {
		t.Errorf("Len %d before reading, want %d", l.Len(), a.Size)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return b
}
