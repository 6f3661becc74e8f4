package ir_test

import (
	"testing"
	"time"

	"github.com/zengen-dev/zengen/gen/ir"
	zen "github.com/zengen-dev/zengen/runtime"
)

// TestCodecNamesAreTheRuntimes: the IR names a built-in codec by the name
// the runtime's codec reports and records, so a run and its metadata agree
// with what inspect shows.
func TestCodecNamesAreTheRuntimes(t *testing.T) {
	runtimeNames := map[string]string{
		ir.CodecRaw:     zen.Raw[string]().Name(),
		ir.CodecNumeric: zen.Numeric[[]float64]().Name(),
		ir.CodecBinary:  zen.Binary[time.Time]().Name(),
		ir.CodecJSON:    zen.JSON[int]().Name(),
		ir.CodecValue:   zen.Value[int]().Name(),
		ir.CodecError:   zen.ErrorCodec().Name(),
	}
	if len(runtimeNames) != len(ir.BuiltinCodecs) {
		t.Fatalf("the test covers %d codecs, the IR lists %d", len(runtimeNames), len(ir.BuiltinCodecs))
	}
	for name, got := range runtimeNames {
		if got != name || !ir.BuiltinCodec(name) {
			t.Errorf("IR codec %q: the runtime's is named %q (builtin %v)", name, got, ir.BuiltinCodec(name))
		}
	}
}
