package runtime

import (
	"bytes"
	"math"
	"os"
	"testing"

	"github.com/zengen-dev/zengen/internal/proctest"
)

// printOperands are values of every basic kind, edge values included.
var printOperands = []any{
	true, false, 0, -1, math.MaxInt64, math.MinInt64, int8(-128), int16(7), int32('a'), uint(7), uint8(255),
	uint64(math.MaxUint64), uintptr(0xdeadbeef), uintptr(0),
	1.5, -0.0, 1e21, 1e-7, 123456789.125, math.Inf(1), math.Inf(-1), math.NaN(), float32(0.1), float32(-3.25e-20),
	complex(1, -2), complex64(complex(0.5, 1e9)), "text", "", "tab\tand\nnewline", "\xff",
}

// printBuiltin prints printOperands with the builtins print and println,
// in the order TestPrintMatchesBuiltin formats them with Print and Println.
func printBuiltin() {
	println(true, false, 0, -1, math.MaxInt64, math.MinInt64, int8(-128), int16(7), int32('a'), uint(7), uint8(255),
		uint64(math.MaxUint64), uintptr(0xdeadbeef), uintptr(0),
		1.5, -0.0, 1e21, 1e-7, 123456789.125, math.Inf(1), math.Inf(-1), math.NaN(), float32(0.1), float32(-3.25e-20),
		complex(1, -2), complex64(complex(0.5, 1e9)), "text", "", "tab\tand\nnewline", "\xff")
	print(1, "a", 2.5, true, "\n")
	println()
}

func init() {
	if os.Getenv("ZEN_PRINT_BUILTIN") == "1" {
		printBuiltin()
		os.Exit(0)
	}
}

// TestPrintMatchesBuiltin compares Print and Println with what the Go
// runtime's print and println write to stderr, in a child process: a Go
// release that changes the builtin's format fails here.
func TestPrintMatchesBuiltin(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := proctest.Command(t, exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "ZEN_PRINT_BUILTIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	var got bytes.Buffer
	Println(&got, printOperands...)
	Print(&got, 1, "a", 2.5, true, "\n")
	Println(&got)
	if got.String() != stderr.String() {
		t.Errorf("Print and Println wrote\n%q\nthe builtins wrote\n%q", got.String(), stderr.String())
	}
}
