package emit

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/gen/internal/irtest"
	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

func TestParityBuilders(t *testing.T) {
	churn := mustEmitter(t, irtest.Churn(), Options{})
	script := parser.Pos{File: "clash.go", Line: 14}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"parityTestFunc", render(churn.parityTestFunc(churn.expectations())), `// TestNotebookParity runs the pipeline with its default parameters,
// checks that every artifact decodes to what its step saved and compares
// what each step prints with the outputs its cells recorded in
// churn.ipynb.
func TestNotebookParity(t *testing.T) {
	zg_result := zentest.Run(t, Pipeline(), "--parallel", "1")
	zentest.Parity(t, zg_result, []zentest.Expect{
		{Step: "load", Cell: "churn.ipynb:cell 3", Text: ""},
		{Step: "train", Cell: "churn.ipynb:cell 4", Text: ""},
		{Step: "train", Cell: "churn.ipynb:cell 5", Text: "loss 0.8518152877640416\n"},
	})
}`},
		{"expectLiteral script", renderElem(churn.expectLiteral(stepExpect{"probe", &ir.Expect{Cell: 14, Pos: script, Text: "TRUE\n"}})),
			`{Step: "probe", Cell: "clash.go:14", Text: "TRUE\n"}`},
		{"expectLiteral skipped", renderElem(churn.expectLiteral(stepExpect{"train", &ir.Expect{Cell: 4, Pos: parser.Pos{File: "c.ipynb", Cell: 4, Line: 1}, Text: "took 3s\n", Skip: true}})),
			`{Step: "train", Cell: "c.ipynb:cell 4", Skip: true}`},
		{"textLiteral one line", renderExpr(textLiteral("loss 0.5\n")), `"loss 0.5\n"`},
		{"textLiteral lines", renderExpr(textLiteral("epoch 1\n\tloss 0.5\n")), "`epoch 1\n\tloss 0.5\n`"},
		{"textLiteral backquote", renderExpr(textLiteral("a `b`\nc\n")), `"a ` + "`b`" + `\nc\n"`},
		{"textLiteral control character", renderExpr(textLiteral("a\x00\nb\n")), `"a\x00\nb\n"`},
		{"textLiteral byte order mark", renderExpr(textLiteral("\ufeffa\nb\n")), `"\ufeffa\nb\n"`},
		{"textLiteral invalid UTF-8", renderExpr(textLiteral("\xff\nb\n")), `"\xff\nb\n"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParityTestChoice checks which test the generated file holds: the
// parity test when some cell can be compared, the run test otherwise.
func TestParityTestChoice(t *testing.T) {
	skipped := func(p *ir.Pipeline) {
		for _, s := range p.Steps {
			for _, x := range s.Expect {
				x.Skip = true
			}
		}
	}
	noExpect := func(p *ir.Pipeline) {
		for _, s := range p.Steps {
			s.Expect = nil
		}
	}
	tests := []struct {
		name   string
		change func(*ir.Pipeline)
		want   []string // test functions in the file
		steps  []string // steps the expectations name
	}{
		{"recorded outputs", func(*ir.Pipeline) {}, []string{"TestNotebookParity"}, []string{"load", "train"}},
		{"a step with only skipped cells is left out", func(p *ir.Pipeline) { p.Steps[0].Expect[0].Skip = true }, []string{"TestNotebookParity"}, []string{"train"}},
		{"only skipped cells", skipped, []string{"TestPipelineRuns"}, nil},
		{"no recorded outputs", noExpect, []string{"TestPipelineRuns"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := irtest.Churn()
			tt.change(p)
			files, err := Emit(p, Options{ImportPath: "example.com/churn"})
			if err != nil {
				t.Fatal(err)
			}
			src := string(files["churn_zen_test.go"])
			var funcs []string
			steps := map[string]bool{}
			for _, line := range strings.Split(src, "\n") {
				if name, ok := strings.CutPrefix(line, "func "); ok {
					funcs = append(funcs, name[:strings.Index(name, "(")])
				}
				if _, rest, ok := strings.Cut(line, `{Step: "`); ok {
					steps[rest[:strings.Index(rest, `"`)]] = true
				}
			}
			if diff := cmp.Diff(tt.want, funcs); diff != "" {
				t.Errorf("test functions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.steps, slices.Sorted(maps.Keys(steps))); diff != "" {
				t.Errorf("steps compared (-want +got):\n%s\n%s", diff, src)
			}
		})
	}
}
