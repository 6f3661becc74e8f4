package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// staleTempAge is how old a temporary file must be before OpenLocal removes
// it. A writer that is still alive touches its file on every write, so an
// hour without a write means the process that created it is gone.
const staleTempAge = time.Hour

// Local is a Store in a directory of the local file system:
//
//	DIR/objects/ab/cdef…   committed blobs, named by the hex SHA-256 (first two digits as a fan-out directory)
//	DIR/tmp/blob-*.tmp     blobs being written
//
// Temporary files live under DIR so that the final rename never crosses a
// file system. A process killed at any moment leaves at most temporary
// files, never a partial blob under a digest name.
type Local struct {
	dir     string
	objects string
	tmp     string

	// readOnly is set for a store opened only to read: Create refuses.
	readOnly bool

	// fanouts remembers the fan-out directories that exist and whose entry
	// in objects/ has been made durable, to save a mkdir per commit.
	fanouts sync.Map // string → struct{}
}

var _ Store = (*Local)(nil)

// OpenLocal opens (creating if needed) the store in dir, e.g. ".zen/blobs",
// and removes temporary files older than an hour that crashed writers left
// behind.
func OpenLocal(dir string) (*Local, error) {
	l := &Local{
		dir:     dir,
		objects: filepath.Join(dir, "objects"),
		tmp:     filepath.Join(dir, "tmp"),
	}
	for _, d := range []string{l.objects, l.tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("open blob store: %w", err)
		}
	}
	if err := l.sweepTemp(time.Now().Add(-staleTempAge)); err != nil {
		return nil, fmt.Errorf("open blob store: %w", err)
	}
	return l, nil
}

// OpenLocalReadOnly returns the store in dir for reading only: it creates
// nothing, removes nothing, and its Create fails. Blobs that are absent
// read as ErrNotFound, as in any store.
func OpenLocalReadOnly(dir string) *Local {
	return &Local{dir: dir, objects: filepath.Join(dir, "objects"), tmp: filepath.Join(dir, "tmp"), readOnly: true}
}

// Dir returns the directory the store lives in.
func (l *Local) Dir() string { return l.dir }

// sweepTemp removes temporary files last modified before cutoff. Files that
// vanish meanwhile were removed by their own writer or another sweeper.
func (l *Local) sweepTemp(cutoff time.Time) error {
	entries, err := os.ReadDir(l.tmp)
	if err != nil {
		return err
	}
	for _, e := range entries {
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if info.Mode().IsRegular() && info.ModTime().Before(cutoff) {
			if err := os.Remove(filepath.Join(l.tmp, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// objectPath returns the file name of a blob, after checking the digest so
// that no crafted string can point outside objects/.
func (l *Local) objectPath(digest string) (string, error) {
	hexSum, err := ParseDigest(digest)
	if err != nil {
		return "", err
	}
	return filepath.Join(l.objects, hexSum[:2], hexSum[2:]), nil
}

// Create starts a new blob in a temporary file. A local commit is a
// rename, too short to be worth stopping, so ctx is not used.
func (l *Local) Create(context.Context) (Writer, error) {
	if l.readOnly {
		return nil, fmt.Errorf("create blob: the store in %s is open read-only", l.dir)
	}
	f, err := os.CreateTemp(l.tmp, "blob-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create blob: %w", err)
	}
	return &localWriter{store: l, file: f, hash: sha256.New()}, nil
}

// CreateKnown starts a blob whose Commit checks that its bytes hash to
// digest. Locally it costs what Create costs: the temporary file is
// under DIR either way.
func (l *Local) CreateKnown(ctx context.Context, digest string) (Writer, error) {
	if _, err := ParseDigest(digest); err != nil {
		return nil, err
	}
	w, err := l.Create(ctx)
	if err != nil {
		return nil, err
	}
	w.(*localWriter).want = digest
	return w, nil
}

// Open returns a reader of the blob that checks its digest as it reads.
func (l *Local) Open(digest string) (io.ReadCloser, error) {
	name, err := l.objectPath(digest)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("blob %s: %w", digest, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", digest, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open blob %s: %w", digest, err)
	}
	want, _ := hex.DecodeString(digest[len(DigestPrefix):])
	return newVerifyingReader(f, info.Size(), digest, want), nil
}

// Verify re-reads the whole blob and checks it against its digest.
func (l *Local) Verify(digest string) error {
	r, err := l.Open(digest)
	if err != nil {
		return err
	}
	defer r.Close()
	buf := make([]byte, verifyBufferSize(r.(*verifyingReader).Size))
	for {
		_, err := r.Read(buf)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// List returns the digests of every blob in the store, sorted.
func (l *Local) List() ([]string, error) {
	fanouts, err := os.ReadDir(l.objects)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range fanouts {
		if !f.IsDir() || len(f.Name()) != 2 {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(l.objects, f.Name()))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			d := DigestPrefix + f.Name() + e.Name()
			if _, err := ParseDigest(d); err == nil && e.Type().IsRegular() {
				out = append(out, d)
			}
		}
	}
	return out, nil
}

// Stat returns the size of the blob.
func (l *Local) Stat(digest string) (int64, error) {
	name, err := l.objectPath(digest)
	if err != nil {
		return 0, err
	}
	info, err := os.Stat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("blob %s: %w", digest, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("stat blob %s: %w", digest, err)
	}
	return info.Size(), nil
}

// ensureFanout creates objects/ab if needed and makes its directory entry
// durable, so that a blob renamed into it survives a crash.
func (l *Local) ensureFanout(prefix string) (string, error) {
	dir := filepath.Join(l.objects, prefix)
	if _, ok := l.fanouts.Load(prefix); ok {
		return dir, nil
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	// Sync objects/ even when the directory already existed: another
	// process may have made it and not synced yet, and a blob renamed into
	// it is only durable once its directory entry is. This happens once per
	// fan-out directory and process, at most 256 times.
	if err := syncDir(l.objects); err != nil {
		return "", err
	}
	l.fanouts.Store(prefix, struct{}{})
	return dir, nil
}

// syncDir makes the entries of a directory durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return err
	}
	return d.Close()
}

// writerState is where a localWriter is in its life.
type writerState int

const (
	writing writerState = iota
	committed
	aborted
)

// localWriter streams a blob to a temporary file while hashing it.
type localWriter struct {
	store *Local
	file  *os.File
	hash  hash.Hash
	size  int64
	state writerState
	want  string // the digest the bytes must have, when the caller knows it

	// The result of the first Commit, returned again by later calls. err
	// is also set by a failed Write, which dooms the blob.
	digest string
	err    error
}

// ioChunk is the most a Write or Read hands to the file system at once. A
// 1 GiB slice is written and hashed a chunk at a time, so the hash reads
// bytes that the copy into the page cache has just brought into the CPU
// cache instead of fetching the whole gigabyte from memory a second time.
const ioChunk = 1 << 20

func (w *localWriter) Write(p []byte) (int, error) {
	if w.state != writing {
		return 0, errors.New("blob: write after Commit or Abort")
	}
	if w.err != nil {
		return 0, w.err
	}
	written := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), ioChunk)]
		n, err := w.file.Write(chunk)
		w.hash.Write(chunk[:n])
		w.size += int64(n)
		written += n
		if err != nil {
			// Sticky: a blob that lost bytes must not be committed.
			w.err = fmt.Errorf("write blob: %w", err)
			return written, w.err
		}
		p = p[n:]
	}
	return written, nil
}

func (w *localWriter) Commit() (string, int64, error) {
	switch w.state {
	case committed:
		return w.digest, w.size, w.err
	case aborted:
		return "", 0, errors.New("blob: Commit after Abort")
	}
	w.state = committed
	if w.err == nil {
		w.digest, w.err = w.commit()
	} else {
		w.file.Close()
	}
	if w.err != nil {
		w.digest = ""
		os.Remove(w.file.Name())
	}
	return w.digest, w.size, w.err
}

func (w *localWriter) commit() (string, error) {
	tmpName := w.file.Name()
	hexSum := hex.EncodeToString(w.hash.Sum(nil))
	if w.want != "" && DigestPrefix+hexSum != w.want {
		w.file.Close()
		return "", Mismatch(w.want, DigestPrefix+hexSum)
	}
	if err := w.file.Sync(); err != nil {
		w.file.Close()
		return "", fmt.Errorf("commit blob: %w", err)
	}
	if err := w.file.Close(); err != nil {
		return "", fmt.Errorf("commit blob: %w", err)
	}
	dir, err := w.store.ensureFanout(hexSum[:2])
	if err != nil {
		return "", fmt.Errorf("commit blob: %w", err)
	}
	// Rename replaces an existing copy atomically: two writers of the same
	// content both succeed, readers of the old copy keep their open file,
	// and a copy that rotted on disk is repaired by the next writer.
	err = os.Rename(tmpName, filepath.Join(dir, hexSum[2:]))
	if errors.Is(err, fs.ErrNotExist) {
		// The fan-out directory was removed since it was remembered (by a
		// clean-up of empty directories): make it again, once.
		w.store.fanouts.Delete(hexSum[:2])
		if dir, err = w.store.ensureFanout(hexSum[:2]); err == nil {
			err = os.Rename(tmpName, filepath.Join(dir, hexSum[2:]))
		}
	}
	if err != nil {
		return "", fmt.Errorf("commit blob: %w", err)
	}
	// The directory entry is not fsynced per blob: that second fsync
	// doubles the cost of every step output (0.8 ms instead of 0.4 ms
	// here). The file's bytes are durable before the rename, so a name
	// never points at partial data; a rename lost to a power failure only
	// makes the blob missing, and the cache counts a hit only after
	// verifying every output blob, so the step simply runs again.
	return DigestPrefix + hexSum, nil
}

func (w *localWriter) Abort() error {
	if w.state != writing {
		return nil
	}
	w.state = aborted
	closeErr := w.file.Close()
	if err := os.Remove(w.file.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("abort blob: %w", err)
	}
	if closeErr != nil {
		return fmt.Errorf("abort blob: %w", closeErr)
	}
	return nil
}
