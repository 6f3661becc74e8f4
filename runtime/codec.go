package runtime

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/zengen-dev/zengen/runtime/internal/layout"
)

// A Codec turns values of one Go type into the bytes of an artifact and
// back. zengen picks one per step output at generation time; the artifact
// store names the bytes by their SHA-256, so Encode must be deterministic:
// the same value must always produce the same bytes, or cached steps would
// miss for no reason.
//
// Decode is given a reader positioned at the start of the artifact. Every
// codec in this package reads to the end and rejects trailing bytes; the
// artifact store's reader checks the digest as it goes, and reports damage
// on the read that reaches the last byte.
type Codec[T any] interface {
	// Name identifies the encoding; it is recorded with each artifact and is
	// part of the cache key. The built-in codecs are "raw", "numeric",
	// "binary", "json", "error" and "value"; a user codec picks its own.
	Name() string
	Encode(w io.Writer, v T) error
	Decode(r io.Reader) (T, error)
}

// Number is the element constraint of Numeric: every fixed-size integer and
// floating-point type (complex numbers are not numeric artifacts).
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64
}

// lengthReader is implemented by readers that know how many bytes remain,
// like bytes.Reader and the artifact store's verifying reader. Decoders use
// it to allocate once and to reject a header that promises more than the
// artifact holds, instead of trusting a length read from disk.
type lengthReader interface {
	Len() int
}

// readAll returns everything r holds, allocating once when r tells its
// length.
func readAll(r io.Reader) ([]byte, error) {
	lr, ok := r.(lengthReader)
	if !ok {
		return io.ReadAll(r)
	}
	b := make([]byte, lr.Len())
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	if err := expectEOF(r); err != nil {
		return nil, err
	}
	return b, nil
}

// expectEOF checks that r has nothing left. Reading until io.EOF also lets a
// verifying reader finish its check.
func expectEOF(r io.Reader) error {
	var one [1]byte
	for {
		n, err := r.Read(one[:])
		if n > 0 {
			return errors.New("trailing data after the value")
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// ---- raw ----

// Raw returns the codec for strings and byte slices: the artifact is the
// bytes themselves, so `cat` of an artifact shows them as they are. An
// empty artifact decodes to the zero value (a nil slice or ""), so a nil and
// an empty []byte share one digest.
func Raw[T ~string | ~[]byte]() Codec[T] { return rawCodec[T]{} }

type rawCodec[T ~string | ~[]byte] struct{}

func (rawCodec[T]) Name() string { return layout.Raw }

func (rawCodec[T]) Encode(w io.Writer, v T) error {
	// reflect gives the bytes of a named string or slice type without the
	// copy that a conversion to []byte would make of a string.
	rv := reflect.ValueOf(v)
	var err error
	if rv.Kind() == reflect.String {
		_, err = io.WriteString(w, rv.String())
	} else {
		_, err = w.Write(rv.Bytes())
	}
	return err
}

func (rawCodec[T]) Decode(r io.Reader) (T, error) {
	var v T
	b, err := readAll(r)
	if err != nil || len(b) == 0 {
		return v, err
	}
	rv := reflect.ValueOf(&v).Elem()
	if rv.Kind() == reflect.String {
		// b is ours alone and never written again, so the string may share
		// its memory instead of copying it.
		rv.SetString(unsafe.String(unsafe.SliceData(b), len(b)))
	} else {
		rv.SetBytes(b)
	}
	return v, nil
}

// ---- numeric ----

// The numeric layout, all little-endian:
//
//	offset  size  field
//	0       4     magic "ZNUM"
//	4       1     layout version, 1
//	5       1     element kind: 'i' signed integer, 'u' unsigned integer, 'f' IEEE 754 float
//	6       1     element width in bytes: 1, 2, 4 or 8 (int and uint are always stored as 8)
//	7       1     flags: bit 0 set for a nil slice
//	8       8     element count
//	16      …     the elements, fixed width
//
// The header lets Decode refuse an artifact of another element type with a
// clear message instead of reinterpreting its bits.
const (
	numericMagic      = layout.NumericMagic
	numericVersion    = layout.NumericVersion
	numericHeaderSize = layout.NumericHeaderSize
	numericFlagNil    = layout.NumericFlagNil
)

// hostLittleEndian reports whether memory holds numbers in the artifact's
// byte order, in which case slices are written and read as they lie in
// memory, with no copy and no per-element work.
var hostLittleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// Numeric returns the codec for slices of numbers: a 16-byte header and the
// elements in little-endian fixed width. On little-endian hosts a slice is
// written straight from its backing array and read straight into a newly
// allocated one, so a 1 GiB []float64 is never copied in memory. A nil
// slice and an empty one decode as they were encoded.
func Numeric[S ~[]E, E Number]() Codec[S] {
	kind, wire := numericElement[E]()
	return numericCodec[S, E]{
		kind:   kind,
		width:  wire,
		direct: hostLittleEndian && wire == int(unsafe.Sizeof(*new(E))),
	}
}

// numericElement returns the kind byte and stored width of E.
func numericElement[E Number]() (kind byte, width int) {
	t := reflect.TypeFor[E]()
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		kind = 'i'
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		kind = 'u'
	default:
		kind = 'f'
	}
	width = int(t.Size())
	if t.Kind() == reflect.Int || t.Kind() == reflect.Uint {
		width = 8 // the same artifact on 32- and 64-bit hosts
	}
	return kind, width
}

// numericTypeName names a kind and width the way Go spells the type.
func numericTypeName(kind byte, width int) string {
	prefix := map[byte]string{'i': "int", 'u': "uint", 'f': "float"}[kind]
	if prefix == "" {
		return fmt.Sprintf("unknown element kind %q of width %d", kind, width)
	}
	return prefix + strconv.Itoa(8*width)
}

type numericCodec[S ~[]E, E Number] struct {
	kind   byte
	width  int  // bytes per element in the artifact
	direct bool // memory layout equals the artifact layout
}

func (numericCodec[S, E]) Name() string { return layout.Numeric }

// numericChunk is how many bytes the portable path converts at a time.
const numericChunk = 64 << 10

func (c numericCodec[S, E]) Encode(w io.Writer, v S) error {
	var h [numericHeaderSize]byte
	copy(h[:], numericMagic)
	h[4] = numericVersion
	h[5] = c.kind
	h[6] = byte(c.width)
	if v == nil {
		h[7] = numericFlagNil
	}
	binary.LittleEndian.PutUint64(h[8:], uint64(len(v)))
	if _, err := w.Write(h[:]); err != nil {
		return err
	}
	if len(v) == 0 {
		return nil
	}
	if c.direct {
		_, err := w.Write(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), len(v)*c.width))
		return err
	}
	buf := make([]byte, 0, min(len(v)*c.width, numericChunk))
	for _, e := range v {
		buf = c.appendElement(buf, e)
		if len(buf) == cap(buf) {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		_, err := w.Write(buf)
		return err
	}
	return nil
}

// appendElement appends e in the artifact's layout, for hosts whose memory
// layout differs from it.
func (c numericCodec[S, E]) appendElement(b []byte, e E) []byte {
	var bits uint64
	switch {
	case c.kind == 'f' && c.width == 4:
		bits = uint64(math.Float32bits(float32(e)))
	case c.kind == 'f':
		bits = math.Float64bits(float64(e))
	case c.kind == 'i':
		bits = uint64(int64(e))
	default:
		bits = uint64(e)
	}
	for i := range c.width {
		b = append(b, byte(bits>>(8*i)))
	}
	return b
}

// element reads one element of the artifact's layout from b.
func (c numericCodec[S, E]) element(b []byte) E {
	var bits uint64
	for i := range c.width {
		bits |= uint64(b[i]) << (8 * i)
	}
	switch {
	case c.kind == 'f' && c.width == 4:
		return E(math.Float32frombits(uint32(bits)))
	case c.kind == 'f':
		return E(math.Float64frombits(bits))
	case c.kind == 'i':
		shift := 64 - 8*c.width
		return E(int64(bits<<shift) >> shift)
	default:
		return E(bits)
	}
}

func (c numericCodec[S, E]) Decode(r io.Reader) (S, error) {
	var h [numericHeaderSize]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, errors.New("numeric: artifact too short for its header")
		}
		return nil, err
	}
	if string(h[:4]) != numericMagic {
		return nil, errors.New("numeric: not a numeric artifact (bad magic)")
	}
	if h[4] != numericVersion {
		return nil, fmt.Errorf("numeric: layout version %d, this runtime reads %d", h[4], numericVersion)
	}
	if h[5] != c.kind || int(h[6]) != c.width {
		return nil, fmt.Errorf("numeric: artifact holds %s elements, cannot decode them as %s",
			numericTypeName(h[5], int(h[6])), numericTypeName(c.kind, c.width))
	}
	count := binary.LittleEndian.Uint64(h[8:])
	isNil := h[7]&numericFlagNil != 0
	if h[7]&^numericFlagNil != 0 || isNil && count != 0 {
		return nil, fmt.Errorf("numeric: invalid header flags %#x", h[7])
	}
	if count > uint64(math.MaxInt/c.width) {
		return nil, fmt.Errorf("numeric: header claims %d elements, more than memory can hold", count)
	}
	n := int(count)
	if lr, ok := r.(lengthReader); ok && lr.Len() != n*c.width {
		return nil, fmt.Errorf("numeric: header claims %d elements (%d bytes) but %d bytes follow", n, n*c.width, lr.Len())
	}
	var v S
	var err error
	switch {
	case isNil:
	case c.direct:
		v, err = c.readDirect(r, n)
	default:
		v, err = c.readPortable(r, n)
	}
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("numeric: artifact ends before its %d elements", n)
		}
		return nil, err
	}
	if err := expectEOF(r); err != nil {
		return nil, fmt.Errorf("numeric: after %d elements: %w", n, err)
	}
	return v, nil
}

// readDirect reads n elements into the memory of a new slice. With a
// lengthReader the length was checked, so the slice is allocated once;
// otherwise it grows as data actually arrives, so a damaged count cannot
// make Decode allocate more than the artifact holds.
func (c numericCodec[S, E]) readDirect(r io.Reader, n int) (S, error) {
	bytesOf := func(s S) []byte {
		return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*c.width)
	}
	if _, ok := r.(lengthReader); ok {
		v := make(S, n)
		_, err := io.ReadFull(r, bytesOf(v))
		return v, err
	}
	const firstAlloc = 1 << 16
	v := make(S, 0, min(n, firstAlloc))
	for len(v) < n {
		if len(v) == cap(v) {
			v = slices.Grow(v, min(len(v), n-len(v)))
		}
		end := min(cap(v), n)
		if _, err := io.ReadFull(r, bytesOf(v[len(v):end])); err != nil {
			return nil, err
		}
		v = v[:end]
	}
	return v, nil
}

// readPortable converts n elements chunk by chunk, for hosts whose memory
// layout differs from the artifact's.
func (c numericCodec[S, E]) readPortable(r io.Reader, n int) (S, error) {
	v := make(S, 0, min(n, numericChunk))
	buf := make([]byte, min(n*c.width, numericChunk/c.width*c.width))
	for len(v) < n {
		chunk := buf[:min(len(buf), (n-len(v))*c.width)]
		if _, err := io.ReadFull(r, chunk); err != nil {
			return nil, err
		}
		for i := 0; i < len(chunk); i += c.width {
			v = append(v, c.element(chunk[i:]))
		}
	}
	return v, nil
}

// ---- binary ----

// Binary returns the codec for types that implement
// encoding.BinaryMarshaler and encoding.BinaryUnmarshaler (the latter on
// the pointer, as usual): the artifact is what MarshalBinary returns, which
// must be deterministic for caching to work.
func Binary[T any, PT interface {
	*T
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}]() Codec[T] {
	return binaryCodec[T, PT]{}
}

type binaryCodec[T any, PT interface {
	*T
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}] struct{}

func (binaryCodec[T, PT]) Name() string { return layout.Binary }

func (binaryCodec[T, PT]) Encode(w io.Writer, v T) error {
	b, err := PT(&v).MarshalBinary()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func (binaryCodec[T, PT]) Decode(r io.Reader) (T, error) {
	var v T
	b, err := readAll(r)
	if err != nil {
		return v, err
	}
	if err := PT(&v).UnmarshalBinary(b); err != nil {
		return v, err
	}
	return v, nil
}

// ---- json ----

// JSON returns a codec through encoding/json: one value followed by a
// newline. zengen chooses it for booleans and numbers, which JSON holds
// exactly and `cat` then shows as they are; composite values get Value,
// since JSON drops unexported fields and the data of types behind
// MarshalBinary, and cannot hold NaN, infinities or strings that are not
// UTF-8. It is deterministic because encoding/json writes struct fields in
// declaration order and sorts map keys. HTML escaping is off, so "<", ">"
// and "&" stay themselves in strings. A float32 or float64 value that is
// NaN or infinite is stored as the string "NaN", "+Inf" or "-Inf" (a
// diverged loss must still be a storable metric), or "NaN:" and its bits
// in hexadecimal for a NaN with another payload than math.NaN()'s; such values nested
// inside other types are an encode error. Decoding into an interface type
// yields what encoding/json yields: float64 for numbers, map[string]any
// for objects.
func JSON[T any]() Codec[T] {
	k := reflect.TypeFor[T]().Kind()
	return jsonCodec[T]{float: k == reflect.Float32 || k == reflect.Float64}
}

type jsonCodec[T any] struct {
	float bool // T is a float type: non-finite values become strings
}

func (jsonCodec[T]) Name() string { return layout.JSON }

func (c jsonCodec[T]) Encode(w io.Writer, v T) error {
	if c.float {
		if s, ok := nonFiniteText(&v); ok {
			_, err := io.WriteString(w, `"`+s+`"`+"\n")
			return err
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// nonFiniteText names a NaN or infinite float as the JSON codec stores it:
// "NaN", "+Inf", "-Inf", and "NaN:" with the hexadecimal bits for a NaN
// other than the one math.NaN() makes, so that its payload survives too.
// *v is a float32 or float64 kind; its bits are read as they are, since a
// conversion between the widths may change a NaN's.
func nonFiniteText[T any](v *T) (string, bool) {
	if reflect.TypeFor[T]().Size() == 4 {
		bits := *(*uint32)(unsafe.Pointer(v))
		f := math.Float32frombits(bits)
		if f == f && !math.IsInf(float64(f), 0) {
			return "", false
		}
		if f != f && bits != math.Float32bits(float32(math.NaN())) {
			return fmt.Sprintf("NaN:%08x", bits), true
		}
		return layout.NonFiniteName(float64(f))
	}
	bits := *(*uint64)(unsafe.Pointer(v))
	f := math.Float64frombits(bits)
	if math.IsNaN(f) && bits != math.Float64bits(math.NaN()) {
		return fmt.Sprintf("NaN:%016x", bits), true
	}
	return layout.NonFiniteName(f)
}

func (c jsonCodec[T]) Decode(r io.Reader) (T, error) {
	var v T
	dec := json.NewDecoder(r)
	if c.float {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return v, err
		}
		if err := decodeJSONFloat(raw, &v); err != nil {
			return v, err
		}
	} else if err := dec.Decode(&v); err != nil {
		return v, err
	}
	// Token skips whitespace and returns io.EOF only at the end; reading to
	// the end also lets a verifying reader finish its check.
	switch tok, err := dec.Token(); {
	case err == io.EOF:
		return v, nil
	case err != nil:
		return v, err
	default:
		return v, fmt.Errorf("json: trailing data after the value: %v", tok)
	}
}

// decodeJSONFloat decodes a float that may have been stored as "NaN",
// "NaN:<bits>", "+Inf" or "-Inf".
func decodeJSONFloat[T any](raw json.RawMessage, v *T) error {
	if !bytes.HasPrefix(raw, []byte(`"`)) {
		return json.Unmarshal(raw, v)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return err
	}
	var f float64
	switch s {
	case "NaN":
		f = math.NaN()
	case "+Inf":
		f = math.Inf(1)
	case "-Inf":
		f = math.Inf(-1)
	default:
		hex, ok := strings.CutPrefix(s, "NaN:")
		width := int(reflect.TypeFor[T]().Size())
		bits, err := strconv.ParseUint(hex, 16, 8*width)
		if !ok || err != nil || len(hex) != 2*width {
			return fmt.Errorf("json: cannot decode string %q as %s", s, reflect.TypeFor[T]())
		}
		if width == 4 {
			*(*uint32)(unsafe.Pointer(v)) = uint32(bits)
		} else {
			*(*uint64)(unsafe.Pointer(v)) = bits
		}
		if f := reflect.ValueOf(v).Elem().Float(); f == f {
			return fmt.Errorf("json: %q holds no NaN", s)
		}
		return nil
	}
	reflect.ValueOf(v).Elem().SetFloat(f)
	return nil
}

// ---- error ----

// errorMarker starts the artifact of a non-nil error; a nil error is the
// empty artifact, so nil and errors.New("") stay apart.
const errorMarker = 'E'

// ErrorCodec returns the codec for error values, which cross between steps
// as their message: a nil error is an empty artifact, any other error is the
// byte 'E' followed by err.Error(). Decoding yields nil or an error with the
// same message; the original type and any wrapped errors are not kept.
func ErrorCodec() Codec[error] { return errorCodec{} }

type errorCodec struct{}

func (errorCodec) Name() string { return layout.Error }

func (errorCodec) Encode(w io.Writer, err error) error {
	if err == nil {
		return nil
	}
	_, werr := io.WriteString(w, string(rune(errorMarker))+err.Error())
	return werr
}

func (errorCodec) Decode(r io.Reader) (error, error) {
	b, err := readAll(r)
	switch {
	case err != nil:
		return nil, err
	case len(b) == 0:
		return nil, nil
	case b[0] != errorMarker:
		return nil, fmt.Errorf("error codec: artifact starts with %q, want %q", b[0], errorMarker)
	}
	return errors.New(string(b[1:])), nil
}

// ---- registry ----

// registry holds the user codecs, by the reflect.Type of the value they
// encode; each value is a Codec[T] for that T.
var registry sync.Map

// Register makes c the codec for every artifact of type T, in place of the
// codec zengen chose when it generated the pipeline. Call it from an init
// function (in a file next to the notebook, or in a package the notebook
// imports) so it is in effect before any step runs; a later call for the
// same T replaces the earlier one. In a notebook, a //zen:codec function
// does the same visibly: inspect shows it and the steps' code hashes cover
// it.
func Register[T any](c Codec[T]) {
	if c == nil {
		panic(fmt.Sprintf("zen.Register: nil codec for %s", reflect.TypeFor[T]()))
	}
	registry.Store(reflect.TypeFor[T](), c)
}

// codecFor returns the codec registered for T, or generated when there is
// none. Load and Save call it for every artifact; it is safe for concurrent
// use and costs one map lookup.
func codecFor[T any](generated Codec[T]) Codec[T] {
	if c, ok := registry.Load(reflect.TypeFor[T]()); ok {
		return c.(Codec[T])
	}
	return generated
}
