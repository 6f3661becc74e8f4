package zentest

import (
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/zengen-dev/zengen/runtime"
	"github.com/zengen-dev/zengen/runtime/internal/layout"
)

// storability collects, during a run, the outputs whose stored artifact
// does not decode to the value the step saved: proof on real data that
// every artifact can be stored, beyond what zengen checks of the types.
type storability struct {
	mu       sync.Mutex
	failures []string
}

// observe is the run's save observer: it decodes each artifact again, at
// once (the step may change the value afterwards), and compares.
func (s *storability) observe(o runtime.SavedOutput) {
	msg := roundTripFailure(o)
	if msg == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, msg)
}

// report fails t once for every output that did not survive storage. A
// step abandoned at its timeout may still be saving, hence the lock.
func (s *storability) report(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, msg := range s.failures {
		t.Errorf("%s", msg)
	}
}

// roundTripFailure returns why o's artifact does not give back o.Value, or
// "" when it does.
func roundTripFailure(o runtime.SavedOutput) string {
	head := fmt.Sprintf("storability: step %s: output %s (%s codec)", o.Step, o.Name, o.Codec)
	stored, err := o.Stored()
	if err != nil {
		return fmt.Sprintf("%s: the stored artifact does not decode: %v", head, err)
	}
	want, got := o.Value, stored
	if o.Codec == layout.Error {
		// An error crosses between steps as its message, by design.
		want, got = errorText(want), errorText(got)
	}
	path, x, y, ok := firstDifference(want, got)
	if ok {
		return ""
	}
	where := "the value"
	if path != "" {
		where = "field " + path
	}
	return fmt.Sprintf("%s: decoding the artifact does not give back what the step saved: %s differs\n\tsaved:  %s\n\tstored: %s", head, where, show(x), show(y))
}

func errorText(v any) any {
	if err, ok := v.(error); ok && err != nil {
		return err.Error()
	}
	return v
}

// compareOptions make go-cmp compare what a codec must preserve: every
// field, exported or not; NaN equal to NaN; numbers of math/big by value
// (their internal slices may be nil or empty for the same number).
var compareOptions = cmp.Options{
	cmp.Exporter(func(reflect.Type) bool { return true }),
	cmpopts.EquateNaNs(),
	cmp.Comparer(func(x, y *big.Int) bool { return x == nil && y == nil || x != nil && y != nil && x.Cmp(y) == 0 }),
	cmp.Comparer(func(x, y *big.Float) bool { return x == nil && y == nil || x != nil && y != nil && x.Cmp(y) == 0 }),
	cmp.Comparer(func(x, y *big.Rat) bool { return x == nil && y == nil || x != nil && y != nil && x.Cmp(y) == 0 }),
}

// firstDifference compares x and y and returns the path to the first place
// where they differ (".XTrain.mat.Data[3]"; "" for the values themselves)
// with the values found there on each side; ok when they are equal.
func firstDifference(x, y any) (path string, vx, vy reflect.Value, ok bool) {
	r := &firstDiffReporter{}
	if cmp.Equal(x, y, compareOptions, cmp.Reporter(r)) {
		return "", reflect.Value{}, reflect.Value{}, true
	}
	return r.where, r.x, r.y, false
}

// firstDiffReporter remembers the first unequal leaf go-cmp reports.
type firstDiffReporter struct {
	path  cmp.Path
	found bool
	where string
	x, y  reflect.Value
}

func (r *firstDiffReporter) PushStep(ps cmp.PathStep) { r.path = append(r.path, ps) }

func (r *firstDiffReporter) PopStep() { r.path = r.path[:len(r.path)-1] }

func (r *firstDiffReporter) Report(rs cmp.Result) {
	if r.found || rs.Equal() {
		return
	}
	r.found = true
	r.where = pathString(r.path)
	r.x, r.y = r.path.Last().Values()
}

// pathString writes a go-cmp path as Go selectors and indexes, leaving out
// pointer indirections and the root.
func pathString(p cmp.Path) string {
	var b strings.Builder
	for _, step := range p[1:] {
		switch s := step.(type) {
		case cmp.StructField:
			b.WriteString("." + s.Name())
		case cmp.SliceIndex:
			x, y := s.SplitKeys()
			if x == y {
				fmt.Fprintf(&b, "[%d]", x)
			} else {
				fmt.Fprintf(&b, "[%d→%d]", x, y)
			}
		case cmp.MapIndex:
			fmt.Fprintf(&b, "[%#v]", s.Key())
		case cmp.TypeAssertion:
			fmt.Fprintf(&b, ".(%v)", s.Type())
		}
	}
	return b.String()
}

// show formats one side of a difference, briefly.
func show(v reflect.Value) string {
	if !v.IsValid() {
		return "(nothing)"
	}
	var s string
	if v.CanInterface() {
		s = fmt.Sprintf("%#v", v.Interface())
	} else {
		s = fmt.Sprintf("%v", v)
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
