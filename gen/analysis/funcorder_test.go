package analysis

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/gen/emit"
	"github.com/zengen-dev/zengen/gen/ir"
)

// letterSteps declares GoNB function steps a, b and c in that order, with
// doc comments that the cases below extend: a and b are sources, c reads
// one number. Each prints its name, so that a run shows the order.
func letterSteps(docA, docB, docC string) cell {
	return code("import \"fmt\"\n\n" +
		docA + "//zen:step a\nfunc A() int {\n\tfmt.Println(\"a runs\")\n\treturn 1\n}\n\n" +
		docB + "//zen:step b\nfunc B() int {\n\tfmt.Println(\"b runs\")\n\treturn 2\n}\n\n" +
		docC + "//zen:step c\nfunc C(x int) int {\n\tfmt.Println(\"c runs\")\n\treturn x\n}")
}

// edgeSummary renders an edge as "from->to var" ("from->to" for ordering
// edges) for comparisons.
func edgeSummary(p *ir.Pipeline) []string {
	var out []string
	for _, e := range p.Edges {
		s := e.From + "->" + e.To
		if e.Var != "" {
			s += " " + e.Var
		}
		out = append(out, s)
	}
	return out
}

// TestFunctionStepOrder checks that independent function steps keep the
// order of the calls in the pipeline cell, not of their declarations, and
// that //zen:after and data edges still come first.
func TestFunctionStepOrder(t *testing.T) {
	tests := []struct {
		name             string
		kernel           string // gonb unless set
		cells            []cell
		wantOrder, after []string // after: the After list of step a
		wantEdges        []string
	}{
		{
			name:      "calls in declaration order",
			cells:     []cell{letterSteps("", "", ""), code("//zen:pipeline letters\n%%\nx := A()\nB()\nC(x)")},
			wantOrder: []string{"a", "b", "c"},
			wantEdges: []string{"a->c x"},
		},
		{
			name:      "independent calls in reverse order",
			cells:     []cell{letterSteps("", "", ""), code("//zen:pipeline letters\n%%\ny := B()\nA()\nC(y)")},
			wantOrder: []string{"b", "a", "c"},
			wantEdges: []string{"b->c y"},
		},
		{
			name:      "a later call that the first one reads still runs first",
			cells:     []cell{letterSteps("", "", ""), code("//zen:pipeline letters\n%%\nC(1)\nB()\nA()")},
			wantOrder: []string{"c", "b", "a"},
		},
		{
			name:      "after in the doc comment moves a step behind an independent one",
			cells:     []cell{letterSteps("// A waits for B.\n//\n//zen:after b\n", "", ""), code("//zen:pipeline letters\n%%\nx := A()\nB()\nC(x)")},
			wantOrder: []string{"b", "a", "c"},
			after:     []string{"b"},
			wantEdges: []string{"b->a", "a->c x"},
		},
		{
			name: "after below the step line",
			cells: []cell{
				code("//zen:step a\n//zen:after b\nfunc A() int { return 1 }\n\n//zen:step b\nfunc B() int { return 2 }"),
				code("//zen:pipeline letters\n%%\nA()\nB()"),
			},
			wantOrder: []string{"b", "a"},
			after:     []string{"b"},
			wantEdges: []string{"b->a"},
		},
		{
			name: "after tag on a cell declaring one function step",
			cells: []cell{
				code("//zen:step a\nfunc A() int { return 1 }"),
				{src: "//zen:step b\nfunc B() int { return 2 }", tags: []string{"prev:a"}},
				code("//zen:pipeline letters\n%%\nB()\nA()"),
			},
			wantOrder: []string{"a", "b"},
			wantEdges: []string{"a->b"},
		},
		{
			name:   "REPL: a cell step before the pipeline cell runs first",
			kernel: "gophernotes",
			cells: []cell{
				code("//zen:step prepare\nn := 3"),
				code("//zen:step b\nfunc B() int { return 2 }\n\n//zen:step a\nfunc A(n int) int { return n }"),
				code("//zen:pipeline letters\ny := B()\nx := A(3)"),
			},
			wantOrder: []string{"prepare", "b", "a"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kernel := tc.kernel
			if kernel == "" {
				kernel = "gonb"
			}
			p := analyze(t, notebook(t, kernel, tc.cells...), Config{})
			if diff := cmp.Diff(tc.wantOrder, stepNames(p)); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.after, stepNamed(t, p, "a").After); diff != "" {
				t.Errorf("a.After (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantEdges, edgeSummary(p)); diff != "" {
				t.Errorf("edges (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFunctionStepAfterEdge checks what inspect shows of an after edge of
// a function step: the step's After list and why the edge exists.
func TestFunctionStepAfterEdge(t *testing.T) {
	nb := notebook(t, "gonb",
		letterSteps("", "", "// C reports last.\n//\n//zen:after b a\n"),
		code("//zen:pipeline letters\n%%\nC(1)\nA()\nB()"),
	)
	p := analyze(t, nb, Config{})
	if diff := cmp.Diff([]string{"a", "b", "c"}, stepNames(p)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	c := stepNamed(t, p, "c")
	if diff := cmp.Diff([]string{"a", "b"}, c.After); diff != "" {
		t.Errorf("c.After (-want +got):\n%s", diff)
	}
	var whys []string
	for _, e := range p.Edges {
		whys = append(whys, e.Why)
	}
	want := []string{
		"c runs after a (//zen:after at cell 1:17)",
		"c runs after b (//zen:after at cell 1:17)",
	}
	if diff := cmp.Diff(want, whys); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
}

// TestFunctionStepAfterErrors checks that every //zen:after of a
// function-step notebook either orders a step or is reported.
func TestFunctionStepAfterErrors(t *testing.T) {
	calls := code("//zen:pipeline letters\n%%\nx := A()\nB()\nC(x)")
	tests := []struct {
		name   string
		kernel string // gonb unless set
		cells  []cell
		want   string
	}{
		{
			name:  "unknown step",
			cells: []cell{letterSteps("//zen:after train\n", "", ""), calls},
			want:  "nb.ipynb:cell 1:3:1: step a runs after unknown step train\n\thint: the steps are a, b, c",
		},
		{
			name:  "itself",
			cells: []cell{letterSteps("//zen:after a\n", "", ""), calls},
			want:  "nb.ipynb:cell 1:3:1: step a cannot run after itself",
		},
		{
			name:  "cycle through an after edge and a data edge",
			cells: []cell{letterSteps("//zen:after c\n", "", ""), calls},
			want:  "nb.ipynb:cell 1:5:1: steps form a cycle: a, c\n\thint: check the //zen:after markers of these steps",
		},
		{
			name:  "cycle of after edges",
			cells: []cell{letterSteps("//zen:after b\n", "//zen:after a\n", ""), calls},
			want:  "nb.ipynb:cell 1:5:1: steps form a cycle: a, b, c\n\thint: check the //zen:after markers of these steps",
		},
		{
			name:  "in the pipeline cell",
			cells: []cell{letterSteps("", "", ""), code("//zen:pipeline letters\n%%\nx := A()\n//zen:after a\nB()\nC(x)")},
			want:  "nb.ipynb:cell 2:4:1: //zen:after a: cell 2 belongs to no step\n\thint: to make a function step wait, write //zen:after NAME in its doc comment, beside its //zen:step",
		},
		{
			name:  "in the doc comment of an ordinary function",
			cells: []cell{letterSteps("", "", ""), code("//zen:after a\nfunc helper() {}"), calls},
			want:  "nb.ipynb:cell 2:1:1: //zen:after a: cell 2 belongs to no step\n\thint: to make a function step wait, write //zen:after NAME in its doc comment, beside its //zen:step",
		},
		{
			name:   "in the parameters cell",
			kernel: "gophernotes",
			cells:  []cell{{src: "//zen:after a\nn := 3", tags: []string{"parameters"}}, code("//zen:step a\nprintln(n)")},
			want:   "nb.ipynb:cell 1:1:1: //zen:after a: cell 1 belongs to no step\n\thint: put it in the cell of the step that should wait",
		},
		{
			name:  "after tag on the pipeline cell",
			cells: []cell{letterSteps("", "", ""), {src: calls.src, tags: []string{"after:a"}}},
			want:  "nb.ipynb:cell 2: after tag a: cell 2 belongs to no step\n\thint: to make a function step wait, write //zen:after NAME in its doc comment, beside its //zen:step",
		},
		{
			name:  "after tag on a cell declaring several function steps",
			cells: []cell{{src: letterSteps("", "", "").src, tags: []string{"after:b"}}, calls},
			want:  "nb.ipynb:cell 1: after tag b: cell 1 declares several function steps (a, b, c), so it cannot tell which one waits\n\thint: remove the tag and write //zen:after b in the doc comment of that function, beside its //zen:step",
		},
		{
			name:   "after tag on a cell declaring a function step and running statements",
			kernel: "gophernotes",
			cells: []cell{
				code("//zen:step prepare\nn := 3"),
				{src: "//zen:step a\nfunc A(n int) int { return n }\n\nm := n + 1", tags: []string{"after:prepare"}},
				code("//zen:pipeline letters\nx := A(3)"),
			},
			want: "nb.ipynb:cell 2: after tag prepare: cell 2 declares function step a and also runs statements, so it cannot tell which step waits\n\thint: remove the tag and write //zen:after prepare in the doc comment of the function or beside the statements",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kernel := tc.kernel
			if kernel == "" {
				kernel = "gonb"
			}
			analyzeError(t, kernel, tc.cells, tc.want)
		})
	}
}

// TestFunctionStepAfterStaysWithItsStep checks that a //zen:after in the
// doc comment of a step function, in a cell that trails a cell step, orders
// the function step and not the cell step.
func TestFunctionStepAfterStaysWithItsStep(t *testing.T) {
	nb := notebook(t, "gophernotes",
		code("//zen:step prepare\nn := 3"),
		code("//zen:step b\nfunc B() int { return 2 }\n\n//zen:after b\n//zen:step a\nfunc A(n int) int { return n }"),
		code("//zen:pipeline letters\nx := A(3)\ny := B()"),
	)
	p := analyze(t, nb, Config{})
	if got := stepNamed(t, p, "prepare").After; got != nil {
		t.Errorf("prepare.After = %v, want none", got)
	}
	if diff := cmp.Diff([]string{"b"}, stepNamed(t, p, "a").After); diff != "" {
		t.Errorf("a.After (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"prepare", "b", "a"}, stepNames(p)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

// TestFunctionStepRunOrder runs a generated pipeline with --parallel 1 and
// checks that its independent function steps start in the order of the
// calls, and that an after edge holds a step back.
func TestFunctionStepRunOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on a generated module")
	}
	nb := notebook(t, "gonb",
		letterSteps("//zen:after b\n", "", ""),
		code("//zen:pipeline letters\n%%\nC(5)\nA()\nB()"),
	)
	p := analyze(t, nb, Config{})
	dir := emitModule(t, p, emit.Options{Command: "generate letters"})
	out, err := runPipeline(t, dir, t.TempDir(), "letters", "run", "--parallel", "1")
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	var ran []string
	for _, m := range regexp.MustCompile(`([abc]) runs`).FindAllStringSubmatch(out, -1) {
		ran = append(ran, m[1])
	}
	if diff := cmp.Diff([]string{"c", "b", "a"}, ran); diff != "" {
		t.Errorf("run order (-want +got):\n%s\noutput:\n%s", diff, strings.TrimSpace(out))
	}
}
