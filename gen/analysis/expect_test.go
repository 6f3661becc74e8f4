package analysis

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

func TestCellExpect(t *testing.T) {
	stdout := func(text string) parser.Output { return parser.Output{Type: "stream", Name: "stdout", Text: text} }
	result := func(text string) parser.Output { return parser.Output{Type: "execute_result", Text: text} }
	nocheck := []parser.Directive{{Name: "nocheck"}}
	tests := []struct {
		name string
		cell parser.Cell
		want *ir.Expect // Cell and Pos are filled in
	}{
		{"stdout streams join", parser.Cell{Code: "f()", Executed: true, Outputs: []parser.Output{stdout("a"), stdout("b\nc\n")}},
			&ir.Expect{Text: "ab\nc\n"}},
		{"text result", parser.Cell{Code: "f()", Executed: true, Outputs: []parser.Output{result("Overall accuracy: 0.97\n")}},
			&ir.Expect{Text: "Overall accuracy: 0.97\n"}},
		{"results of a trailing print call", parser.Cell{Code: "fmt.Printf(\"%T\\n\", a)\n", Executed: true, Outputs: []parser.Output{stdout("int\n"), result("4 <nil>")}},
			&ir.Expect{Text: "int\n"}},
		{"a count that is not the results of a print call", parser.Cell{Code: "report()", Executed: true, Outputs: []parser.Output{result("4 <nil>")}},
			&ir.Expect{Text: "4 <nil>"}},
		{"stderr, display data", parser.Cell{Code: "f()", Executed: true, Outputs: []parser.Output{
			{Type: "stream", Name: "stderr", Text: "2024/01/01 log line\n"}, {Type: "display_data", Text: "PNG Gopher"}, stdout("ok\n")}},
			&ir.Expect{Text: "ok\n"}},
		{"ANSI codes, trailing spaces, CRLF", parser.Cell{Code: "f()", Executed: true, Outputs: []parser.Output{stdout("\x1b[1;31mred\x1b[0m  \r\n\x1b]8;;https://go.dev\x1b\\link\x1b]8;;\x1b\\\t\nend ")}},
			&ir.Expect{Text: "red\nlink\nend "}},
		{"ran and printed nothing", parser.Cell{Code: "x := 1", Executed: true},
			&ir.Expect{Text: ""}},
		{"nocheck", parser.Cell{Code: "f()", Executed: true, Directives: nocheck, Outputs: []parser.Output{stdout("took 3s\n")}},
			&ir.Expect{Text: "took 3s\n", Skip: true}},
		{"never executed", parser.Cell{Code: "f()"},
			&ir.Expect{Skip: true}},
		{"outputs under a null execution count", parser.Cell{Code: "f()", Outputs: []parser.Output{stdout("kept\n")}},
			&ir.Expect{Text: "kept\n"}},
		{"stopped by an error", parser.Cell{Code: "f()", Executed: true, Outputs: []parser.Output{stdout("half\n"), {Type: "error", Name: "panic", Text: "boom"}}},
			&ir.Expect{Text: "half\n", Skip: true}},
		{"markdown", parser.Cell{Kind: parser.Markdown, Code: "# Title"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cell
			c.Number, c.FirstLine = 4, 1
			if c.Kind == "" {
				c.Kind = parser.Code
			}
			a := &analysis{nb: &parser.Notebook{Path: "nb.ipynb", Format: parser.FormatIPYNB}}
			want := tt.want
			if want != nil {
				want.Cell, want.Pos = 4, ir.Pos{File: "nb.ipynb", Cell: 4, Line: 1}
			}
			if diff := cmp.Diff(want, a.cellExpect(&c)); diff != "" {
				t.Errorf("cellExpect (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNormaliseOutput(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"a  \nb\t\n", "a\nb\n"},
		{"unfinished ", "unfinished "},
		{"a\r\nb\r\n", "a\nb\n"},
		{"\x1b[2K\x1b[?25lloading\x1b[?25h\n", "loading\n"},
		{"  indented\n", "  indented\n"},
	}
	for _, tt := range tests {
		if got := normaliseOutput(tt.in); got != tt.want {
			t.Errorf("normaliseOutput(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestExpectationsThroughAnalysis reads the nocheck tags with the real
// parser and checks which steps' cells are recorded.
func TestExpectationsThroughAnalysis(t *testing.T) {
	nb := notebook(t, "gophernotes",
		code(`import "fmt"`),
		cell{src: "//zen:step a\nfmt.Println(1)", stdout: "1\n"},
		cell{src: "fmt.Println(2)", tags: []string{"nbval-skip"}, stdout: "2\n"},
		cell{src: "fmt.Println(3)", tags: []string{"raises-exception"}, stdout: "3\n"},
		code("fmt.Println(4)"),
	)
	p := analyze(t, nb, Config{})
	at := func(cell int) ir.Pos { return ir.Pos{File: "nb.ipynb", Cell: cell, Line: 1} }
	want := []*ir.Expect{
		{Cell: 2, Pos: at(2), Text: "1\n"},
		{Cell: 3, Pos: at(3), Text: "2\n", Skip: true},
		{Cell: 4, Pos: at(4), Text: "3\n", Skip: true},
		{Cell: 5, Pos: at(5), Skip: true},
	}
	if diff := cmp.Diff(want, stepNamed(t, p, "a").Expect); diff != "" {
		t.Errorf("expect (-want +got):\n%s", diff)
	}
}

// TestFunctionStepExpectations checks that a pipeline cell's output is
// expected from the steps it calls, joined in call order, and that the
// REPL's display of the last call's results is not.
func TestFunctionStepExpectations(t *testing.T) {
	load := "import \"fmt\"\n\n//zen:step load\nfunc Load() []int {\n\tfmt.Println(\"loading\")\n\treturn []int{1, 2}\n}"
	count := "\n\n//zen:step count\nfunc Count(xs []int) int {\n\tfmt.Println(\"counting\")\n\treturn len(xs)\n}"
	at := ir.Pos{File: "nb.ipynb", Cell: 2, Line: 1}
	one := notebook(t, "gonb", code(load), cell{src: "//zen:pipeline one\n%%\n_ = Load()", stdout: "loading\n"})
	p := analyze(t, one, Config{})
	want := []*ir.Expect{{Cell: 2, Pos: at, Steps: []string{"load"}, Text: "loading\n"}}
	if diff := cmp.Diff(want, stepNamed(t, p, "load").Expect); diff != "" {
		t.Errorf("one call: load expect (-want +got):\n%s", diff)
	}

	two := notebook(t, "gonb", code(load+count), cell{src: "//zen:pipeline two\n%%\nxs := Load()\n_ = Count(xs)", stdout: "loading\ncounting\n"})
	p = analyze(t, two, Config{})
	want = []*ir.Expect{{Cell: 2, Pos: at, Steps: []string{"load", "count"}, Text: "loading\ncounting\n"}}
	if diff := cmp.Diff(want, stepNamed(t, p, "load").Expect); diff != "" {
		t.Errorf("two calls: load expect (-want +got):\n%s", diff)
	}
	if got := stepNamed(t, p, "count").Expect; len(got) > 0 {
		t.Errorf("two calls: count has expectations of its own: %+v", got)
	}
}
