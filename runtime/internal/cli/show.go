package cli

import (
	"encoding"
	"fmt"
	"io"
)

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
