package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateRefusesANotebookPathWithALineBreak: the path goes into every
// generated header and //line directive, where a line break followed by
// //go:generate made a directive that `go generate ./...` ran.
func TestGenerateRefusesANotebookPathWithALineBreak(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/m\n\ngo 1.26\n")
	src, err := os.ReadFile(filepath.Join(notebooksDir, "inert_markdown", "inert.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	nb := dir + "/x\n//go:generate touch PWNED\n/nb.ipynb" // not Join, which would clean the //
	writeFile(t, nb, string(src))
	out := filepath.Join(dir, "out")
	status, stdout, stderr := runZengen(t, "generate", nb, "-o", out)
	if status != exitFindings || stdout != "" {
		t.Errorf("exit %d, stdout %q; want %d and nothing", status, stdout, exitFindings)
	}
	want := `"` + dir + `/x\n//go:generate touch PWNED\n/nb.ipynb": the notebook path holds a line break: zengen writes the path into error positions and into the headers and //line directives of generated code, which need one line of printable text` + "\n\thint: rename the notebook file\n"
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if strings.Count(stderr, "\n") != 2 {
		t.Errorf("the error spans more lines than itself and its hint:\n%s", stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused generate wrote %s", out)
	}
}
