package analysis

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zengen-dev/zengen/gen/emit"
)

// kernelCompatCases are notebooks that run in their kernel, in constructs
// the corpus showed; each must analyse, and its generated package must
// build (TestKernelCompatBuilds).
var kernelCompatCases = []struct {
	name   string
	kernel string
	cells  []cell
	// wantBody are texts the named step's body must hold after analysis.
	step     string
	wantBody []string
}{
	{
		// gomacro does not reject unused variables; go build does, also
		// those declared in the header of an if, for, switch or select.
		name:   "unused variables of statement headers",
		kernel: "gophernotes",
		cells: []cell{
			code("import (\n\t\"fmt\"\n\t\"strconv\"\n)"),
			code("//zen:step a\n" +
				"var in any = 3\n" +
				"if n, err := strconv.Atoi(\"4\"); err != nil {\n\tfmt.Println(\"bad\")\n}\n" +
				"switch m := 2; {\ncase true:\n\tfmt.Println(\"m\")\n}\n" +
				"switch k := 1; {\n}\n" +
				"switch v := in.(type) {\ncase int:\n\tfmt.Println(\"int\")\ncase string:\n}\n" +
				"for i := 0; ; {\n\tbreak\n}\n" +
				"ch := make(chan int, 1)\nch <- 1\n" +
				"select {\ncase got := <-ch:\n\tfmt.Println(\"got\")\n}\n" +
				"for key, val := range map[string]int{} {\n}\n" +
				"{\n\tinner := 1\n}"),
		},
		step: "a",
		wantBody: []string{
			"if n, err := strconv.Atoi(\"4\"); err != nil { _ = n;",
			"case true: _ = m;",
			"switch k := 1; { default: _ = k;",
			"case int: _ = v;",
			"for i := 0; ; { _ = i;",
			"case got := <-ch: _ = got;",
			"{ _ = key; _ = val;",
			"inner := 1; _ = inner",
		},
	},
	{
		// GoNB drops the whole `var a, _, c = f()` when c is declared
		// again (its tests/vartuple notebook checks exactly that).
		name:   "GoNB replaces a tuple declaration",
		kernel: "gonb",
		cells: []cell{
			code("func tupleFn() (x, y, z int) {\n\treturn 3, 5, 7\n}\n\nvar a, _, c = tupleFn()\n\n%%\nfmt.Printf(\"c=%v\\n\", c)"),
			code("var c = float32(1.5)\n\n%%\nfmt.Printf(\"c=%g\\n\", c)"),
		},
		step:     "cell_2",
		wantBody: []string{`fmt.Fprintf(zg_out, "c=%g\n", c)`},
	},
	{
		// gophernotes redeclares err in nearly every cell and declares
		// a variable with var before assigning it with :=.
		name:   "REPL redeclarations",
		kernel: "gophernotes",
		cells: []cell{
			code("import \"strconv\""),
			code("//zen:step a\nvar x int\nx, err := strconv.Atoi(\"3\")\nn, err := strconv.Atoi(\"4\")"),
			code("//zen:step b\ny, err := strconv.Atoi(\"5\")\nx := x + n + y\n_ = err"),
			code("//zen:step c\nprintln(x)"),
		},
		step:     "c",
		wantBody: []string{"zg_println(zg_stderr(zg_ctx), x"},
	},
}

func TestKernelCompatAnalysis(t *testing.T) {
	for _, tc := range kernelCompatCases {
		t.Run(tc.name, func(t *testing.T) {
			p := analyze(t, notebook(t, tc.kernel, tc.cells...), Config{})
			body := strings.Join(strings.Fields(bodyText(stepNamed(t, p, tc.step))), " ")
			for _, want := range tc.wantBody {
				if !strings.Contains(body, strings.Join(strings.Fields(want), " ")) {
					t.Errorf("step %s lacks %q:\n%s", tc.step, want, bodyText(stepNamed(t, p, tc.step)))
				}
			}
		})
	}
}

func TestKernelCompatBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	for _, tc := range kernelCompatCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := analyze(t, notebook(t, tc.kernel, tc.cells...), Config{})
			dir := emitModule(t, p, emit.Options{NoTests: true})
			for _, args := range [][]string{{"vet", "./..."}, {"build", "./..."}} {
				if out, err := goCommand(t, dir, args...); err != nil {
					t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
				}
			}
		})
	}
}

// TestGoNBDroppedName checks the error for a name that disappeared with
// the tuple declaration it shared, which would otherwise read "undefined:
// a" next to its visible declaration; cell 1, run before the tuple was
// replaced, used a rightly.
func TestGoNBDroppedName(t *testing.T) {
	nb := notebook(t, "gonb",
		code("func tupleFn() (x, y, z int) {\n\treturn 3, 5, 7\n}\n\nvar a, _, c = tupleFn()\n\n%%\nfmt.Printf(\"a=%d, c=%d\\n\", a, c)"),
		code("var c = float32(1.5)\n\n%%\nfmt.Printf(\"a=%d, c=%g\\n\", a, c)"),
	)
	_, err := Analyze(nb, Config{Dir: t.TempDir()})
	want := "nb.ipynb:cell 2:4:28: a is undefined here: its declaration in cell 1 is replaced by the one of cell 2, which declares c again\n" +
		"\thint: GoNB drops a whole declaration when one of its names is declared again; declare a on its own"
	if err == nil {
		t.Fatal("no error")
	}
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}

// TestWriteFileCells checks %%writefile as GoNB runs it: -a appends to the
// file an earlier cell wrote (the corpus' tests/writefile notebook once
// failed with "the name is taken by a generated file"), a later cell
// without -a replaces it, %env variables expand in the name, and a skipped
// cell ships nothing.
func TestWriteFileCells(t *testing.T) {
	nb := notebook(t, "gonb",
		code("%env DATA_DIR data/"),
		code("%%writefile ${DATA_DIR}poem.txt\nfirst\n"),
		code("%%writefile -a ${DATA_DIR}poem.txt\nsecond\n"),
		code("%%writefile notes.txt\nold\n"),
		code("%%writefile notes.txt\nnew\n"),
		cell{src: "%%writefile scratch.txt\nexploration\n", tags: []string{"skip"}},
		code("%%\nprintln(1)"),
	)
	p := analyze(t, nb, Config{})
	got := map[string]string{}
	for _, f := range p.Files {
		got[f.Name] = f.Content
	}
	want := map[string]string{"data/poem.txt": "first\nsecond\n", "notes.txt": "new\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shipped files (-want +got):\n%s", diff)
	}
}

// TestUnresolvableRequirement checks that a !go get version (a commit,
// here) the go command cannot resolve is reported once, at its line,
// instead of as a go.mod error without a position followed by "could not
// import" for every import, std ones included.
func TestUnresolvableRequirement(t *testing.T) {
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "")
	nb := notebook(t, "gonb",
		code("!*go get -u example.com/nowhere@0123abcd"),
		code("import \"strings\"\n\n%%\nprintln(strings.ToUpper(\"x\"))"),
	)
	_, err := Analyze(nb, Config{Dir: t.TempDir()})
	if err == nil {
		t.Fatal("no error")
	}
	got := err.Error()
	for _, want := range []string{"nb.ipynb:cell 1:1:1: cannot use requirement example.com/nowhere@0123abcd: ", "\thint: check that the module proxy serves this version"} {
		if !strings.Contains(got, want) {
			t.Errorf("error lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "could not import") || strings.Count(got, "nb.ipynb:") != 1 {
		t.Errorf("want exactly one error, at the requirement:\n%s", got)
	}
}
