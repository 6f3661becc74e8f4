package emit

import (
	"fmt"
	"go/format"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dave/jennifer/jen"
	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/gen/header"
	"github.com/zengen-dev/zengen/gen/internal/irtest"
	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

func mustEmitter(t *testing.T, p *ir.Pipeline, opts Options) *emitter {
	t.Helper()
	if opts.ImportPath == "" {
		opts.ImportPath = "example.com/" + p.Name
	}
	e, err := newEmitter(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// render formats one builder's output as jennifer's own tests do, with %#v.
func render(c jen.Code) string { return fmt.Sprintf("%#v", c) }

// renderExpr renders an expression inside `var _ = …`, since gofmt, which
// %#v runs, cannot format a bare function literal.
func renderExpr(c jen.Code) string {
	return strings.TrimPrefix(render(jen.Var().Id("_").Op("=").Add(c)), "var _ = ")
}

// renderElem renders a composite-literal element that has its type elided.
func renderElem(c jen.Code) string {
	s := render(jen.Var().Id("_").Op("=").Index().Id("T").Values(c))
	return strings.TrimSuffix(strings.TrimPrefix(s, "var _ = []T{"), "}")
}

func TestBuilders(t *testing.T) {
	churn := mustEmitter(t, irtest.Churn(), Options{})
	funcs := mustEmitter(t, irtest.Funcs(), Options{})
	plain := mustEmitter(t, irtest.Churn(), Options{NoLineDirectives: true})
	train, count, report := churn.p.Steps[1], funcs.p.Steps[1], funcs.p.Steps[2]
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"stepFunc", render(churn.stepFunc(train)), `// Train is the step "train" of the pipeline, from churn.ipynb:cell 4.
func Train(zg_ctx context.Context, xs []float64, epochs int) float64 {
	zg_out := runtime.Stdout(zg_ctx)
//line churn.ipynb:cell 4:3
	w, loss := fit(xs, epochs)
//line churn.ipynb:cell 5:1
	fmt.Fprintln(zg_out, "loss", loss)
	_ = w
	return loss
}`},
		{"stepFunc without directives", render(plain.stepFunc(plain.p.Steps[0])), `// Load is the step "load" of the pipeline, from churn.ipynb:cell 3.
//
// # Load the data
//
// Draws ` + "`xs`" + ` uniformly.
func Load(zg_ctx context.Context, seed int64) []float64 {
	rng := rand.New(rand.NewSource(seed))
	xs := make([]float64, 100)
	for i := range xs {
		xs[i] = rng.Float64()
	}
	return xs
}`},
		{"paramsStruct", render(churn.paramsStruct()), "// Params are the parameters of the pipeline, with their flags.\ntype Params struct {\n\tSeed   int64 `help:\"random seed\" zen:\"seed\"`\n\tEpochs int   `zen:\"epochs\"`\n}"},
		{"defaultParams", render(churn.defaultParams()), `// DefaultParams returns the parameters as the notebook sets them.
func DefaultParams() Params {
	return Params{Seed: 42, Epochs: 300}
}`},
		{"runAdapter cell step", renderExpr(churn.runAdapter(train)), `func(zg_ctx context.Context, zg_sc *runtime.StepContext) error {
	zg_in_xs, zg_err := runtime.Load(zg_sc, "xs", runtime.Numeric[[]float64]())
	if zg_err != nil {
		return zg_err
	}
	zg_out_loss := Train(zg_ctx, zg_in_xs, zg_params.Epochs)
	zg_sc.Metric("loss", float64(zg_out_loss))
	return runtime.Save(zg_sc, "loss", runtime.JSON[float64](), zg_out_loss)
}`},
		{"runAdapter func step with error", renderExpr(funcs.runAdapter(count)), `func(zg_ctx context.Context, zg_sc *runtime.StepContext) error {
	zg_in_ws, zg_err := runtime.Load(zg_sc, "ws", runtime.JSON[[]string]())
	if zg_err != nil {
		return zg_err
	}
	zg_out_n, zg_err := count(zg_in_ws, zg_params.Scale)
	if zg_err != nil {
		return zg_err
	}
	zg_sc.Metric("n", float64(zg_out_n))
	return runtime.Save(zg_sc, "n", runtime.JSON[float64](), zg_out_n)
}`},
		{"runAdapter func step returning only an error", renderExpr(funcs.runAdapter(report)), `func(zg_ctx context.Context, zg_sc *runtime.StepContext) error {
	zg_in_n, zg_err := runtime.Load(zg_sc, "n", runtime.JSON[float64]())
	if zg_err != nil {
		return zg_err
	}
	zg_err = report(zg_in_n)
	if zg_err != nil {
		return zg_err
	}
	return nil
}`},
		{"portLiteral input", renderElem(churn.portLiteral(train.Inputs[0], true)), `{Name: "xs", Type: "[]float64", Codec: "numeric", From: "load"}`},
		{"portLiteral output", renderElem(churn.portLiteral(train.Outputs[0], false)), `{Name: "loss", Type: "float64", Codec: "json", Show: runtime.Shower(runtime.JSON[float64]())}`},
		{"optionsLiteral", renderExpr(churn.optionsLiteral(train.Options)), `runtime.Options{Retries: 2, Timeout: 90 * time.Second, CacheVersion: "v2"}`},
		{"optionsLiteral cache off", renderExpr(funcs.optionsLiteral(report.Options)), `runtime.Options{NoCache: true}`},
		{"setupFunc", renderExpr(funcs.setupFunc()), "func() {\n\tscale = zg_params.Scale\n}"},
		{"lineDirective notebook", render(lineDirective(parser.Pos{File: "a b.ipynb", Cell: 12, Line: 7, Col: 3})), "//line a b.ipynb:cell 12:7"},
		{"lineDirective script", render(lineDirective(parser.Pos{File: "s.go", Line: 40})), "//line s.go:40"},
		{"codecExpr raw", renderExpr(churn.codecExpr(&ir.Port{Type: "[]byte", Codec: "raw"})), "runtime.Raw[[]byte]()"},
		{"codecExpr binary", renderExpr(churn.codecExpr(&ir.Port{Type: "big.Int", Codec: "binary"})), "runtime.Binary[big.Int]()"},
		{"codecExpr error", renderExpr(churn.codecExpr(&ir.Port{Type: "error", Codec: "error"})), "runtime.ErrorCodec()"},
		{"codecExpr user", renderExpr(churn.codecExpr(&ir.Port{Type: "T", Codec: "mine", CodecFunc: true})), "mine()"},
		{"runTestFunc", render(churn.runTestFunc()), `// TestPipelineRuns runs every step in a fresh store with the default
// parameters and checks that every artifact decodes to what its step
// saved.
func TestPipelineRuns(t *testing.T) {
	zentest.Run(t, Pipeline())
}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDurationExpr(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{2 * time.Hour, "2 * time.Hour"},
		{90 * time.Minute, "90 * time.Minute"},
		{90 * time.Second, "90 * time.Second"},
		{1500 * time.Millisecond, "1500 * time.Millisecond"},
		{3 * time.Microsecond, "3 * time.Microsecond"},
		{7, "time.Duration(7)"},
	}
	for _, tt := range tests {
		if got := renderExpr(durationExpr(tt.d)); got != tt.want {
			t.Errorf("durationExpr(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestEmitDeterministic(t *testing.T) {
	for _, mk := range []func() *ir.Pipeline{irtest.Churn, irtest.Funcs, irtest.Clash} {
		opts := Options{Module: "example.com/m", Command: "generate x"}
		a, err := Emit(mk(), opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Emit(mk(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("two emissions differ (-first +second):\n%s", diff)
		}
	}
}

// TestEmitFileConventions checks what every generated Go file must be:
// the header, the name, gofmt-clean twice over, directives in column 1.
func TestEmitFileConventions(t *testing.T) {
	for _, mk := range []func() *ir.Pipeline{irtest.Churn, irtest.Funcs, irtest.Clash} {
		p := mk()
		files, err := Emit(p, Options{ImportPath: "example.com/m/" + p.Name, Command: "generate " + p.Notebook + " -o out"})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range slices.Sorted(maps.Keys(files)) {
			if !strings.HasSuffix(name, ".go") {
				continue
			}
			src := string(files[name])
			lines := strings.Split(src, "\n")
			if !header.Generated.MatchString(lines[0]) {
				t.Errorf("%s: first line %q is not a generated-code header", name, lines[0])
			}
			if want := []string{"//", "// zengen generate " + p.Notebook + " -o out"}; !slices.Equal(lines[1:3], want) {
				t.Errorf("%s: header lines 2-3 = %q, want %q", name, lines[1:3], want)
			}
			if !strings.HasSuffix(name, "_zen.go") && !strings.HasSuffix(name, "_zen_test.go") {
				t.Errorf("%s: a generated Go file name must end in _zen.go", name)
			}
			formatted, err := format.Source(files[name])
			if err != nil {
				t.Errorf("%s: does not parse: %v", name, err)
			} else if string(formatted) != src {
				t.Errorf("%s: not stable under gofmt:\n%s", name, cmp.Diff(src, string(formatted)))
			}
			for i, line := range lines {
				if strings.Contains(line, "//line ") && !strings.HasPrefix(line, "//line ") {
					t.Errorf("%s:%d: line directive not in column 1: %q", name, i+1, line)
				}
			}
		}
	}
}

func TestEmitFileSet(t *testing.T) {
	tests := []struct {
		name string
		p    *ir.Pipeline
		opts Options
		want []string
	}{
		{"package", irtest.Churn(), Options{ImportPath: "example.com/churn"}, []string{
			"churn_zen_test.go", "cmd/churn/main_zen.go", "decls_zen.go", "pipeline_zen.go",
			"step_load_zen.go", "step_train_zen.go"}},
		{"no tests", irtest.Churn(), Options{ImportPath: "example.com/churn", NoTests: true}, []string{
			"cmd/churn/main_zen.go", "decls_zen.go", "pipeline_zen.go", "step_load_zen.go", "step_train_zen.go"}},
		{"module, function steps", irtest.Funcs(), Options{Module: "example.com/funcs"}, []string{
			".gitignore", "README.md", "cmd/funcs/main_zen.go", "decls_zen.go", "funcs_zen_test.go",
			"go.mod", "pipeline_zen.go"}},
		{"shipped files", irtest.Clash(), Options{ImportPath: "example.com/clash", NoTests: true}, []string{
			"cmd/clash/main_zen.go", "data/words.txt", "decls_zen.go", "pipeline_zen.go",
			"step_measure_zen.go", "step_probe_zen.go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Emit(tt.p, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, slices.Sorted(maps.Keys(files))); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEmitNameClashes checks the renames that keep notebook names and
// emission's imports apart.
func TestEmitNameClashes(t *testing.T) {
	files, err := Emit(irtest.Clash(), Options{ImportPath: "example.com/clash"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ file, want string }{
		{"pipeline_zen.go", `zg_zen "github.com/zengen-dev/zengen/runtime"`},
		{"step_probe_zen.go", `zg_context "context"`},
		{"step_probe_zen.go", "\t\"runtime\"\n"},
		{"step_probe_zen.go", "zg_out := zg_zen.Stdout(zg_ctx)"},
		{"decls_zen.go", "//line clash.go:10\nfunc shout"},
		{"cmd/clash/main_zen.go", "zen.Main(clash.Pipeline())"},
	} {
		if !strings.Contains(string(files[tt.file]), tt.want) {
			t.Errorf("%s lacks %q:\n%s", tt.file, tt.want, files[tt.file])
		}
	}
	if strings.Contains(string(files["decls_zen.go"]), "zg_zen") {
		t.Errorf("decls_zen.go imports the runtime though it does not use it:\n%s", files["decls_zen.go"])
	}
}

func TestEmitErrors(t *testing.T) {
	tests := []struct {
		name   string
		modify func(p *ir.Pipeline)
		opts   Options
		want   string
	}{
		{"no import path", func(p *ir.Pipeline) {}, Options{}, "Options.ImportPath is needed"},
		{"bad timeout", func(p *ir.Pipeline) { p.Steps[1].Options.Timeout = "soon" }, Options{ImportPath: "m"},
			"churn.ipynb:cell 4:1: step train: timeout=soon is not a positive Go duration"},
		{"unknown param", func(p *ir.Pipeline) { p.Steps[1].Params = []string{"lr"} }, Options{ImportPath: "m"},
			"churn.ipynb:cell 4:1: step train uses the parameter lr, which the parameters cell does not define"},
		{"metric not an output", func(p *ir.Pipeline) { p.Steps[1].Metrics = []string{"acc"} }, Options{ImportPath: "m"},
			"churn.ipynb:cell 4:1: step train records the metric acc, which is not one of its outputs"},
		{"declaration takes a generated name", func(p *ir.Pipeline) {
			p.Decls = append(p.Decls, &ir.Chunk{Pos: parser.Pos{File: "churn.ipynb", Cell: 6, Line: 1}, Code: "func Train() {}"})
		}, Options{ImportPath: "m"}, "churn.ipynb:cell 6:1: Train is declared here but generated code uses the name for the function of step train"},
		{"step function takes a generated name", func(p *ir.Pipeline) { p.Steps[1].Func = "DefaultParams" }, Options{ImportPath: "m"},
			"churn.ipynb:cell 4:1: step train has the function DefaultParams, which generated code uses for the pipeline's default parameters"},
		{"declaration hides a predeclared type", func(p *ir.Pipeline) {
			p.Decls = append(p.Decls, &ir.Chunk{Pos: parser.Pos{File: "churn.ipynb", Cell: 6, Line: 1}, Code: "type error struct{}"})
		}, Options{ImportPath: "m"}, "churn.ipynb:cell 6:1: error is declared here, which hides Go's predeclared error in the whole generated package"},
		{"declaration in a group takes a generated name", func(p *ir.Pipeline) {
			p.Decls = append(p.Decls, &ir.Chunk{Pos: parser.Pos{File: "churn.ipynb", Cell: 6, Line: 2, Col: 1}, Code: "var (\n\ta = 1\n\tPipeline = 2\n)"})
		}, Options{ImportPath: "m"}, "churn.ipynb:cell 6:4:2: Pipeline is declared here but generated code uses the name for the pipeline description"},
		{"writefile outside", func(p *ir.Pipeline) {
			p.Files = []*ir.File{{Name: "../etc/x", Pos: parser.Pos{File: "churn.ipynb", Cell: 7, Line: 1}}}
		}, Options{ImportPath: "m"}, "churn.ipynb:cell 7:1: %%writefile ../etc/x: the file must be a relative path inside the output folder"},
		{"writefile over generated", func(p *ir.Pipeline) {
			p.Files = []*ir.File{{Name: "./decls_zen.go", Pos: parser.Pos{File: "churn.ipynb", Cell: 7, Line: 1}}}
		}, Options{ImportPath: "m"}, "churn.ipynb:cell 7:1: %%writefile ./decls_zen.go: the name is taken by the generated decls_zen.go"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := irtest.Churn()
			tt.modify(p)
			_, err := Emit(p, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Emit error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestAssumedPackageName(t *testing.T) {
	tests := map[string]string{
		"fmt":                        "fmt",
		"math/rand":                  "rand",
		"gopkg.in/yaml.v3":           "yaml",
		"github.com/mattn/go-isatty": "isatty",
		"github.com/gomlx/gomlx/v2":  "gomlx",
		"gonum.org/v1/gonum/mat":     "mat",
	}
	for path, want := range tests {
		if got := assumedPackageName(path); got != want {
			t.Errorf("assumedPackageName(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestSplitLeadingComments(t *testing.T) {
	tests := []struct {
		code, comments, rest string
		lines                int
	}{
		{"x := 1", "", "x := 1", 0},
		{"// f does.\n//\n// More.\nfunc f() {}", "// f does.\n//\n// More.", "func f() {}", 3},
		{"// note\n\nvar x = 1", "// note", "var x = 1", 2},
		{"// only a comment", "// only a comment", "", 1},
	}
	for _, tt := range tests {
		comments, rest, lines := splitLeadingComments(tt.code)
		if comments != tt.comments || rest != tt.rest || lines != tt.lines {
			t.Errorf("splitLeadingComments(%q) = %q, %q, %d; want %q, %q, %d", tt.code, comments, rest, lines, tt.comments, tt.rest, tt.lines)
		}
	}
}

func TestUsesIdent(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"fmt.Fprintln(zg_out, x)", true},
		{"zg_outer := 1", false},
		{"my_zg_out := 1", false},
		{"x := 1 // zg_out", false}, // comments are not code
	}
	for _, tt := range tests {
		if got := usesIdent([]*ir.Chunk{{Code: tt.code}}, "zg_out"); got != tt.want {
			t.Errorf("usesIdent(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestMarkdownToDocText(t *testing.T) {
	md := "## Train\nFits the *model*:\n- fast\n* small\n```go\nx := 1\n```"
	want := "\n# Train\n\nFits the *model*:\n  - fast\n  - small\n\n\tx := 1\n"
	if got := markdownToDocText(md); got != want {
		t.Errorf("markdownToDocText:\n%s", cmp.Diff(want, got))
	}
}

// TestShippedFilesListed checks that the pipeline file lists the
// %%writefile files, which carry no header of their own, and that
// ShippedFiles reads the list back: it is how generate knows them as its
// own.
func TestShippedFilesListed(t *testing.T) {
	p := irtest.Churn()
	at := parser.Pos{File: "churn.ipynb", Cell: 7, Line: 1}
	p.Files = []*ir.File{{Name: "data/b c.txt", Pos: at}, {Name: "./a.txt", Pos: at}}
	files, err := Emit(p, Options{ImportPath: "m"})
	if err != nil {
		t.Fatal(err)
	}
	got := ShippedFiles(files["pipeline_zen.go"])
	if want := []string{"a.txt", "data/b c.txt"}; !slices.Equal(got, want) {
		t.Errorf("ShippedFiles = %q, want %q", got, want)
	}
	if got := ShippedFiles(files["decls_zen.go"]); got != nil {
		t.Errorf("ShippedFiles of a file without the list = %q", got)
	}
}

// TestEveryFileReadsBackAsZengens: the CLI tells the files it may replace
// by header.Zengen, so every file emission and the templates write for a
// standalone module must pass it (go.sum, which holds no comments, is the
// go command's).
func TestEveryFileReadsBackAsZengens(t *testing.T) {
	p := irtest.Churn()
	files, err := Emit(p, Options{ImportPath: "example.com/m/churn", Module: "example.com/m", Command: "generate churn.ipynb"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if line := header.FirstLine(files[name]); !header.Zengen(line) {
			t.Errorf("%s: first line %q is not zengen's header", name, line)
		}
	}
}

// TestEmitTeamStack: with TeamStack the command imports the team stores'
// drivers for their registration, and without it it does not.
func TestEmitTeamStack(t *testing.T) {
	for _, team := range []bool{false, true} {
		files, err := Emit(irtest.Clash(), Options{ImportPath: "example.com/clash", TeamStack: team})
		if err != nil {
			t.Fatal(err)
		}
		main := string(files["cmd/clash/main_zen.go"])
		if got := strings.Contains(main, `_ "github.com/zengen-dev/zengen/runtime/teamstack"`); got != team {
			t.Errorf("TeamStack %v: main_zen.go imports the team stores: %v\n%s", team, got, main)
		}
	}
}
