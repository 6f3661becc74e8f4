package analysis

import (
	"testing"

	"github.com/zengen-dev/zengen/gen/emit"
)

// TestGoNBInitReplayParity runs the parity test of a GoNB notebook whose
// init functions print and change between cells: each step prints, at the
// start of each of its cells, what the init functions that cell ran with
// printed, in GoNB's order (by name), as the notebook recorded.
func TestGoNBInitReplayParity(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on a generated module")
	}
	nb := notebook(t, "gonb",
		cell{src: "func init_report() {\n\tfmt.Println(\"init_report\")\n}", stdout: "init_report\n"},
		cell{src: "%%\nfmt.Println(\"load\")", stdout: "init_report\nload\n"},
		cell{src: "func init_clock() {\n\tfmt.Println(\"init_clock\")\n}", stdout: "init_clock\ninit_report\n"},
		cell{src: "func init() {\n\tfmt.Println(\"init\")\n}\n\n%%\nfmt.Println(\"train\")", stdout: "init\ninit_clock\ninit_report\ntrain\n"},
		cell{src: "%rm init_report", stdout: ". removed func init_report\n"},
		cell{src: "%%\nfmt.Println(\"report\")", stdout: "init\ninit_clock\nreport\n"},
	)
	goTestGenerated(t, emitModule(t, analyze(t, nb, Config{}), emit.Options{}), nil, "")
}
