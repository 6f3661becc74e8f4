package analysis

import (
	"testing"

	"github.com/zengen-dev/zengen/gen/emit"
)

// TestMainArgsAfterANonFlagParity runs the parity test of a GoNB cell
// whose %main arguments start with one that is no flag: flag.Parse stopped
// there, so the flags after it kept their defaults, and since nothing
// reads flag.Args the step runs as the cell did.
func TestMainArgsAfterANonFlagParity(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on a generated module")
	}
	nb := notebook(t, "gonb",
		code("var size = flag.Int(\"size\", 5, \"batch size\")"),
		cell{src: "%main run --size=3\nfmt.Println(\"size\", *size)", stdout: "size 5\n"},
	)
	goTestGenerated(t, emitModule(t, analyze(t, nb, Config{}), emit.Options{}), nil, "")
}
