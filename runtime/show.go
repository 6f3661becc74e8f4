package runtime

import (
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
