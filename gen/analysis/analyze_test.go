package analysis

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/gen/ir"
)

// workedExample is the notebook of docs/design.md §3.
func workedExample() []cell {
	return []cell{
		{src: "var seed int64 = 42\nepochs := 300", tags: []string{"parameters"}},
		code("import (\"fmt\"; \"math/rand\")"),
		code("//zen:step load\nrng := rand.New(rand.NewSource(seed))\nxs := make([]float64, 100)\nfor i := range xs { xs[i] = rng.Float64() }"),
		code("//zen:step train\n//zen:metric loss\nw, loss := fit(xs, epochs)   // fit declared in some cell\nfmt.Println(\"loss\", loss)"),
		code("func fit(xs []float64, epochs int) ([]float64, float64) {\n\treturn xs, float64(epochs)\n}"),
	}
}

func TestWorkedExample(t *testing.T) {
	p := analyze(t, notebook(t, "gophernotes", workedExample()...), Config{})
	if diff := cmp.Diff([]string{"load", "train"}, stepNames(p)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	params := map[string]string{}
	for _, pr := range p.Params {
		params[pr.Name] = pr.Type + " " + pr.Default + " " + pr.Field + " " + pr.Flag
	}
	wantParams := map[string]string{"seed": "int64 42 Seed seed", "epochs": "int 300 Epochs epochs"}
	if diff := cmp.Diff(wantParams, params); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
	load, train := stepNamed(t, p, "load"), stepNamed(t, p, "train")
	checks := []struct {
		name      string
		got, want any
	}{
		{"load inputs", portSummary(load.Inputs), []string(nil)},
		{"load outputs", portSummary(load.Outputs), []string{"xs []float64 numeric"}},
		{"load params", load.Params, []string{"seed"}},
		{"train inputs", portSummary(train.Inputs), []string{"xs []float64 numeric from=load"}},
		{"train outputs", portSummary(train.Outputs), []string{"loss float64 json metric"}},
		{"train params", train.Params, []string{"epochs"}},
		{"train metrics", train.Metrics, []string{"loss"}},
		{"train unused", train.Unused, []string{"w"}},
		{"edges", p.Edges, []*ir.Edge{{From: "load", To: "train", Var: "xs", Why: "train reads xs, defined in load at cell 3:3"}}},
		{"imports", p.Imports, []*ir.Import{{Path: "fmt", Package: "fmt"}, {Path: "math/rand", Package: "rand"}}},
		{"split", p.Split, ir.SplitMarkers},
		{"name", p.Name, "nb"},
		{"func", train.Func, "Train"},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
	if got := bodyText(train); !strings.Contains(got, `fmt.Fprintln(zg_out, "loss", loss)`) {
		t.Errorf("train body does not print to zg_out:\n%s", got)
	}
	if len(p.Decls) != 1 || !strings.HasPrefix(p.Decls[0].Code, "func fit(") {
		t.Errorf("decls = %+v", p.Decls)
	}
	if load.CodeHash == "" || load.CodeHash == train.CodeHash {
		t.Errorf("code hashes %q %q", load.CodeHash, train.CodeHash)
	}
}

func TestREPLRedeclaration(t *testing.T) {
	nb := notebook(t, "gophernotes",
		code(`import "strconv"`),
		code("//zen:step first\nx, err := strconv.Atoi(\"1\")\nvar y int"),
		code("//zen:step second\ny := x + 1\nz, err := strconv.Atoi(\"2\")\n_ = err\nx := y * z"),
		code("//zen:step third\nprintln(x, y)"),
	)
	p := analyze(t, nb, Config{})
	first, second, third := stepNamed(t, p, "first"), stepNamed(t, p, "second"), stepNamed(t, p, "third")
	checks := []struct {
		name      string
		got, want any
	}{
		{"first outputs", portSummary(first.Outputs), []string{"x int json"}},
		{"first unused", first.Unused, []string{"err", "y"}},
		{"second inputs", portSummary(second.Inputs), []string{"x int json from=first"}},
		{"second outputs", portSummary(second.Outputs), []string{"y int json var=y_2", "x int json var=x_2"}},
		{"second body", bodyText(second), "y_2 := x + 1\nz, err_2 := strconv.Atoi(\"2\")\n_ = err_2\nx_2 := y_2 * z"},
		{"third inputs", portSummary(third.Inputs), []string{"x int json var=x_2 from=second", "y int json var=y_2 from=second"}},
		{"third body", bodyText(third), "zg_println(zg_stderr(zg_ctx), x_2, y_2)"},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

func TestMutationMakesNewVersion(t *testing.T) {
	nb := notebook(t, "gophernotes",
		code("//zen:step make\nxs := []float64{3, 1, 2}\ncounts := map[string]int{}"),
		code("//zen:step grow\nxs = append(xs, 4)\ncounts[\"a\"]++"),
		code("//zen:step read\nprintln(len(xs), counts[\"a\"])"),
	)
	p := analyze(t, nb, Config{})
	grow, read := stepNamed(t, p, "grow"), stepNamed(t, p, "read")
	if diff := cmp.Diff([]string{"xs []float64 numeric from=make", "counts map[string]int value from=make"}, portSummary(grow.Inputs)); diff != "" {
		t.Errorf("grow inputs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"xs []float64 numeric", "counts map[string]int value"}, portSummary(grow.Outputs)); diff != "" {
		t.Errorf("grow outputs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"xs []float64 numeric from=grow", "counts map[string]int value from=grow"}, portSummary(read.Inputs)); diff != "" {
		t.Errorf("read inputs (-want +got):\n%s", diff)
	}
	if got := stepNamed(t, p, "make").Outputs; len(got) != 2 {
		t.Errorf("make outputs = %v", portSummary(got))
	}
}

func TestParamSubsetsAndMissingImports(t *testing.T) {
	nb := notebook(t, "gophernotes",
		cell{src: "lr := 0.1\nname := \"run\"\nconst batch = 32", tags: []string{"parameters"}},
		code("//zen:step a\nfmt.Println(name, strings.ToUpper(name))\nr := rand.Intn(batch)\n_ = r"),
		code("//zen:step b\nv := math.Sqrt(lr)\n_ = v"),
	)
	p := analyze(t, nb, Config{})
	if diff := cmp.Diff([]string{"batch", "name"}, stepNamed(t, p, "a").Params); diff != "" {
		t.Errorf("a params (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"lr"}, stepNamed(t, p, "b").Params); diff != "" {
		t.Errorf("b params (-want +got):\n%s", diff)
	}
	var paths []string
	for _, imp := range p.Imports {
		paths = append(paths, imp.Path)
	}
	if diff := cmp.Diff([]string{"fmt", "math", "math/rand", "strings"}, paths); diff != "" {
		t.Errorf("imports (-want +got):\n%s", diff)
	}
	var types []string
	for _, pr := range p.Params {
		types = append(types, pr.Name+":"+pr.Type+"="+pr.Default)
	}
	if diff := cmp.Diff([]string{"lr:float64=0.1", "name:string=\"run\"", "batch:int=32"}, types); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
}

func TestGoNB(t *testing.T) {
	nb := notebook(t, "gonb",
		cell{src: "var scale = 2.5", tags: []string{"parameters"}},
		code("func double(x float64) float64 { return x * 2 }"),
		code("func double(x float64) float64 { return x * scale }\n\n%%\nfmt.Println(double(3))"),
		code("func main() {\n\tv := double(1)\n\tfmt.Printf(\"%v\\n\", v)\n}"),
	)
	p := analyze(t, nb, Config{})
	if diff := cmp.Diff([]string{"cell_3", "cell_4"}, stepNames(p)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	var decls []string
	for _, d := range p.Decls {
		decls = append(decls, d.Pos.String()+" "+d.Code)
	}
	want := []string{"nb.ipynb:cell 1:1:1 var scale = 2.5", "nb.ipynb:cell 3:1:1 func double(x float64) float64 { return x * scale }"}
	if diff := cmp.Diff(want, decls); diff != "" {
		t.Errorf("decls, last declaration wins (-want +got):\n%s", diff)
	}
	c3, c4 := stepNamed(t, p, "cell_3"), stepNamed(t, p, "cell_4")
	if diff := cmp.Diff("fmt.Fprintln(zg_out, double(3))", bodyText(c3)); diff != "" {
		t.Errorf("cell 3 body (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("v := double(1)\nfmt.Fprintf(zg_out, \"%v\\n\", v)", bodyText(c4)); diff != "" {
		t.Errorf("cell 4 body (-want +got):\n%s", diff)
	}
	if got := c4.Body[0].Pos.String(); got != "nb.ipynb:cell 4:2:2" {
		t.Errorf("body position = %s", got)
	}
	if diff := cmp.Diff([]string{"scale"}, c3.Params); diff != "" {
		t.Errorf("params reached through double (-want +got):\n%s", diff)
	}
	if !p.Params[0].Global {
		t.Errorf("GoNB param not global: %+v", p.Params[0])
	}
}

func TestFunctionSteps(t *testing.T) {
	nb := notebook(t, "gonb",
		cell{src: "var path = \"data.csv\"\nvar lr = 0.5", tags: []string{"parameters"}},
		code("import \"errors\"\n\n// loadData reads the rows.\n//zen:step load\nfunc loadData(p string) []float64 { return []float64{float64(len(p))} }"),
		code("//zen:step retries=2\nfunc Train(xs []float64, rate float64, epochs int) (float64, error) {\n\tif len(xs) == 0 {\n\t\treturn 0, errors.New(\"empty\")\n\t}\n\treturn xs[0] * rate, nil\n}"),
		code("//zen:pipeline churn\n%%\ndata := loadData(path)\nmodel, err := Train(data, lr, 3)\nn := len(data)\n_, _, _ = model, err, n"),
	)
	p, err := Analyze(nb, Config{Dir: t.TempDir()})
	if err == nil {
		t.Fatal("want an error for the non-call line in the pipeline cell")
	}
	if !strings.Contains(err.Error(), "nb.ipynb:cell 4:5:1: pipeline cells hold only step calls") {
		t.Errorf("error = %v", err)
	}
	nb = notebook(t, "gonb",
		cell{src: "var path = \"data.csv\"\nvar lr = 0.5", tags: []string{"parameters"}},
		code("import \"errors\"\n\n// loadData reads the rows.\n//zen:step load\nfunc loadData(p string) []float64 { return []float64{float64(len(p))} }"),
		code("//zen:step retries=2\nfunc Train(xs []float64, rate float64, epochs int) (float64, error) {\n\tif len(xs) == 0 {\n\t\treturn 0, errors.New(\"empty\")\n\t}\n\treturn xs[0] * rate, nil\n}"),
		code("//zen:pipeline churn\n%%\ndata := loadData(path)\nmodel, err := Train(data, lr, 3)\n_, _ = model, err"),
	)
	p = analyze(t, nb, Config{})
	if p.Name != "churn" || p.Split != "functions" {
		t.Errorf("name %q split %q", p.Name, p.Split)
	}
	load, train := stepNamed(t, p, "load"), stepNamed(t, p, "train")
	checks := []struct {
		name      string
		got, want any
	}{
		{"load func", load.Func, "LoadData"},
		{"load call", load.Call.Args, []*ir.Arg{{Param: "path"}}},
		{"load outputs", portSummary(load.Outputs), []string{"data []float64 numeric"}},
		{"train call", train.Call, &ir.Call{Args: []*ir.Arg{{Input: "data"}, {Param: "lr"}, {Literal: "3"}}, Results: []string{"model", "err"}, Error: true, Pos: train.Call.Pos}},
		{"train inputs", portSummary(train.Inputs), []string{"data []float64 numeric from=load"}},
		{"train outputs", portSummary(train.Outputs), []string{"model float64 json"}},
		{"train params", train.Params, []string{"lr"}},
		{"train options", train.Options, ir.Options{Retries: 2}},
		{"edges", len(p.Edges), 1},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
	var decls []string
	for _, d := range p.Decls {
		decls = append(decls, d.Code)
	}
	if all := strings.Join(decls, "\n"); !strings.Contains(all, "func LoadData(p string)") || strings.Contains(all, "loadData(") {
		t.Errorf("loadData not renamed:\n%s", all)
	}
}

func TestAutoSplit(t *testing.T) {
	tests := []struct {
		name      string
		cells     []cell
		split     ir.Split
		wantSplit ir.Split
		want      []string
	}{
		{
			name: "headings",
			cells: []cell{
				code("x := 1"),
				code("md:# Load the Data\nSome text."),
				code("y := x + 1"),
				code("md:### detail"),
				code("z := y + 1"),
				code("md:## Train model"),
				code("println(z)"),
			},
			wantSplit: "headings",
			want:      []string{"setup", "load_the_data", "train_model"},
		},
		{
			name:      "cells",
			cells:     []cell{code("x := 1"), code("func f() int { return 2 }"), code("md:text"), code("println(x, f())")},
			wantSplit: "cells",
			want:      []string{"cell_1", "cell_4"},
		},
		{
			name:      "forced cells",
			cells:     []cell{code("md:# A"), code("x := 1"), code("println(x)")},
			split:     "cells",
			wantSplit: "cells",
			want:      []string{"cell_2", "cell_3"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := analyze(t, notebook(t, "gophernotes", tc.cells...), Config{Split: tc.split})
			if p.Split != tc.wantSplit {
				t.Errorf("split = %q, want %q", p.Split, tc.wantSplit)
			}
			if diff := cmp.Diff(tc.want, stepNames(p)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
		})
	}
	p := analyze(t, notebook(t, "gophernotes", tests[0].cells...), Config{})
	if doc := stepNamed(t, p, "load_the_data").Doc; doc != "# Load the Data\nSome text." {
		t.Errorf("doc = %q", doc)
	}
}

func TestMagicsExpectAndVarThenDefine(t *testing.T) {
	nb := notebook(t, "gophernotes",
		code("!go get github.com/example/mod@v1.2.3 github.com/example/other\n%env MODE fast\nimport \"os\""),
		cell{src: "//zen:step a\nvar x []int\nx := []int{1, 2}\nprintln(len(x))", stdout: "2\x1b[0m  \n"},
		cell{src: "//zen:nocheck\nprintln(x[0])", stdout: "1"},
		code("//zen:step b\nprintln(x[1])"),
	)
	p := analyze(t, nb, Config{})
	var reqs []string
	for _, r := range p.Requirements {
		reqs = append(reqs, r.Path+"@"+r.Version)
	}
	if diff := cmp.Diff([]string{"github.com/example/mod@v1.2.3", "github.com/example/other@latest"}, reqs); diff != "" {
		t.Errorf("requirements (-want +got):\n%s", diff)
	}
	if len(p.Env) != 1 || p.Env[0].Key != "MODE" || p.Env[0].Value != "fast" {
		t.Errorf("env = %+v", p.Env)
	}
	if len(p.Imports) != 0 {
		t.Errorf("unused import kept: %+v", p.Imports)
	}
	a := stepNamed(t, p, "a")
	if diff := cmp.Diff([]string{"x []int numeric var=x_2"}, portSummary(a.Outputs)); diff != "" {
		t.Errorf("a outputs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"x"}, a.Unused); diff != "" {
		t.Errorf("a unused (-want +got):\n%s", diff)
	}
	want := []*ir.Expect{
		{Cell: 2, Pos: ir.Pos{File: "nb.ipynb", Cell: 2, Line: 1}, Text: "2\n"},
		{Cell: 3, Pos: ir.Pos{File: "nb.ipynb", Cell: 3, Line: 1}, Text: "1", Skip: true},
	}
	if diff := cmp.Diff(want, a.Expect); diff != "" {
		t.Errorf("expect (-want +got):\n%s", diff)
	}
}

func TestDeterministic(t *testing.T) {
	nb := notebook(t, "gophernotes", workedExample()...)
	first := analyze(t, nb, Config{})
	for range 3 {
		again := analyze(t, nb, Config{})
		if diff := cmp.Diff(first, again); diff != "" {
			t.Fatalf("second analysis differs (-first +again):\n%s", diff)
		}
	}
}

func TestChunkControlHeaders(t *testing.T) {
	nb := notebook(t, "gophernotes",
		code("//zen:step a\nsum := 0\nfor i := 0; i < 3; i++ { sum += i }\nif v := sum; v > 1 { sum++ }\nswitch x := sum; x {\ncase 1:\n}\nprintln(sum)"),
	)
	p := analyze(t, nb, Config{})
	if got := len(stepNamed(t, p, "a").Body); got != 5 {
		t.Errorf("%d items, want 5:\n%s", got, bodyText(stepNamed(t, p, "a")))
	}
}
