package runtime

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/zengen-dev/zengen/runtime/internal/blob"
)

// storeRoundTrip saves v with c into a fresh artifact store and loads it
// back through the store's verifying reader, as Save and Load do.
func storeRoundTrip[T any](t *testing.T, s blob.Store, c Codec[T], v T) string {
	t.Helper()
	w, err := s.Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Encode(w, v); err != nil {
		t.Fatal(err)
	}
	digest, _, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	got, err := storeLoad(s, c, digest)
	if err != nil {
		t.Fatalf("%s: load: %v", c.Name(), err)
	}
	if diff := cmp.Diff(v, got, cmpopts.EquateNaNs(), equateErrorMessages); diff != "" {
		t.Errorf("%s: through the store (-want +got):\n%s", c.Name(), diff)
	}
	return digest
}

// equateErrorMessages compares errors as ErrorCodec keeps them: by message.
var equateErrorMessages = cmp.Comparer(func(a, b error) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Error() == b.Error()
})

func storeLoad[T any](s blob.Store, c Codec[T], digest string) (T, error) {
	r, err := s.Open(digest)
	if err != nil {
		var zero T
		return zero, err
	}
	defer r.Close()
	return c.Decode(r)
}

func newStore(t *testing.T) *blob.Local {
	t.Helper()
	s, err := blob.OpenLocal(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCodecsThroughStore(t *testing.T) {
	s := newStore(t)
	storeRoundTrip(t, s, Numeric[[]float64](), ramp[float64](5000))
	storeRoundTrip(t, s, Numeric[[]int8](), nil)
	storeRoundTrip(t, s, Numeric[[]int8](), []int8{})
	storeRoundTrip(t, s, Raw[string](), "text")
	storeRoundTrip(t, s, Raw[[]byte](), nil)
	storeRoundTrip(t, s, JSON[map[string]float64](), map[string]float64{"a": 1, "b": -0.5})
	storeRoundTrip(t, s, JSON[float64](), math.NaN())
	storeRoundTrip(t, s, ErrorCodec(), nil)
	storeRoundTrip(t, s, ErrorCodec(), errors.New("boom"))
	storeRoundTrip(t, s, Binary[celsiusPair](), celsiusPair{1, 2})
}

func TestSameValueSameDigest(t *testing.T) {
	s := newStore(t)
	m := map[string][]int{}
	for i := range 300 {
		m[string(rune('a'+i%26))+string(rune('a'+i/26))] = []int{i, -i}
	}
	first := storeRoundTrip(t, s, JSON[map[string][]int](), m)
	for range 5 {
		if d := storeRoundTrip(t, s, JSON[map[string][]int](), maps2(m)); d != first {
			t.Fatalf("digest %s, want %s: the same value stored twice must share its digest", d, first)
		}
	}
}

// maps2 copies m; a fresh map has its own iteration order.
func maps2(m map[string][]int) map[string][]int {
	out := make(map[string][]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestCorruptArtifactFailsDecode(t *testing.T) {
	tests := []struct {
		name string
		save func(s blob.Store) string
		load func(s blob.Store, digest string) error
	}{
		{"numeric",
			func(s blob.Store) string { return storeRoundTrip(t, s, Numeric[[]float64](), ramp[float64](1000)) },
			func(s blob.Store, d string) error { _, err := storeLoad(s, Numeric[[]float64](), d); return err }},
		{"json",
			func(s blob.Store) string { return storeRoundTrip(t, s, JSON[[]string](), []string{"aaaa", "bbbb"}) },
			func(s blob.Store, d string) error { _, err := storeLoad(s, JSON[[]string](), d); return err }},
		{"raw",
			func(s blob.Store) string { return storeRoundTrip(t, s, Raw[string](), "some text") },
			func(s blob.Store, d string) error { _, err := storeLoad(s, Raw[string](), d); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			digest := tt.save(s)
			path := filepath.Join(s.Dir(), "objects", digest[7:9], digest[9:])
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// Flip a bit inside the payload where the value stays well
			// formed, so only the digest can tell.
			b[len(b)-3] ^= 0x01
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := tt.load(s, digest); !errors.Is(err, blob.ErrCorrupt) {
				t.Errorf("loading a damaged artifact: %v, want ErrCorrupt", err)
			}
		})
	}
}
