// Package valuetext writes a decoded artifact's value for people, the same
// way wherever it is shown: `cat` on a terminal and the dashboard's
// artifact page. It knows Go values, not codecs, steps or HTML.
package valuetext

import (
	"encoding"
	"fmt"
)

// Text is a value that Output.Show decoded, in the form its type chose for
// people: text for encoding.TextMarshaler (big numbers, times, addresses)
// and fmt.Stringer, and otherwise as renderValue writes it: indented JSON's
// shape, but with every field the artifact holds.
func Text(v any) (string, error) {
	switch t := v.(type) {
	case encoding.TextMarshaler:
		b, err := t.MarshalText()
		if err != nil {
			return "", err
		}
		return string(b), nil
	case fmt.Stringer:
		return t.String(), nil
	case error:
		return t.Error(), nil
	}
	return renderValue(v), nil
}
