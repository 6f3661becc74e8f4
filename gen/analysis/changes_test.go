package analysis

import (
	"strings"
	"testing"
)

// TestLocalCopiesChangeWhatTheyCopy checks that a GoNB cell's copy of a
// package-level variable into a local counts as a change of the variable
// only where the cell changes the memory through the copy: a later cell
// reading the variable is refused then, and only then.
func TestLocalCopiesChangeWhatTheyCopy(t *testing.T) {
	decls := "import \"fmt\"\n\ntype box struct{ n int }\n\nvar b = &box{}\n\nvar grid = [][]int{{1}, {2}}"
	for _, c := range []struct {
		name, cell, err string
	}{
		{"copy changed", "p := b\np.n = 7", "cell 2:3:1: cell 2 changes b (through a copy sharing its memory)"},
		{"copy of a copy changed", "p := b\nq := p\nq.n = 7", "cell 2:4:1: cell 2 changes b (through a copy sharing its memory)"},
		{"copy read", "p := b\nfmt.Println(p.n)", ""},
		{"rows changed", "for _, row := range grid {\n\trow[0] = 9\n}", "cell 2:3:2: cell 2 changes grid (through a copy sharing its memory)"},
		{"rows read", "for _, row := range grid {\n\tfmt.Println(row[0])\n}", ""},
		{"copy given to a call", "p := b\nfmt.Println(p)\nbump(p)", "cell 2:4:1: cell 2 changes b (through a copy sharing its memory)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			nb := notebook(t, "gonb",
				code(decls+"\n\nfunc bump(p *box) { p.n++ }"),
				code("%%\n"+c.cell),
				code("%%\nfmt.Println(b.n, grid)"),
			)
			_, err := Analyze(nb, Config{Dir: t.TempDir()})
			switch {
			case c.err == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Fatalf("got %v, want an error holding %q", err, c.err)
			}
		})
	}
}
