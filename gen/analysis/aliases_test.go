package analysis

import (
	"strings"
	"testing"
)

// TestSharedStepVariables checks which copies that make two step
// variables share memory are refused: those where a later step changes
// one and reads the other after it, since the pipeline stores them apart.
func TestSharedStepVariables(t *testing.T) {
	decls := "import \"fmt\"\n\ntype config struct{ data []int }\n\nfunc keep(c *config, xs []int) { c.data = xs }"
	for _, c := range []struct {
		name, load, change, show, err string
	}{
		{"copy", "xs := []int{1, 2, 3}\nys := xs", "ys[0] = 9", "fmt.Println(xs)",
			"cell 2:3:1: ys and xs share memory from here on, and step change changes ys (at cell 3:2) while step show reads xs after it (at cell 4:2)"},
		{"reads only", "xs := []int{1, 2, 3}\nys := xs", "fmt.Println(ys)", "fmt.Println(xs)", ""},
		{"change in the same step", "xs := []int{1, 2, 3}\nys := xs\nys[0] = 9", "fmt.Println(ys)", "fmt.Println(xs)", ""},
		{"struct", "xs := []int{1, 2, 3}\ncfg := config{data: xs}", "cfg.data[0] = 9", "fmt.Println(xs)",
			"cell 2:3:1: cfg and xs share memory"},
		{"range", "grid := [][]int{{1}, {2}}\nvar rows [][]int\nfor _, r := range grid {\n\trows = append(rows, r)\n}", "rows[0][0] = 9", "fmt.Println(grid)",
			"cell 2:5:2: rows and grid share memory"},
		{"call", "xs := []int{1, 2, 3}\ncfg := &config{}\nkeep(cfg, xs)", "xs[0] = 9", "fmt.Println(cfg.data)",
			"cell 2:4:1: cfg and xs share memory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			nb := notebook(t, "gophernotes",
				code(decls),
				code("//zen:step load\n"+c.load),
				code("//zen:step change\n"+c.change),
				code("//zen:step show\n"+c.show),
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

// TestGoNBVariablesSharingMemory checks that a GoNB cell changing a
// package-level variable is refused when a later cell reads another
// whose declaration shares its memory: GoNB started that cell with both
// as declared, the pipeline with the change.
func TestGoNBVariablesSharingMemory(t *testing.T) {
	analyzeError(t, "gonb", []cell{
		code("import \"fmt\"\n\nvar a = []int{1, 2}\n\nvar b = a"),
		code("%%\nb[0] = 9\nfmt.Println(b)"),
		code("%%\nfmt.Println(a)"),
	}, "nb.ipynb:cell 2:2:1: cell 2 changes a (through b, whose declaration shares its memory), which cell 3 reads: GoNB ran each cell as a fresh program, so cell 3 saw a as its declaration sets it, while the pipeline's steps share one process\n"+
		"\thint: give the cell that reads a its own value (set it there), or keep the change inside one cell")
}
