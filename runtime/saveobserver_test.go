package runtime

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSaveObserver checks the test hook: under WithSaveObserver every saved
// output reaches the observer with the value the step saved and a reader
// of what the store holds, inline and blob artifacts alike; cache hits
// save nothing.
func TestSaveObserver(t *testing.T) {
	big := make([]float64, 4096) // above the inline threshold
	for i := range big {
		big[i] = float64(i) / 3
	}
	p := &Pipeline{Name: "obs", Steps: []*Step{
		intStep("a", 1),
		{Name: "b", Func: "B", CodeHash: "code-b", Pos: "test.ipynb:cell 2",
			Outputs: []Output{{Name: "xs", Type: "[]float64", Codec: "numeric"}},
			Run: func(ctx context.Context, sc *StepContext) error {
				return Save(sc, "xs", Numeric[[]float64](), big)
			}},
	}}
	type seen struct {
		Step, Name, Codec string
		Value, Stored     any
	}
	var mu sync.Mutex
	var got []seen
	observe := func(o SavedOutput) {
		stored, err := o.Stored()
		if err != nil {
			t.Errorf("%s.%s: %v", o.Step, o.Name, err)
		}
		mu.Lock()
		defer mu.Unlock()
		got = append(got, seen{o.Step, o.Name, o.Codec, o.Value, stored})
	}
	home := t.TempDir()
	ctx := WithSaveObserver(context.Background(), observe)
	if r := execIn(t, ctx, p, home, "run", "--parallel", "1"); r.code != 0 {
		t.Fatalf("run: %d\n%s", r.code, r.stderr)
	}
	want := []seen{
		{"a", "a_out", "json", 1, 1},
		{"b", "xs", "numeric", big, big},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("observed saves (-want +got):\n%s", diff)
	}
	got = nil
	if r := execIn(t, ctx, p, home, "run"); r.code != 0 {
		t.Fatalf("second run: %d\n%s", r.code, r.stderr)
	}
	if len(got) != 0 {
		t.Errorf("cache hits were observed: %+v", got)
	}
}
