// Package layout owns the stored forms that the codecs write and that the
// command line reads without them: the built-in codecs' names, the
// numeric layout's header and the names of the float values JSON lacks.
// One spelling keeps the writer and the reader in step. It knows nothing
// about steps, runs or notebooks.
package layout

import "math"

// The names of the built-in codecs, recorded with every artifact and part
// of cache keys.
const (
	Raw     = "raw"
	Numeric = "numeric"
	Binary  = "binary"
	JSON    = "json"
	Error   = "error"
	Value   = "value"
)

// NeedsType reports whether reading an artifact stored by codec needs the
// Go type that wrote it: true for binary, value and user codecs, whose
// bytes only that type gives a meaning; false for the layouts the command
// line reads alone.
func NeedsType(codec string) bool {
	switch codec {
	case Raw, Numeric, JSON, Error, Display:
		return false
	}
	return true
}

// The numeric layout's header: magic, version, kind, width, flags, count.
const (
	NumericMagic      = "ZNUM"
	NumericVersion    = 1
	NumericHeaderSize = 16
	NumericFlagNil    = 1 << 0
)

// NonFiniteName returns "NaN", "+Inf" or "-Inf" for a non-finite f, and
// false for a finite one: the JSON codec stores them so and cat shows them
// so.
func NonFiniteName(f float64) (string, bool) {
	switch {
	case math.IsNaN(f):
		return "NaN", true
	case math.IsInf(f, 1):
		return "+Inf", true
	case math.IsInf(f, -1):
		return "-Inf", true
	}
	return "", false
}
