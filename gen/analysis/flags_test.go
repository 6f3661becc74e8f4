package analysis

import (
	"slices"
	"strings"
	"testing"
)

const stepsFlag = "var steps = flag.Int(\"steps\", 1, \"how many\")\n\nfunc walk() { fmt.Println(*steps) }"

// TestFlagErrors checks what GoNB's flag handling would have refused, or
// zengen cannot give a step, is an error at its place.
func TestFlagErrors(t *testing.T) {
	tests := []struct {
		name  string
		cells []cell
		want  string
	}{
		{
			name:  "a value the flag refuses",
			cells: []cell{code(stepsFlag), code("%% --steps=many\nwalk()")},
			want:  "nb.ipynb:cell 2:1:1: `%% --steps=many`: invalid value \"many\" for flag -steps: parse error",
		},
		{
			name: "one step, two cells, two values",
			cells: []cell{code(stepsFlag),
				code("//zen:step walk\n%% --steps=2\nwalk()"), code("%% --steps=3\nwalk()")},
			want: "nb.ipynb:cell 3:1:1: step walk passes --steps=3 here and --steps=2 in cell 2: one step runs with one value\n\thint: split the cells into steps of their own",
		},
		{
			name:  "a flag defined in a step",
			cells: []cell{code("%%\nn := flag.Int(\"n\", 1, \"\")\nfmt.Println(*n)")},
			want:  "nb.ipynb:cell 1:2:6: flag.Int here defines a flag that zengen cannot make a param\n\thint: define it at package level, `var x = flag.Int(\"x\", 0, \"…\")`, or with flag.IntVar(&x, …) in func init; flags of the types Bool, Int, Int64, Uint, Uint64, String, Float64 and Duration become params",
		},
		{
			name:  "a default that is no constant",
			cells: []cell{code("var base = 3\nvar steps = flag.Int(\"steps\", base, \"\")\n\n%%\nfmt.Println(*steps)")},
			want:  "nb.ipynb:cell 1:2:31: flag steps needs a constant default to be a param, not base",
		},
		{
			name:  "a flag and a param of one name",
			cells: []cell{{src: "var steps = 4", tags: []string{"parameters"}}, code("var n = flag.Int(\"steps\", 1, \"\")\n\n%%\nfmt.Println(*n, steps)")},
			want:  "nb.ipynb:cell 2:1:9: parameter steps would be the flag --steps, as parameter steps (at nb.ipynb:cell 1:1:5) is\n\thint: rename one of the parameters",
		},
		{
			name:  "a flag of the run command",
			cells: []cell{code("var home = flag.String(\"home\", \"\", \"\")\n\n%% --home=x\nfmt.Println(*home)")},
			want:  "nb.ipynb:cell 1:1:12: parameter home would be the flag --home, which the run command has already\n\thint: rename the parameter; the run command's own flags are --" + strings.Join(runFlags, ", --"),
		},
		{
			name:  "%exec of nothing",
			cells: []cell{code(stepsFlag + "\n\n%exec --steps=2")},
			want:  "nb.ipynb:cell 1:5:1: `%exec --steps=2` names no function to call\n\thint: write %exec FUNC [FLAGS…], as GoNB requires",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			analyzeError(t, "gonb", tc.cells, tc.want)
		})
	}
}

// TestFlagParams checks the params of a function step that reads a flag
// its pipeline cell passes, and of a cell step that passes nothing.
func TestFlagParams(t *testing.T) {
	nb := notebook(t, "gonb",
		code(stepsFlag+"\n\n//zen:step count\nfunc Count() int { return *steps }"),
		code("//zen:pipeline walks\n%% --steps=5\nn := Count()"),
		code("//zen:step plain\n%%\nwalk()"),
	)
	p := analyze(t, nb, Config{})
	var got []string
	for _, prm := range p.Params {
		got = append(got, prm.Flag+"="+prm.Default)
	}
	if want := []string{"steps=1", "count.steps=5", "plain.steps=1"}; !slices.Equal(got, want) {
		t.Errorf("params = %v, want %v", got, want)
	}
	for _, s := range p.Steps {
		if want := []string{s.Name + ".steps"}; !slices.Equal(s.Flags, want) {
			t.Errorf("step %s sets flags %v, want %v", s.Name, s.Flags, want)
		}
	}
}

// TestFlagRedeclared checks that a flag declared again in a later cell is
// the later one, as GoNB keeps the last declaration, and that an init
// function with other statements still defines its flags.
func TestFlagRedeclared(t *testing.T) {
	nb := notebook(t, "gonb",
		code("var steps = flag.Int(\"steps\", 1, \"\")"),
		code("var steps = flag.Int(\"steps\", 7, \"\")\n\nvar rate float64\n\nfunc init() {\n\tn := 1\n\t_ = n\n\tflag.Float64Var(&rate, \"rate\", 0.5, \"\")\n}"),
		code("%% --rate=2\nfmt.Println(*steps, rate)"),
	)
	p := analyze(t, nb, Config{})
	var got []string
	for _, prm := range p.Params {
		got = append(got, prm.Flag+"="+prm.Default)
	}
	if want := []string{"steps=7", "rate=0.5", "cell_3.rate=2", "cell_3.steps=7"}; !slices.Equal(got, want) {
		t.Errorf("params = %v, want %v", got, want)
	}
}
