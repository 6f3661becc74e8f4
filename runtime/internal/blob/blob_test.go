package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// pattern returns n deterministic, not very compressible bytes.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	x := uint32(seed) + 1
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return b
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return DigestPrefix + hex.EncodeToString(sum[:])
}

func openStore(t testing.TB) *Local {
	t.Helper()
	s, err := OpenLocal(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func put(t testing.TB, s Store, content []byte) string {
	t.Helper()
	w, err := s.Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(content); err != nil {
		t.Fatal(err)
	}
	digest, size, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if size != int64(len(content)) {
		t.Fatalf("Commit size = %d, want %d", size, len(content))
	}
	return digest
}

// files lists the regular files under dir, relative to it, sorted.
func files(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func objectFile(s *Local, digest string) string {
	p, err := s.objectPath(digest)
	if err != nil {
		panic(err)
	}
	return p
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		content []byte
	}{
		{"empty", nil},
		{"one byte", []byte{0}},
		{"text", []byte("hello, notebook\n")},
		{"exactly one read buffer", pattern(maxReadBuffer, 1)},
		{"several read buffers", pattern(3*maxReadBuffer+17, 2)},
	}
	readers := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"plain", func(r io.Reader) io.Reader { return r }},
		{"one byte at a time", iotest.OneByteReader},
		{"half reads", iotest.HalfReader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			digest := put(t, s, tt.content)
			if want := digestOf(tt.content); digest != want {
				t.Fatalf("digest = %s, want %s", digest, want)
			}
			size, err := s.Stat(digest)
			if err != nil || size != int64(len(tt.content)) {
				t.Fatalf("Stat = %d, %v; want %d, nil", size, err, len(tt.content))
			}
			if err := s.Verify(digest); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			for _, rd := range readers {
				if rd.name != "plain" && len(tt.content) > maxReadBuffer {
					continue // byte-at-a-time over megabytes proves nothing more
				}
				r, err := s.Open(digest)
				if err != nil {
					t.Fatal(err)
				}
				if got := r.(interface{ Len() int }).Len(); got != len(tt.content) {
					t.Errorf("%s: Len before reading = %d, want %d", rd.name, got, len(tt.content))
				}
				got, err := io.ReadAll(rd.wrap(r))
				if err != nil {
					t.Fatalf("%s: read: %v", rd.name, err)
				}
				if !bytes.Equal(got, tt.content) {
					t.Errorf("%s: read %d bytes that differ from the %d written", rd.name, len(got), len(tt.content))
				}
				if n := r.(interface{ Len() int }).Len(); n != 0 {
					t.Errorf("%s: Len after reading = %d, want 0", rd.name, n)
				}
				if err := r.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff([]string(nil), files(t, s.tmp)); diff != "" {
				t.Errorf("tmp/ after commit (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteInPieces(t *testing.T) {
	s := openStore(t)
	content := pattern(100_000, 3)
	w, err := s.Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for chunk := range slices.Chunk(content, 777) {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	digest, _, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if want := digestOf(content); digest != want {
		t.Fatalf("digest = %s, want %s", digest, want)
	}
	if got, want := files(t, s.objects), []string{digest[7:9] + "/" + digest[9:]}; !cmp.Equal(got, want) {
		t.Errorf("objects = %v, want %v", got, want)
	}
}

func TestCorruptionDetected(t *testing.T) {
	content := pattern(2*maxReadBuffer+1000, 4)
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"first byte flipped", flipByteAt(0)},
		{"middle byte flipped", flipByteAt(int64(len(content) / 2))},
		{"last byte flipped", flipByteAt(int64(len(content) - 1))},
		{"truncated", func(t *testing.T, path string) {
			if err := os.Truncate(path, int64(len(content)-1)); err != nil {
				t.Fatal(err)
			}
		}},
		{"byte appended", func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write([]byte{0})
			f.Close()
		}},
		{"emptied", func(t *testing.T, path string) {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			digest := put(t, s, content)
			path := objectFile(s, digest)
			os.Chmod(path, 0o644)
			tt.damage(t, path)

			err := s.Verify(digest)
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("Verify = %v, want ErrCorrupt", err)
			}
			if err != nil && !strings.Contains(err.Error(), digest) {
				t.Errorf("Verify error %q does not name the digest", err)
			}

			r, err := s.Open(digest)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got, err := io.ReadAll(r)
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("reading = %v, want ErrCorrupt", err)
			}
			if len(got) >= len(content) {
				t.Errorf("reader returned %d bytes of a corrupt %d-byte blob; the last chunk must be held back", len(got), len(content))
			}
			if _, err := r.Read(make([]byte, 10)); !errors.Is(err, ErrCorrupt) {
				t.Errorf("Read after corruption = %v, want ErrCorrupt again", err)
			}
		})
	}
}

func flipByteAt(off int64) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		t.Helper()
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		b := make([]byte, 1)
		if _, err := f.ReadAt(b, off); err != nil {
			t.Fatal(err)
		}
		b[0] ^= 0x01
		if _, err := f.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReadFullOfExactSizeSeesCorruption(t *testing.T) {
	// A decoder that knows its length from a header reads exactly that many
	// bytes and may never ask for io.EOF; it must still learn of damage.
	s := openStore(t)
	content := pattern(5000, 5)
	digest := put(t, s, content)
	path := objectFile(s, digest)
	flipByteAt(4999)(t, path)
	r, err := s.Open(digest)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = io.ReadFull(r, make([]byte, len(content)))
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("io.ReadFull = %v, want ErrCorrupt", err)
	}
}

func TestNotFound(t *testing.T) {
	s := openStore(t)
	missing := digestOf([]byte("never stored"))
	_, openErr := s.Open(missing)
	_, statErr := s.Stat(missing)
	verifyErr := s.Verify(missing)
	for name, err := range map[string]error{"Open": openErr, "Stat": statErr, "Verify": verifyErr} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s = %v, want ErrNotFound", name, err)
		} else if !strings.Contains(err.Error(), missing) {
			t.Errorf("%s error %q does not name the digest", name, err)
		}
	}
}

func TestInvalidDigest(t *testing.T) {
	s := openStore(t)
	good := digestOf(nil)
	for _, d := range []string{
		"",
		good[len(DigestPrefix):],
		"sha1:" + good[len(DigestPrefix):],
		strings.ToUpper(good),
		DigestPrefix + strings.ToUpper(good[len(DigestPrefix):]),
		good[:len(good)-1],
		good + "0",
		DigestPrefix + "../../../../etc/passwd" + strings.Repeat("0", 64-22),
		DigestPrefix + strings.Repeat("g", 64),
	} {
		if _, err := s.Open(d); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q) = %v, want an invalid-digest error", d, err)
		}
		if _, err := s.Stat(d); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("Stat(%q) = %v, want an invalid-digest error", d, err)
		}
	}
	if _, err := ParseDigest(good); err != nil {
		t.Errorf("ParseDigest(%q) = %v", good, err)
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	s := openStore(t)
	w, err := s.Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(pattern(10_000, 6)); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := files(t, s.dir); len(got) != 0 {
		t.Errorf("files after Abort = %v, want none", got)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("second Abort = %v, want nil", err)
	}
	if _, err := w.Write([]byte("x")); err == nil {
		t.Error("Write after Abort succeeded")
	}
	if _, _, err := w.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

func TestCommitIsIdempotent(t *testing.T) {
	s := openStore(t)
	content := []byte("same bytes")
	w, err := s.Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w.Write(content)
	d1, n1, err1 := w.Commit()
	d2, n2, err2 := w.Commit()
	if diff := cmp.Diff([]any{d1, n1, err1}, []any{d2, n2, err2}, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("second Commit differs (-first +second):\n%s", diff)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("Abort after Commit = %v, want nil", err)
	}
	if err := s.Verify(d1); err != nil {
		t.Errorf("Abort after Commit broke the blob: %v", err)
	}
	if _, err := w.Write(content); err == nil {
		t.Error("Write after Commit succeeded")
	}
	if d3 := put(t, s, content); d3 != d1 {
		t.Errorf("committing the same content again gave %s, want %s", d3, d1)
	}
	if got := files(t, s.dir); len(got) != 1 {
		t.Errorf("files = %v, want one object", got)
	}
}

func TestCommitRepairsCorruptCopy(t *testing.T) {
	s := openStore(t)
	content := pattern(4096, 7)
	digest := put(t, s, content)
	flipByteAt(100)(t, objectFile(s, digest))
	if err := s.Verify(digest); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Verify after damage = %v, want ErrCorrupt", err)
	}
	put(t, s, content)
	if err := s.Verify(digest); err != nil {
		t.Errorf("Verify after rewriting the same content = %v, want nil", err)
	}
}

func TestConcurrentIdenticalContent(t *testing.T) {
	s := openStore(t)
	content := pattern(64<<10, 8)
	want := digestOf(content)
	const writers = 32
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			w, err := s.Create(context.Background())
			if err != nil {
				errs[i] = err
				return
			}
			// Write in pieces so that the goroutines interleave.
			for chunk := range slices.Chunk(content, 4096) {
				if _, err := w.Write(chunk); err != nil {
					errs[i] = err
					return
				}
			}
			digest, _, err := w.Commit()
			if err == nil && digest != want {
				err = fmt.Errorf("digest %s, want %s", digest, want)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if got, wantFiles := files(t, s.dir), []string{"objects/" + want[7:9] + "/" + want[9:]}; !cmp.Equal(got, wantFiles) {
		t.Errorf("files = %v, want %v", got, wantFiles)
	}
	if err := s.Verify(want); err != nil {
		t.Error(err)
	}
}

func TestConcurrentReadersWhileRewriting(t *testing.T) {
	s := openStore(t)
	content := pattern(256<<10, 9)
	digest := put(t, s, content)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if err := s.Verify(digest); err != nil {
					t.Error(err)
					return
				}
			}
		})
		wg.Go(func() {
			for range 5 {
				put(t, s, content)
			}
		})
	}
	wg.Wait()
}

func TestOpenLocalSweepsStaleTemp(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(s.tmp, "blob-stale.tmp")
	fresh := filepath.Join(s.tmp, "blob-fresh.tmp")
	for _, name := range []string{stale, fresh} {
		if err := os.WriteFile(name, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-staleTempAge - time.Minute)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	digest := put(t, s, []byte("kept"))

	if _, err := OpenLocal(dir); err != nil {
		t.Fatal(err)
	}
	want := []string{"objects/" + digest[7:9] + "/" + digest[9:], "tmp/blob-fresh.tmp"}
	if diff := cmp.Diff(want, files(t, dir)); diff != "" {
		t.Errorf("files after reopening (-want +got):\n%s", diff)
	}
}

func TestFailedWriteDoomsTheBlob(t *testing.T) {
	s := openStore(t)
	w, err := s.Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("first part"))
	// Simulate a full disk: the file refuses further writes.
	w.(*localWriter).file.Close()
	if _, err := w.Write([]byte("lost part")); err == nil {
		t.Fatal("Write to a closed file succeeded")
	}
	if digest, _, err := w.Commit(); err == nil {
		t.Errorf("Commit after a failed Write = %s, want an error", digest)
	}
	if got := files(t, s.dir); len(got) != 0 {
		t.Errorf("files after a failed blob = %v, want none", got)
	}
}

func TestCommitRecreatesRemovedFanout(t *testing.T) {
	s := openStore(t)
	digest := put(t, s, []byte("a"))
	fanout := filepath.Dir(objectFile(s, digest))
	if err := os.RemoveAll(fanout); err != nil {
		t.Fatal(err)
	}
	if again := put(t, s, []byte("a")); again != digest {
		t.Fatalf("digest %s, want %s", again, digest)
	}
	if err := s.Verify(digest); err != nil {
		t.Error(err)
	}
}
