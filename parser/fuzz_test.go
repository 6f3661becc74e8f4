package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func addSeeds(f *testing.F, pattern string, inline ...string) {
	files, _ := filepath.Glob(pattern)
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, s := range inline {
		f.Add([]byte(s))
	}
}

// checkFuzzResult asserts what must hold for any input: an error list
// whose every position is in the file, or a notebook that keeps the
// readers' invariants.
func checkFuzzResult(t *testing.T, path string, nb *Notebook, err error) {
	if err != nil {
		list, ok := err.(ErrorList)
		if !ok || len(list) == 0 {
			t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
		}
		for _, e := range list {
			if e.Pos.File != path {
				t.Fatalf("error %q positioned in %q, want %q", e, e.Pos.File, path)
			}
		}
		if nb != nil {
			t.Fatalf("notebook returned along with errors")
		}
		return
	}
	for i, c := range nb.Cells {
		if c.Number != i+1 {
			t.Fatalf("cell %d numbered %d", i+1, c.Number)
		}
		checkCellInvariants(t, nb, c)
	}
}

func FuzzReadIPYNB(f *testing.F) {
	addSeeds(f, "testdata/*.ipynb",
		`{"nbformat":4,"metadata":{"kernelspec":{"name":"gonb"}},"cells":[{"cell_type":"code","source":["%%writefile a\n","b"]}]}`,
		`{"nbformat":4,"cells":[{"cell_type":"code","metadata":{"tags":["step:x","zen:y"]},"source":"//zen:step a b=c\n!x \\"}]}`,
		`{"nbformat":3}`, `[`, "\uFEFF{\"nbformat\":4.5}", `{"nbformat":4,"nbformat_minor":"5"}`, `{"nbformat":4,"cells":[{"cell_type":"code","source":"s := `+"`"+`\n%%\n"}]}`)
	addSeeds(f, "testdata/errors/*.ipynb")
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := ReadIPYNB("f.ipynb", data)
		checkFuzzResult(t, "f.ipynb", nb, err)
	})
}

func FuzzReadPercent(f *testing.F) {
	addSeeds(f, "testdata/*.go.txt",
		"// %% [markdown] tags=[\"x\"]\n// # t\n// %%\n//gonb:%% -x\n",
		"// ---\n// jupyter: {\n// ---\n",
		"// %% a= tags=\n//zen:\n%env\n!\\\n",
		"//go:build ignore\n// %%% {\"tags\": 1}\n", "\uFEFF// %% [md]\n// # t\n")
	addSeeds(f, "testdata/errors/*.go.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := ReadPercent("f.go", data)
		checkScriptFuzzResult(t, data, nb, err)
	})
}

func FuzzReadLight(f *testing.F) {
	addSeeds(f, "testdata/*.go.txt",
		"// + [markdown] tags=[\"x\"]\n// # t\n// -\n\nfunc f() {\n\n}\n//gonb:%% -x\n",
		"// + endofcell=\"--\"\nx := `\n// --\n`\n// --\n\n// %env A=1\n",
		"// + tags=\n// // %%bash\n\n\n\n\ty := (\n\n)\n", "\uFEFF// +\n// -\n// + [raw]\n")
	addSeeds(f, "testdata/errors/*.go.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := ReadLight("f.go", data)
		checkScriptFuzzResult(t, data, nb, err)
	})
}

// checkScriptFuzzResult adds to checkFuzzResult what holds for scripts:
// every cell starts at a line of the file, after the one before it.
func checkScriptFuzzResult(t *testing.T, data []byte, nb *Notebook, err error) {
	checkFuzzResult(t, "f.go", nb, err)
	if err != nil || strings.Contains(string(data), "\r") {
		return
	}
	lines := len(splitLines(string(withoutBOM(data))))
	prev := 0
	for _, c := range nb.Cells {
		if c.FirstLine < 1 || c.FirstLine <= prev && c.Source != "" || c.FirstLine > lines+1 {
			t.Fatalf("cell %d starts at line %d (previous cell at %d, %d lines)", c.Number, c.FirstLine, prev, lines)
		}
		prev = c.FirstLine
	}
}
