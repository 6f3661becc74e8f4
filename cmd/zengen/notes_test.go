package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

// TestGeneratePrintsNotes: cells left out of the pipeline without being
// marked are named on stderr by the generate that writes the package,
// each once, with the hint once after them; a generate that finds the
// package up to date says nothing.
func TestGeneratePrintsNotes(t *testing.T) {
	module := gomodtest.Module(t, goldenModulePath)
	out := filepath.Join(module, "setup")
	notebook := caseNotebook(t, "gonb_setup_cells")
	status, _, stderr := runZengen(t, "generate", notebook, "-o", out)
	if status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	want := strings.ReplaceAll(`setup.ipynb:cell 2:1:1: note: left out of the pipeline: the cell holds only shell lines and magics (`+"`!*go work init`, `!*go work use . ../wordtools`"+` and 1 more)
setup.ipynb:cell 3:1:1: note: left out of the pipeline: the cell holds only shell lines and magics (`+"`%version`"+`)
setup.ipynb:cell 4:1:1: note: left out of the pipeline: the cell holds only shell lines and magics (`+"`%%bash`"+`)
setup.ipynb:cell 6:1:1: note: left out of the pipeline: the cell holds only shell lines and magics (`+"`%ls`"+`)
setup.ipynb:cell 8:1:1: note: left out of the pipeline: the cell holds only shell lines and magics (`+"`!ls -l /tmp | head -3`, `%help`"+`)
	hint: such a cell sets up or explores the kernel's environment, which a pipeline step does not do; tag it skip (or add a //zen:skip line) to say so and silence this note
`, "setup.ipynb", notebook)
	if stderr != want {
		t.Errorf("generate stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if status, _, stderr := runZengen(t, "generate", notebook, "-o", out); status != exitOK || stderr != "" {
		t.Errorf("second generate: exit %d, stderr %q; want exit 0 and nothing on stderr", status, stderr)
	}
}

// TestGeneratePrintsRejectedCells: cells the kernel refused to compile are
// left out with a note that quotes the kernel's message, instead of
// refusing the notebook over code that never ran.
func TestGeneratePrintsRejectedCells(t *testing.T) {
	module := gomodtest.Module(t, goldenModulePath)
	notebook := caseNotebook(t, "repl_rejected_cells")
	status, _, stderr := runZengen(t, "generate", notebook, "-o", filepath.Join(module, "basket"))
	if status != exitOK {
		t.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	want := strings.ReplaceAll(`basket.ipynb:cell 2:1:1: note: left out of the pipeline: the kernel rejected the cell, so none of it ran (it recorded `+"`repl.go:1:11: expected 'STRING', found newline`"+`)
basket.ipynb:cell 5:1:1: note: left out of the pipeline: the kernel rejected the cell, so none of it ran (it recorded `+"`repl.go:1:10: missing variable type or initialization`"+`)
	hint: a cell the kernel could not compile declared nothing for the cells after it; fix it, or tag it skip (or add a //zen:skip line) to keep it out and silence this note
`, "basket.ipynb", notebook)
	if stderr != want {
		t.Errorf("generate stderr:\n%s\nwant:\n%s", stderr, want)
	}
}
