package parser

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// lightHeader is the header jupytext writes for a light-format Go script;
// it is 10 lines, and the blank line after it belongs to no cell.
const lightHeader = `// ---
// jupyter:
//   jupytext:
//     text_representation:
//       extension: .go
//       format_name: light
//   kernelspec:
//     language: go
//     name: gophernotes
// ---

`

func TestReadLight(t *testing.T) {
	tests := []struct {
		name string
		src  string // after lightHeader; its first line is file line 12
		want []cellSummary
	}{
		{"blank lines split top-level code", "x := 1\n\ny := 2\n\n\n\nz := 3\n",
			[]cellSummary{{Code, "", nil, 12, "x := 1\n"}, {Code, "", nil, 14, "y := 2\n"}, {Code, "", nil, 18, "z := 3\n"}}},
		{"a comment paragraph is markdown", "// # Title\n//\n// Text.\n\nx := 1\n",
			[]cellSummary{{Markdown, "", nil, 12, "# Title\n\nText.\n"}, {Code, "", nil, 16, "x := 1\n"}}},
		{"a comment above code is code", "// the answer\nx := 42\n",
			[]cellSummary{{Code, "", nil, 12, "// the answer\nx := 42\n"}}},
		{"a blank line inside a block does not split", "func f() int {\n\tx := 1\n\n\treturn x\n\n}\n\ny := f()\n",
			[]cellSummary{{Code, "", nil, 12, "func f() int {\n\tx := 1\n\n\treturn x\n\n}\n"}, {Code, "", nil, 19, "y := f()\n"}}},
		{"a blank line inside a raw string does not split", "s := `a\n\nb`\n\nt := s\n",
			[]cellSummary{{Code, "", nil, 12, "s := `a\n\nb`\n"}, {Code, "", nil, 16, "t := s\n"}}},
		{"indented code after a blank line stays", "x := 1 +\n\n\t2\n",
			[]cellSummary{{Code, "", nil, 12, "x := 1 +\n\n\t2\n"}}},
		{"brackets in strings and comments do not count", "s := \"{\" // (\n\nt := '['\n",
			[]cellSummary{{Code, "", nil, 12, "s := \"{\" // (\n"}, {Code, "", nil, 14, "t := '['\n"}}},
		{"explicit cell with metadata and blank lines", "// + tags=[\"parameters\"]\nseed := 42\n\nepochs := 3\n// -\n\nx := 1\n",
			[]cellSummary{{Code, "", []string{"parameters"}, 13, "seed := 42\n\nepochs := 3\n"}, {Code, "", nil, 18, "x := 1\n"}}},
		{"explicit markdown and raw cells", "// + [markdown] tags=[\"a\"]\n// # T\n\n// more\n// -\n\n// + [raw]\n// raw\n// -\n",
			[]cellSummary{{Markdown, "", []string{"a"}, 13, "# T\n\nmore\n"}, {Raw, "", nil, 19, "raw\n"}}},
		{"explicit cell with title and endofcell", "// + Fit endofcell=\"--\"\nx := 1\n// -\ny := 2\n// --\n",
			[]cellSummary{{Code, "Fit", nil, 13, "x := 1\n// -\ny := 2\n"}}},
		{"a start marker ends the cell before it", "x := 1\n// +\ny := 2\n\nz := 3\n// -\n",
			[]cellSummary{{Code, "", nil, 12, "x := 1\n"}, {Code, "", nil, 14, "y := 2\n\nz := 3\n"}}},
		{"an explicit cell without end runs to the next marker", "// + tags=[\"a\"]\nx := 1\n\ny := 2\n// + tags=[\"b\"]\nz := 3\n",
			[]cellSummary{{Code, "", []string{"a"}, 13, "x := 1\n\ny := 2\n"}, {Code, "", []string{"b"}, 17, "z := 3\n"}}},
		{"commented magics make a code cell", "// %env A=1\n// !go get example.com/m@v1.0.0\nx := 1\n\n// %%writefile a.txt\n// hello\n",
			[]cellSummary{{Code, "", nil, 12, "%env A=1\n!go get example.com/m@v1.0.0\nx := 1\n"}, {Code, "", nil, 16, "%%writefile a.txt\n// hello\n"}}},
		{"gonb main marker", "func f() {}\n//gonb:%% -x=3\nf()\n",
			[]cellSummary{{Code, "", nil, 12, "func f() {}\n%% -x=3\nf()\n"}}},
		{"doubly commented lines are markdown", "// // not a magic: %env\n",
			[]cellSummary{{Markdown, "", nil, 12, "// not a magic: %env\n"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb, err := Read("s.go", []byte(lightHeader+tt.src))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if diff := cmp.Diff(tt.want, summarize(nb)); diff != "" {
				t.Errorf("cells (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadScriptFormats checks that the header's format_name picks the
// reader, and that a format zengen does not read is refused at its line.
func TestReadScriptFormats(t *testing.T) {
	header := func(format string) string {
		return "// ---\n// jupyter:\n//   jupytext:\n//     text_representation:\n//       format_name: " + format + "\n// ---\n\n"
	}
	body := "x := 1\n\ny := 2\n"
	for _, tt := range []struct {
		format string
		cells  int
		err    []string
	}{
		{"percent", 1, nil},
		{"hydrogen", 1, nil},
		{"light", 2, nil},
		{"nomarker", 2, nil},
		{"sphinx", 0, []string{
			`s.go:5: jupytext format "sphinx" is not one zengen reads`,
			"\thint: zengen reads the percent and light formats: convert with jupytext --to go:percent",
		}},
	} {
		t.Run(tt.format, func(t *testing.T) {
			nb, err := Read("s.go", []byte(header(tt.format)+body))
			if diff := cmp.Diff(tt.err, errorLines(err)); diff != "" {
				t.Fatalf("errors (-want +got):\n%s", diff)
			}
			if err == nil && len(nb.Cells) != tt.cells {
				t.Errorf("%d cells, want %d", len(nb.Cells), tt.cells)
			}
		})
	}
}

func TestReadLightPositions(t *testing.T) {
	src := lightHeader + "// + tags=[\"step:Bad\"]\nx := 1\n  //zen:stp\n// -\n\n// + tags=\n"
	_, err := Read("s.go", []byte(src))
	want := []string{
		`s.go:12: invalid step name "Bad": step names are [a-z][a-z0-9_]*`,
		`	hint: for example "bad"`,
		"s.go:14:3: unknown directive //zen:stp",
		"\thint: did you mean //zen:step? known directives: //zen:step, //zen:params, //zen:skip, //zen:after, //zen:output, //zen:metric, //zen:pipeline, //zen:nocheck, //zen:codec",
		`s.go:17:1: cell metadata: the value of tags is not JSON: ""`,
		"\thint: write options as key=JSON, e.g. tags=[\"step:load\"] title=\"Load\"",
	}
	if diff := cmp.Diff(want, errorLines(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
