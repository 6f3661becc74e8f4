// Package bucket keeps blobs in object storage through gocloud.dev/blob:
// S3 and S3-compatible servers, Google Cloud Storage, Azure Blob Storage, a
// directory (file://) or memory (mem://), whichever drivers the binary
// links. It implements blob.Store, so the artifact store keeps small
// artifacts inline in the records and streams larger ones here, under the
// same SHA-256 digests as the local store.
//
// An object reaches its digest's name only whole: the bytes are hashed as
// they come and kept (in memory up to one part, beyond that in a local
// temporary file) until their digest is known, then uploaded to that name
// (a multipart upload for large ones, which the server completes only when
// every part arrived). A caller that knows the digest already (a push
// from another store) sends the bytes straight to that name as they come,
// and the upload completes only if they hash to it (known.go). An object
// already under that name is kept, unless it no longer matches its
// digest, which the upload then repairs. Every read is checked against
// the digest.
//
// The package knows nothing about codecs, steps or runs, nor which
// drivers are linked: a binary imports the drivers it wants.
package bucket

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	zblob "github.com/zengen-dev/zengen/runtime/internal/blob"
)

// Store is a blob.Store in a bucket.
//
//	objects/ab/cdef…      blobs, by the hex SHA-256 (first two digits a fan-out prefix)
//	tmp/check-…           the stack check's object, deleted at once
type Store struct {
	bucket *blob.Bucket
	name   string // the URL without its query, for messages
}

var _ zblob.Store = (*Store)(nil)

// partSize is the size of one part of a multipart upload and of the
// buffer a writer fills before sending it: large enough that a 1 GiB
// artifact is 64 requests, small enough to bound a writer's memory.
const partSize = 16 << 20

// staleSpill is how old a local temporary file of an upload must be
// before Open removes it: a writer that is alive finishes well within it.
const staleSpill = 24 * time.Hour

// Name returns what identifies the bucket of storeURL in messages: the URL
// without its query, which may hold options but never credentials.
func Name(storeURL string) string {
	u, err := url.Parse(storeURL)
	if err != nil {
		return "the artifact store (its URL does not parse)"
	}
	u.RawQuery, u.User = "", nil
	return u.String()
}

// Open opens the bucket of storeURL with the drivers linked into the
// binary. Credentials come from the environment and the cloud SDK's usual
// chains, never from the URL.
func Open(ctx context.Context, storeURL string) (*Store, error) {
	name := Name(storeURL)
	u, err := url.Parse(storeURL)
	if err != nil {
		return nil, fmt.Errorf("artifact store %s: %w", name, err)
	}
	if u.User != nil {
		return nil, fmt.Errorf("artifact store %s: the URL holds credentials; give them through the environment (AWS_ACCESS_KEY_ID, …) instead", name)
	}
	if !blob.DefaultURLMux().ValidBucketScheme(u.Scheme) {
		return nil, fmt.Errorf("artifact store %s: this binary does not link the %s:// driver (%s)", name, u.Scheme, driverHint(u.Scheme))
	}
	b, err := blob.OpenBucket(ctx, storeURL)
	if err != nil {
		return nil, fmt.Errorf("artifact store %s: %w", name, err)
	}
	sweepSpills(time.Now().Add(-staleSpill))
	return &Store{bucket: b, name: name}, nil
}

// sweepSpills removes the local temporary files of uploads that writers
// which died left behind.
func sweepSpills(cutoff time.Time) {
	names, _ := filepath.Glob(filepath.Join(os.TempDir(), "zen-upload-*.tmp"))
	for _, n := range names {
		if fi, err := os.Stat(n); err == nil && fi.ModTime().Before(cutoff) {
			os.Remove(n)
		}
	}
}

func driverHint(scheme string) string {
	switch scheme {
	case "s3", "gs", "azblob":
		return "a generated command links them when generated with 'zengen generate --stack' or when its cmd/NAME/ package imports github.com/zengen-dev/zengen/runtime/teamstack"
	}
	return "the schemes are s3://, gs://, azblob://, file:// and mem://"
}

// Name returns the bucket's URL without its query.
func (s *Store) Name() string { return s.name }

// Close releases the bucket.
func (s *Store) Close() error { return s.bucket.Close() }

// key returns the object key of a blob, after checking the digest so that
// no crafted string can name another key.
func key(digest string) (string, error) {
	hexSum, err := zblob.ParseDigest(digest)
	if err != nil {
		return "", err
	}
	return "objects/" + hexSum[:2] + "/" + hexSum[2:], nil
}

// classify wraps a driver error as the blob store's not-found, naming the
// digest and the bucket.
func (s *Store) classify(op, digest string, err error) error {
	if gcerrors.Code(err) == gcerrors.NotFound {
		return fmt.Errorf("blob %s in %s: %w", digest, s.name, zblob.ErrNotFound)
	}
	return fmt.Errorf("%s blob %s in %s: %w", op, digest, s.name, err)
}

// Stat returns the blob's size.
func (s *Store) Stat(digest string) (int64, error) {
	k, err := key(digest)
	if err != nil {
		return 0, err
	}
	a, err := s.bucket.Attributes(context.Background(), k)
	if err != nil {
		return 0, s.classify("stat", digest, err)
	}
	return a.Size, nil
}

// Open returns a reader that verifies the blob while it streams.
func (s *Store) Open(digest string) (io.ReadCloser, error) {
	k, err := key(digest)
	if err != nil {
		return nil, err
	}
	want, _ := hex.DecodeString(strings.TrimPrefix(digest, zblob.DigestPrefix))
	r, err := s.bucket.NewReader(context.Background(), k, nil)
	if err != nil {
		return nil, s.classify("read", digest, err)
	}
	return newVerifyingReader(r, r.Size(), digest, want), nil
}

// Verify reads the whole blob and checks its digest.
func (s *Store) Verify(digest string) error {
	r, err := s.Open(digest)
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(io.Discard, r)
	return err
}

// Create starts a blob whose upload stops, leaving nothing, when ctx is
// cancelled.
func (s *Store) Create(ctx context.Context) (zblob.Writer, error) { return newWriter(ctx, s), nil }

// Check proves the bucket reachable and writable: it writes, reads back and
// deletes a small object. The error says which of these failed.
func (s *Store) Check(ctx context.Context) error {
	var b [8]byte
	rand.Read(b[:])
	k := "tmp/check-" + hex.EncodeToString(b[:])
	if err := s.bucket.WriteAll(ctx, k, []byte("zen"), &blob.WriterOptions{ContentType: "application/octet-stream"}); err != nil {
		return fmt.Errorf("artifact store %s: cannot write: %w", s.name, explain(err))
	}
	got, err := s.bucket.ReadAll(ctx, k)
	if err != nil || string(got) != "zen" {
		return fmt.Errorf("artifact store %s: an object written cannot be read back: %w", s.name, explain(err))
	}
	if err := s.bucket.Delete(ctx, k); err != nil {
		return fmt.Errorf("artifact store %s: cannot delete: %w", s.name, explain(err))
	}
	return nil
}

// explain puts the usual causes of a failing bucket into words before the
// driver's message.
func explain(err error) error {
	if err == nil {
		return errors.New("the bytes differ")
	}
	switch gcerrors.Code(err) {
	case gcerrors.NotFound:
		return fmt.Errorf("the bucket does not exist: %w", err)
	case gcerrors.PermissionDenied:
		return fmt.Errorf("the credentials are refused: %w", err)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "NoSuchBucket"):
		return fmt.Errorf("the bucket does not exist: %w", err)
	case strings.Contains(msg, "InvalidAccessKeyId"), strings.Contains(msg, "SignatureDoesNotMatch"),
		strings.Contains(msg, "AccessDenied"), strings.Contains(msg, "no EC2 IMDS role found"),
		strings.Contains(msg, "failed to retrieve credentials"):
		return fmt.Errorf("the credentials are refused or missing: %w", err)
	case strings.Contains(msg, "connection refused"), strings.Contains(msg, "no such host"),
		strings.Contains(msg, "i/o timeout"):
		return fmt.Errorf("the endpoint cannot be reached: %w", err)
	}
	return err
}
