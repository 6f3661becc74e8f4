package bucket_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/memblob"
	_ "gocloud.dev/blob/s3blob"

	"github.com/zengen-dev/zengen/internal/servertest"
	"github.com/zengen-dev/zengen/runtime/internal/artifact"
	zblob "github.com/zengen-dev/zengen/runtime/internal/blob"
	"github.com/zengen-dev/zengen/runtime/internal/bucket"
	"github.com/zengen-dev/zengen/runtime/internal/seamtest"
)

// stores are the URLs of the backends every test runs on: memory, a
// directory and the real S3 server of .ci/services.
var stores = map[string]func(t *testing.T) string{
	"mem":  func(t *testing.T) string { return "mem://" },
	"file": func(t *testing.T) string { return "file://" + t.TempDir() },
	"s3": func(t *testing.T) string {
		_, u := servertest.S3Bucket(t)
		return u
	},
}

func open(t testing.TB, storeURL string) *bucket.Store {
	t.Helper()
	s, err := bucket.Open(t.Context(), storeURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func forEachStore(t *testing.T, f func(t *testing.T, s *bucket.Store)) {
	for _, name := range []string{"mem", "file", "s3"} {
		t.Run(name, func(t *testing.T) { f(t, open(t, stores[name](t))) })
	}
}

func TestConformance(t *testing.T) {
	for _, name := range []string{"mem", "file", "s3"} {
		t.Run(name, func(t *testing.T) {
			seamtest.TestArtifactStore(t, func(t *testing.T) artifact.Store {
				return artifact.NewLocal(open(t, stores[name](t)))
			})
		})
	}
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return zblob.DigestPrefix + hex.EncodeToString(sum[:])
}

func put(t *testing.T, s *bucket.Store, b []byte) string {
	t.Helper()
	w, err := s.Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	d, _, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func keys(t *testing.T, s *bucket.Store) []string {
	t.Helper()
	var out []string
	it := s.Raw().List(nil)
	for {
		o, err := it.Next(t.Context())
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(o.Key, ".attrs") { // fileblob's sidecar files
			out = append(out, o.Key)
		}
	}
}

// TestCorruptObject: an object whose bytes were changed in the bucket is
// reported corrupt on read, never delivered whole, and a new commit of the
// right bytes repairs it.
func TestCorruptObject(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *bucket.Store) {
		b := bytes.Repeat([]byte("artifact "), 10000)
		d := put(t, s, b)
		bad := append([]byte(nil), b...)
		bad[len(bad)/2] ^= 1
		if err := s.Raw().WriteAll(t.Context(), bucket.Key(d), bad, nil); err != nil {
			t.Fatal(err)
		}
		r, err := s.Open(d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		r.Close()
		if !errors.Is(err, zblob.ErrCorrupt) || len(got) == len(b) {
			t.Errorf("read of a corrupt object: %d bytes, %v; want ErrCorrupt before the last byte", len(got), err)
		}
		if err := s.Verify(d); !errors.Is(err, zblob.ErrCorrupt) {
			t.Errorf("verify of a corrupt object: %v", err)
		}
		if again := put(t, s, b); again != d {
			t.Fatalf("digest changed: %s", again)
		}
		if err := s.Verify(d); err != nil {
			t.Errorf("after a new commit of the right bytes: %v", err)
		}
	})
}

// TestExistingObjectIsKept: committing bytes that are already stored does
// not write the object again.
func TestExistingObjectIsKept(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *bucket.Store) {
		b := []byte(strings.Repeat("x", 100000))
		d := put(t, s, b)
		before, err := s.Raw().Attributes(t.Context(), bucket.Key(d))
		if err != nil {
			t.Fatal(err)
		}
		put(t, s, b)
		after, err := s.Raw().Attributes(t.Context(), bucket.Key(d))
		if err != nil {
			t.Fatal(err)
		}
		if !after.ModTime.Equal(before.ModTime) || after.ETag != before.ETag {
			t.Errorf("an intact object was written again: %v %s, then %v %s", before.ModTime, before.ETag, after.ModTime, after.ETag)
		}
		if got := keys(t, s); len(got) != 1 || got[0] != bucket.Key(d) {
			t.Errorf("bucket holds %v, want only %s", got, bucket.Key(d))
		}
	})
}

// TestNoHalfWrittenObject: an upload aborted midway leaves nothing in the
// bucket, and nothing ever appears under a digest's name before Commit.
func TestNoHalfWrittenObject(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *bucket.Store) {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)              // where a large upload's bytes wait for their digest
		b := bytes.Repeat([]byte{7}, 40<<20) // more than one part
		w, err := s.Create(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b[:20<<20]); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Stat(digestOf(b)); !errors.Is(err, zblob.ErrNotFound) {
			t.Errorf("before commit the digest's name is %v, want ErrNotFound", err)
		}
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
		if got := keys(t, s); len(got) != 0 {
			t.Errorf("an aborted upload left %v", got)
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("an aborted upload left %d local files", len(left))
		}
	})
}

// TestUnreachableServer: an upload to a server nobody answers fails its
// Commit, naming the server, instead of returning a digest.
func TestUnreachableServer(t *testing.T) {
	_, good := servertest.S3Bucket(t)
	u, _ := url.Parse(good)
	q := u.Query()
	q.Set("endpoint", "http://127.0.0.1:1")
	u.RawQuery = q.Encode()
	s := open(t, u.String())
	w, err := s.Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("some bytes"))
	d, _, err := w.Commit()
	if err == nil || d != "" || !strings.Contains(err.Error(), "the endpoint cannot be reached") || !strings.Contains(err.Error(), s.Name()) {
		t.Errorf("commit to an unreachable server: %q, %v", d, err)
	}
}

// TestStreamsLargeObjects: a blob larger than several parts goes up and
// comes back through bounded buffers, byte for byte.
func TestStreamsLargeObjects(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *bucket.Store) {
		b := make([]byte, 50<<20+3)
		for i := range b {
			b[i] = byte(i * 31)
		}
		w, err := s.Create(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for rest := b; len(rest) > 0; {
			n := min(len(rest), 1<<20+5)
			if _, err := w.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		d, size, err := w.Commit()
		if err != nil || d != digestOf(b) || size != int64(len(b)) {
			t.Fatalf("commit: %s %d %v", d, size, err)
		}
		r, err := s.Open(d)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		h := sha256.New()
		if _, err := io.CopyBuffer(h, r, make([]byte, 64<<10)); err != nil {
			t.Fatal(err)
		}
		if zblob.DigestPrefix+hex.EncodeToString(h.Sum(nil)) != d {
			t.Error("streamed back other bytes")
		}
	})
}

func TestMissingDriverAndCredentials(t *testing.T) {
	if _, err := bucket.Open(t.Context(), "nosuch://b"); err == nil || !strings.Contains(err.Error(), "does not link the nosuch:// driver") {
		t.Errorf("unknown scheme: %v", err)
	}
	u := "s3://" + url.UserPassword("AKIA", "secret").String() + "@bucket"
	_, err := bucket.Open(t.Context(), u)
	if err == nil || strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "holds credentials") {
		t.Errorf("credentials in the URL: %v", err)
	}
}

// TestCheck names what fails: a missing bucket, refused credentials, an
// endpoint nobody listens on.
func TestCheck(t *testing.T) {
	_, good := servertest.S3Bucket(t)
	if err := open(t, good).Check(t.Context()); err != nil {
		t.Fatalf("check of a good bucket: %v", err)
	}
	missing := strings.Replace(good, "s3://zentest-", "s3://missing-", 1)
	if err := open(t, missing).Check(t.Context()); err == nil || !strings.Contains(err.Error(), "the bucket does not exist") {
		t.Errorf("missing bucket: %v", err)
	}
	u, _ := url.Parse(good)
	q := u.Query()
	q.Set("endpoint", "http://127.0.0.1:1")
	u.RawQuery = q.Encode()
	if err := open(t, u.String()).Check(t.Context()); err == nil || !strings.Contains(err.Error(), "the endpoint cannot be reached") {
		t.Errorf("wrong endpoint: %v", err)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong")
	if err := open(t, good).Check(t.Context()); err == nil || !strings.Contains(err.Error(), "credentials are refused") {
		t.Errorf("wrong secret: %v", err)
	} else {
		t.Log(err)
	}
}

// TestCancelledUpload: an upload whose step is cancelled fails its Commit
// with the cancellation, naming the store, and leaves nothing in the
// bucket nor on the local disk.
func TestCancelledUpload(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *bucket.Store) {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		ctx, cancel := context.WithCancel(t.Context())
		w, err := s.Create(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(bytes.Repeat([]byte{9}, 20<<20)); err != nil { // more than one part
			t.Fatal(err)
		}
		cancel()
		d, _, err := w.Commit()
		if d != "" || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), s.Name()) {
			t.Errorf("commit of a cancelled upload: %q, %v; want context.Canceled naming %s", d, err, s.Name())
		}
		if got := keys(t, s); len(got) != 0 {
			t.Errorf("a cancelled upload left %v", got)
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("a cancelled upload left %d local files", len(left))
		}
	})
}

// TestKnownDigest: bytes whose digest the caller knows go straight to
// that digest's object, with no local copy ($TMPDIR is gone here, except
// for file://, whose driver keeps its own temporary file there); bytes
// that do not hash to it, over several parts, fail the Commit with
// ErrCorrupt and leave no object, nor does an abort; an intact object
// already there is not written again.
func TestKnownDigest(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *bucket.Store) {
		if !strings.HasPrefix(s.Name(), "file://") {
			t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "gone"))
		}
		b := bytes.Repeat([]byte("known "), 40<<20/6) // more than two parts
		d := digestOf(b)
		bad := append([]byte(nil), b...)
		bad[len(bad)-1] ^= 1
		w, err := s.CreateKnown(t.Context(), d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(bad); err != nil {
			t.Fatal(err)
		}
		if got, _, err := w.Commit(); got != "" || !errors.Is(err, zblob.ErrCorrupt) {
			t.Errorf("commit of bytes that are not the digest's: %q, %v; want ErrCorrupt", got, err)
		}
		if got := keys(t, s); len(got) != 0 {
			t.Errorf("a refused upload left %v", got)
		}
		if w, err = s.CreateKnown(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		w.Write(b[:20<<20])
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
		if got := keys(t, s); len(got) != 0 {
			t.Errorf("an aborted upload left %v", got)
		}
		if w, err = s.CreateKnown(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		for rest := b; len(rest) > 0; rest = rest[min(len(rest), 3<<20+1):] {
			if _, err := w.Write(rest[:min(len(rest), 3<<20+1)]); err != nil {
				t.Fatal(err)
			}
		}
		if got, size, err := w.Commit(); got != d || size != int64(len(b)) || err != nil {
			t.Fatalf("commit: %q %d %v", got, size, err)
		}
		if err := s.Verify(d); err != nil {
			t.Fatal(err)
		}
		before, _ := s.Raw().Attributes(t.Context(), bucket.Key(d))
		w, _ = s.CreateKnown(t.Context(), d)
		w.Write(b)
		if _, _, err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		after, _ := s.Raw().Attributes(t.Context(), bucket.Key(d))
		if !after.ModTime.Equal(before.ModTime) || after.ETag != before.ETag {
			t.Errorf("an intact object was written again")
		}
		if got := keys(t, s); len(got) != 1 || got[0] != bucket.Key(d) {
			t.Errorf("bucket holds %v, want only %s", got, bucket.Key(d))
		}
	})
}
