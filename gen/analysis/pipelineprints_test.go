package analysis

import "testing"

// TestPipelinePrintErrors: a print in a pipeline cell runs in the step
// called just above it, so it may show only what that step has.
func TestPipelinePrintErrors(t *testing.T) {
	steps := code("//zen:step\nfunc A() int { return 1 }\n\n//zen:step\nfunc B() int { return 2 }")
	for _, tc := range []struct{ name, pipeline, want string }{
		{
			name:     "result of an earlier step",
			pipeline: "//zen:pipeline p\n%%\na := A()\nb := B()\nfmt.Println(a, b)",
			want: "nb.ipynb:cell 2:5:13: this print follows the call of step b, which does not read a (returned by a)\n" +
				"\thint: a print in a pipeline cell runs in the step called just above it; move it below the call of A",
		},
		{
			name:     "print before any call",
			pipeline: "//zen:pipeline p\n%%\nfmt.Println(\"start\")\na := A()\n_ = a\nB()",
			want: "nb.ipynb:cell 2:3:1: a print in a pipeline cell shows results of the step call above it, and there is none\n" +
				"\thint: move the print below the call whose results it shows",
		},
		{
			name:     "expression over a result",
			pipeline: "//zen:pipeline p\n%%\na := A()\nfmt.Println(a + 1)\nB()",
			want: "nb.ipynb:cell 2:4:13: a print in a pipeline cell shows step results, parameters and constants, not a + 1\n" +
				"\thint: print it in the step's function instead",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			analyzeError(t, "gonb", []cell{steps, code(tc.pipeline)}, tc.want)
		})
	}
}
