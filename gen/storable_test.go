package gen

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCodecChoice: every type a step can hand on gets the codec that keeps
// it exactly; JSON only where JSON is exact (booleans and numbers).
func TestCodecChoice(t *testing.T) {
	nb := notebook(t, "gophernotes",
		code(`import (
	"errors"
	"math/big"
	"time"
)`),
		code(`type Point struct{ X, y float64 }
type Pair[T any] struct{ A, B T }
type Level int
func (l Level) MarshalText() ([]byte, error) { return []byte("x"), nil }
func (l *Level) UnmarshalText([]byte) error { return nil }`),
		code(`//zen:step make
s := "text"
b := []byte("bytes")
ok := true
n := 3
f := 1.5
c := complex(1, 2)
ints := []int{1}
floats := []float32{1}
strs := []string{"a"}
m := map[string]float64{}
pt := Point{1, 2}
ptr := &Point{}
pair := Pair[string]{}
lvl := Level(2)
when := time.Now()
big1 := big.NewInt(1)
err := errors.New("e")
var anything any = 1`),
		code(`//zen:step use
println(s, b, ok, n, f, c, ints, floats, strs, m, pt.X, ptr, pair.A, lvl, when.Day(), big1, err, anything)`),
	)
	p := analyze(t, nb, Config{})
	want := []string{
		"s string raw", "b []byte numeric", "ok bool json", "n int json", "f float64 json", "c complex128 value",
		"ints []int numeric", "floats []float32 numeric", "strs []string value", "m map[string]float64 value",
		"pt Point value", "ptr *Point value", "pair Pair[string] value", "lvl Level value", "when time.Time value",
		"big1 *big.Int value", "err error error", "anything any value",
	}
	if diff := cmp.Diff(want, portSummary(stepNamed(t, p, "make").Outputs)); diff != "" {
		t.Errorf("codecs (-want +got):\n%s", diff)
	}
}
