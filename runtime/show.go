package runtime

import (
	"encoding"
	"fmt"
	"io"
	"reflect"
)

// Shower returns the Output.Show of an artifact that c encodes: it decodes
// with the codec registered for T when the artifact was written by that
// one, else with c, so that `cat` can show binary and user-codec artifacts
// as values. Generated code fills Output.Show with it:
//
//	{Name: "n", Type: "big.Int", Codec: "binary", Show: zen.Shower(zen.Binary[big.Int]())}
func Shower[T any](c Codec[T]) func(codec string, r io.Reader) (any, error) {
	return func(codec string, r io.Reader) (any, error) {
		for _, candidate := range []Codec[T]{codecFor(c), c} {
			if candidate.Name() == codec {
				v, err := candidate.Decode(r)
				if err != nil {
					return nil, fmt.Errorf("decode %s: %w", codec, err)
				}
				return v, nil
			}
		}
		return nil, fmt.Errorf("the artifact was written with codec %s; this binary encodes %s with %s",
			codec, reflect.TypeFor[T](), codecFor(c).Name())
	}
}

// showValue prints a value that Output.Show decoded, in the form its type
// chose for people: text for encoding.TextMarshaler (big numbers, times,
// addresses) and fmt.Stringer, and otherwise as renderValue writes it:
// indented JSON's shape, but with every field the artifact holds.
func showValue(w io.Writer, v any) error {
	var text string
	switch t := v.(type) {
	case encoding.TextMarshaler:
		b, err := t.MarshalText()
		if err != nil {
			return err
		}
		text = string(b)
	case fmt.Stringer:
		text = t.String()
	case error:
		text = t.Error()
	default:
		text = renderValue(v)
	}
	_, err := io.WriteString(w, text+"\n")
	return err
}
