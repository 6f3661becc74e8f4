package analysis

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/internal/gomodtest"
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

// TestUserCodec: a //zen:codec function stores every port of its type,
// even one the value codec could not (a func field), and its code is part
// of the hash of the steps that use it.
func TestUserCodec(t *testing.T) {
	cells := func(codecBody string) []cell {
		return []cell{
			code(`import zen "github.com/zengen-dev/zengen/runtime"`),
			code(`type Scorer struct {
	Name  string
	Score func(float64) float64
}

// scorerCodec keeps the name; Score is rebuilt from it.
//
//zen:codec
func scorerCodec() zen.Codec[Scorer] { ` + codecBody + ` }`),
			code("//zen:step make\ns := Scorer{Name: \"id\"}"),
			code("//zen:step use\nprintln(s.Name)"),
		}
	}
	module := gomodtest.Module(t, "example.com/usercodec")
	p := analyze(t, notebook(t, "gophernotes", cells("return nil")...), Config{Dir: module})
	mk, use := stepNamed(t, p, "make"), stepNamed(t, p, "use")
	if diff := cmp.Diff([]string{"s Scorer scorerCodec"}, portSummary(mk.Outputs)); diff != "" {
		t.Errorf("make outputs (-want +got):\n%s", diff)
	}
	if !mk.Outputs[0].CodecFunc {
		t.Errorf("the output's codec %s is not marked as the notebook's function", mk.Outputs[0].Codec)
	}
	changed := analyze(t, notebook(t, "gophernotes", cells("return zen.Value[Scorer]()")...), Config{Dir: module})
	if stepNamed(t, changed, "make").CodeHash == mk.CodeHash || stepNamed(t, changed, "use").CodeHash == use.CodeHash {
		t.Error("changing the codec function left the code hash of a step that uses it unchanged")
	}
}

func TestUserCodecErrors(t *testing.T) {
	module := gomodtest.Module(t, "example.com/usercodec")
	for _, tt := range []struct {
		name, decl, want string
	}{
		{"not a function", "//zen:codec\nvar n = 1",
			"nb.ipynb:cell 2:1:1: //zen:codec belongs in the doc comment of a function that returns a zen.Codec[T]"},
		{"wrong shape", "//zen:codec\nfunc c(x int) zen.Codec[int] { return nil }",
			"nb.ipynb:cell 2:1:1: //zen:codec function c must take no arguments and return a zen.Codec[T] of github.com/zengen-dev/zengen/runtime"},
		{"two for one type", "//zen:codec\nfunc a() zen.Codec[int] { return nil }\n\n//zen:codec\nfunc b() zen.Codec[int] { return nil }",
			"nb.ipynb:cell 2:4:1: a second //zen:codec for int: a already stores it"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			nb := notebook(t, "gophernotes", code(`import zen "github.com/zengen-dev/zengen/runtime"`), code(tt.decl), code("//zen:step a\nx := 1\nprintln(x)"))
			_, err := Analyze(nb, Config{Dir: module})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nwant %s", err, tt.want)
			}
		})
	}
}
