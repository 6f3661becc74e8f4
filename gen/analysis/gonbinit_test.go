package analysis

import "testing"

// TestGoNBInitReplayRefusals: the init functions a step would call before
// its cells are refused where calling them is not what GoNB ran.
func TestGoNBInitReplayRefusals(t *testing.T) {
	tests := []struct {
		name  string
		cells []cell
		want  string
	}{
		{
			name: "an init function that changes a variable",
			cells: []cell{
				code("var loads int\n\nfunc init_count() {\n\tloads++\n\tfmt.Println(\"loads\", loads)\n}"),
				code("%%\nfmt.Println(\"go\")"),
			},
			want: "nb.ipynb:cell 1:4:2: func init_count changes loads: GoNB ran it before every cell's main, each time on fresh variables, so the steps would call it before each of their cells (they print), which zengen does only for init functions that change no package-level variable: the change would carry over into the next cell\n\thint: give loads its value where it is declared (var loads = …), or set it in the cells that need it",
		},
		{
			name: "an init function that reads a flag",
			cells: []cell{
				code("var steps = flag.Int(\"steps\", 1, \"\")\n\nfunc init_show() {\n\tfmt.Println(\"steps\", *steps)\n}"),
				code("%% --steps=3\nfmt.Println(*steps)"),
			},
			want: "nb.ipynb:cell 1:3:1: func init_show reaches the flag package (at cell 1:1): GoNB ran it before main's flag.Parse, with every flag at its default, while a step sets the flags its cell passes before its code\n\thint: read the flags in the cells, after flag.Parse, not in an init function",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			analyzeError(t, "gonb", tt.cells, tt.want)
		})
	}
}

// TestGoNBInitStepState: a package-level variable that an init function
// the step calls reads is state the step touches, as if its cell read it.
func TestGoNBInitStepState(t *testing.T) {
	nb := notebook(t, "gonb",
		code("var names = []string{\"a\", \"b\"}\n\nfunc init_show() {\n\tfmt.Println(names)\n}"),
		code("%%\nfmt.Println(\"go\")"),
	)
	p := analyze(t, nb, Config{})
	if got := p.Steps[0].State; len(got) != 1 || got[0] != "names" {
		t.Errorf("State %q, want [names]", got)
	}
}
