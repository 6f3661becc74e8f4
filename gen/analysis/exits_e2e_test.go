package analysis

import (
	"testing"

	"github.com/zengen-dev/zengen/gen/emit"
)

// TestCellExitsParity runs the parity test of an lgo step whose first
// cell returns early and whose middle cell defers: each acts on its own
// cell, as the kernel recorded, and the cells after it still run.
func TestCellExitsParity(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on a generated module")
	}
	nb := notebook(t, "lgo",
		code(`import "fmt"`),
		code("limit := 2"),
		cell{src: "//zen:step leave\nif limit < 3 {\n\tfmt.Println(\"stopping early\")\n\treturn\n}\nfmt.Println(\"not reached\")", stdout: "stopping early\n"},
		cell{src: "defer fmt.Println(\"cleanup\")\nfor i := 0; i < limit; i++ {\n\tfmt.Println(\"round\", i)\n}", stdout: "round 0\nround 1\ncleanup\n"},
		cell{src: "if limit > 1 {\n\tfmt.Println(\"after\", limit)\n}", stdout: "after 2\n"},
	)
	goTestGenerated(t, emitModule(t, analyze(t, nb, Config{}), emit.Options{}), nil, "")
}
