package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/cli"
)

// vec2 has a binary form of its own and no text form: cat shows it as JSON.
type vec2 struct{ X, Y int }

func (p vec2) MarshalBinary() ([]byte, error) { return fmt.Appendf(nil, "%d,%d", p.X, p.Y), nil }

func (p *vec2) UnmarshalBinary(b []byte) error {
	_, err := fmt.Sscanf(string(b), "%d,%d", &p.X, &p.Y)
	return err
}

// celsius is saved by a user codec, registered for the type.
type celsius float64

func (c celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type celsiusCodec struct{}

func (celsiusCodec) Name() string { return "celsius-text" }

func (celsiusCodec) Encode(w io.Writer, v celsius) error {
	_, err := fmt.Fprintf(w, "%g", float64(v))
	return err
}

func (celsiusCodec) Decode(r io.Reader) (celsius, error) {
	var f float64
	_, err := fmt.Fscan(r, &f)
	return celsius(f), err
}

// brokenCodec panics when decoding, as a user's codec might.
type brokenCodec struct{ celsiusCodec }

func (brokenCodec) Name() string { return "broken" }

func (brokenCodec) Decode(io.Reader) (celsius, error) { panic("broken decoder") }

func TestCatShowsEveryCodec(t *testing.T) {
	Register[celsius](celsiusCodec{})
	stamp := time.Date(2026, 11, 25, 18, 30, 0, 0, time.UTC)
	save := func(name string, f func(sc *StepContext) error, outs ...Output) *Step {
		return &Step{Name: name, CodeHash: name, Outputs: outs, Run: func(ctx context.Context, sc *StepContext) error { return f(sc) }}
	}
	p := &Pipeline{Name: "show", Steps: []*Step{
		save("j", func(sc *StepContext) error {
			return Save(sc, "m", JSON[map[string]int](), map[string]int{"b": 2, "a": 1})
		},
			Output{Name: "m", Type: "map[string]int", Codec: "json"}),
		save("n", func(sc *StepContext) error {
			if err := Save(sc, "f", Numeric[[]float64](), []float64{0.5, math.NaN(), math.Inf(-1), 1e300}); err != nil {
				return err
			}
			if err := Save(sc, "i", Numeric[[]int8](), []int8{-1, 2}); err != nil {
				return err
			}
			return Save(sc, "none", Numeric[[]uint16](), nil)
		},
			Output{Name: "f", Type: "[]float64", Codec: "numeric"},
			Output{Name: "i", Type: "[]int8", Codec: "numeric"},
			Output{Name: "none", Type: "[]uint16", Codec: "numeric"}),
		save("b", func(sc *StepContext) error {
			if err := Save(sc, "p", Binary[vec2](), vec2{3, 4}); err != nil {
				return err
			}
			if err := Save(sc, "t", Binary[time.Time](), stamp); err != nil {
				return err
			}
			return Save(sc, "bare", Binary[vec2](), vec2{5, 6})
		},
			Output{Name: "p", Type: "vec2", Codec: "binary", Show: Shower(Binary[vec2]())},
			Output{Name: "t", Type: "time.Time", Codec: "binary", Show: Shower(Binary[time.Time]())},
			Output{Name: "bare", Type: "vec2", Codec: "binary"}),
		save("u", func(sc *StepContext) error {
			if err := Save(sc, "c", JSON[celsius](), 21.5); err != nil {
				return err
			}
			return Save(sc, "x", Codec[celsius](brokenCodec{}), 1)
		},
			Output{Name: "c", Type: "celsius", Codec: "json", Show: Shower(JSON[celsius]())},
			Output{Name: "x", Type: "celsius", Codec: "broken", Show: Shower(Codec[celsius](brokenCodec{}))}),
	}}
	home := t.TempDir()
	mustRun(t, p, home)
	tests := []struct {
		artifact string
		want     string
	}{
		{"j.m", "{\n  \"a\": 1,\n  \"b\": 2\n}\n"},
		{"n.f", "[0.5, \"NaN\", \"-Inf\", 1e+300]\n"},
		{"n.i", "[-1, 2]\n"},
		{"n.none", "null\n"},
		{"b.p", "{\n  \"X\": 3,\n  \"Y\": 4\n}\n"},
		{"b.t", "2026-11-25T18:30:00Z\n"},
		{"b.bare", "3 bytes, codec binary (shown as hex: the codec has no text form and this binary cannot decode it)\n" +
			"00000000  35 2c 36                                          |5,6|\n"},
		// Registered for celsius, the user codec replaced the generated JSON.
		{"u.c", "21.5°C\n"},
	}
	for _, tc := range tests {
		t.Run(tc.artifact, func(t *testing.T) {
			r := execIn(t, t.Context(), p, home, "cat", "latest", tc.artifact)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if diff := cmp.Diff(tc.want, r.stdout); diff != "" {
				t.Errorf("cat %s (-want +got):\n%s", tc.artifact, diff)
			}
		})
	}
	// The registry decides for every Save of celsius, so x went through the
	// celsius codec too, whatever codec the step asked for.
	if r := execIn(t, t.Context(), p, home, "cat", "latest", "u.x"); r.code != 0 || r.stdout != "1.0°C\n" {
		t.Errorf("cat u.x: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestDisplayArtifactFallsBackToHex(t *testing.T) {
	tests := []struct {
		name string
		show func(codec string, r io.Reader) (any, error)
		want string
	}{
		{"decoder error", func(string, io.Reader) (any, error) { return nil, errors.New("bad bytes") },
			"2 bytes, codec mine (shown as hex: bad bytes)\n"},
		{"decoder panic", func(string, io.Reader) (any, error) { panic("boom") },
			"2 bytes, codec mine (shown as hex: decoding panicked: boom)\n"},
		{"codec changed", Shower(Codec[celsius](brokenCodec{})),
			"2 bytes, codec mine (shown as hex: the artifact was written with codec mine; this binary encodes runtime.celsius with celsius-text)\n"},
	}
	Register[celsius](celsiusCodec{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := cli.DisplayArtifact(&b, "mine", strings.NewReader("hi"), tc.show); err != nil {
				t.Fatal(err)
			}
			want := tc.want + "00000000  68 69                                             |hi|\n"
			if diff := cmp.Diff(want, b.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
