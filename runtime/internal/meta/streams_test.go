package meta

import (
	"slices"
	"testing"
)

// Streams built write by write tell each byte's stream from any offset on,
// as a byte-by-byte account of the same writes does.
func TestStreamsTellEachBytesStream(t *testing.T) {
	writes := []struct {
		n      int
		stderr bool
	}{{0, true}, {2, true}, {3, false}, {0, false}, {1, false}, {4, true}, {1, true}, {2, false}}
	var s Streams
	var each []bool
	for _, w := range writes {
		s = s.Add(w.n, w.stderr)
		for range w.n {
			each = append(each, w.stderr)
		}
	}
	if want := (Streams{0, 2, 4, 5, 2}); !slices.Equal(s, want) {
		t.Fatalf("streams %v, want %v", s, want)
	}
	text := make([]byte, len(each))
	for from := 0; from <= len(each); from++ {
		var got []bool
		s.From(from).Each(text[from:], func(run []byte, stderr bool) {
			for range run {
				got = append(got, stderr)
			}
		})
		if !slices.Equal(got, each[from:]) {
			t.Errorf("from %d: streams %v tell %v, want %v", from, s.From(from), got, each[from:])
		}
	}
	column, err := StreamsColumn(s)
	if err != nil || column == nil {
		t.Fatalf("column of %v: %v, %v", s, column, err)
	}
	if back, err := ParseStreams(column); err != nil || !slices.Equal(back, s) {
		t.Errorf("column %s reads back as %v, %v", *column, back, err)
	}
	if column, err := StreamsColumn(Streams{7}); column != nil || err != nil {
		t.Errorf("a log all on stdout has streams column %v, %v; want NULL", column, err)
	}
}
