package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cellSummary is the part of a cell that the reader tables compare.
type cellSummary struct {
	Kind      CellKind
	Title     string
	Tags      []string
	FirstLine int
	Source    string
}

func summarize(nb *Notebook) []cellSummary {
	var out []cellSummary
	for _, c := range nb.Cells {
		out = append(out, cellSummary{c.Kind, c.Title, c.Tags, c.FirstLine, c.Source})
	}
	return out
}

func TestReadPercent(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		wantDialect Dialect
		wantKernel  string
		want        []cellSummary
	}{
		{"no markers is one code cell", "x := 1\n\nfmt.Println(x)\n", DialectREPL, "",
			[]cellSummary{{Code, "", nil, 1, "x := 1\n\nfmt.Println(x)\n"}}},
		{"code before first marker", "\n\nx := 1\n\n// %%\ny := 2\n", DialectREPL, "",
			[]cellSummary{{Code, "", nil, 3, "x := 1\n"}, {Code, "", nil, 6, "y := 2\n"}}},
		{"blank prelude is no cell", "\n// %%\ny := 2", DialectREPL, "",
			[]cellSummary{{Code, "", nil, 3, "y := 2\n"}}},
		{"build tag belongs to no cell", "//go:build ignore\n\n// %%\nx := 1\n", DialectREPL, "",
			[]cellSummary{{Code, "", nil, 4, "x := 1\n"}}},
		{"CRLF", "// %% [md]\r\n// # T\r\n\r\n// %%\r\nx := 1\r\n", DialectREPL, "",
			[]cellSummary{{Markdown, "", nil, 2, "# T\n"}, {Code, "", nil, 5, "x := 1\n"}}},
		{"titles and metadata", "// %% Load the data [markdown] tags=[\"a b\", \"c=d\"] other={\"k\": 1}\n// text\n// %% title=\"Fit\" tags=[\"step:fit\"]\nx := 1\n// %%%  Sub cell\ny := 2\n// %% f(x)=x^2\nz := 3\n",
			DialectREPL, "",
			[]cellSummary{
				{Markdown, "Load the data", []string{"a b", "c=d"}, 2, "text\n"},
				{Code, "Fit", []string{"step:fit"}, 4, "x := 1\n"},
				{Code, "Sub cell", nil, 6, "y := 2\n"},
				{Code, "f(x)=x^2", nil, 8, "z := 3\n"},
			}},
		{"json metadata", "// %% Title {\"tags\": [\"skip\"]}\nx := 1\n", DialectREPL, "",
			[]cellSummary{{Code, "Title", []string{"skip"}, 2, "x := 1\n"}}},
		{"header sets the kernel", "// -*- coding: utf-8 -*-\n// ---\n// jupyter:\n//   kernelspec:\n//     name: gophernotes\n// ---\n\n// %%\nx := 1\n%%\n",
			DialectREPL, "gophernotes",
			[]cellSummary{{Code, "", nil, 9, "x := 1\n%%\n"}}},
		{"gonb main marker decides the dialect", "// %%\nfunc f() {}\n//gonb:%% -x=3\nf()\n", DialectGoNB, "",
			[]cellSummary{{Code, "", nil, 2, "func f() {}\n%% -x=3\nf()\n"}}},
		{"commented magics are un-escaped once", "// %%\n// %env A=1\n// !*go get a.b/c\n// // %env B=2\n// %v is a verb\n// %%writefile x\n//zen:step s\n", DialectREPL, "",
			[]cellSummary{{Code, "", nil, 2, "%env A=1\n!*go get a.b/c\n// %env B=2\n%v is a verb\n%%writefile x\n//zen:step s\n"}}},
		{"commented gonb marker", "// %%\n// This is a commented magic\n// //gonb:%%\n\n// %% [markdown]\n// This is a commented magic in a markdown cell\n// // //gonb:%%\n", DialectREPL, "",
			[]cellSummary{
				{Code, "", nil, 2, "// This is a commented magic\n// %%\n"},
				{Markdown, "", nil, 6, "This is a commented magic in a markdown cell\n// %%\n"},
			}},
		{"raw cell", "// %% [raw]\n//  indented\n//no space\n", DialectREPL, "",
			[]cellSummary{{Raw, "", nil, 2, " indented\nno space\n"}}},
		{"empty cell", "// %%\n\n// %%\nx := 1", DialectREPL, "",
			[]cellSummary{{Code, "", nil, 2, ""}, {Code, "", nil, 4, "x := 1\n"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb, err := ReadPercent("s.go", []byte(tt.src))
			if err != nil {
				t.Fatalf("ReadPercent: %v", err)
			}
			if nb.Dialect != tt.wantDialect || nb.Kernel != tt.wantKernel {
				t.Errorf("dialect, kernel = %q, %q; want %q, %q", nb.Dialect, nb.Kernel, tt.wantDialect, tt.wantKernel)
			}
			if diff := cmp.Diff(tt.want, summarize(nb)); diff != "" {
				t.Errorf("cells (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadPercentPositions(t *testing.T) {
	src := "//go:build ignore\n\n// %% tags=[\"step:Bad\"]\nx := 1\n  //zen:stp\n"
	_, err := ReadPercent("s.go", []byte(src))
	want := []string{
		`s.go:3: invalid step name "Bad": step names are [a-z][a-z0-9_]*`,
		`	hint: for example "bad"`,
		"s.go:5:3: unknown directive //zen:stp",
		"\thint: did you mean //zen:step? known directives: //zen:step, //zen:params, //zen:skip, //zen:after, //zen:output, //zen:metric, //zen:pipeline, //zen:nocheck, //zen:codec",
	}
	if diff := cmp.Diff(want, errorLines(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestReadIPYNB(t *testing.T) {
	tests := []struct {
		name        string
		json        string
		wantDialect Dialect
		want        []cellSummary
		wantIDs     []string
	}{
		{"source as string with CRLF", `{"nbformat":4,"nbformat_minor":4,"metadata":{"kernelspec":{"name":"lgo"}},"cells":[{"cell_type":"code","metadata":{},"outputs":[],"source":"a := 1\r\nb := 2"}]}`,
			DialectREPL, []cellSummary{{Code, "", nil, 1, "a := 1\nb := 2"}}, []string{"0"}},
		{"source as list with ids", `{"nbformat":4,"nbformat_minor":5,"metadata":{"kernelspec":{"name":"gonb"}},"cells":[{"id":"x1","cell_type":"markdown","metadata":{},"source":["# a\n","b"]},{"cell_type":"raw","metadata":{},"source":[]}]}`,
			DialectGoNB, []cellSummary{{Markdown, "", nil, 1, "# a\nb"}, {Raw, "", nil, 1, ""}}, []string{"x1", "1"}},
		{"language_info with main marker is gonb", `{"nbformat":4,"nbformat_minor":5,"metadata":{"language_info":{"name":"go"}},"cells":[{"cell_type":"code","metadata":{},"outputs":[],"source":"%%\nx := 1"}]}`,
			DialectGoNB, []cellSummary{{Code, "", nil, 1, "%%\nx := 1"}}, []string{"0"}},
		{"language_info without marker is repl", `{"nbformat":4,"nbformat_minor":5,"metadata":{"language_info":{"name":"go"}},"cells":[{"cell_type":"code","metadata":{},"outputs":[],"source":"x := 1"}]}`,
			DialectREPL, []cellSummary{{Code, "", nil, 1, "x := 1"}}, []string{"0"}},
		{"suffixed kernel name", `{"nbformat":4,"nbformat_minor":5,"metadata":{"kernelspec":{"name":"gophernotes-1.20"}},"cells":[]}`,
			DialectREPL, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb, err := ReadIPYNB("nb.ipynb", []byte(tt.json))
			if err != nil {
				t.Fatalf("ReadIPYNB: %v", err)
			}
			if nb.Dialect != tt.wantDialect {
				t.Errorf("Dialect = %q, want %q", nb.Dialect, tt.wantDialect)
			}
			if diff := cmp.Diff(tt.want, summarize(nb)); diff != "" {
				t.Errorf("cells (-want +got):\n%s", diff)
			}
			var ids []string
			for _, c := range nb.Cells {
				ids = append(ids, c.ID)
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadIPYNBErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want []string
	}{
		{"empty", "  \n", []string{"nb.ipynb: empty file: not a Jupyter notebook"}},
		{"syntax error on line 3", "{\n  \"cells\": [\n    {,\n  ]\n}", []string{"nb.ipynb:3:6: malformed JSON: invalid character ',' looking for beginning of object key string"}},
		{"truncated", "{\"cells\": [", []string{"nb.ipynb:1:11: malformed JSON: unexpected end of JSON input"}},
		{"not an object", "[1, 2]", []string{"nb.ipynb:1:1: not a Jupyter notebook: found a JSON array, want an object"}},
		{"nbformat 3", `{"nbformat": 3, "worksheets": []}`, []string{"nb.ipynb: nbformat 3 is not supported; open and save it in Jupyter to upgrade to nbformat 4"}},
		{"nbformat 5", `{"nbformat": 5, "cells": []}`, []string{"nb.ipynb: nbformat 5 is not supported: zengen reads nbformat 4.0–4.5"}},
		{"no nbformat", `{"cells": []}`, []string{`nb.ipynb: not a Jupyter notebook: no "nbformat" field`}},
		{"no cells", `{"nbformat": 4}`, []string{`nb.ipynb: not a Jupyter notebook: no "cells" list`}},
		{"cells not a list", `{"nbformat": 4, "cells": {}}`, []string{`nb.ipynb: "cells": found a JSON object, want a list`}},
		{"python kernel", `{"nbformat": 4, "metadata": {"kernelspec": {"name": "python3", "language": "python"}}, "cells": []}`,
			[]string{`nb.ipynb: kernel "python3" is not a Go kernel (gonb, gophernotes, lgo)`}},
		{"python language_info", `{"nbformat": 4, "metadata": {"language_info": {"name": "python"}}, "cells": []}`,
			[]string{`nb.ipynb: language "python" is not Go: zengen reads notebooks of the Go kernels (gonb, gophernotes, lgo)`}},
		{"bad cells collected", `{"nbformat": 4, "cells": [{"cell_type": "code", "source": 1}, {"cell_type": "widget", "source": ""}, {"cell_type": "code", "id": 7, "metadata": {"tags": [1]}, "source": ""}]}`,
			[]string{
				`nb.ipynb:cell 1: cell "source" must be a string or a list of strings`,
				`nb.ipynb:cell 2: unknown cell type "widget": want code, markdown or raw`,
				`nb.ipynb:cell 3: cell "tags" must be a list of strings`,
				`nb.ipynb:cell 3: cell id must be a string`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb, err := ReadIPYNB("nb.ipynb", []byte(tt.json))
			if nb != nil {
				t.Errorf("got a notebook along with errors")
			}
			if diff := cmp.Diff(tt.want, errorLines(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if _, ok := err.(ErrorList); !ok {
				t.Errorf("error is %T, want ErrorList", err)
			}
		})
	}
}

func TestReadByExtension(t *testing.T) {
	if _, err := Read("x.txt", nil); err == nil || err.Error() != "x.txt: unknown notebook format \".txt\"\n\thint: zengen reads Jupyter notebooks (.ipynb) and jupytext scripts (.go)" {
		t.Errorf("Read(x.txt) error = %v", err)
	}
	nb, err := Read("A.IPYNB", notebookJSON("gonb", "x := 1"))
	if err != nil || nb.Format != FormatIPYNB {
		t.Errorf("Read(A.IPYNB) = %v, %v", nb, err)
	}
	nb, err = Read("s.go", []byte("x := 1"))
	if err != nil || nb.Format != FormatPercent {
		t.Errorf("Read(s.go) = %v, %v", nb, err)
	}
}

func TestIsStepName(t *testing.T) {
	for s, want := range map[string]bool{"load": true, "a1_b": true, "x": true, "": false, "1a": false, "_a": false, "Load": false, "load-data": false, "lóad": false} {
		if got := IsStepName(s); got != want {
			t.Errorf("IsStepName(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestCorpus reads the real public notebooks kept beside the project: none
// may fail or panic. Run with -v to see the dialect and cell counts.
func TestCorpus(t *testing.T) {
	const dir = "/work/shared/corpus"
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Skip("no corpus at " + dir)
	}
	for _, f := range files {
		ext := filepath.Ext(f)
		if ext != ".ipynb" && ext != ".go" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		nb, err := Read(filepath.Base(f), data)
		if err != nil {
			t.Errorf("%s:\n%v", filepath.Base(f), err)
			continue
		}
		code := 0
		for _, c := range nb.Cells {
			if c.Kind == Code {
				code++
			}
			checkCellInvariants(t, nb, c)
		}
		t.Logf("%-100s %-5s %-12s cells=%d code=%d", filepath.Base(f), nb.Dialect, nb.Kernel, len(nb.Cells), code)
	}
}

// checkCellInvariants states what holds for every cell the readers return.
func checkCellInvariants(t *testing.T, nb *Notebook, c *Cell) {
	t.Helper()
	if strings.Contains(c.Source, "\r") {
		t.Errorf("%s: Source holds a carriage return", nb.Pos(c, 0, 0))
	}
	if c.Kind == Code && strings.Count(c.Code, "\n") != strings.Count(c.Source, "\n") {
		t.Errorf("%s: Code has %d newlines, Source %d", nb.Pos(c, 0, 0), strings.Count(c.Code, "\n"), strings.Count(c.Source, "\n"))
	}
	lines := len(splitLines(c.Source))
	if c.MainLine < 0 || c.MainLine > lines {
		t.Errorf("%s: MainLine %d outside the cell's %d lines", nb.Pos(c, 0, 0), c.MainLine, lines)
	}
	for _, m := range c.Magics {
		if m.Pos.File != nb.Path {
			t.Errorf("magic position %v not in %s", m.Pos, nb.Path)
		}
	}
	for _, d := range c.Directives {
		if d.Pos.File != nb.Path || d.Line < 0 || d.Line > lines {
			t.Errorf("directive %+v out of the cell", d)
		}
	}
}
