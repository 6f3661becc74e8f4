package analysis

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPipelinePrintErrors: a print in a pipeline cell runs in the step
// called just above it, so it may show only what that step has.
func TestPipelinePrintErrors(t *testing.T) {
	steps := code("//zen:step\nfunc A() int { return 1 }\n\n//zen:step\nfunc B() int { return 2 }\n\nfunc double(x int) int { return 2 * x }")
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
			name:     "call of the notebook's code",
			pipeline: "//zen:pipeline p\n%%\na := A()\nfmt.Println(a+1, double(a))\nB()",
			want: "nb.ipynb:cell 2:4:18: a print in a pipeline cell shows step results, parameters and constants, not double\n" +
				"\thint: print it in the step's function instead",
		},
		{
			name:     "method call",
			pipeline: "//zen:pipeline p\n%%\na := A()\nfmt.Println(time.Duration(a).String())\nB()",
			want: "nb.ipynb:cell 2:4:13: a print in a pipeline cell shows step results, parameters, constants and simple expressions of them, not time.Duration(a).String\n" +
				"\thint: print it in the step's function instead",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			analyzeError(t, "gonb", []cell{steps, code(tc.pipeline)}, tc.want)
		})
	}
}

// TestPipelinePrintExpressions: fields, indexes, builtins and conversions
// of the step's values print; each identifier names the value it stands
// for, the field names do not.
func TestPipelinePrintExpressions(t *testing.T) {
	nb := notebook(t, "gonb",
		code("type stats struct{ N int; Xs []float64 }\n\n//zen:step\nfunc Load() stats { return stats{N: 2, Xs: []float64{1, 2}} }\n\n//zen:step\nfunc Sum(s stats) float64 { return s.Xs[0] + s.Xs[1] }"),
		code("//zen:pipeline p\n%%\ns := Load()\ntotal := Sum(s)\nfmt.Println(s.N, len(s.Xs), total/float64(s.N), min(total, 10))"),
	)
	p := analyze(t, nb, Config{})
	prints := stepNamed(t, p, "sum").Call.Prints
	if len(prints) != 1 || len(prints[0].Args) != 4 {
		t.Fatalf("prints = %+v", prints)
	}
	var got []string
	for _, a := range prints[0].Args {
		x := a.Expr
		if x == nil {
			got = append(got, "plain")
			continue
		}
		s := x.Code
		for _, r := range x.Refs {
			s += fmt.Sprintf(" [%s=%s%s]", x.Code[r.Off:r.Off+r.Len], r.Arg.Input, r.Arg.Result)
		}
		got = append(got, s)
	}
	want := []string{"s.N [s=s]", "len(s.Xs) [s=s]", "total/float64(s.N) [total=total] [s=s]", "min(total, 10) [total=total]"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("print arguments (-want +got):\n%s", diff)
	}
}
