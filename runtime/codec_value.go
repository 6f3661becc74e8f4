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
	"sync"
	"time"
	"unsafe"

	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/reflectvalue"
)

// The value layout: the magic "ZVAL", a version byte, then the value,
// written by its Go type (which both sides know, so no type names are
// stored):
//
//	bool                  one byte, 0 or 1
//	int, int8 … int64     zigzag varint
//	uint … uint64, uintptr varint
//	float32, float64      IEEE 754 bits, little-endian, 4 or 8 bytes (NaN payloads and -0 kept)
//	complex64, complex128 real then imaginary part, as floats
//	string                varint length, then the bytes as they are (any bytes, UTF-8 or not)
//	slice, map            varint 0 for nil, else length+1, then the elements
//	                      (map entries sorted by their encoded key, then value)
//	array                 the elements
//	pointer               0 for nil, else 1 and the pointed-to value
//	struct                every field in order, unexported ones included
//	error                 0 for nil, else 1 and the message
//	any                   0 for nil, else a byte naming the dynamic type
//	                      (predeclared types, []any, map[string]any) and its value
//	time.Time             Unix seconds (zigzag), nanoseconds, location name, zone name and offset
//	own codec             a type whose pointer implements a Marshal/Unmarshal
//	                      pair (binary, gob, text, JSON, in that order) is 0 for
//	                      its zero value, else 1, a varint length and what its
//	                      Marshal method returned
const (
	valueMagic   = "ZVAL"
	valueVersion = 1
)

// Value returns the codec for every type that has no more specific one:
// structs, maps, slices of anything, pointers, arrays and the types that
// bring their own encoding. Decode(Encode(v)) is v as a later step can
// observe it: every field, unexported ones included; nil and empty slices
// and maps apart; NaN, infinities and -0 bit for bit; strings byte for byte.
// What cannot survive a process boundary is not kept: pointers that share a
// target get a copy each, the monotonic clock reading of a time.Time is
// dropped, and an error keeps only its message. A value that cannot be
// stored exactly (a cycle, a channel or function reached through an
// interface, an interface holding a type other than the predeclared ones,
// []any and map[string]any) fails Encode with the path to it.
//
// Maps are written in the order of their encoded keys, so the encoding is
// deterministic as long as types with their own codec are.
func Value[T any]() Codec[T] { return valueCodec[T]{} }

type valueCodec[T any] struct{}

func (valueCodec[T]) Name() string { return layout.Value }

func (valueCodec[T]) Encode(w io.Writer, v T) error {
	e := valueEncoder{buf: append(make([]byte, 0, 64), valueMagic...), onPath: map[refKey]bool{}}
	e.buf = append(e.buf, valueVersion)
	rv := reflect.New(reflect.TypeFor[T]()).Elem()
	rv.Set(reflect.ValueOf(&v).Elem())
	if err := e.value(rv); err != nil {
		return atPath(rv.Type(), err)
	}
	_, err := w.Write(e.buf)
	return err
}

func (valueCodec[T]) Decode(r io.Reader) (T, error) {
	var v T
	b, err := readAll(r)
	if err != nil {
		return v, err
	}
	if len(b) < len(valueMagic)+1 || string(b[:len(valueMagic)]) != valueMagic {
		return v, errors.New("value: not a value artifact (bad magic)")
	}
	if b[len(valueMagic)] != valueVersion {
		return v, fmt.Errorf("value: layout version %d, this runtime reads %d", b[len(valueMagic)], valueVersion)
	}
	d := valueDecoder{b: b[len(valueMagic)+1:]}
	if err := d.value(reflect.ValueOf(&v).Elem()); err != nil {
		return v, fmt.Errorf("value: %w", atPath(reflect.TypeFor[T](), err))
	}
	if len(d.b) != 0 {
		return v, fmt.Errorf("value: %d bytes of trailing data after the value", len(d.b))
	}
	return v, nil
}

// pathError is an error about one part of a value; path is where, from
// the top (".Rows[3].Name"), and grows as the error travels up.
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

// within puts a path segment in front of err's path. Paths are built only
// for errors, so that a million-element slice costs no message.
func within(err error, segment string) error {
	if pe, ok := err.(*pathError); ok {
		pe.path = segment + pe.path
		return pe
	}
	return &pathError{segment, err}
}

func index(i int) string { return "[" + strconv.Itoa(i) + "]" }

// atPath names the top of the path: the value's type.
func atPath(t reflect.Type, err error) error {
	if pe, ok := err.(*pathError); ok {
		return &pathError{t.String() + pe.path, pe.err}
	}
	return &pathError{t.String(), err}
}

// ---- what a type is made of ----

var (
	timeType  = reflect.TypeFor[time.Time]()
	errorType = reflect.TypeFor[error]()
)

// ownCodec is an encoding a type brings itself, through a pair of methods
// of its pointer.
type ownCodec struct {
	name      string
	marshal   func(v any) ([]byte, error)
	unmarshal func(v any, b []byte) error
}

// ownCodecs are tried in order: binary first, since it is meant to be
// exact; gob next (big.Float keeps its precision there, not in its text);
// text and JSON last.
var ownCodecs = []struct {
	ownCodec
	implements func(reflect.Type) bool
}{
	{ownCodec{"MarshalBinary",
		func(v any) ([]byte, error) { return v.(encoding.BinaryMarshaler).MarshalBinary() },
		func(v any, b []byte) error { return v.(encoding.BinaryUnmarshaler).UnmarshalBinary(b) }},
		pairOf[encoding.BinaryMarshaler, encoding.BinaryUnmarshaler]},
	{ownCodec{"GobEncode",
		func(v any) ([]byte, error) { return v.(gobEncoder).GobEncode() },
		func(v any, b []byte) error { return v.(gobDecoder).GobDecode(b) }},
		pairOf[gobEncoder, gobDecoder]},
	{ownCodec{"MarshalText",
		func(v any) ([]byte, error) { return v.(encoding.TextMarshaler).MarshalText() },
		func(v any, b []byte) error { return v.(encoding.TextUnmarshaler).UnmarshalText(b) }},
		pairOf[encoding.TextMarshaler, encoding.TextUnmarshaler]},
	{ownCodec{"MarshalJSON",
		func(v any) ([]byte, error) { return v.(json.Marshaler).MarshalJSON() },
		func(v any, b []byte) error { return v.(json.Unmarshaler).UnmarshalJSON(b) }},
		pairOf[json.Marshaler, json.Unmarshaler]},
}

// gobEncoder and gobDecoder are encoding/gob's interfaces, declared here so
// the runtime does not link gob for two method names.
type (
	gobEncoder interface{ GobEncode() ([]byte, error) }
	gobDecoder interface{ GobDecode([]byte) error }
)

func pairOf[M, U any](t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(reflect.TypeFor[M]()) && pt.Implements(reflect.TypeFor[U]())
}

// ownCodecOf returns the encoding t brings itself, if any. Interfaces and
// pointers have none of their own: the value they hold or point to is
// looked at instead.
func ownCodecOf(t reflect.Type) (ownCodec, bool) {
	if c, ok := ownCodecCache.Load(t); ok {
		return c.(ownCodec), c.(ownCodec).name != ""
	}
	var found ownCodec
	if t.Kind() != reflect.Interface && t.Kind() != reflect.Pointer && t != timeType {
		for _, c := range ownCodecs {
			if c.implements(t) {
				found = c.ownCodec
				break
			}
		}
	}
	ownCodecCache.Store(t, found)
	return found, found.name != ""
}

// ownCodecCache holds ownCodecOf's answer by type (a zero ownCodec for
// none): method-set lookups cost more than encoding an element.
var ownCodecCache sync.Map

// allZeroBits reports whether the addressable v is the zero value of its
// type, bit for bit: unlike reflect's IsZero, a -0 inside is not zero.
func allZeroBits(v reflect.Value) bool {
	for _, b := range unsafe.Slice((*byte)(v.Addr().UnsafePointer()), v.Type().Size()) {
		if b != 0 {
			return false
		}
	}
	return true
}

// ---- interface values ----

// anyTypes are the dynamic types an `any` may hold in an artifact, by the
// byte that names them. They are the types a decoder can build without
// knowing the program: the predeclared ones and the containers encoding/json
// produces.
var anyTypes = []reflect.Type{
	1: reflect.TypeFor[bool](),
	2: reflect.TypeFor[int](), 3: reflect.TypeFor[int8](), 4: reflect.TypeFor[int16](), 5: reflect.TypeFor[int32](), 6: reflect.TypeFor[int64](),
	7: reflect.TypeFor[uint](), 8: reflect.TypeFor[uint8](), 9: reflect.TypeFor[uint16](), 10: reflect.TypeFor[uint32](), 11: reflect.TypeFor[uint64](), 12: reflect.TypeFor[uintptr](),
	13: reflect.TypeFor[float32](), 14: reflect.TypeFor[float64](),
	15: reflect.TypeFor[complex64](), 16: reflect.TypeFor[complex128](),
	17: reflect.TypeFor[string](),
	18: reflect.TypeFor[[]any](), 19: reflect.TypeFor[map[string]any](),
}

func anyTag(t reflect.Type) (byte, bool) {
	for i, at := range anyTypes {
		if at != nil && at == t {
			return byte(i), true
		}
	}
	return 0, false
}

// ---- encoding ----

type valueEncoder struct {
	buf []byte
	// onPath holds the pointers, maps and slices being written, to refuse a
	// cycle instead of recursing forever.
	onPath map[refKey]bool
}

func (e *valueEncoder) uvarint(u uint64) { e.buf = binary.AppendUvarint(e.buf, u) }
func (e *valueEncoder) varint(i int64)   { e.buf = binary.AppendVarint(e.buf, i) }

func (e *valueEncoder) bytes(b []byte) {
	e.uvarint(uint64(len(b)))
	e.buf = append(e.buf, b...)
}

// enter marks a reference as being written; the returned function unmarks
// it. It fails on a cycle.
func (e *valueEncoder) enter(key refKey) (func(), error) {
	if e.onPath[key] {
		return nil, errors.New("the value refers back to itself, and an artifact cannot hold a cycle")
	}
	e.onPath[key] = true
	return func() { delete(e.onPath, key) }, nil
}

// refKey identifies a reference on the path: a struct and its first field
// share an address, so the type is part of it.
type refKey struct {
	data unsafe.Pointer
	len  int
	t    reflect.Type
}

// value writes v, which is addressable and settable. An error names the
// part of v it is about through within.
func (e *valueEncoder) value(v reflect.Value) error {
	t := v.Type()
	if t == timeType {
		e.time(v.Interface().(time.Time))
		return nil
	}
	if oc, ok := ownCodecOf(t); ok {
		if allZeroBits(v) {
			e.buf = append(e.buf, 0)
			return nil
		}
		b, err := oc.marshal(v.Addr().Interface())
		if err != nil {
			return fmt.Errorf("%s: %w", oc.name, err)
		}
		e.buf = append(e.buf, 1)
		e.bytes(b)
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		if v.Bool() {
			e.buf = append(e.buf, 1)
		} else {
			e.buf = append(e.buf, 0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.varint(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.uvarint(v.Uint())
	case reflect.Float32:
		// Bits as they are: a conversion through float64 may change a NaN's.
		e.buf = binary.LittleEndian.AppendUint32(e.buf, *(*uint32)(unsafe.Pointer(v.UnsafeAddr())))
	case reflect.Float64:
		e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v.Float()))
	case reflect.Complex64:
		parts := (*[2]uint32)(unsafe.Pointer(v.UnsafeAddr()))
		e.buf = binary.LittleEndian.AppendUint32(e.buf, parts[0])
		e.buf = binary.LittleEndian.AppendUint32(e.buf, parts[1])
	case reflect.Complex128:
		c := v.Complex()
		e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(real(c)))
		e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(imag(c)))
	case reflect.String:
		e.uvarint(uint64(v.Len()))
		e.buf = append(e.buf, v.String()...)
	case reflect.Slice:
		if v.IsNil() {
			e.uvarint(0)
			return nil
		}
		e.uvarint(uint64(v.Len()) + 1)
		if v.Len() == 0 {
			return nil
		}
		if fixedWidth(t.Elem()) {
			e.fixed(v)
			return nil
		}
		leave, err := e.enter(refKey{v.UnsafePointer(), v.Len(), t})
		if err != nil {
			return err
		}
		defer leave()
		for i := range v.Len() {
			if err := e.value(reflectvalue.Settable(v.Index(i))); err != nil {
				return within(err, index(i))
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			if err := e.value(reflectvalue.Settable(v.Index(i))); err != nil {
				return within(err, index(i))
			}
		}
	case reflect.Map:
		return e.mapValue(v)
	case reflect.Pointer:
		if v.IsNil() {
			e.buf = append(e.buf, 0)
			return nil
		}
		leave, err := e.enter(refKey{v.UnsafePointer(), 0, t})
		if err != nil {
			return err
		}
		defer leave()
		e.buf = append(e.buf, 1)
		return e.value(reflectvalue.Settable(v.Elem()))
	case reflect.Struct:
		for i := range t.NumField() {
			if err := e.value(reflectvalue.Settable(v.Field(i))); err != nil {
				return within(err, "."+t.Field(i).Name)
			}
		}
	case reflect.Interface:
		return e.iface(v)
	default:
		return fmt.Errorf("a %s cannot be stored", t)
	}
	return nil
}

// fixedWidth reports whether slices of t are written as their little-endian
// bits in one go: numbers without a codec of their own.
func fixedWidth(t reflect.Type) bool {
	if _, ok := ownCodecOf(t); ok {
		return false
	}
	switch t.Kind() {
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// fixed appends the elements of a non-empty slice of fixed-width numbers.
func (e *valueEncoder) fixed(v reflect.Value) {
	size := int(v.Type().Elem().Size())
	raw := unsafe.Slice((*byte)(v.UnsafePointer()), v.Len()*size)
	if hostLittleEndian || size == 1 {
		e.buf = append(e.buf, raw...)
		return
	}
	for i := 0; i < len(raw); i += size {
		for j := size - 1; j >= 0; j-- {
			e.buf = append(e.buf, raw[i+j])
		}
	}
}

func (e *valueEncoder) mapValue(v reflect.Value) error {
	if v.IsNil() {
		e.uvarint(0)
		return nil
	}
	e.uvarint(uint64(v.Len()) + 1)
	leave, err := e.enter(refKey{v.UnsafePointer(), 0, v.Type()})
	if err != nil {
		return err
	}
	defer leave()
	type entry struct{ key, value []byte }
	entries := make([]entry, 0, v.Len())
	outer := e.buf
	for it := v.MapRange(); it.Next(); {
		k, val := reflectvalue.Addressable(it.Key()), reflectvalue.Addressable(it.Value())
		e.buf = nil
		if err := e.value(k); err != nil {
			return within(err, "[key]")
		}
		kb := e.buf
		e.buf = nil
		if err := e.value(val); err != nil {
			return within(err, "["+keyText(k)+"]")
		}
		entries = append(entries, entry{kb, e.buf})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return bytes.Compare(a.value, b.value)
	})
	e.buf = outer
	for _, en := range entries {
		e.buf = append(append(e.buf, en.key...), en.value...)
	}
	return nil
}

// keyText shows a map key in a path.
func keyText(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return fmt.Sprintf("%q", k.String())
	}
	if k.CanInterface() {
		return fmt.Sprint(k.Interface())
	}
	return "key"
}

func (e *valueEncoder) iface(v reflect.Value) error {
	if v.IsNil() {
		e.buf = append(e.buf, 0)
		return nil
	}
	if v.Type() == errorType {
		e.buf = append(e.buf, 1)
		e.bytes([]byte(v.Interface().(error).Error()))
		return nil
	}
	if v.NumMethod() > 0 {
		return fmt.Errorf("an interface %s cannot be stored: its dynamic type cannot be restored when loading", v.Type())
	}
	dyn := v.Elem()
	tag, ok := anyTag(dyn.Type())
	if !ok {
		return fmt.Errorf("holds a %s, and an `any` in an artifact may hold only predeclared types, []any and map[string]any, whose type a decoder can restore", dyn.Type())
	}
	e.buf = append(e.buf, tag)
	return e.value(reflectvalue.Addressable(dyn))
}

// time writes the instant and enough of the location to restore it: the
// name, and the zone's name and offset at that instant for a location that
// the loading process cannot look up by name.
func (e *valueEncoder) time(t time.Time) {
	e.varint(t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
	zone, offset := t.Zone()
	e.bytes([]byte(t.Location().String()))
	e.bytes([]byte(zone))
	e.varint(int64(offset))
}

// ---- decoding ----

type valueDecoder struct {
	b []byte
}

var errShort = errors.New("the artifact ends inside the value")

func (d *valueDecoder) byte1() (byte, error) {
	if len(d.b) == 0 {
		return 0, errShort
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c, nil
}

func (d *valueDecoder) uvarint() (uint64, error) {
	u, n := binary.Uvarint(d.b)
	if n <= 0 {
		return 0, errShort
	}
	d.b = d.b[n:]
	return u, nil
}

func (d *valueDecoder) varint() (int64, error) {
	i, n := binary.Varint(d.b)
	if n <= 0 {
		return 0, errShort
	}
	d.b = d.b[n:]
	return i, nil
}

func (d *valueDecoder) take(n uint64) ([]byte, error) {
	if n > uint64(len(d.b)) {
		return nil, errShort
	}
	b := d.b[:n:n]
	d.b = d.b[n:]
	return b, nil
}

func (d *valueDecoder) bytes() ([]byte, error) {
	n, err := d.uvarint()
	if err != nil {
		return nil, err
	}
	return d.take(n)
}

// length reads the count of a slice or map (0 for nil) and checks that the
// rest of the artifact can hold that many elements of the given size (every
// value of non-zero size takes at least a byte), so that a damaged count
// cannot make the decoder allocate more than the artifact holds.
func (d *valueDecoder) length(size uintptr) (n int, isNil bool, err error) {
	u, err := d.uvarint()
	if err != nil {
		return 0, false, err
	}
	if u == 0 {
		return 0, true, nil
	}
	u--
	if size > 0 && u > uint64(len(d.b)) {
		return 0, false, fmt.Errorf("claims %d elements but %d bytes follow", u, len(d.b))
	}
	if u > math.MaxInt32 && size == 0 {
		return 0, false, fmt.Errorf("claims %d elements", u)
	}
	return int(u), false, nil
}

// value reads into v, which is settable.
func (d *valueDecoder) value(v reflect.Value) error {
	t := v.Type()
	if t == timeType {
		tm, err := d.time()
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(tm))
		return nil
	}
	if oc, ok := ownCodecOf(t); ok {
		tag, err := d.byte1()
		if err != nil {
			return err
		}
		switch tag {
		case 0:
			v.SetZero()
			return nil
		case 1:
		default:
			return fmt.Errorf("invalid tag %d", tag)
		}
		b, err := d.bytes()
		if err != nil {
			return err
		}
		if err := oc.unmarshal(v.Addr().Interface(), b); err != nil {
			return fmt.Errorf("Un%s: %w", oc.name[len("Marshal"):], err)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		c, err := d.byte1()
		if err != nil {
			return err
		}
		if c > 1 {
			return fmt.Errorf("invalid bool %d", c)
		}
		v.SetBool(c == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := d.varint()
		if err != nil {
			return err
		}
		if v.OverflowInt(i) {
			return fmt.Errorf("%d overflows %s", i, t)
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u, err := d.uvarint()
		if err != nil {
			return err
		}
		if v.OverflowUint(u) {
			return fmt.Errorf("%d overflows %s", u, t)
		}
		v.SetUint(u)
	case reflect.Float32:
		b, err := d.take(4)
		if err != nil {
			return err
		}
		// SetFloat would round through float64 and quiet a signalling NaN;
		// the bits go in as they are.
		*(*float32)(unsafe.Pointer(v.UnsafeAddr())) = math.Float32frombits(binary.LittleEndian.Uint32(b))
	case reflect.Float64:
		b, err := d.take(8)
		if err != nil {
			return err
		}
		v.SetFloat(math.Float64frombits(binary.LittleEndian.Uint64(b)))
	case reflect.Complex64:
		b, err := d.take(8)
		if err != nil {
			return err
		}
		*(*complex64)(unsafe.Pointer(v.UnsafeAddr())) = complex(
			math.Float32frombits(binary.LittleEndian.Uint32(b)), math.Float32frombits(binary.LittleEndian.Uint32(b[4:])))
	case reflect.Complex128:
		b, err := d.take(16)
		if err != nil {
			return err
		}
		v.SetComplex(complex(math.Float64frombits(binary.LittleEndian.Uint64(b)), math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))))
	case reflect.String:
		b, err := d.bytes()
		if err != nil {
			return err
		}
		v.SetString(string(b))
	case reflect.Slice:
		n, isNil, err := d.length(t.Elem().Size())
		if err != nil || isNil {
			return err
		}
		s := reflect.MakeSlice(t, n, n)
		if n > 0 && fixedWidth(t.Elem()) {
			if err := d.fixed(s); err != nil {
				return err
			}
		} else {
			for i := range n {
				if err := d.value(reflectvalue.Settable(s.Index(i))); err != nil {
					return within(err, index(i))
				}
			}
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			if err := d.value(reflectvalue.Settable(v.Index(i))); err != nil {
				return within(err, index(i))
			}
		}
	case reflect.Map:
		n, isNil, err := d.length(t.Key().Size() + t.Elem().Size())
		if err != nil || isNil {
			return err
		}
		if n > 1 && t.Key().Size() == 0 {
			return fmt.Errorf("claims %d entries under one zero-size key", n)
		}
		m := reflect.MakeMapWithSize(t, n)
		for range n {
			k := reflect.New(t.Key()).Elem()
			if err := d.value(k); err != nil {
				return within(err, "[key]")
			}
			val := reflect.New(t.Elem()).Elem()
			if err := d.value(val); err != nil {
				return within(err, "["+keyText(k)+"]")
			}
			m.SetMapIndex(k, val)
		}
		v.Set(m)
	case reflect.Pointer:
		c, err := d.byte1()
		if err != nil {
			return err
		}
		switch c {
		case 0:
			v.SetZero()
			return nil
		case 1:
		default:
			return fmt.Errorf("invalid pointer tag %d", c)
		}
		p := reflect.New(t.Elem())
		if err := d.value(p.Elem()); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Struct:
		for i := range t.NumField() {
			if err := d.value(reflectvalue.Settable(v.Field(i))); err != nil {
				return within(err, "."+t.Field(i).Name)
			}
		}
	case reflect.Interface:
		return d.iface(v)
	default:
		return fmt.Errorf("a %s cannot be stored", t)
	}
	return nil
}

func (d *valueDecoder) fixed(s reflect.Value) error {
	size := int(s.Type().Elem().Size())
	b, err := d.take(uint64(s.Len()) * uint64(size))
	if err != nil {
		return err
	}
	raw := unsafe.Slice((*byte)(s.UnsafePointer()), s.Len()*size)
	if hostLittleEndian || size == 1 {
		copy(raw, b)
		return nil
	}
	for i := 0; i < len(raw); i += size {
		for j := range size {
			raw[i+j] = b[i+size-1-j]
		}
	}
	return nil
}

func (d *valueDecoder) iface(v reflect.Value) error {
	tag, err := d.byte1()
	if err != nil {
		return err
	}
	if tag == 0 {
		v.SetZero()
		return nil
	}
	if v.Type() == errorType {
		if tag != 1 {
			return fmt.Errorf("invalid error tag %d", tag)
		}
		msg, err := d.bytes()
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(errors.New(string(msg))))
		return nil
	}
	if v.NumMethod() > 0 {
		return fmt.Errorf("an interface %s cannot be loaded", v.Type())
	}
	if int(tag) >= len(anyTypes) || anyTypes[tag] == nil {
		return fmt.Errorf("unknown dynamic type tag %d", tag)
	}
	dyn := reflect.New(anyTypes[tag]).Elem()
	if err := d.value(dyn); err != nil {
		return err
	}
	v.Set(dyn)
	return nil
}

// time restores a time.Time: by its location's name when this process can
// look that up and it gives the same zone at that instant, else as a fixed
// zone of the recorded name and offset, which behaves the same for that
// instant.
func (d *valueDecoder) time() (time.Time, error) {
	sec, err := d.varint()
	if err != nil {
		return time.Time{}, err
	}
	nsec, err := d.uvarint()
	if err != nil {
		return time.Time{}, err
	}
	if nsec >= 1e9 {
		return time.Time{}, fmt.Errorf("invalid nanoseconds %d", nsec)
	}
	name, err := d.bytes()
	if err != nil {
		return time.Time{}, err
	}
	zone, err := d.bytes()
	if err != nil {
		return time.Time{}, err
	}
	offset, err := d.varint()
	if err != nil {
		return time.Time{}, err
	}
	t := time.Unix(sec, int64(nsec))
	var loc *time.Location
	switch string(name) {
	case "UTC":
		loc = time.UTC
	case "Local":
		loc = time.Local
	default:
		loc, err = time.LoadLocation(string(name))
	}
	if err == nil {
		if z, o := t.In(loc).Zone(); z == string(zone) && int64(o) == offset {
			return t.In(loc), nil
		}
	}
	return t.In(time.FixedZone(string(zone), int(offset))), nil
}
