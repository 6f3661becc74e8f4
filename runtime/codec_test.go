package runtime

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// unsized hides a reader's Len method, to exercise the paths for readers
// that cannot tell how much data remains.
type unsized struct{ io.Reader }

// encode returns the bytes c writes for v, failing the test on error.
func encode[T any](t *testing.T, c Codec[T], v T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Encode(&buf, v); err != nil {
		t.Fatalf("%s: Encode(%v): %v", c.Name(), v, err)
	}
	return buf.Bytes()
}

// roundTrip encodes v twice (the bytes must not change), decodes it from a
// reader that knows its length and from one that does not, and compares.
func roundTrip[T any](t *testing.T, c Codec[T], v T) []byte {
	t.Helper()
	b := encode(t, c, v)
	if again := encode(t, c, v); !bytes.Equal(b, again) {
		t.Fatalf("%s: two encodings of the same value differ:\n%x\n%x", c.Name(), b, again)
	}
	readers := map[string]io.Reader{
		"sized":   bytes.NewReader(b),
		"unsized": unsized{bytes.NewReader(b)},
	}
	if len(b) < 4096 {
		readers["one byte at a time"] = iotest.OneByteReader(bytes.NewReader(b))
	}
	for name, r := range readers {
		got, err := c.Decode(r)
		if err != nil {
			t.Fatalf("%s: Decode from %s reader: %v", c.Name(), name, err)
		}
		if len(b) > 1<<16 {
			// cmp walks large slices element by element through
			// reflection; for those, the exact bytes of a re-encoding
			// compare faster and as strictly (NaN payloads included).
			if !bytes.Equal(encode(t, c, got), b) {
				t.Errorf("%s: %s reader: round trip of a large %T changed it", c.Name(), name, v)
			}
			continue
		}
		if diff := cmp.Diff(v, got, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s: %s reader: round trip of %T changed it (-want +got):\n%s", c.Name(), name, v, diff)
		}
	}
	return b
}

type (
	Vec     []float64
	Celsius float32
	Temps   []Celsius
	Counts  []uint16
	Text    string
	Bytes   []byte
)

func ramp[E Number](n int) []E {
	s := make([]E, n)
	for i := range s {
		s[i] = E(i % 100)
	}
	return s
}

// testNumeric round-trips v through the direct codec and checks that the
// portable path, used on big-endian hosts, writes the same bytes and reads
// them back the same.
func testNumeric[S ~[]E, E Number](t *testing.T, v S) {
	t.Helper()
	c := Numeric[S]()
	direct := roundTrip(t, c, v)
	portable := c.(numericCodec[S, E])
	portable.direct = false
	if got := roundTrip[S](t, portable, v); !bytes.Equal(got, direct) {
		t.Errorf("portable encoding of %T differs from the direct one", v)
	}
	if hostLittleEndian && unsafe.Sizeof(int(0)) == 8 && !c.(numericCodec[S, E]).direct {
		t.Errorf("%T: the no-copy path is not used on a little-endian 64-bit host", v)
	}
}

func TestNumericRoundTrip(t *testing.T) {
	const big = 1<<16 + 5 // more than the first allocation of an unsized read and than one portable chunk
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"float64", func(t *testing.T) {
			testNumeric(t, []float64{0, math.Copysign(0, -1), 1.5, -2.25, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN()})
		}},
		{"float32", func(t *testing.T) { testNumeric(t, []float32{1.5, -3, math.MaxFloat32, float32(math.Inf(-1))}) }},
		{"int", func(t *testing.T) { testNumeric(t, []int{math.MinInt, -1, 0, 1, math.MaxInt}) }},
		{"int8", func(t *testing.T) { testNumeric(t, []int8{math.MinInt8, -1, 0, math.MaxInt8}) }},
		{"int16", func(t *testing.T) { testNumeric(t, []int16{math.MinInt16, -1, 0, math.MaxInt16}) }},
		{"int32", func(t *testing.T) { testNumeric(t, []int32{math.MinInt32, -1, 0, math.MaxInt32}) }},
		{"int64", func(t *testing.T) { testNumeric(t, []int64{math.MinInt64, -1, 0, math.MaxInt64}) }},
		{"uint", func(t *testing.T) { testNumeric(t, []uint{0, 1, math.MaxUint}) }},
		{"uint8", func(t *testing.T) { testNumeric(t, []uint8{0, 1, math.MaxUint8}) }},
		{"uint16", func(t *testing.T) { testNumeric(t, []uint16{0, 1, math.MaxUint16}) }},
		{"uint32", func(t *testing.T) { testNumeric(t, []uint32{0, 1, math.MaxUint32}) }},
		{"uint64", func(t *testing.T) { testNumeric(t, []uint64{0, 1, math.MaxUint64}) }},
		{"named slice", func(t *testing.T) { testNumeric(t, Vec{1, 2, 3}) }},
		{"named slice of named element", func(t *testing.T) { testNumeric(t, Temps{-40, 36.6}) }},
		{"named uint16 slice", func(t *testing.T) { testNumeric(t, Counts{7, 65535}) }},
		{"nil", func(t *testing.T) { testNumeric(t, []float64(nil)) }},
		{"empty", func(t *testing.T) { testNumeric(t, []float64{}) }},
		{"nil named", func(t *testing.T) { testNumeric(t, Vec(nil)) }},
		{"empty int8", func(t *testing.T) { testNumeric(t, []int8{}) }},
		{"large float64", func(t *testing.T) { testNumeric(t, ramp[float64](big)) }},
		{"large int8", func(t *testing.T) { testNumeric(t, ramp[int8](big)) }},
		{"large int", func(t *testing.T) { testNumeric(t, ramp[int](big)) }},
		{"large float32", func(t *testing.T) { testNumeric(t, ramp[float32](big)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func TestNumericLayout(t *testing.T) {
	// The artifact layout is a format users' stores keep across versions:
	// pin it byte for byte.
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"int16", encode(t, Numeric[[]int16](), []int16{1, -2}), "5a4e554d" + "01" + "69" + "02" + "00" + "0200000000000000" + "0100" + "feff"},
		{"int as 64-bit", encode(t, Numeric[[]int](), []int{-1}), "5a4e554d" + "01" + "69" + "08" + "00" + "0100000000000000" + "ffffffffffffffff"},
		{"float64", encode(t, Numeric[[]float64](), []float64{1}), "5a4e554d" + "01" + "66" + "08" + "00" + "0100000000000000" + "000000000000f03f"},
		{"uint8", encode(t, Numeric[[]uint8](), []uint8{0xab}), "5a4e554d" + "01" + "75" + "01" + "00" + "0100000000000000" + "ab"},
		{"nil", encode(t, Numeric[[]float32](), nil), "5a4e554d" + "01" + "66" + "04" + "01" + "0000000000000000"},
		{"empty", encode(t, Numeric[[]float32](), []float32{}), "5a4e554d" + "01" + "66" + "04" + "00" + "0000000000000000"},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(tt.got); got != tt.want {
			t.Errorf("%s: encoded\n%s, want\n%s", tt.name, got, tt.want)
		}
	}
}

// decodeAs decodes b with Numeric[S] and returns the error.
func decodeAs[S ~[]E, E Number](b []byte) error {
	_, err := Numeric[S]().Decode(bytes.NewReader(b))
	return err
}

func TestNumericWrongKind(t *testing.T) {
	f64 := encode(t, Numeric[[]float64](), []float64{1, 2})
	i32 := encode(t, Numeric[[]int32](), []int32{1, 2})
	u8 := encode(t, Numeric[[]uint8](), []uint8{1, 2})
	i64 := encode(t, Numeric[[]int64](), []int64{1, 2})
	tests := []struct {
		name    string
		err     error
		wantErr string // "" when the decode must succeed
	}{
		{"float64 as int64", decodeAs[[]int64](f64), "artifact holds float64 elements, cannot decode them as int64"},
		{"float64 as float32", decodeAs[[]float32](f64), "artifact holds float64 elements, cannot decode them as float32"},
		{"int32 as int64", decodeAs[[]int64](i32), "artifact holds int32 elements, cannot decode them as int64"},
		{"int32 as float32", decodeAs[[]float32](i32), "artifact holds int32 elements, cannot decode them as float32"},
		{"uint8 as int8", decodeAs[[]int8](u8), "artifact holds uint8 elements, cannot decode them as int8"},
		{"int64 as uint64", decodeAs[[]uint64](i64), "artifact holds int64 elements, cannot decode them as uint64"},
		// int is stored as int64, so the two read each other's artifacts.
		{"int64 as int", decodeAs[[]int](i64), ""},
		{"float64 as named Vec", decodeAs[Vec](f64), ""},
	}
	for _, tt := range tests {
		switch {
		case tt.wantErr == "" && tt.err != nil:
			t.Errorf("%s: %v, want success", tt.name, tt.err)
		case tt.wantErr != "" && (tt.err == nil || !strings.Contains(tt.err.Error(), tt.wantErr)):
			t.Errorf("%s: error %v, want one containing %q", tt.name, tt.err, tt.wantErr)
		}
	}
}

func TestNumericDamagedArtifact(t *testing.T) {
	good := encode(t, Numeric[[]float64](), []float64{1, 2, 3})
	with := func(edit func(b []byte) []byte) []byte { return edit(bytes.Clone(good)) }
	hugeCount := with(func(b []byte) []byte { b[8], b[13] = 0, 1; return b }) // 2^40 elements
	tests := []struct {
		name    string
		in      []byte
		unsized bool
		wantErr string
	}{
		{"empty", nil, false, "too short for its header"},
		{"short header", good[:10], false, "too short for its header"},
		{"bad magic", with(func(b []byte) []byte { b[0] = 'X'; return b }), false, "bad magic"},
		{"future version", with(func(b []byte) []byte { b[4] = 2; return b }), false, "layout version 2"},
		{"unknown flag", with(func(b []byte) []byte { b[7] = 2; return b }), false, "invalid header flags"},
		{"nil flag with elements", with(func(b []byte) []byte { b[7] = 1; return b }), false, "invalid header flags"},
		{"count beyond memory", with(func(b []byte) []byte { b[15] = 0x80; return b }), false, "more than memory can hold"},
		{"truncated body", good[:len(good)-1], false, "header claims 3 elements (24 bytes) but 23 bytes follow"},
		{"truncated body, unsized", good[:len(good)-1], true, "ends before its 3 elements"},
		{"trailing byte", append(bytes.Clone(good), 0), false, "but 25 bytes follow"},
		{"trailing byte, unsized", append(bytes.Clone(good), 0), true, "trailing data"},
		{"huge count, sized", hugeCount, false, "header claims 1099511627776 elements"},
		{"huge count, unsized", hugeCount, true, "ends before its 1099511627776 elements"},
	}
	for _, tt := range tests {
		var r io.Reader = bytes.NewReader(tt.in)
		if tt.unsized {
			r = unsized{r}
		}
		_, err := Numeric[[]float64]().Decode(r)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestRawRoundTrip(t *testing.T) {
	binaryBytes := []byte{0, 0xff, 0xfe, '\n', 0, 'a'}
	t.Run("string", func(t *testing.T) {
		for _, s := range []string{"", "hello", "héllo\r\n", string(binaryBytes), strings.Repeat("x", 1<<20)} {
			if got := roundTrip(t, Raw[string](), s); string(got) != s {
				t.Errorf("raw artifact of a %d-byte string is not the string itself", len(s))
			}
		}
	})
	t.Run("named string", func(t *testing.T) { roundTrip(t, Raw[Text](), Text("<b>&</b>")) })
	t.Run("bytes", func(t *testing.T) {
		if got := roundTrip(t, Raw[[]byte](), binaryBytes); !bytes.Equal(got, binaryBytes) {
			t.Errorf("raw artifact = %x, want the bytes themselves %x", got, binaryBytes)
		}
	})
	t.Run("named bytes", func(t *testing.T) { roundTrip(t, Raw[Bytes](), Bytes("abc")) })
	t.Run("nil and empty bytes share the empty artifact and decode to nil", func(t *testing.T) {
		roundTrip(t, Raw[[]byte](), nil)
		if b := encode(t, Raw[[]byte](), []byte{}); len(b) != 0 {
			t.Errorf("empty slice encoded as %x", b)
		}
		got, err := Raw[[]byte]().Decode(bytes.NewReader(nil))
		if err != nil || got != nil {
			t.Errorf("Decode(empty) = %#v, %v; want nil, nil", got, err)
		}
	})
	t.Run("decoded bytes do not alias the reader's buffer", func(t *testing.T) {
		src := []byte("abc")
		got, err := Raw[[]byte]().Decode(bytes.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		src[0] = 'X'
		if string(got) != "abc" {
			t.Errorf("decoded value changed with its source: %q", got)
		}
	})
}

type point struct {
	X, Y float64
	Tag  string `json:"tag,omitempty"`
}

type model struct {
	Weights []float64
	Vocab   map[string]int
	ByID    map[int]point
	Best    *point
	Names   []string
	Nested  map[string][]map[string]bool
	Created time.Time
}

func TestJSONRoundTrip(t *testing.T) {
	vocab := map[string]int{}
	for i := range 500 {
		vocab[fmt.Sprintf("word%03d", (i*7919)%500)] = i
	}
	m := model{
		Weights: []float64{0.5, -1e-300, 1e300},
		Vocab:   vocab,
		ByID:    map[int]point{3: {1, 2, "c"}, -1: {X: 3}, 10: {}},
		Best:    &point{X: 1},
		Names:   []string{"<a>", "b&c", "ünïcode", "\u2028"},
		Nested:  map[string][]map[string]bool{"z": {{"b": true, "a": false}}, "a": nil},
		Created: time.Date(2024, 5, 6, 7, 8, 9, 10, time.UTC),
	}
	t.Run("struct", func(t *testing.T) {
		roundTrip(t, JSON[model](), m)
	})
	t.Run("pointer", func(t *testing.T) { roundTrip(t, JSON[*point](), &point{1, 2, "p"}) })
	t.Run("nil pointer", func(t *testing.T) { roundTrip(t, JSON[*point](), nil) })
	t.Run("scalars", func(t *testing.T) {
		roundTrip(t, JSON[int64](), math.MinInt64)
		roundTrip(t, JSON[uint64](), math.MaxUint64)
		roundTrip(t, JSON[bool](), true)
		roundTrip(t, JSON[string](), "")
		roundTrip(t, JSON[float64](), 0.1)
		roundTrip(t, JSON[Celsius](), 36.6)
	})
	t.Run("slices", func(t *testing.T) {
		roundTrip(t, JSON[[]string](), nil)
		roundTrip(t, JSON[[]string](), []string{})
		roundTrip(t, JSON[[][]int](), [][]int{{1}, nil, {}})
	})
	t.Run("maps are written in one order whatever the insertion order", func(t *testing.T) {
		first := encode(t, JSON[model](), m)
		for i := range 20 {
			rebuilt := maps(m.Vocab, i)
			m2 := m
			m2.Vocab = rebuilt
			if got := encode(t, JSON[model](), m2); !bytes.Equal(got, first) {
				t.Fatalf("encoding %d differs from the first", i)
			}
		}
	})
}

// maps returns a copy of m built by inserting keys in a rotated order, so
// that its internal layout differs from m's.
func maps(m map[string]int, rotate int) map[string]int {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	out := make(map[string]int, len(m))
	for i := range keys {
		k := keys[(i+rotate)%len(keys)]
		out[k] = m[k]
	}
	return out
}

func TestJSONBytes(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"keys sorted", encode(t, JSON[map[string]int](), map[string]int{"b": 2, "a": 1, "c": 3}), `{"a":1,"b":2,"c":3}` + "\n"},
		{"int keys sorted as strings", encode(t, JSON[map[int]bool](), map[int]bool{10: true, 9: false}), `{"10":true,"9":false}` + "\n"},
		{"no HTML escaping", encode(t, JSON[string](), "<a href='x'>&</a>"), `"<a href='x'>&</a>"` + "\n"},
		{"struct fields in declaration order", encode(t, JSON[point](), point{Y: 2, X: 1}), `{"X":1,"Y":2}` + "\n"},
		{"NaN", encode(t, JSON[float64](), math.NaN()), `"NaN"` + "\n"},
		{"+Inf", encode(t, JSON[float32](), float32(math.Inf(1))), `"+Inf"` + "\n"},
		{"-Inf named", encode(t, JSON[Celsius](), Celsius(math.Inf(-1))), `"-Inf"` + "\n"},
		{"finite float", encode(t, JSON[float64](), 0.25), "0.25\n"},
	}
	for _, tt := range tests {
		if string(tt.got) != tt.want {
			t.Errorf("%s: encoded %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestJSONNonFinite(t *testing.T) {
	roundTrip(t, JSON[float64](), math.NaN())
	roundTrip(t, JSON[float64](), math.Inf(1))
	roundTrip(t, JSON[float32](), float32(math.Inf(-1)))
	roundTrip(t, JSON[Celsius](), Celsius(math.Inf(1)))
	// cmpopts.EquateNaNs knows only float32 and float64: check a named
	// float's NaN by hand.
	if got, err := JSON[Celsius]().Decode(bytes.NewReader(encode(t, JSON[Celsius](), Celsius(math.NaN())))); err != nil || !math.IsNaN(float64(got)) {
		t.Errorf("NaN Celsius decoded as %v, %v", got, err)
	}
	if err := JSON[[]float64]().Encode(io.Discard, []float64{math.NaN()}); err == nil {
		t.Error("NaN inside a slice encoded without error; JSON cannot hold it")
	}
	if _, err := JSON[float64]().Decode(strings.NewReader(`"nan"`)); err == nil {
		t.Error(`decoding "nan" as float64 succeeded`)
	}
}

func TestJSONDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"trailing value", "{\"X\":1}\n{\"X\":2}\n", "trailing data"},
		{"trailing garbage", `{"X":1} x`, "invalid character"},
		{"wrong type", `"a"`, "cannot unmarshal"},
		{"empty", "", "EOF"},
		{"truncated", `{"X":`, "unexpected EOF"},
	}
	for _, tt := range tests {
		_, err := JSON[point]().Decode(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
	if v, err := JSON[point]().Decode(strings.NewReader("{\"X\":1}\n\n  \t")); err != nil || v.X != 1 {
		t.Errorf("trailing whitespace: got %v, %v", v, err)
	}
}

// celsiusPair has a hand-written binary form: two big-endian uint16 tenths.
type celsiusPair struct{ Lo, Hi Celsius }

func (p celsiusPair) MarshalBinary() ([]byte, error) {
	lo, hi := int(p.Lo*10), int(p.Hi*10)
	return []byte{byte(lo >> 8), byte(lo), byte(hi >> 8), byte(hi)}, nil
}

func (p *celsiusPair) UnmarshalBinary(b []byte) error {
	if len(b) != 4 {
		return fmt.Errorf("celsiusPair: want 4 bytes, have %d", len(b))
	}
	p.Lo = Celsius(int16(b[0])<<8|int16(b[1])) / 10
	p.Hi = Celsius(int16(b[2])<<8|int16(b[3])) / 10
	return nil
}

func TestBinaryRoundTrip(t *testing.T) {
	if got := roundTrip(t, Binary[celsiusPair](), celsiusPair{-4, 36.5}); !bytes.Equal(got, []byte{0xff, 0xd8, 0x01, 0x6d}) {
		t.Errorf("binary artifact = %x, want what MarshalBinary returns", got)
	}
	roundTrip(t, Binary[time.Time](), time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC))
	roundTrip(t, Binary[time.Time](), time.Time{})
	_, err := Binary[celsiusPair]().Decode(bytes.NewReader([]byte{1, 2, 3}))
	if err == nil || !strings.Contains(err.Error(), "want 4 bytes, have 3") {
		t.Errorf("Decode of a short artifact: %v, want UnmarshalBinary's error", err)
	}
}

func TestErrorCodec(t *testing.T) {
	c := ErrorCodec()
	tests := []struct {
		name string
		in   error
		want string // the artifact
	}{
		{"nil", nil, ""},
		{"empty message", errors.New(""), "E"},
		{"message", errors.New("fit: loss diverged"), "Efit: loss diverged"},
		{"wrapped", fmt.Errorf("load: %w", io.ErrUnexpectedEOF), "Eload: unexpected EOF"},
	}
	for _, tt := range tests {
		b := encode(t, c, tt.in)
		if string(b) != tt.want {
			t.Errorf("%s: artifact %q, want %q", tt.name, b, tt.want)
		}
		got, err := c.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: Decode: %v", tt.name, err)
		}
		if (got == nil) != (tt.in == nil) || got != nil && got.Error() != tt.in.Error() {
			t.Errorf("%s: decoded %#v, want an error like %#v", tt.name, got, tt.in)
		}
	}
	if _, err := c.Decode(strings.NewReader("boom")); err == nil {
		t.Error("Decode of an artifact without the marker succeeded")
	}
}

// eofRecorder notes whether the decoder read until io.EOF.
type eofRecorder struct {
	r       io.Reader
	sawEOF  bool
	lenHint bool
}

func (e *eofRecorder) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		e.sawEOF = true
	}
	return n, err
}

func TestDecodersReadToEOF(t *testing.T) {
	// The artifact store checks a digest when its reader reaches the end;
	// a decoder that stopped early would skip that check.
	tests := []struct {
		name   string
		data   []byte
		decode func(io.Reader) error
	}{
		{"raw", []byte("abc"), func(r io.Reader) error { _, err := Raw[string]().Decode(r); return err }},
		{"numeric", encode(t, Numeric[[]int32](), []int32{1, 2}), func(r io.Reader) error { _, err := Numeric[[]int32]().Decode(r); return err }},
		{"json", []byte(`{"X":1}`), func(r io.Reader) error { _, err := JSON[point]().Decode(r); return err }},
		{"json float", []byte(`"NaN"`), func(r io.Reader) error { _, err := JSON[float64]().Decode(r); return err }},
		{"binary", []byte{0, 1, 0, 2}, func(r io.Reader) error { _, err := Binary[celsiusPair]().Decode(r); return err }},
		{"error", []byte("Eboom"), func(r io.Reader) error { _, err := ErrorCodec().Decode(r); return err }},
	}
	for _, tt := range tests {
		rec := &eofRecorder{r: bytes.NewReader(tt.data)}
		if err := tt.decode(rec); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !rec.sawEOF {
			t.Errorf("%s: decoder stopped before io.EOF", tt.name)
		}
	}
}

func TestCodecNames(t *testing.T) {
	got := []string{Raw[string]().Name(), Numeric[[]float64]().Name(), Binary[time.Time]().Name(), JSON[point]().Name(), ErrorCodec().Name(), Value[point]().Name()}
	want := []string{"raw", "numeric", "binary", "json", "error", "value"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("codec names (-want +got):\n%s", diff)
	}
}

// Types used only by the registry tests, so that registrations cannot leak
// into other tests.
type (
	registeredVec  []float64
	registeredText string
)

// upperCodec stores text upper-cased: different enough from Raw to tell
// which codec ran.
type upperCodec struct{}

func (upperCodec) Name() string { return "upper" }
func (upperCodec) Encode(w io.Writer, v registeredText) error {
	_, err := io.WriteString(w, strings.ToUpper(string(v)))
	return err
}
func (upperCodec) Decode(r io.Reader) (registeredText, error) {
	b, err := io.ReadAll(r)
	return registeredText(b), err
}

func unregister[T any](t *testing.T) {
	t.Cleanup(func() { registry.Delete(reflect.TypeFor[T]()) })
}

func TestRegister(t *testing.T) {
	unregister[registeredText](t)
	generated := Raw[registeredText]()
	if got := codecFor(generated); got.Name() != "raw" {
		t.Fatalf("before Register: codecFor chose %q, want the generated raw", got.Name())
	}
	Register[registeredText](upperCodec{})
	c := codecFor(generated)
	if c.Name() != "upper" {
		t.Fatalf("after Register: codecFor chose %q, want upper", c.Name())
	}
	if b := encode(t, c, "abc"); string(b) != "ABC" {
		t.Errorf("registered codec wrote %q, want ABC", b)
	}
	// Registration is per exact type: the underlying string is unaffected.
	if got := codecFor(Raw[string]()); got.Name() != "raw" {
		t.Errorf("codecFor(string) = %q after registering a named string type", got.Name())
	}
	defer func() {
		if recover() == nil {
			t.Error("Register(nil) did not panic")
		}
	}()
	Register[registeredText](nil)
}

func TestRegisterConcurrent(t *testing.T) {
	unregister[registeredVec](t)
	generated := JSON[registeredVec]()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 1000 {
				Register(Numeric[registeredVec]())
			}
		})
		wg.Go(func() {
			for range 1000 {
				if name := codecFor(generated).Name(); name != "json" && name != "numeric" {
					t.Errorf("codecFor returned %q", name)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := codecFor(generated).Name(); got != "numeric" {
		t.Errorf("after the registrations codecFor = %q, want numeric", got)
	}
}
