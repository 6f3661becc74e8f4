package pipeline

import (
	"io"

	"github.com/zengen-dev/zengen/runtime/internal/layout"
)

// TypeVerdict says whether this binary's Show may decode an artifact that a
// step run stored: the bytes of a binary, value or user-codec artifact
// mean what the writing type says, and a decoder of a changed type drops
// or zeroes fields without an error.
type TypeVerdict int

const (
	// TypeSame: the record's type hash is this output's, or the codec's
	// layout needs no Go type (json, raw, numeric, error, display).
	TypeSame TypeVerdict = iota
	// TypeUnknown: the record predates type hashes, or this binary's
	// output has none, so whether the type changed cannot be told.
	TypeUnknown
	// TypeChanged: the type that wrote the artifact is not this binary's.
	TypeChanged
)

// TypeCheck returns the Show hook of o for an artifact stored with codec
// by a type of hash stored, and the verdict on using it: nil for
// TypeChanged, so that no caller can decode by mistake.
func (o Output) TypeCheck(codec, stored string) (func(codec string, r io.Reader) (any, error), TypeVerdict) {
	switch {
	case !layout.NeedsType(codec):
		return o.Show, TypeSame
	case stored == "" || o.TypeHash == "":
		return o.Show, TypeUnknown
	case stored != o.TypeHash:
		return nil, TypeChanged
	}
	return o.Show, TypeSame
}
