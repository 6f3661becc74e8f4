package zentest

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	zen "github.com/zengen-dev/zengen/runtime"
)

// celsius stores itself rounded to whole degrees: a json.Marshaler that
// loses data, which only a value with a fraction shows.
type celsius struct{ Deg float64 }

func (c celsius) MarshalJSON() ([]byte, error) { return json.Marshal(math.Round(c.Deg)) }

func (c *celsius) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &c.Deg) }

type reading struct {
	City string
	Temp celsius
}

// weather is a one-step pipeline that saves readings with the JSON codec.
func weather(readings []reading) *zen.Pipeline {
	return &zen.Pipeline{Name: "weather", Notebook: "weather.ipynb", Steps: []*zen.Step{{
		Name: "load", Func: "Load", CodeHash: "dd",
		Outputs: []zen.Output{{Name: "readings", Type: "[]reading", Codec: "json"}},
		Run: func(ctx context.Context, sc *zen.StepContext) error {
			return zen.Save(sc, "readings", zen.JSON[[]reading](), readings)
		},
	}}}
}

// TestRunChecksStorability runs a pipeline whose artifact loses a fraction
// in storage: Run fails naming the step, the output and the field.
func TestRunChecksStorability(t *testing.T) {
	rec := record(t, func(tb testing.TB) { Run(tb, weather([]reading{{"Oslo", celsius{3}}, {"Rome", celsius{14.6}}})) })
	want := "storability: step load: output readings (json codec): decoding the artifact does not give back what the step saved: field [1].Temp.Deg differs\n" +
		"\tsaved:  14.6\n" +
		"\tstored: 15"
	if len(rec.errors) != 1 || rec.errors[0] != want {
		t.Errorf("want one failure:\n%s\ngot:\n%s", want, rec.messages())
	}

	rec = record(t, func(tb testing.TB) { Run(tb, weather([]reading{{"Oslo", celsius{3}}})) })
	if rec.Failed() {
		t.Errorf("Run failed on a value the codec keeps:\n%s", rec.messages())
	}
}

func TestFirstDifference(t *testing.T) {
	type inner struct {
		n    int
		Tags map[string][]float64
	}
	type outer struct {
		Name  string
		In    *inner
		Items []any
	}
	base := func() outer {
		return outer{Name: "a", In: &inner{n: 1, Tags: map[string][]float64{"x": {1, math.NaN()}}}, Items: []any{1, "b"}}
	}
	tests := []struct {
		name     string
		x, y     any
		wantPath string // "-" when equal
	}{
		{"equal, NaN included", base(), base(), "-"},
		{"unexported field", base(), func() outer { o := base(); o.In.n = 2; return o }(), ".In.n"},
		{"map element", base(), func() outer { o := base(); o.In.Tags["x"][0] = 7; return o }(), `.In.Tags["x"][0]`},
		{"interface element", base(), func() outer { o := base(); o.Items[1] = 2; return o }(), ".Items[1]"},
		{"nil and empty slices differ", []int(nil), []int{}, ""},
		{"big numbers by value", big.NewInt(0), new(big.Int).SetBytes(nil), "-"},
		{"top-level value", 1.5, 2.5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, _, _, ok := firstDifference(tt.x, tt.y)
			if tt.wantPath == "-" {
				if !ok {
					t.Errorf("want equal, got a difference at %q", path)
				}
				return
			}
			if ok || path != tt.wantPath {
				t.Errorf("want a difference at %q, got %q (equal: %v)", tt.wantPath, path, ok)
			}
		})
	}
}

func TestRoundTripOfErrorsComparesMessages(t *testing.T) {
	msg := roundTripFailure(zen.SavedOutput{Step: "s", Name: "err", Codec: "error",
		Value:  &jsonError{"bad input"},
		Stored: func() (any, error) { return errors.New("bad input"), nil },
	})
	if msg != "" {
		t.Errorf("an error whose message survives failed: %s", msg)
	}
	msg = roundTripFailure(zen.SavedOutput{Step: "s", Name: "err", Codec: "json",
		Value:  1,
		Stored: func() (any, error) { return nil, errors.New("unexpected end of JSON input") },
	})
	if !strings.Contains(msg, "storability: step s: output err (json codec): the stored artifact does not decode: unexpected end") {
		t.Errorf("decode failure: %q", msg)
	}
}

type jsonError struct{ msg string }

func (e *jsonError) Error() string { return e.msg }
