package preview_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	zen "github.com/zengen-dev/zengen/runtime"
	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/ui/preview"
)

// encode returns the artifact bytes of v under c.
func encode[T any](t *testing.T, c zen.Codec[T], v T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.Encode(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func opener(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

func build(t *testing.T, in preview.Input) *preview.Preview {
	t.Helper()
	p, err := preview.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestNumbersSummaryIsExactForSmallSlices(t *testing.T) {
	xs := []float64{4, 1, math.NaN(), 3, math.Inf(1), 2, math.NaN()}
	p := build(t, preview.Input{Codec: layout.Numeric, Open: opener(encode(t, zen.Numeric[[]float64](), xs))})
	if p.Kind != preview.KindNumbers {
		t.Fatalf("kind %s", p.Kind)
	}
	s := p.Numbers.Summary
	want := preview.Summary{Count: 7, Finite: 4, NaNs: 2, PosInf: 1, Min: 1, Max: 4, Mean: 2.5,
		Std: math.Sqrt(5.0 / 3), Q1: 1.75, Median: 2.5, Q3: 3.25}
	if !near(s.Std, want.Std, 1e-12) {
		t.Errorf("std %v, want %v", s.Std, want.Std)
	}
	s.Std = want.Std
	if s != want {
		t.Errorf("summary\n got %+v\nwant %+v", s, want)
	}
	var total int64
	for _, c := range p.Numbers.Histogram.Counts {
		total += c
	}
	if total != 4 || len(p.Numbers.Histogram.Counts) != preview.Bins {
		t.Errorf("histogram %+v: want %d bins holding the 4 finite values", p.Numbers.Histogram, preview.Bins)
	}
	if got := strings.Join(p.Numbers.Head, " "); got != "4 1 NaN 3 +Inf 2 NaN" {
		t.Errorf("head %q", got)
	}
	if p.Numbers.Element != "float64" {
		t.Errorf("element %q", p.Numbers.Element)
	}
}

func TestNumbersOfAllNaNsHaveNoStatistics(t *testing.T) {
	p := build(t, preview.Input{Codec: layout.Numeric, Open: opener(encode(t, zen.Numeric[[]float32](), []float32{float32(math.NaN())}))})
	s := p.Numbers.Summary
	if s.Count != 1 || s.NaNs != 1 || s.Finite != 0 || !math.IsNaN(s.Mean) || p.Numbers.Histogram.Counts != nil {
		t.Errorf("summary %+v histogram %+v", s, p.Numbers.Histogram)
	}
}

// Past SampleSize values the quartiles are estimated and said to be, while
// the counts, mean, extremes and histogram stay exact (counted in a second
// pass).
func TestNumbersBeyondTheSampleEstimateOnlyQuartiles(t *testing.T) {
	const n = 200_000
	xs := make([]int32, n)
	for i := range xs {
		xs[i] = int32((i * 7919) % n) // every value of 0…n-1 once, shuffled
	}
	opens := 0
	b := encode(t, zen.Numeric[[]int32](), xs)
	p := build(t, preview.Input{Codec: layout.Numeric, Open: func() (io.ReadCloser, error) {
		opens++
		return opener(b)()
	}})
	s := p.Numbers.Summary
	if !s.Estimated || s.Count != n || s.Min != 0 || s.Max != n-1 || s.Mean != (n-1)/2.0 {
		t.Errorf("summary %+v", s)
	}
	if want := math.Sqrt(float64(n) * float64(n+1) / 12); !near(s.Std, want, 1e-6) {
		t.Errorf("std %v, want %v", s.Std, want)
	}
	for _, q := range []struct{ got, want float64 }{{s.Q1, n / 4}, {s.Median, n / 2}, {s.Q3, 3 * n / 4}} {
		if !near(q.got, q.want, n/100) {
			t.Errorf("quartile %v, want about %v", q.got, q.want)
		}
	}
	h := p.Numbers.Histogram
	if len(h.Counts) != preview.Bins || h.Lo != -0.5 || h.Hi != n-0.5 {
		t.Fatalf("histogram over [%v, %v] in %d bins", h.Lo, h.Hi, len(h.Counts))
	}
	for i, c := range h.Counts {
		if c != n/preview.Bins {
			t.Errorf("bin %d holds %d, want %d", i, c, n/preview.Bins)
		}
	}
	if opens != 2 {
		t.Errorf("opened %d times, want 2", opens)
	}
}

func TestNumbersOfSmallIntegersGetABinEach(t *testing.T) {
	p := build(t, preview.Input{Codec: layout.Numeric, Open: opener(encode(t, zen.Numeric[[]int](), []int{1, 2, 2, 3, 3, 3}))})
	h := p.Numbers.Histogram
	if h.Lo != 0.5 || h.Hi != 3.5 || len(h.Counts) != 3 || h.Counts[0] != 1 || h.Counts[1] != 2 || h.Counts[2] != 3 {
		t.Errorf("histogram %+v", h)
	}
}

// Values spanning all of float64 still fall in the end bins.
func TestNumbersSpanningFloat64(t *testing.T) {
	p := build(t, preview.Input{Codec: layout.Numeric, Open: opener(encode(t, zen.Numeric[[]float64](), []float64{-math.MaxFloat64, 0, math.MaxFloat64}))})
	h := p.Numbers.Histogram
	if c := h.Counts; c[0] != 1 || c[len(c)-1] != 1 || c[len(c)/2] != 1 || math.IsInf(h.Width(), 0) {
		t.Errorf("histogram %+v, width %v", h, h.Width())
	}
}

// 64-bit integers are listed exactly, not through float64.
func TestNumbersListLargeIntegersExactly(t *testing.T) {
	p := build(t, preview.Input{Codec: layout.Numeric, Open: opener(encode(t, zen.Numeric[[]int64](), []int64{1<<62 + 1, -1 << 63}))})
	if got := strings.Join(p.Numbers.Head, " "); got != "4611686018427387905 -9223372036854775808" {
		t.Errorf("head %q", got)
	}
}

func TestNumbersRejectDamage(t *testing.T) {
	b := encode(t, zen.Numeric[[]float64](), []float64{1, 2, 3})
	for name, bad := range map[string][]byte{
		"short":    b[:len(b)-1],
		"trailing": append(append([]byte{}, b...), 0),
		"magic":    append([]byte("ZNUX"), b[4:]...),
	} {
		if _, err := preview.Build(preview.Input{Codec: layout.Numeric, Open: opener(bad)}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// failingReader stands for the artifact store's verifying reader, which
// reports a digest mismatch on the read that reaches the end.
type failingReader struct{ r io.Reader }

var errCorrupt = errors.New("digest mismatch")

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errCorrupt
	}
	return n, err
}

// Every preview reads to the end, so damage found there is reported
// instead of a preview of the first bytes.
func TestEveryPreviewReadsToTheEnd(t *testing.T) {
	long := strings.Repeat("x", preview.MaxText*2)
	cases := []struct {
		name, codec string
		b           []byte
		show        func(string, io.Reader) (any, error)
	}{
		{"raw", layout.Raw, encode(t, zen.Raw[string](), long), nil},
		{"json", layout.JSON, encode(t, zen.JSON[string](), long), nil},
		{"numeric", layout.Numeric, encode(t, zen.Numeric[[]float64](), []float64{1}), nil},
		{"value decoded whole", layout.Value, encode(t, zen.Value[[]row](), []row{{Name: "a"}}), zen.Shower(zen.Value[[]row]())},
		{"value read row by row", layout.Value, encode(t, zen.Value[[]plainRow](), []plainRow{{S: long}}), zen.Shower(zen.Value[[]plainRow]())},
		{"display", layout.Display, display(t, "image/png", []byte("png")), nil},
	}
	for _, c := range cases {
		_, err := preview.Build(preview.Input{Codec: c.codec, Show: c.show,
			Open: func() (io.ReadCloser, error) { return io.NopCloser(failingReader{bytes.NewReader(c.b)}), nil }})
		if !errors.Is(err, errCorrupt) {
			t.Errorf("%s: err %v, want the reader's", c.name, err)
		}
	}
}

func TestTextIsBoundedAtARuneBoundary(t *testing.T) {
	s := strings.Repeat("a", preview.MaxText-1) + "é" + "tail"
	p := build(t, preview.Input{Codec: layout.Raw, Open: opener(encode(t, zen.Raw[string](), s))})
	if p.Kind != preview.KindText || !p.Truncated || p.Text != strings.Repeat("a", preview.MaxText-1) {
		t.Errorf("kind %s truncated %v, %d bytes ending %q", p.Kind, p.Truncated, len(p.Text), p.Text[len(p.Text)-3:])
	}
	p = build(t, preview.Input{Codec: layout.Raw, Open: opener([]byte("<script>alert(1)</script>"))})
	if p.Truncated || p.Text != "<script>alert(1)</script>" {
		t.Errorf("short text %q truncated %v", p.Text, p.Truncated)
	}
}

func TestTextThatIsNotUTF8SaysSo(t *testing.T) {
	p := build(t, preview.Input{Codec: layout.Raw, Open: opener([]byte("a\xffb"))})
	if p.Text != "a\uFFFDb" || p.Note == "" {
		t.Errorf("text %q note %q", p.Text, p.Note)
	}
}

func TestJSONIsIndented(t *testing.T) {
	type point struct{ X, Y float64 }
	p := build(t, preview.Input{Codec: layout.JSON, Open: opener(encode(t, zen.JSON[point](), point{1, 2}))})
	if p.Kind != preview.KindJSON || p.Text != "{\n  \"X\": 1,\n  \"Y\": 2\n}" {
		t.Errorf("%s %q", p.Kind, p.Text)
	}
}

func TestErrorShowsItsMessage(t *testing.T) {
	p := build(t, preview.Input{Codec: layout.Error, Open: opener(encode(t, zen.ErrorCodec(), errors.New("boom")))})
	if p.Text != "boom" {
		t.Errorf("%q", p.Text)
	}
	p = build(t, preview.Input{Codec: layout.Error, Open: opener(nil)})
	if p.Text != "nil (no error)" {
		t.Errorf("%q", p.Text)
	}
}

func display(t *testing.T, mediaType string, data []byte) []byte {
	t.Helper()
	b, err := layout.AppendDisplayHeader(nil, mediaType)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, data...)
}

func TestDisplaysAreEmbeddedByMediaType(t *testing.T) {
	for _, c := range []struct{ mediaType, embed, served string }{
		{"image/png", "img", "image/png"},
		{"text/html", "frame", "text/html; charset=utf-8"},
		{"image/svg+xml", "img", "image/svg+xml"},
		{"text/markdown; charset=latin1", "text", "text/markdown; charset=utf-8"},
		{"application/x-evil", "", "application/octet-stream"},
		{"text/html<script>", "", "application/octet-stream"},
	} {
		p := build(t, preview.Input{Codec: layout.Display, Open: opener(display(t, c.mediaType, []byte("<b>hi</b>")))})
		if p.Kind != preview.KindDisplay || p.Display.Embed != c.embed || p.Display.Size != 9 || p.Display.MediaType != c.mediaType {
			t.Errorf("%s: %+v", c.mediaType, p.Display)
		}
		if c.embed == "text" && p.Text != "<b>hi</b>" {
			t.Errorf("%s: text %q", c.mediaType, p.Text)
		}
		if got := preview.ServedMediaType(c.mediaType); got != c.served {
			t.Errorf("%s served as %q, want %q", c.mediaType, got, c.served)
		}
	}
}

type row struct {
	Name  string
	Score float64
	n     int // unexported: the value codec keeps it, so the table shows it
	Tags  []string
}

func TestSlicesOfStructsArePagedTables(t *testing.T) {
	rows := make([]row, 120)
	for i := range rows {
		rows[i] = row{Name: "r" + string(rune('a'+i%26)), Score: float64(i), n: -i}
	}
	rows[60].Score = math.NaN()
	rows[61].Name = `<script>alert("x")</script>`
	b := encode(t, zen.Value[[]row](), rows)
	p := build(t, preview.Input{Codec: layout.Value, Open: opener(b), Show: zen.Shower(zen.Value[[]row]()), Page: 2})
	tb := p.Table
	if p.Kind != preview.KindTable || tb.Total != 120 || tb.Pages != 3 || tb.Page != 2 || tb.First != 50 || len(tb.Rows) != preview.PageSize {
		t.Fatalf("kind %s table %+v", p.Kind, tb)
	}
	if got := tb.Rows[0]; strings.Join(got, "|") != "ry|50|-50|null" {
		t.Errorf("first row of page 2: %q", got)
	}
	if got := tb.Rows[11][0]; got != `<script>alert("x")</script>` {
		t.Errorf("cell %q", got)
	}
	if tb.Columns[0].Stats != nil || tb.Columns[1].Stats == nil || tb.Columns[2].Name != "n" {
		t.Fatalf("columns %+v", tb.Columns)
	}
	s := tb.Columns[1].Stats
	// 0…119 without 60: mean (7140-60)/119.
	if s.Count != 120 || s.NaNs != 1 || s.Min != 0 || s.Max != 119 || !near(s.Mean, 7080.0/119, 1e-12) {
		t.Errorf("score stats %+v", s)
	}
	p = build(t, preview.Input{Codec: layout.Value, Open: opener(b), Show: zen.Shower(zen.Value[[]row]()), Page: 99})
	if p.Table.Page != 3 || len(p.Table.Rows) != 20 {
		t.Errorf("page past the end: page %d with %d rows", p.Table.Page, len(p.Table.Rows))
	}
}

func TestMatricesAreTablesWithAColumnPerIndex(t *testing.T) {
	m := [][]float64{{1, 2}, {3, 4, 5}, nil}
	b := encode(t, zen.Value[[][]float64](), m)
	p := build(t, preview.Input{Codec: layout.Value, Open: opener(b), Show: zen.Shower(zen.Value[[][]float64]())})
	tb := p.Table
	if p.Kind != preview.KindTable || len(tb.Columns) != 3 || tb.Total != 3 {
		t.Fatalf("%s %+v", p.Kind, tb)
	}
	if got := strings.Join(tb.Rows[0], "|") + "/" + strings.Join(tb.Rows[2], "|"); got != "1|2|/||" {
		t.Errorf("rows %q", got)
	}
	if s := tb.Columns[0].Stats; s.Count != 2 || s.Mean != 2 {
		t.Errorf("column 0 stats %+v", s)
	}
}

func TestOtherValuesShowAsCatShowsThem(t *testing.T) {
	m := map[string]int{"b": 2, "a": 1}
	p := build(t, preview.Input{Codec: layout.Value, Open: opener(encode(t, zen.Value[map[string]int](), m)), Show: zen.Shower(zen.Value[map[string]int]())})
	if p.Kind != preview.KindValue || p.Text != "{\n  \"a\": 1,\n  \"b\": 2\n}" {
		t.Errorf("%s %q", p.Kind, p.Text)
	}
}

func TestValuesWithoutADecoderAreAHexDump(t *testing.T) {
	p := build(t, preview.Input{Codec: "mine", Open: opener([]byte("abc"))})
	if p.Kind != preview.KindBinary || !strings.Contains(p.Text, "61 62 63") || p.Note == "" {
		t.Errorf("%s %q %q", p.Kind, p.Text, p.Note)
	}
}

type plainRow struct {
	B      bool
	I8     int8
	I      int
	U16    uint16
	P      uintptr
	F32    float32
	F      float64
	S      string
	hidden int32
}

// celsius has a text form of its own, which the value codec stores.
type celsius float64

func (c celsius) MarshalText() ([]byte, error) { return []byte("warm"), nil }
func (c *celsius) UnmarshalText([]byte) error  { *c = 20; return nil }

type withText struct{ T celsius }

// shows returns the output's Show hook for T, counting the decodes it
// does beyond the first call, the probe for the type; with whole set, it
// refuses the probe, so that the value is decoded whole.
func shows[T any](decodes *int, whole bool) func(string, io.Reader) (any, error) {
	show := zen.Shower(zen.Value[T]())
	probed := false
	return func(codec string, r io.Reader) (any, error) {
		if !probed {
			probed = true
			if whole {
				return nil, errors.New("probe refused")
			}
		} else {
			*decodes++
		}
		return show(codec, r)
	}
}

// sameTable checks that v's table is the same read row by row as decoded
// whole, and whether it was read row by row.
func sameTable[T any](t *testing.T, name string, v T, page int, streamed bool) {
	t.Helper()
	b := encode(t, zen.Value[T](), v)
	var decodes, wholeDecodes int
	got := build(t, preview.Input{Codec: layout.Value, Open: opener(b), Show: shows[T](&decodes, false), Page: page})
	want := build(t, preview.Input{Codec: layout.Value, Open: opener(b), Show: shows[T](&wholeDecodes, true), Page: page})
	if got.Kind != preview.KindTable || want.Kind != preview.KindTable {
		t.Fatalf("%s: kinds %s and %s", name, got.Kind, want.Kind)
	}
	if diff := cmp.Diff(want.Table, got.Table, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("%s: table read row by row differs from the decoded one (-whole +stream):\n%s", name, diff)
	}
	if streamed != (decodes == 0) {
		t.Errorf("%s: decoded whole %d times, want streamed=%v", name, decodes, streamed)
	}
}

// Tables of plain rows are read row by row, and show exactly what the
// decoded value shows; rows with anything else are decoded whole.
func TestTablesStreamAsTheyDecode(t *testing.T) {
	rows := make([]plainRow, 70)
	for i := range rows {
		rows[i] = plainRow{B: i%2 == 0, I8: int8(-i), I: i * 1000, U16: uint16(i), P: uintptr(i), F32: float32(i) / 3, F: float64(i) / 7,
			S: "row " + strings.Repeat("é", i), hidden: int32(i)}
	}
	rows[3].F, rows[4].F32 = math.NaN(), float32(math.Inf(1))
	rows[5].S = strings.Repeat("é", 1000)
	rows[6].S = "a\xffb"
	sameTable(t, "structs page 1", rows, 1, true)
	sameTable(t, "structs page 2", rows, 2, true)
	sameTable(t, "pointers", []*plainRow{&rows[0], nil, &rows[1]}, 1, true)
	sameTable(t, "nil slice of structs", []plainRow(nil), 1, true)
	sameTable(t, "float matrix", [][]float64{{1, 2}, nil, {3, 4, 5}, {}}, 1, true)
	sameTable(t, "int matrix", [][]int{{-1, 1 << 40}, {7}}, 1, true)
	sameTable(t, "byte arrays", [][3]uint8{{1, 2, 3}, {255, 0, 9}}, 1, true)
	wide := make([][]float32, 3)
	for i := range wide {
		wide[i] = make([]float32, 100+i)
		for j := range wide[i] {
			wide[i][j] = float32(i*j) / 2
		}
	}
	sameTable(t, "wide matrix", wide, 1, true)
	sameTable(t, "rows with a slice", []row{{Name: "a", Tags: []string{"x"}}}, 1, false)
	sameTable(t, "rows with a text form", []withText{{T: 5}}, 1, false)
}

// A damaged or truncated value artifact read row by row is an error.
func TestStreamedTablesRejectDamage(t *testing.T) {
	b := encode(t, zen.Value[[]plainRow](), []plainRow{{S: "x"}, {S: "y"}})
	for name, bad := range map[string][]byte{
		"trailing":  append(append([]byte{}, b...), 0),
		"truncated": b[:len(b)-3],
		"version":   append([]byte("ZVAL\x02"), b[5:]...),
	} {
		if _, err := preview.Build(preview.Input{Codec: layout.Value, Open: opener(bad), Show: shows[[]plainRow](new(int), false)}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
