package preview

import (
	"bufio"
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"

	"github.com/zengen-dev/zengen/runtime/internal/layout"
)

// A table of a value artifact is read row by row, in bounded memory, when
// its rows are made of what the value layout writes without a Go type's
// help (runtime/codec_value.go): a slice of structs (or pointers to them)
// whose fields are booleans, numbers and strings, or a slice of slices or
// arrays of numbers. Only the page's rows are kept; the other rows pass
// through the column statistics. Anything else in a row (a nested struct,
// a map, a time, a type with its own Marshal method) is left to the
// output's Show hook, which decodes the value whole.

// valueMagic and valueVersion start every value artifact.
const (
	valueMagic   = "ZVAL"
	valueVersion = 1
)

// probeType asks show which Go type the output holds, by decoding the
// value artifact of a nil slice (magic, version, a zero length): a slice
// type answers with a typed nil; any other type fails or answers with a
// type that is no slice.
func probeType(show func(string, io.Reader) (any, error)) reflect.Type {
	v, err := callShow(show, layout.Value, bytes.NewReader([]byte{'Z', 'V', 'A', 'L', valueVersion, 0}))
	if err != nil || v == nil {
		return nil
	}
	return reflect.TypeOf(v)
}

// streamable reports whether a value artifact of type t can be read as a
// table row by row, and returns the rows' type.
func streamable(t reflect.Type) (reflect.Type, bool) {
	if t == nil || t.Kind() != reflect.Slice || ownCodec(t) || ownCodec(t.Elem()) {
		return nil, false
	}
	row, ok := tableElem(t.Elem())
	if !ok || ownCodec(row) {
		return nil, false
	}
	if row.Kind() == reflect.Struct {
		for i := range row.NumField() {
			if !plain(row.Field(i).Type) {
				return nil, false
			}
		}
		return row, true
	}
	return row, plain(row.Elem())
}

// plain reports whether the value layout writes t by its kind alone: a
// boolean, a number or a string without a Marshal method of its own.
func plain(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.String:
	default:
		if !isNumber(t.Kind()) {
			return false
		}
	}
	return !ownCodec(t)
}

// ownCodec reports whether t's pointer has any of the methods with which
// a type brings its own encoding to the value codec. One method of a pair
// is enough to refuse: a stream that guessed wrong would show values the
// artifact does not hold.
func ownCodec(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	for _, i := range []reflect.Type{
		reflect.TypeFor[encoding.BinaryMarshaler](), reflect.TypeFor[encoding.BinaryUnmarshaler](),
		reflect.TypeFor[encoding.TextMarshaler](), reflect.TypeFor[encoding.TextUnmarshaler](),
		reflect.TypeFor[json.Marshaler](), reflect.TypeFor[json.Unmarshaler](),
		reflect.TypeFor[interface{ GobEncode() ([]byte, error) }](), reflect.TypeFor[interface{ GobDecode([]byte) error }](),
	} {
		if pt.Implements(i) {
			return true
		}
	}
	return false
}

// errValueShort is a value artifact that ends inside its value.
var errValueShort = errors.New("value: the artifact ends inside the value")

// valueStream reads the value layout's pieces, into cells it reuses from
// row to row: a row's cells become text or statistics before the next.
type valueStream struct {
	r      *bufio.Reader
	row    reflect.Type
	fields []reflect.Type // of a struct row; nil for a matrix
	cells  []reflect.Value
}

func newValueStream(r io.Reader, row reflect.Type) *valueStream {
	s := &valueStream{r: bufio.NewReaderSize(r, 64<<10), row: row}
	if row.Kind() == reflect.Struct {
		for i := range row.NumField() {
			s.fields = append(s.fields, row.Field(i).Type)
		}
	}
	return s
}

// short names an end of the artifact inside the value as such; any other
// error (the store's, a digest that does not match) stays as it is.
func short(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errValueShort
	}
	return err
}

func (s *valueStream) uvarint() (uint64, error) {
	u, err := binary.ReadUvarint(s.r)
	return u, short(err)
}

func (s *valueStream) full(b []byte) error {
	_, err := io.ReadFull(s.r, b)
	return short(err)
}

// maxCellBytes is how much of a string a cell keeps: enough for maxCell
// characters of UTF-8.
const maxCellBytes = 4*maxCell + 4

// plainValue reads one plain value into v. A string is kept only when
// keep is set, and then only as much as a cell shows, the cut marked.
func (s *valueStream) plainValue(v reflect.Value, keep bool) error {
	switch k := v.Kind(); {
	case k == reflect.Bool:
		c, err := s.r.ReadByte()
		if err != nil {
			return short(err)
		}
		if c > 1 {
			return fmt.Errorf("value: invalid bool %d", c)
		}
		v.SetBool(c == 1)
	case k == reflect.Float32:
		var b [4]byte
		if err := s.full(b[:]); err != nil {
			return err
		}
		// Bits as they are: SetFloat would round through float64.
		*(*float32)(v.Addr().UnsafePointer()) = math.Float32frombits(binary.LittleEndian.Uint32(b[:]))
	case k == reflect.Float64:
		var b [8]byte
		if err := s.full(b[:]); err != nil {
			return err
		}
		v.SetFloat(math.Float64frombits(binary.LittleEndian.Uint64(b[:])))
	case v.CanInt():
		i, err := binary.ReadVarint(s.r)
		if err != nil {
			return short(err)
		}
		if v.OverflowInt(i) {
			return fmt.Errorf("value: %d overflows %s", i, v.Type())
		}
		v.SetInt(i)
	case v.CanUint():
		u, err := s.uvarint()
		if err != nil {
			return err
		}
		if v.OverflowUint(u) {
			return fmt.Errorf("value: %d overflows %s", u, v.Type())
		}
		v.SetUint(u)
	case k == reflect.String:
		n, err := s.uvarint()
		if err != nil {
			return err
		}
		var kept []byte
		if keep {
			kept = make([]byte, min(n, maxCellBytes))
			if err := s.full(kept); err != nil {
				return err
			}
		}
		if rest := n - uint64(len(kept)); rest > 0 {
			if rest > math.MaxInt64 {
				return errValueShort
			}
			if _, err := io.CopyN(io.Discard, s.r, int64(rest)); err != nil {
				return short(err)
			}
		}
		text := string(kept)
		if keep && uint64(len(kept)) < n {
			text += "…"
		}
		v.SetString(text)
	}
	return nil
}

// fixedWidth reports whether the value layout writes a slice of t as its
// elements' little-endian bits in one go (sized numbers; int, uint and
// uintptr are varints).
func fixedWidth(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// fixedValue reads one element of a fixed-width slice into v.
func (s *valueStream) fixedValue(v reflect.Value) error {
	var b [8]byte
	size := int(v.Type().Size())
	if err := s.full(b[:size]); err != nil {
		return err
	}
	u := binary.LittleEndian.Uint64(b[:])
	switch k := v.Kind(); {
	case k == reflect.Float32:
		*(*float32)(v.Addr().UnsafePointer()) = math.Float32frombits(uint32(u))
	case k == reflect.Float64:
		v.SetFloat(math.Float64frombits(u))
	case v.CanInt():
		shift := 64 - 8*uint(size)
		v.SetInt(int64(u<<shift) >> shift)
	default:
		v.SetUint(u)
	}
	return nil
}

// cell returns the reusable value of column i, of type t.
func (s *valueStream) cell(i int, t reflect.Type) reflect.Value {
	for len(s.cells) <= i {
		s.cells = append(s.cells, reflect.New(t).Elem())
	}
	return s.cells[i]
}

// next reads one row (a pointer to one when pointer): its first
// maxColumns cells and its width. Strings are kept only when keep is set,
// for a row on the page.
func (s *valueStream) next(pointer, keep bool) ([]reflect.Value, int, error) {
	if pointer {
		tag, err := s.r.ReadByte()
		switch {
		case err != nil:
			return nil, 0, short(err)
		case tag == 0:
			return nil, len(s.fields), nil
		case tag != 1:
			return nil, 0, fmt.Errorf("value: invalid pointer tag %d", tag)
		}
	}
	read := s.plainValue
	n := len(s.fields)
	switch s.row.Kind() {
	case reflect.Struct:
	case reflect.Array:
		n = s.row.Len()
	default:
		u, err := s.uvarint()
		if err != nil {
			return nil, 0, err
		}
		if u == 0 {
			return nil, 0, nil // a nil row
		}
		if u-1 > math.MaxInt32 {
			return nil, 0, fmt.Errorf("value: a row claims %d elements", u-1)
		}
		n = int(u - 1)
		if fixedWidth(s.row.Elem()) {
			read = func(v reflect.Value, _ bool) error { return s.fixedValue(v) }
		}
	}
	var scratch reflect.Value
	for i := range n {
		t := s.row
		if s.fields != nil {
			t = s.fields[i]
		} else {
			t = t.Elem()
		}
		var v reflect.Value
		if i < maxColumns {
			v = s.cell(i, t)
		} else {
			if !scratch.IsValid() {
				scratch = reflect.New(t).Elem()
			}
			v = scratch
		}
		if err := read(v, keep); err != nil {
			return nil, 0, err
		}
	}
	return s.cells[:min(n, maxColumns)], n, nil
}

// streamTable reads a value artifact of a slice of row (or of pointers to
// row, when pointer) as a table page.
func streamTable(r io.Reader, row reflect.Type, pointer bool, page int) (*Table, error) {
	s := newValueStream(r, row)
	head := make([]byte, len(valueMagic)+1)
	if err := s.full(head); err != nil || string(head[:4]) != valueMagic {
		return nil, errors.New("value: not a value artifact (bad magic)")
	}
	if head[4] != valueVersion {
		return nil, fmt.Errorf("value: layout version %d, this dashboard reads %d", head[4], valueVersion)
	}
	u, err := s.uvarint()
	if err != nil {
		return nil, err
	}
	total := 0
	if u > 0 {
		if u-1 > math.MaxInt32 {
			return nil, fmt.Errorf("value: the slice claims %d elements", u-1)
		}
		total = int(u - 1)
	}
	b := newTableBuilder(row, total, page)
	for i := range total {
		cells, width, err := s.next(pointer, b.onPage(i))
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		b.add(i, cells, width)
	}
	// Reading to the end also lets a verifying reader check the digest.
	if _, err := s.r.ReadByte(); err != io.EOF {
		if err != nil {
			return nil, err
		}
		return nil, errors.New("value: trailing data after the value")
	}
	return b.finish(), nil
}
