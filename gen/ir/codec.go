package ir

import "slices"

// The runtime's codecs, by the name each one's Name() returns: a Port's
// Codec is one of these or the name of a //zen:codec function of the
// notebook (then Port.CodecFunc is set).
const (
	CodecRaw     = "raw"
	CodecNumeric = "numeric"
	CodecBinary  = "binary"
	CodecJSON    = "json"
	CodecValue   = "value"
	CodecError   = "error"
)

// BuiltinCodecs lists the runtime's codec names.
var BuiltinCodecs = []string{CodecRaw, CodecNumeric, CodecBinary, CodecJSON, CodecValue, CodecError}

// BuiltinCodec reports whether name is one of the runtime's codecs.
func BuiltinCodec(name string) bool { return slices.Contains(BuiltinCodecs, name) }
