package analysis

import "testing"

// TestOpeningDoc pins what the pipeline's documentation is: the markdown
// cells before the first code cell, and nothing when that cell starts a
// step, whose documentation the same cells already are.
func TestOpeningDoc(t *testing.T) {
	for _, c := range []struct {
		name          string
		cells         []cell
		pipeline, run string // the pipeline's Doc and step run's
	}{
		{"before the params cell", []cell{
			code("md:# Title"), code("md:Intro."),
			{src: "n := 2", tags: []string{"parameters"}},
			code("md:## Run"), {src: "fmt.Println(n)", tags: []string{"step:run"}},
		}, "# Title\n\nIntro.", "## Run"},
		{"the first step's own", []cell{
			code("md:# Title"), {src: "fmt.Println(2)", tags: []string{"step:run"}},
		}, "", "# Title"},
		{"none", []cell{
			{src: "n := 2", tags: []string{"parameters"}},
			code("md:# Late"), {src: "fmt.Println(n)", tags: []string{"step:run"}},
		}, "", "# Late"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The import comes last, so as not to be the first code cell.
			cells := append(c.cells[:len(c.cells):len(c.cells)], code(`import "fmt"`))
			p := analyze(t, notebook(t, "gophernotes", cells...), Config{})
			if p.Doc != c.pipeline {
				t.Errorf("pipeline Doc = %q, want %q", p.Doc, c.pipeline)
			}
			if got := stepNamed(t, p, "run").Doc; got != c.run {
				t.Errorf("step Doc = %q, want %q", got, c.run)
			}
		})
	}
}
