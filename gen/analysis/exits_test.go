package analysis

import "testing"

// TestCellExits covers where a cell's own return or defer hides: the
// end-to-end cases (repl_cell_exits, repl_cell_exits_last,
// gonb_cell_exits) show the messages and a run.
func TestCellExits(t *testing.T) {
	const hint = "\n\thint: end the step with this cell: put a heading or a //zen:step NAME marker before the next code cell"
	tests := []struct {
		name  string
		cells []cell
		want  string // "" when the notebook must be accepted
	}{
		{
			name:  "return in a loop of a cell before another",
			cells: []cell{code("//zen:step a\nfor i := 0; i < 3; i++ {\n\tif i == 1 {\n\t\treturn\n\t}\n}"), code("println(\"next\")")},
		},
		{
			name:  "deferred function literal that returns",
			cells: []cell{code("//zen:step a\ndefer func() {\n\treturn\n}()"), code("println(\"next\")")},
		},
		{
			name:  "return before a declaration the next cell uses",
			cells: []cell{code("//zen:step a\nif true {\n\treturn\n}\nn := 2"), code("println(n)")},
			want:  "nb.ipynb:cell 1:3:2: a return at the top level of a cell acts on that cell alone in the kernel, but step a runs the cells after it in the same function: the return would skip them, and the cell declares n after it, which the cells after it would not see if the rest of the cell ran as a function of its own" + hint,
		},
		{
			name:  "declaration before the return",
			cells: []cell{code("//zen:step a\nn := 2\nif n > 1 {\n\treturn\n}\nprintln(\"small\")"), code("println(n)")},
		},
		{
			name:  "return and defer inside function literals",
			cells: []cell{code("//zen:step a\nf := func() int {\n\tdefer println(\"f\")\n\treturn 1\n}\nprintln(f())"), code("println(\"next\")")},
		},
		{
			name:  "only declarations after the returning cell",
			cells: []cell{code("//zen:step a\nif true {\n\treturn\n}\nprintln(\"unreached\")"), code("func twice(n int) int { return 2 * n }")},
		},
		{
			name:  "each cell a step of its own",
			cells: []cell{code("//zen:step a\ndefer println(\"a\")"), code("//zen:step b\nif true {\n\treturn\n}\nprintln(\"b\")")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want != "" {
				analyzeError(t, "gophernotes", tt.cells, tt.want)
				return
			}
			analyze(t, notebook(t, "gophernotes", tt.cells...), Config{})
		})
	}
}
