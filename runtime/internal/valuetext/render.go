package valuetext

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zengen-dev/zengen/runtime/internal/layout"
	"github.com/zengen-dev/zengen/runtime/internal/reflectvalue"
)

// renderValue writes v for people in the shape of indented JSON, but as
// exactly as the value codec keeps it: every field, unexported ones
// included (a *mat.Dense shows its numbers, not the {} encoding/json
// makes of it); NaN and infinities as "NaN", "+Inf", "-Inf"; strings that
// are not UTF-8 Go-quoted with \x escapes; null for nil, [] and {} for
// empty. A value whose type has a text form (fmt.Stringer,
// encoding.TextMarshaler, error) is shown as that text.
func renderValue(v any) string {
	var b strings.Builder
	rv := reflect.ValueOf(v)
	if rv.IsValid() {
		c := reflect.New(rv.Type()).Elem()
		c.Set(rv)
		rv = c
	}
	renderTo(&b, rv, "")
	return b.String()
}

// renderDepth bounds nesting, so that a value a user codec built with a
// cycle still prints.
const renderDepth = 64

func renderTo(b *strings.Builder, v reflect.Value, indent string) {
	if !v.IsValid() {
		b.WriteString("null")
		return
	}
	if len(indent) > 2*renderDepth {
		b.WriteString(`"…"`)
		return
	}
	if text, ok := textOf(v); ok {
		b.WriteString(Quote(text))
		return
	}
	inner := indent + "  "
	switch v.Kind() {
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		b.WriteString(renderFloat(v.Float(), v.Type().Bits()))
	case reflect.Complex64, reflect.Complex128:
		b.WriteString(strconv.Quote(strconv.FormatComplex(v.Complex(), 'g', -1, v.Type().Bits())))
	case reflect.String:
		b.WriteString(Quote(v.String()))
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("null")
			return
		}
		if v.Len() == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[")
		v = reflectvalue.Addressable(v)
		for i := range v.Len() {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + inner)
			renderTo(b, reflectvalue.Settable(v.Index(i)), inner)
		}
		b.WriteString("\n" + indent + "]")
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		type entry struct{ key, value string }
		var entries []entry
		for it := v.MapRange(); it.Next(); {
			var k, val strings.Builder
			renderTo(&k, reflectvalue.Addressable(it.Key()), inner)
			renderTo(&val, reflectvalue.Addressable(it.Value()), inner)
			key := k.String()
			if !strings.HasPrefix(key, `"`) {
				key = strconv.Quote(key)
			}
			entries = append(entries, entry{key, val.String()})
		}
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key+a.value, b.key+b.value) })
		renderObject(b, indent, len(entries), func(i int) (string, string) { return entries[i].key, entries[i].value })
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		renderTo(b, reflectvalue.Settable(reflectvalue.Addressable(v.Elem())), indent)
	case reflect.Struct:
		t := v.Type()
		renderObject(b, indent, t.NumField(), func(i int) (string, string) {
			var val strings.Builder
			renderTo(&val, reflectvalue.Settable(v.Field(i)), inner)
			return Quote(t.Field(i).Name), val.String()
		})
	default:
		b.WriteString(strconv.Quote(v.Type().String()))
	}
}

func renderObject(b *strings.Builder, indent string, n int, entry func(int) (key, value string)) {
	if n == 0 {
		b.WriteString("{}")
		return
	}
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		k, val := entry(i)
		b.WriteString("\n" + indent + "  " + k + ": " + val)
	}
	b.WriteString("\n" + indent + "}")
}

// textOf returns the text form of v's type, if it has one. v is
// addressable, so methods on the pointer count too.
func textOf(v reflect.Value) (string, bool) {
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return "", false
	}
	candidates := []reflect.Value{v}
	if v.CanAddr() && v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface {
		candidates = append(candidates, v.Addr())
	}
	for _, c := range candidates {
		if !c.CanInterface() {
			continue
		}
		switch x := c.Interface().(type) {
		case error:
			return x.Error(), true
		case encoding.TextMarshaler:
			if text, err := x.MarshalText(); err == nil {
				return string(text), true
			}
		case fmt.Stringer:
			return x.String(), true
		}
	}
	return "", false
}

func renderFloat(f float64, bits int) string {
	if s, ok := layout.NonFiniteName(f); ok {
		return `"` + s + `"`
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

// Quote writes s as a JSON string when it is UTF-8, else Go-quoted so
// that every byte shows.
func Quote(s string) string {
	if !utf8.ValidString(s) {
		return strconv.Quote(s)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
