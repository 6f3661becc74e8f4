package blob

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
)

// TestLargeReadVerifies covers the overlapped path: a Read of at least
// overlapMin bytes, as Numeric's single io.ReadFull of a large array makes,
// hashes in a second goroutine and must still refuse the last chunk of a
// damaged blob and deliver an intact one whole.
func TestLargeReadVerifies(t *testing.T) {
	const header = 16 // a decoder reads its header through the small path first
	content := pattern(3*overlapMin+12345, 7)
	tests := []struct {
		name    string
		damage  func(t *testing.T, path string)
		bufSize int // the body read; len(content)-header reaches the end exactly
		wantErr error
	}{
		{"intact, exact read", nil, len(content) - header, nil},
		{"intact, buffer larger than the blob", nil, len(content), io.ErrUnexpectedEOF},
		{"first body byte flipped", flipByteAt(header), len(content) - header, ErrCorrupt},
		{"middle byte flipped", flipByteAt(int64(len(content) / 2)), len(content) - header, ErrCorrupt},
		{"last byte flipped", flipByteAt(int64(len(content) - 1)), len(content) - header, ErrCorrupt},
		{"truncated", func(t *testing.T, path string) {
			if err := os.Truncate(path, int64(len(content)-1)); err != nil {
				t.Fatal(err)
			}
		}, len(content) - header, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			digest := put(t, s, content)
			if tt.damage != nil {
				path := objectFile(s, digest)
				os.Chmod(path, 0o644)
				tt.damage(t, path)
			}
			r, err := s.Open(digest)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			head := make([]byte, header)
			if _, err := io.ReadFull(r, head); err != nil {
				t.Fatal(err)
			}
			body := make([]byte, tt.bufSize)
			n, err := io.ReadFull(r, body)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("io.ReadFull of %d bytes = %d, %v; want %v", len(body), n, err, tt.wantErr)
			}
			if tt.wantErr == ErrCorrupt {
				if header+n >= len(content) {
					t.Errorf("returned %d of %d bytes of a corrupt blob; the last chunk must be held back", header+n, len(content))
				}
				if _, err := r.Read(make([]byte, overlapMin)); !errors.Is(err, ErrCorrupt) {
					t.Errorf("large Read after corruption = %v, want ErrCorrupt again", err)
				}
				return
			}
			if got := append(head, body[:n]...); !bytes.Equal(got, content) {
				t.Errorf("read %d bytes that differ from the %d stored", len(got), len(content))
			}
			if n, err := r.Read(make([]byte, overlapMin)); n != 0 || err != io.EOF {
				t.Errorf("Read after the end = %d, %v; want 0, io.EOF", n, err)
			}
		})
	}
}

// TestLargeReadsInPieces reads a blob with large Reads that each end
// mid-blob, so that the overlapped path hands back unverified bytes (as any
// streaming read does) and the digest is checked only by the last one.
func TestLargeReadsInPieces(t *testing.T) {
	content := pattern(5*overlapMin+77, 8)
	s := openStore(t)
	digest := put(t, s, content)
	r, err := s.Open(digest)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []byte
	buf := make([]byte, 2*overlapMin+1)
	for {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, content) {
		t.Errorf("read %d bytes that differ from the %d stored", len(got), len(content))
	}
}

func TestPrefaultKeepsContent(t *testing.T) {
	b := pattern(3<<20+5, 9)
	want := bytes.Clone(b)
	prefault(b[1:])
	prefault(nil)
	prefault(b[:10])
	if !bytes.Equal(b, want) {
		t.Error("prefault changed the bytes of the slice")
	}
}
