package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/zengen-dev/zengen/runtime/internal/engine"
	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
	"github.com/zengen-dev/zengen/runtime/internal/reflectvalue"
	"gonum.org/v1/gonum/mat"
)

// The types a notebook passes between steps, one of each shape the value
// codec must keep exactly.
type (
	pair[T any] struct {
		First, Second T
		rest          []T
	}
	embeddedCounts struct {
		N     int
		notes map[string]string
	}
	textOnly  struct{ s string }
	gobOnly   struct{ n int64 }
	jsonOnly  struct{ v float64 }
	binaryVec struct{ xs []float32 }

	everything struct {
		B                 bool
		I                 int
		I8                int8
		I16               int16
		I32               int32
		I64               int64
		U                 uint
		U8                uint8
		U16               uint16
		U32               uint32
		U64               uint64
		Uptr              uintptr
		F32               float32
		F64               float64
		C64               complex64
		C128              complex128
		S                 string
		Bytes             []byte
		Floats            []float64
		Float32s          []float32
		Ints              []int
		Strings           []string
		Nested            [][]float64
		Arr               [3]float64
		Map               map[string]float64
		IntKeys           map[int][]string
		FloatKeys         map[float64]bool
		Ptr               *int
		PtrPtr            **string
		Time              time.Time
		TimePtr           *time.Time
		Int               *big.Int
		Float             *big.Float
		Rat               *big.Rat
		Dense             *mat.Dense
		DenseValue        mat.Dense
		Vec               *mat.VecDense
		Sym               *mat.SymDense
		Any               any
		Anys              []any
		Err               error
		Generic           pair[string]
		GenericPtr        *pair[float64]
		Text              textOnly
		Gob               *gobOnly
		JSON              jsonOnly
		OwnSlice          binaryVec
		embeddedCounts    // unexported and embedded
		*Vec3             // embedded pointer
		unexportedFloats  []float64
		unexportedTime    time.Time
		unexportedPointer *mat.Dense
	}
	// Vec3 is embedded by pointer in everything.
	Vec3 struct{ X, Y, Z float64 }
)

func (t textOnly) MarshalText() ([]byte, error)  { return []byte(t.s), nil }
func (t *textOnly) UnmarshalText(b []byte) error { t.s = string(b); return nil }
func (g gobOnly) GobEncode() ([]byte, error)     { return fmt.Appendf(nil, "%d", g.n), nil }
func (g *gobOnly) GobDecode(b []byte) error      { _, err := fmt.Sscan(string(b), &g.n); return err }
func (j jsonOnly) MarshalJSON() ([]byte, error)  { return json.Marshal(math.Float64bits(j.v)) }
func (j *jsonOnly) UnmarshalJSON(b []byte) error {
	var u uint64
	err := json.Unmarshal(b, &u)
	j.v = math.Float64frombits(u)
	return err
}
func (v binaryVec) MarshalBinary() ([]byte, error) {
	return Value[[]float32]().(valueCodec[[]float32]).bytes(v.xs)
}
func (v *binaryVec) UnmarshalBinary(b []byte) error {
	xs, err := Value[[]float32]().Decode(bytes.NewReader(b))
	v.xs = xs
	return err
}

// bytes is Encode into a slice, for MarshalBinary methods in tests.
func (c valueCodec[T]) bytes(v T) ([]byte, error) {
	var buf bytes.Buffer
	err := c.Encode(&buf, v)
	return buf.Bytes(), err
}

// valueGen fills values at random, favouring the edges where encodings lose
// data: NaN, infinities, -0, extreme integers, nil next to empty, invalid
// UTF-8, times in named, fixed and local zones, with a monotonic reading.
type valueGen struct{ r *rand.Rand }

func (g valueGen) chance(n int) bool { return g.r.IntN(n) == 0 }

var (
	edgeFloats = []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1),
		math.SmallestNonzeroFloat64, math.MaxFloat64, -math.MaxFloat64, 1e-310, math.Float64frombits(0x7ff8_0000_dead_beef)}
	edgeStrings = []string{"", "plain", "héllo, 世界", "\xff\xfe not UTF-8", "a\x00b", "\"<&>\"\n", strings.Repeat("x", 300)}
	nyc, _      = time.LoadLocation("America/New_York")
	zones       = []*time.Location{time.UTC, time.Local, time.FixedZone("XST", 5*3600+30*60), time.FixedZone("", -7200), nyc}
)

func (g valueGen) float() float64 {
	if g.chance(2) {
		return edgeFloats[g.r.IntN(len(edgeFloats))]
	}
	return g.r.NormFloat64() * math.Pow(10, float64(g.r.IntN(40)-20))
}

func (g valueGen) int64() int64 {
	switch g.r.IntN(4) {
	case 0:
		return []int64{0, 1, -1, math.MinInt64, math.MaxInt64}[g.r.IntN(5)]
	case 1:
		return g.r.Int64N(200) - 100
	}
	return int64(g.r.Uint64())
}

func (g valueGen) string() string {
	if g.chance(2) {
		return edgeStrings[g.r.IntN(len(edgeStrings))]
	}
	b := make([]byte, g.r.IntN(12))
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	return string(b)
}

func (g valueGen) time() time.Time {
	if g.chance(6) {
		return time.Time{}
	}
	if g.chance(4) {
		return time.Now() // carries a monotonic reading
	}
	return time.Unix(g.r.Int64N(4e9)-1e9, g.r.Int64N(1e9)).In(zones[g.r.IntN(len(zones))])
}

func (g valueGen) dense() *mat.Dense {
	r, c := 1+g.r.IntN(4), 1+g.r.IntN(4)
	data := make([]float64, r*c)
	for i := range data {
		data[i] = g.float()
	}
	return mat.NewDense(r, c, data)
}

func (g valueGen) anyValue(depth int) any {
	switch g.r.IntN(9) {
	case 0:
		return nil
	case 1:
		return g.float()
	case 2:
		return int(g.int64())
	case 3:
		return g.string()
	case 4:
		return g.chance(2)
	case 5:
		return complex(g.float(), g.float())
	case 6:
		if depth > 2 {
			return uint8(g.r.UintN(256))
		}
		return []any{g.anyValue(depth + 1), g.anyValue(depth + 1)}
	case 7:
		if depth > 2 || g.chance(3) {
			return map[string]any(nil)
		}
		return map[string]any{g.string(): g.anyValue(depth + 1)}
	}
	return []any{}
}

// fill sets v, a settable value, at random.
func (g valueGen) fill(v reflect.Value, depth int) {
	switch v.Type() {
	case timeType:
		v.Set(reflect.ValueOf(g.time()))
		return
	case reflect.TypeFor[*big.Int]():
		if !g.chance(4) {
			n := new(big.Int).Lsh(big.NewInt(g.int64()), uint(g.r.IntN(200)))
			v.Set(reflect.ValueOf(n))
		}
		return
	case reflect.TypeFor[*big.Float]():
		if !g.chance(4) {
			f := new(big.Float).SetPrec(uint(1 + g.r.IntN(300))).SetMode(big.RoundingMode(g.r.IntN(6)))
			if x := g.float(); !math.IsNaN(x) {
				f.SetFloat64(x)
			}
			v.Set(reflect.ValueOf(f))
		}
		return
	case reflect.TypeFor[*big.Rat]():
		if !g.chance(4) {
			v.Set(reflect.ValueOf(big.NewRat(g.int64(), 1+g.r.Int64N(1e9))))
		}
		return
	case reflect.TypeFor[*mat.Dense]():
		if !g.chance(4) {
			v.Set(reflect.ValueOf(g.dense()))
		}
		return
	case reflect.TypeFor[mat.Dense]():
		if !g.chance(3) {
			v.Set(reflect.ValueOf(*g.dense()))
		}
		return
	case reflect.TypeFor[*mat.VecDense]():
		if !g.chance(4) {
			v.Set(reflect.ValueOf(mat.NewVecDense(3, []float64{g.float(), g.float(), g.float()})))
		}
		return
	case reflect.TypeFor[*mat.SymDense]():
		if !g.chance(4) {
			v.Set(reflect.ValueOf(mat.NewSymDense(2, []float64{g.float(), 2, 2, g.float()})))
		}
		return
	case reflect.TypeFor[any]():
		if x := g.anyValue(depth); x != nil {
			v.Set(reflect.ValueOf(&x).Elem())
		}
		return
	case errorType:
		if !g.chance(3) {
			v.Set(reflect.ValueOf(errors.New(g.string())))
		}
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(g.chance(2))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i := g.int64()
		for v.OverflowInt(i) {
			i >>= 8
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := uint64(g.int64())
		for v.OverflowUint(u) {
			u >>= 8
		}
		v.SetUint(u)
	case reflect.Float32:
		*(*float32)(unsafe.Pointer(v.UnsafeAddr())) = float32(g.float())
	case reflect.Float64:
		v.SetFloat(g.float())
	case reflect.Complex64, reflect.Complex128:
		v.SetComplex(complex(g.float(), g.float()))
	case reflect.String:
		v.SetString(g.string())
	case reflect.Slice:
		switch {
		case g.chance(4) || depth > 3:
			v.SetZero() // nil
		case g.chance(3):
			v.Set(reflect.MakeSlice(v.Type(), 0, g.r.IntN(3))) // empty, not nil
		default:
			s := reflect.MakeSlice(v.Type(), 1+g.r.IntN(4), 5)
			for i := range s.Len() {
				g.fill(s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Array:
		for i := range v.Len() {
			g.fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		switch {
		case g.chance(4) || depth > 3:
			v.SetZero()
		case g.chance(3):
			v.Set(reflect.MakeMap(v.Type()))
		default:
			m := reflect.MakeMap(v.Type())
			for range 1 + g.r.IntN(6) {
				k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				g.fill(k, depth+1)
				g.fill(e, depth+1)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Pointer:
		if g.chance(3) || depth > 3 {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		g.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			g.fill(reflectvalue.Settable(v.Field(i)), depth+1)
		}
	default:
		panic("valueGen cannot fill a " + v.Type().String())
	}
}

// observably compares what a later step can observe of two values: every
// field, unexported ones included; floats bit for bit (so -0 and NaN
// payloads count); times by instant, location name and zone, the monotonic
// reading aside (it is dropped, see Value); big numbers by value,
// precision and rounding mode; errors by message.
var observably = cmp.Options{
	cmp.Exporter(func(reflect.Type) bool { return true }),
	// Floats of any named type, bit for bit.
	cmp.FilterValues(func(a, b any) bool {
		k := reflect.ValueOf(a).Kind()
		return (k == reflect.Float32 || k == reflect.Float64) && reflect.TypeOf(a) == reflect.TypeOf(b)
	}, cmp.Comparer(func(a, b any) bool { return bytes.Equal(bitsOf(a), bitsOf(b)) })),
	cmp.Comparer(func(a, b complex128) bool {
		return math.Float64bits(real(a)) == math.Float64bits(real(b)) && math.Float64bits(imag(a)) == math.Float64bits(imag(b))
	}),
	cmp.Comparer(func(a, b complex64) bool {
		return math.Float32bits(real(a)) == math.Float32bits(real(b)) && math.Float32bits(imag(a)) == math.Float32bits(imag(b))
	}),
	cmp.Comparer(func(a, b time.Time) bool {
		za, oa := a.Zone()
		zb, ob := b.Zone()
		return a.Equal(b) && a.Location().String() == b.Location().String() && za == zb && oa == ob &&
			a.Round(0).String() == b.Round(0).String() && a.IsZero() == b.IsZero()
	}),
	cmp.Comparer(func(a, b big.Int) bool { return a.Cmp(&b) == 0 }),
	cmp.Comparer(func(a, b big.Rat) bool { return a.Cmp(&b) == 0 }),
	cmp.Comparer(func(a, b big.Float) bool {
		return a.Cmp(&b) == 0 && a.Signbit() == b.Signbit() && a.Prec() == b.Prec() && a.Mode() == b.Mode() && a.Acc() == b.Acc()
	}),
	// cmp cannot look up NaN keys; a step sees the entries, NaN ones by
	// ranging over the map.
	cmp.Comparer(func(a, b map[float64]bool) bool {
		if (a == nil) != (b == nil) || len(a) != len(b) {
			return false
		}
		count := map[string]int{}
		for k, v := range a {
			count[fmt.Sprint(math.Float64bits(k), v)]++
		}
		for k, v := range b {
			count[fmt.Sprint(math.Float64bits(k), v)]--
		}
		for _, n := range count {
			if n != 0 {
				return false
			}
		}
		return true
	}),
	cmp.Comparer(func(a, b error) bool {
		if a == nil || b == nil {
			return a == nil && b == nil
		}
		return a.Error() == b.Error()
	}),
}

// bitsOf returns the memory of a float (or any fixed-size value) as it is.
func bitsOf(x any) []byte {
	v := reflect.New(reflect.TypeOf(x)).Elem()
	v.Set(reflect.ValueOf(x))
	return bytes.Clone(unsafe.Slice((*byte)(v.Addr().UnsafePointer()), v.Type().Size()))
}

// TestValueRoundTripProperty round-trips random values of every shape
// through the value codec and compares what a step could observe.
func TestValueRoundTripProperty(t *testing.T) {
	g := valueGen{rand.New(rand.NewPCG(7, 2026))}
	c := Value[everything]()
	n := 400
	if testing.Short() {
		n = 50
	}
	for i := range n {
		var v everything
		g.fill(reflect.ValueOf(&v).Elem(), 0)
		b := encode(t, c, v)
		if again := encode(t, c, v); !bytes.Equal(b, again) {
			t.Fatalf("value %d: two encodings differ", i)
		}
		got, err := c.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("value %d: Decode: %v", i, err)
		}
		if diff := cmp.Diff(v, got, observably); diff != "" {
			t.Fatalf("value %d changed in the round trip (-want +got):\n%s", i, diff)
		}
		if again := encode(t, c, got); !bytes.Equal(b, again) {
			t.Fatalf("value %d: the decoded value encodes to other bytes", i)
		}
	}
}

// TestValueEdges pins the distinctions the property test may reach only by
// chance.
func TestValueEdges(t *testing.T) {
	check := func(name string, v everything, probe func(everything) string) {
		t.Helper()
		got, err := Value[everything]().Decode(bytes.NewReader(encode(t, Value[everything](), v)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if w, g := probe(v), probe(got); w != g {
			t.Errorf("%s: a step would see %s, want %s", name, g, w)
		}
	}
	check("nil bytes", everything{Bytes: nil}, func(e everything) string { return fmt.Sprint(e.Bytes == nil) })
	check("empty bytes", everything{Bytes: []byte{}}, func(e everything) string { return fmt.Sprint(e.Bytes == nil) })
	check("empty map", everything{Map: map[string]float64{}}, func(e everything) string { return fmt.Sprint(e.Map == nil) })
	check("-0", everything{F64: math.Copysign(0, -1)}, func(e everything) string { return fmt.Sprint(math.Signbit(e.F64)) })
	check("NaN key", everything{FloatKeys: map[float64]bool{math.NaN(): true, math.NaN(): false}},
		func(e everything) string { return fmt.Sprint(len(e.FloatKeys)) })
	check("invalid UTF-8", everything{S: "\xff"}, func(e everything) string { return fmt.Sprintf("%x", e.S) })
	check("location", everything{Time: time.Date(2026, 7, 1, 12, 0, 0, 0, nyc)},
		func(e everything) string {
			return e.Time.Location().String() + " " + e.Time.Format(time.RFC3339Nano+" MST")
		})
	now := everything{Time: time.Now()}
	check("monotonic dropped", now, func(e everything) string { return e.Time.Round(0).String() })
	if got, err := Value[time.Time]().Decode(bytes.NewReader(encode(t, Value[time.Time](), now.Time))); err != nil || strings.Contains(got.String(), "m=") {
		t.Errorf("a decoded time.Now() = %v, %v; want it without a monotonic reading", got, err)
	}
	check("dense", everything{Dense: mat.NewDense(2, 2, []float64{1, math.NaN(), math.Inf(-1), 4})},
		func(e everything) string { return fmt.Sprintf("%v", mat.Formatted(e.Dense)) })
	check("empty dense value", everything{}, func(e everything) string { return fmt.Sprint(e.DenseValue.IsEmpty()) })
	check("any int stays int", everything{Any: 3}, func(e everything) string { return fmt.Sprintf("%T", e.Any) })
}

func TestValueRefusesWhatItCannotKeep(t *testing.T) {
	type node struct {
		Next *node
		V    any
	}
	cycle := &node{}
	cycle.Next = cycle
	for _, tt := range []struct {
		name string
		v    node
		want string
	}{
		{"cycle", node{Next: cycle}, "runtime.node.Next.Next: the value refers back to itself"},
		{"named type in any", node{V: Celsius(3)}, "runtime.node.V: holds a runtime.Celsius, and an `any` in an artifact may hold only predeclared types"},
		{"func in any", node{V: []any{func() {}}}, "runtime.node.V[0]: holds a func()"},
	} {
		var buf bytes.Buffer
		err := Value[node]().Encode(&buf, tt.v)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Encode error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestValueDamagedArtifact(t *testing.T) {
	c := Value[everything]()
	var v everything
	valueGen{rand.New(rand.NewPCG(1, 2))}.fill(reflect.ValueOf(&v).Elem(), 0)
	b := encode(t, c, v)
	for cut := 0; cut < len(b); cut += 1 + len(b)/97 {
		if _, err := c.Decode(bytes.NewReader(b[:cut])); err == nil {
			t.Fatalf("decoding the first %d of %d bytes succeeded", cut, len(b))
		}
	}
	if _, err := c.Decode(bytes.NewReader(append(b, 0))); err == nil || !strings.Contains(err.Error(), "trailing") {
		t.Errorf("trailing byte: %v", err)
	}
	huge := append([]byte(valueMagic+"\x01"), 0xff, 0xff, 0xff, 0xff, 0x0f)
	if _, err := Value[[]float64]().Decode(bytes.NewReader(huge)); err == nil || !strings.Contains(err.Error(), "claims") {
		t.Errorf("a length beyond the artifact: %v", err)
	}
}

// TestLoadRefusesAnotherCodec: bytes are read only by the codec that wrote
// them, since another one may decode them without error into something else.
func TestLoadRefusesAnotherCodec(t *testing.T) {
	st, err := engine.OpenStore(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sc := pipeline.NewStepContext(t.Context(), &Step{Name: "load"}, st.Artifacts, nil, nil)
	if err := Save(sc, "xs", JSON[[]string](), []string{"a"}); err != nil {
		t.Fatal(err)
	}
	outs, _ := pipeline.Finish(sc)
	a := outs[0]
	a.FromStep = "load"
	if a.Codec != "json" {
		t.Fatalf("the artifact records the codec %q, want json", a.Codec)
	}
	reader := pipeline.NewStepContext(t.Context(), &Step{Name: "train"}, st.Artifacts, map[string]meta.Artifact{"xs": a}, nil)
	_, err = Load(reader, "xs", Value[[]string]())
	want := "step train: input xs from load was stored with the codec json, but this step reads it with value; run load again to store it anew"
	if err == nil || err.Error() != want {
		t.Errorf("Load with another codec: %v\nwant %s", err, want)
	}
	if got, err := Load(reader, "xs", JSON[[]string]()); err != nil || len(got) != 1 {
		t.Errorf("Load with the writer's codec: %v, %v", got, err)
	}
}

// TestChosenCodecsRoundTripProperty round-trips random values of the types
// zengen gives the other codecs (see gen/analysis/storable.go: raw for strings,
// numeric for slices of numbers, json for booleans and numbers) with the
// same edges and the same comparison as the value codec's test.
func TestChosenCodecsRoundTripProperty(t *testing.T) {
	g := valueGen{rand.New(rand.NewPCG(11, 2026))}
	check := func(name string, encodeDecode func() (want, got any, err error)) {
		t.Helper()
		want, got, err := encodeDecode()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, got, observably); diff != "" {
			t.Fatalf("%s changed in the round trip (-want +got):\n%s", name, diff)
		}
	}
	for range 200 {
		var v struct {
			S   Text
			B   []byte
			Is  []int
			I8s []int8
			Us  []uint64
			Fs  []float64
			F32 Temps
			F   float64
			F4  float32
			I   int64
			U   uint32
			Ok  bool
		}
		g.fill(reflect.ValueOf(&v).Elem(), 0)
		check("raw string", func() (any, any, error) { return roundTripped(Raw[Text](), v.S) })
		check("numeric []byte", func() (any, any, error) { return roundTripped(Numeric[[]byte](), v.B) })
		check("numeric []int", func() (any, any, error) { return roundTripped(Numeric[[]int](), v.Is) })
		check("numeric []int8", func() (any, any, error) { return roundTripped(Numeric[[]int8](), v.I8s) })
		check("numeric []uint64", func() (any, any, error) { return roundTripped(Numeric[[]uint64](), v.Us) })
		check("numeric []float64", func() (any, any, error) { return roundTripped(Numeric[[]float64](), v.Fs) })
		check("numeric Temps", func() (any, any, error) { return roundTripped(Numeric[Temps](), v.F32) })
		check("json float64", func() (any, any, error) { return roundTripped(JSON[float64](), v.F) })
		check("json float32", func() (any, any, error) { return roundTripped(JSON[float32](), v.F4) })
		check("json int64", func() (any, any, error) { return roundTripped(JSON[int64](), v.I) })
		check("json uint32", func() (any, any, error) { return roundTripped(JSON[uint32](), v.U) })
		check("json bool", func() (any, any, error) { return roundTripped(JSON[bool](), v.Ok) })
	}
}

func roundTripped[T any](c Codec[T], v T) (want, got any, err error) {
	var buf bytes.Buffer
	if err := c.Encode(&buf, v); err != nil {
		return v, nil, err
	}
	back, err := c.Decode(&buf)
	return v, back, err
}

// BenchmarkValue round-trips a struct of a 1M-element []float64, a
// 100k-element []string and a 500×500 *mat.Dense through the value codec.
func BenchmarkValue(b *testing.B) {
	type frame struct {
		Xs    []float64
		Names []string
		M     *mat.Dense
	}
	v := frame{Xs: make([]float64, 1<<20), Names: make([]string, 100_000), M: mat.NewDense(500, 500, nil)}
	for i := range v.Names {
		v.Names[i] = strconv.Itoa(i)
	}
	c := Value[frame]()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := c.Encode(&buf, v); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
		if _, err := c.Decode(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
