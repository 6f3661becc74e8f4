package analysis

import (
	"testing"

	"github.com/zengen-dev/zengen/gen/emit"
)

// TestGoNBInitReplayParity runs the parity test of a GoNB notebook whose
// init functions print and change between cells: the step prints, at the
// start of each of its cells (those with only declarations too), what the
// init functions that cell ran with printed, in GoNB's order (by name), as
// the notebook recorded.
func TestGoNBInitReplayParity(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on a generated module")
	}
	nb := notebook(t, "gonb",
		cell{src: "md:# Warm-up"},
		cell{src: "func init_report() {\n\tfmt.Println(\"init_report\")\n}", stdout: "init_report\n"},
		cell{src: "%%\nfmt.Println(\"load\")", stdout: "init_report\nload\n"},
		cell{src: "func init_clock() {\n\tfmt.Println(\"init_clock\")\n}", stdout: "init_clock\ninit_report\n"},
		cell{src: "func init() {\n\tfmt.Println(\"init\")\n}\n\n%%\nfmt.Println(\"train\")", stdout: "init\ninit_clock\ninit_report\ntrain\n"},
		cell{src: "%rm init_report", stdout: ". removed func init_report\n"},
		cell{src: "%%\nfmt.Println(\"report\")", stdout: "init\ninit_clock\nreport\n"},
	)
	goTestGenerated(t, emitModule(t, analyze(t, nb, Config{}), emit.Options{}), nil, "")
}

// TestGoNBInitInCodeHash: a step that calls an init function before its
// cell re-runs when that function changes, and names it among its code
// parts, since what it prints is the step's output.
func TestGoNBInitInCodeHash(t *testing.T) {
	step := func(greeting string) (hash string, parts []string) {
		nb := notebook(t, "gonb",
			code("func init_greet() {\n\tfmt.Println(\""+greeting+"\")\n}"),
			code("%%\nfmt.Println(\"work\")"),
		)
		p := analyze(t, nb, Config{})
		s := p.Steps[0]
		for _, c := range s.CodeParts {
			parts = append(parts, c.Name)
		}
		return s.CodeHash, parts
	}
	hello, parts := step("hello")
	if bye, _ := step("bye"); hello == bye {
		t.Error("the step's code hash did not change with the init function it calls")
	}
	if len(parts) != 2 || parts[1] != "init_greet" {
		t.Errorf("code parts %q, want the step's own and init_greet", parts)
	}
}
