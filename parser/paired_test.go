package parser

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTakeOutputs(t *testing.T) {
	nb := func(sources ...string) *Notebook {
		n := &Notebook{Cells: []*Cell{{Kind: Markdown, Source: "# title"}}}
		for _, s := range sources {
			n.Cells = append(n.Cells, &Cell{Kind: Code, Source: s})
		}
		return n
	}
	recorded := func(sources ...string) *Notebook {
		n := nb(sources...)
		for _, c := range n.Cells[1:] {
			c.Executed = true
			c.Outputs = []Output{{Type: "stream", Name: "stdout", Text: "out of " + c.Source}}
		}
		return n
	}
	tests := []struct {
		name   string
		script *Notebook
		paired *Notebook
		want   []string // each script code cell's output, "" for none
	}{
		{"same cells", nb("a", "\nb\n"), recorded("a", "b"), []string{"out of a", "out of b"}},
		{"an edited cell keeps the output it had", nb("a", "b2", "c"), recorded("a", "b", "c"), []string{"out of a", "out of b", "out of c"}},
		{"an added cell has none", nb("a", "new", "b"), recorded("a", "b"), []string{"out of a", "", "out of b"}},
		{"a removed cell shifts nothing", nb("a", "c"), recorded("a", "b", "c"), []string{"out of a", "out of c"}},
		{"no pair at all", nb("x", "y"), recorded("a", "b", "c"), []string{"", ""}},
		{"two edited cells at the end", nb("a", "b2", "c2"), recorded("a", "b", "c"), []string{"out of a", "out of b", "out of c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			TakeOutputs(tt.script, tt.paired)
			var got []string
			for _, c := range codeCells(tt.script) {
				text := ""
				if len(c.Outputs) > 0 {
					text = c.Outputs[0].Text
				}
				if c.Executed != (text != "") {
					t.Errorf("cell %q: Executed %v with output %q", c.Source, c.Executed, text)
				}
				got = append(got, text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outputs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPairedPath(t *testing.T) {
	for in, want := range map[string]string{"dir/tally.go": "dir/tally.ipynb", "x.GO": "x.ipynb", "nb.ipynb": ""} {
		if got := PairedPath(in); got != want {
			t.Errorf("PairedPath(%q) = %q, want %q", in, got, want)
		}
	}
}
