package analysis

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/gen/emit"
	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// funcStepSummary is what analysis decided about one function step, in a
// form that reads well in a diff.
type funcStepSummary struct {
	Results []string // Call.Results
	Error   bool     // Call.Error
	Inputs  []string
	Outputs []string
	Metrics []string
}

func summarizeFuncStep(s *ir.Step) funcStepSummary {
	sum := funcStepSummary{Inputs: portSummary(s.Inputs), Outputs: portSummary(s.Outputs), Metrics: s.Metrics}
	if s.Call != nil {
		sum.Results, sum.Error = s.Call.Results, s.Call.Error
	}
	return sum
}

// wordSteps are GoNB function steps for the cases below, by function
// name: a source, a step with one result, one with two results and an
// error, one with only an error, and one with a string and a number.
var wordSteps = map[string]string{
	"Words": "//zen:step words\nfunc Words(n int) []string { return strings.Fields(strings.Repeat(\"a b \", n)) }",
	"Top":   "//zen:step top\nfunc Top(ws []string, n int) []string { return ws[:n] }",
	"Stats": "//zen:step stats\nfunc Stats(ws []string) (float64, int, error) {\n\tif len(ws) == 0 {\n\t\treturn 0, 0, errors.New(\"no words\")\n\t}\n\treturn float64(len(ws)) / 2, len(ws), nil\n}",
	"Check": "//zen:step check\nfunc Check(ws []string) error { return nil }",
	"Fit":   "//zen:step fit\nfunc Fit(ws []string, rate float64) (model string, loss float64) { return ws[0], rate }",
}

// wordStepsFor returns the cell declaring the steps that pipeline calls
// (every function step must be called), prefixed by prefix.
func wordStepsFor(prefix, pipeline string) cell {
	src := prefix + "import (\n\t\"errors\"\n\t\"strings\"\n)\n\nvar _ = errors.New\n"
	for _, name := range []string{"Words", "Top", "Stats", "Check", "Fit"} {
		if strings.Contains(pipeline, name+"(") {
			src += "\n" + wordSteps[name] + "\n"
		}
	}
	return code(src)
}

// wordsNotebook is the cells of a GoNB notebook with the word steps that
// the pipeline cell pipelineCell calls; prefix goes before the steps.
func wordsNotebook(prefix, pipelineCell string) []cell {
	return []cell{wordStepsFor(prefix, pipelineCell), code(pipelineCell)}
}

func TestFunctionStepCalls(t *testing.T) {
	tests := []struct {
		name     string
		pipeline string // the //zen:pipeline cell, after "%%"
		step     string
		want     funcStepSummary
	}{
		{
			name:     "bare call with one result is stored under the step's name",
			pipeline: "ws := Words(3)\nTop(ws, 2)",
			step:     "top",
			want: funcStepSummary{Results: []string{"top"}, Inputs: []string{"ws []string value from=words"},
				Outputs: []string{"top []string value"}},
		},
		{
			name:     "bare call with several results numbers them; the error fails the step",
			pipeline: "ws := Words(3)\nStats(ws)",
			step:     "stats",
			want: funcStepSummary{Results: []string{"stats_0", "stats_1", "_"}, Error: true, Inputs: []string{"ws []string value from=words"},
				Outputs: []string{"stats_0 float64 json", "stats_1 int json"}},
		},
		{
			name:     "bare call returning only an error",
			pipeline: "ws := Words(3)\nCheck(ws)",
			step:     "check",
			want:     funcStepSummary{Results: []string{"_"}, Error: true, Inputs: []string{"ws []string value from=words"}},
		},
		{
			name:     "blank assignment drops the result",
			pipeline: "ws := Words(3)\n_ = Top(ws, 2)",
			step:     "top",
			want:     funcStepSummary{Results: []string{"_"}, Inputs: []string{"ws []string value from=words"}},
		},
		{
			name:     "blank among bound results",
			pipeline: "ws := Words(3)\nmean, _, err := Stats(ws)",
			step:     "stats",
			want: funcStepSummary{Results: []string{"mean", "_", "err"}, Error: true, Inputs: []string{"ws []string value from=words"},
				Outputs: []string{"mean float64 json"}},
		},
		{
			name:     "metric directly above the call",
			pipeline: "ws := Words(3)\n//zen:metric loss\nmodel, loss := Fit(ws, 0.5)",
			step:     "fit",
			want: funcStepSummary{Results: []string{"model", "loss"}, Inputs: []string{"ws []string value from=words"},
				Outputs: []string{"model string raw", "loss float64 json metric"}, Metrics: []string{"loss"}},
		},
		{
			name:     "metric elsewhere in the cell",
			pipeline: "//zen:metric loss\n//zen:output model\nws := Words(3)\nmodel, loss := Fit(ws, 0.5)",
			step:     "fit",
			want: funcStepSummary{Results: []string{"model", "loss"}, Inputs: []string{"ws []string value from=words"},
				Outputs: []string{"model string raw", "loss float64 json metric"}, Metrics: []string{"loss"}},
		},
		{
			name:     "metric of a bare call's result",
			pipeline: "//zen:metric stats_1\nws := Words(3)\nStats(ws)",
			step:     "stats",
			want: funcStepSummary{Results: []string{"stats_0", "stats_1", "_"}, Error: true, Inputs: []string{"ws []string value from=words"},
				Outputs: []string{"stats_0 float64 json", "stats_1 int json metric"}, Metrics: []string{"stats_1"}},
		},
		{
			// The adapter's own zg_err, zg_sc, zg_ctx and zg_params have
			// another prefix than its results (zg_out_).
			name:     "a result named like an adapter variable keeps its name",
			pipeline: "ws := Words(3)\nerr, sc := Fit(ws, 0.5)",
			step:     "fit",
			want: funcStepSummary{Results: []string{"err", "sc"}, Inputs: []string{"ws []string value from=words"},
				Outputs: []string{"err string raw", "sc float64 json"}},
		},
		{
			// Inputs (zg_in_) and results (zg_out_) do not share names.
			name:     "a result named like the input it replaces",
			pipeline: "ws := Words(3)\nws = Top(ws, 2)",
			step:     "top",
			want: funcStepSummary{Results: []string{"ws"}, Inputs: []string{"ws []string value from=words"},
				Outputs: []string{"ws []string value"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nb := notebook(t, "gonb", wordStepsFor("", tc.pipeline), code("//zen:pipeline words\n%%\n"+tc.pipeline))
			p := analyze(t, nb, Config{})
			if diff := cmp.Diff(tc.want, summarizeFuncStep(stepNamed(t, p, tc.step))); diff != "" {
				t.Errorf("step %s (-want +got):\n%s", tc.step, diff)
			}
		})
	}
}

// TestFunctionStepPassesOneInputOnce checks that F(x, x) loads x once and
// draws one edge.
func TestFunctionStepPassesOneInputOnce(t *testing.T) {
	nb := notebook(t, "gonb",
		code("//zen:step source\nfunc Source() int { return 2 }\n\n//zen:step mul\nfunc Mul(a, b int) int { return a * b }"),
		code("//zen:pipeline square\n%%\nx := Source()\nsq := Mul(x, x)"),
	)
	p := analyze(t, nb, Config{})
	mul := stepNamed(t, p, "mul")
	if diff := cmp.Diff([]*ir.Arg{{Input: "x"}, {Input: "x"}}, mul.Call.Args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"x int json from=source"}, portSummary(mul.Inputs)); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	if len(p.Edges) != 1 {
		t.Errorf("edges = %d, want 1", len(p.Edges))
	}
}

// TestREPLFunctionSteps analyses a gophernotes notebook whose pipeline
// cell is plain REPL statements: top-level definitions that the kernel
// keeps, a redeclared result, bare calls and metrics.
func TestREPLFunctionSteps(t *testing.T) {
	nb := notebook(t, "gophernotes",
		cell{src: "days := 2\nlimit := 20.5", tags: []string{"parameters"}},
		code("import \"fmt\""),
		code("// Readings simulates hourly temperatures.\n//\n//zen:step readings\nfunc Readings(days int) []float64 {\n\txs := make([]float64, 24*days)\n\tfor i := range xs {\n\t\txs[i] = float64(i % 30)\n\t}\n\treturn xs\n}"),
		code("//zen:step summary\nfunc Summary(xs []float64) (mean, peak float64) {\n\tfor _, x := range xs {\n\t\tmean += x / float64(len(xs))\n\t\tpeak = max(peak, x)\n\t}\n\treturn mean, peak\n}\n\n//zen:step alerts\nfunc Alerts(xs []float64, limit float64) int {\n\tn := 0\n\tfor _, x := range xs {\n\t\tif x > limit {\n\t\t\tn++\n\t\t}\n\t}\n\tfmt.Println(n, \"alerts\")\n\treturn n\n}"),
		code("//zen:pipeline weather\nxs := Readings(days)\n//zen:metric peak\nmean, peak := Summary(xs)\nAlerts(xs, limit)"),
	)
	p := analyze(t, nb, Config{})
	if p.Dialect != "repl" || p.Split != "functions" || p.Name != "weather" {
		t.Errorf("dialect %q split %q name %q, want repl functions weather", p.Dialect, p.Split, p.Name)
	}
	got := map[string]funcStepSummary{}
	for _, s := range p.Steps {
		got[s.Name] = summarizeFuncStep(s)
	}
	want := map[string]funcStepSummary{
		"readings": {Results: []string{"xs"}, Outputs: []string{"xs []float64 numeric"}},
		"summary": {Results: []string{"mean", "peak"}, Inputs: []string{"xs []float64 numeric from=readings"},
			Outputs: []string{"mean float64 json", "peak float64 json metric"}, Metrics: []string{"peak"}},
		"alerts": {Results: []string{"alerts"}, Inputs: []string{"xs []float64 numeric from=readings"}, Outputs: []string{"alerts int json"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"limit"}, stepNamed(t, p, "alerts").Params); diff != "" {
		t.Errorf("alerts params (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"readings", "summary", "alerts"}, stepNames(p)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

// TestREPLRedeclaredResultMetric checks which call a metric directive
// means when the REPL rebinds the name: the first call below it.
func TestREPLRedeclaredResultMetric(t *testing.T) {
	nb := notebook(t, "gophernotes",
		code("//zen:step first\nfunc First() float64 { return 1 }\n\n//zen:step second\nfunc Second(x float64) float64 { return x + 1 }"),
		code("//zen:pipeline twice\nx := First()\n//zen:metric x\nx := Second(x)"),
	)
	p := analyze(t, nb, Config{})
	first, second := stepNamed(t, p, "first"), stepNamed(t, p, "second")
	if len(first.Metrics) != 0 || !cmp.Equal(second.Metrics, []string{"x"}) {
		t.Errorf("metrics: first %v, second %v; want none and [x]", first.Metrics, second.Metrics)
	}
	if diff := cmp.Diff([]string{"x float64 json from=first"}, portSummary(second.Inputs)); diff != "" {
		t.Errorf("second inputs (-want +got):\n%s", diff)
	}
}

// TestPercentScriptFunctionSteps analyses a jupytext percent script in
// the REPL dialect: positions are file lines.
func TestPercentScriptFunctionSteps(t *testing.T) {
	src := `//go:build ignore

// %% tags=["parameters"]
n := 4

// %%
import "fmt"

//zen:step squares
func Squares(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i * i
	}
	return out
}

//zen:step total
func Total(xs []int) (sum int, err error) {
	for _, x := range xs {
		sum += x
	}
	fmt.Println("total", sum)
	return sum, nil
}

// %%
//zen:pipeline squares
xs := Squares(n)
//zen:metric sum
sum, err := Total(xs)
`
	nb, err := parser.ReadPercent("squares.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p := analyze(t, nb, Config{})
	total := stepNamed(t, p, "total")
	want := funcStepSummary{Results: []string{"sum", "err"}, Error: true, Inputs: []string{"xs []int numeric from=squares"},
		Outputs: []string{"sum int json metric"}, Metrics: []string{"sum"}}
	if diff := cmp.Diff(want, summarizeFuncStep(total)); diff != "" {
		t.Errorf("total (-want +got):\n%s", diff)
	}
	if got, want := total.Call.Pos, (ir.Pos{File: "squares.go", Line: 31, Col: 1}); got != want {
		t.Errorf("call at %v, want %v", got, want)
	}
	if got, want := total.Outputs[0].Pos, (ir.Pos{File: "squares.go", Line: 31, Col: 1}); got != want {
		t.Errorf("sum defined at %v, want %v", got, want)
	}

	bad := strings.Replace(src, "//zen:metric sum", "//zen:metric xs", 1)
	nb, err = parser.ReadPercent("squares.go", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Analyze(nb, Config{Dir: t.TempDir()})
	wantErr := "squares.go:30:1: metric xs must be a number, not []int"
	if err == nil || err.Error() != wantErr {
		t.Errorf("error = %v, want %s", err, wantErr)
	}
}

func TestFunctionStepErrors(t *testing.T) {
	tests := []struct {
		name   string
		kernel string // gonb unless set
		cells  []cell
		want   string
	}{
		{
			name:  "metric of a non-number",
			cells: wordsNotebook("", "//zen:pipeline words\n%%\nws := Words(3)\n//zen:metric model\nmodel, loss := Fit(ws, 0.5)"),
			want:  "nb.ipynb:cell 2:4:1: metric model must be a number, not string",
		},
		{
			name:  "metric naming no result",
			cells: wordsNotebook("", "//zen:pipeline words\n%%\nws := Words(3)\n//zen:metric accuracy\nmodel, loss := Fit(ws, 0.5)"),
			want:  "nb.ipynb:cell 2:4:1: //zen:metric accuracy: no step call in this cell stores a result named accuracy\n\thint: bind the result to a variable of that name, e.g. model, accuracy := Train(data, lr)",
		},
		{
			name:  "metric of a dropped result",
			cells: wordsNotebook("", "//zen:pipeline words\n%%\nws := Words(3)\n//zen:metric loss\nmodel, _ := Fit(ws, 0.5)"),
			want:  "nb.ipynb:cell 2:4:1: //zen:metric loss: no step call in this cell stores a result named loss\n\thint: bind the result to a variable of that name, e.g. model, loss := Train(data, lr)",
		},
		{
			name:  "output naming no result",
			cells: wordsNotebook("", "//zen:pipeline words\n%%\n//zen:output extra\nws := Words(3)"),
			want:  "nb.ipynb:cell 2:3:1: //zen:output extra: no step call in this cell stores a result named extra\n\thint: bind the result to a variable of that name, e.g. model, extra := Train(data, lr)",
		},
		{
			name:  "metric beside the function, not in the pipeline cell",
			cells: wordsNotebook("//zen:metric loss\n", "//zen:pipeline words\n%%\nws := Words(3)\nmodel, loss := Fit(ws, 0.5)"),
			want:  "nb.ipynb:cell 1:1:1: //zen:metric loss: cell 1 belongs to no step\n\thint: for a function step, put it in the //zen:pipeline cell, above the call that binds the result",
		},
		{
			name:   "metric in the parameters cell",
			kernel: "gophernotes",
			cells:  []cell{{src: "//zen:metric n\nn := 3", tags: []string{"parameters"}}, code("//zen:step a\nprintln(n)")},
			want:   "nb.ipynb:cell 1:1:1: //zen:metric n: cell 1 belongs to no step\n\thint: put it in the cell of the step that defines the variable",
		},
		{
			name:  "flags of main in the pipeline cell",
			cells: wordsNotebook("", "//zen:pipeline words\n%% --n=3\nws := Words(3)"),
			want:  "nb.ipynb:cell 2:2:1: `%% --n=3`: flag provided but not defined: -n\n\thint: the notebook defines no flag at package level (var x = flag.Int(\"x\", 0, \"…\"))",
		},
		{
			name:  "flags of main in a cell step",
			cells: []cell{code("var steps = flag.Int(\"steps\", 1, \"\")\n\n%% --steps=10 -v\nfmt.Println(*steps)")},
			want:  "nb.ipynb:cell 1:3:1: `%% --steps=10 -v`: flag provided but not defined: -v\n\thint: the notebook's flags are --steps",
		},
		{
			name:  "flags of %main",
			cells: []cell{code("var x = flag.Int(\"x\", 1, \"\")\n\n%main 2 -x=2\nfmt.Println(*x, flag.Args())")},
			want:  "nb.ipynb:cell 1:3:1: `%main 2 -x=2` passes 2, which is no flag: flag.Parse stops there and leaves the rest to flag.Args, which a pipeline step has no command line for\n\thint: pass only flags; the notebook's flags are --x",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kernel := tc.kernel
			if kernel == "" {
				kernel = "gonb"
			}
			analyzeError(t, kernel, tc.cells, tc.want)
		})
	}
}

// TestMainFlagsOutsideThePipeline checks that flags of main are fine where
// the pipeline does not run the cell, and a bare %% anywhere.
func TestMainFlagsOutsideThePipeline(t *testing.T) {
	tests := []struct {
		name  string
		cells []cell
	}{
		{"skipped cell", []cell{
			{src: "%% --steps=10\nfmt.Println(1)", tags: []string{"skip"}},
			code("%%\nfmt.Println(2)"),
		}},
		{"skipped by directive", []cell{
			code("//zen:skip\n%% --steps=10\nfmt.Println(1)"),
			code("%%\nfmt.Println(2)"),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := analyze(t, notebook(t, "gonb", tc.cells...), Config{})
			if len(p.Steps) != 1 {
				t.Errorf("steps = %v, want one", stepNames(p))
			}
		})
	}
}

// TestPercentScriptMainFlags checks the flags behind //gonb:%% in a
// script, which the corpus has: a flag passed becomes the step's param,
// and one the script does not define is an error at its file line.
func TestPercentScriptMainFlags(t *testing.T) {
	src := "// %%\nfunc Square(x float64) float64 { return x * x }\n\n// %%\nvar x = flag.Float64(\"x\", 0, \"\")\n\n//gonb:%% -x=3\nfmt.Println(Square(*x))\n"
	nb, err := parser.ReadPercent("square.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Analyze(nb, Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, prm := range p.Params {
		got = append(got, prm.Flag+"="+prm.Default)
	}
	if want := []string{"x=0", p.Steps[0].Name + ".x=3"}; !slices.Equal(got, want) {
		t.Errorf("params = %v, want %v", got, want)
	}
	nb, err = parser.ReadPercent("square.go", []byte(strings.Replace(src, "-x=3", "-y=3", 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Analyze(nb, Config{Dir: t.TempDir()})
	want := "square.go:7:1: `%% -y=3`: flag provided but not defined: -y\n\thint: the notebook's flags are --x"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

// TestBareCallAdapters renders the Run adapters of bare calls: the results
// are stored under the step's names, a trailing error fails the step, and
// a metric is recorded.
func TestBareCallAdapters(t *testing.T) {
	pipeline := "//zen:pipeline words\n%%\nws := Words(3)\nStats(ws)\nCheck(ws)\n//zen:metric loss\nerr, loss := Fit(ws, 0.5)"
	p := analyze(t, notebook(t, "gonb", wordsNotebook("", pipeline)...), Config{})
	files, err := emit.Emit(p, emit.Options{ImportPath: "example.com/words"})
	if err != nil {
		t.Fatal(err)
	}
	// The adapters sit in the step table of pipeline_zen.go, indented
	// there: compare line by line without the indentation.
	dedent := func(s string) string {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimLeft(l, "\t")
		}
		return strings.Join(lines, "\n")
	}
	table := dedent(string(files["pipeline_zen.go"]))
	tests := []struct {
		step string
		want string
	}{
		{"stats", `func(zg_ctx context.Context, zg_sc *zen.StepContext) error {
	zg_in_ws, zg_err := zen.Load(zg_sc, "ws", zen.Value[[]string]())
	if zg_err != nil {
		return zg_err
	}
	zg_out_stats_0, zg_out_stats_1, zg_err := Stats(zg_in_ws)
	if zg_err != nil {
		return zg_err
	}
	if zg_err := zen.Save(zg_sc, "stats_0", zen.JSON[float64](), zg_out_stats_0); zg_err != nil {
		return zg_err
	}
	return zen.Save(zg_sc, "stats_1", zen.JSON[int](), zg_out_stats_1)
}`},
		{"check", `func(zg_ctx context.Context, zg_sc *zen.StepContext) error {
	zg_in_ws, zg_err := zen.Load(zg_sc, "ws", zen.Value[[]string]())
	if zg_err != nil {
		return zg_err
	}
	zg_err = Check(zg_in_ws)
	if zg_err != nil {
		return zg_err
	}
	return nil
}`},
		{"fit", `func(zg_ctx context.Context, zg_sc *zen.StepContext) error {
	zg_in_ws, zg_err := zen.Load(zg_sc, "ws", zen.Value[[]string]())
	if zg_err != nil {
		return zg_err
	}
	zg_out_err, zg_out_loss := Fit(zg_in_ws, 0.5)
	zg_sc.Metric("loss", float64(zg_out_loss))
	if zg_err := zen.Save(zg_sc, "err", zen.Raw[string](), zg_out_err); zg_err != nil {
		return zg_err
	}
	return zen.Save(zg_sc, "loss", zen.JSON[float64](), zg_out_loss)
}`},
	}
	for _, tc := range tests {
		t.Run(tc.step, func(t *testing.T) {
			stepNamed(t, p, tc.step)
			if want := "Run: " + dedent(tc.want) + ",\n"; !strings.Contains(table, want) {
				t.Errorf("pipeline_zen.go lacks the Run adapter\n%s\nin\n%s", want, table)
			}
		})
	}
}

// BenchmarkFunctionSteps analyses a GoNB notebook of 100 function steps,
// one per cell, composed by a pipeline cell of 100 calls: bound results,
// bare calls and a metric per step.
func BenchmarkFunctionSteps(b *testing.B) {
	var cells []cell
	var calls strings.Builder
	calls.WriteString("//zen:pipeline chain\n%%\nx0 := Step0(1)\n")
	cells = append(cells, code("//zen:step step_0\nfunc Step0(x float64) float64 { return x }"))
	last := 0 // the latest bound x; bare calls bind none
	for i := 1; i < 100; i++ {
		cells = append(cells, code(fmt.Sprintf("//zen:step step_%d\nfunc Step%d(x float64) (float64, float64, error) {\n\treturn x * 2, x / 2, nil\n}", i, i)))
		if i%10 == 0 {
			fmt.Fprintf(&calls, "Step%d(x%d)\n", i, last)
			continue
		}
		fmt.Fprintf(&calls, "//zen:metric loss%d\nx%d, loss%d, err%d := Step%d(x%d)\n", i, i, i, i, i, last)
		last = i
	}
	cells = append(cells, code(calls.String()))
	nb := notebook(b, "gonb", cells...)
	dir := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		p, err := Analyze(nb, Config{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Steps) != 100 {
			b.Fatalf("%d steps", len(p.Steps))
		}
	}
}
