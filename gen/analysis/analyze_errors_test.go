package analysis

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAnalyzeErrors(t *testing.T) {
	tests := []struct {
		name   string
		kernel string // gophernotes unless set
		cells  []cell
		want   string
	}{
		{
			name:  "syntax error",
			cells: []cell{code("//zen:step a\nx := 1\ny := (x +\n"), code("z := \"unterminated\n")},
			want:  "nb.ipynb:cell 1:3:10: syntax error: expected operand, found 'EOF'\nnb.ipynb:cell 2:1:6: syntax error: string literal not terminated",
		},
		{
			// The scanner's semicolon at the end of the input once pulled a
			// byte from past the cell into the item: "illegal character NUL".
			name:  "unclosed brace at the end of a cell",
			cells: []cell{code("import \"fmt\""), code("//zen:step count\ntotal := 0\nfor i := 0; i < 3; i++ {\n\ttotal += i\nfmt.Println(total)")},
			want:  "nb.ipynb:cell 2:5:19: syntax error: expected '}', found 'EOF'",
		},
		{
			name:   "unclosed call in a GoNB body of main",
			kernel: "gonb",
			cells:  []cell{code("%%\nfmt.Println(\"Hello World\")"), code("%%\nfmt.Println(\"Hello World\"")},
			want:   "nb.ipynb:cell 2:2:26: syntax error: missing ',' before newline in argument list",
		},
		{
			name:   "unclosed function declaration",
			kernel: "gonb",
			cells:  []cell{code("func f() int {\n\treturn 1\n")},
			want:   "nb.ipynb:cell 1:3:1: syntax error: expected '}', found 'EOF'",
		},
		{
			name:  "undefined name",
			cells: []cell{code("//zen:step a\nx := 1\nprintln(x, missing)")},
			want:  "nb.ipynb:cell 1:3:12: undefined: missing",
		},
		{
			name:  "name only in a skipped cell",
			cells: []cell{{src: "secret := 42", tags: []string{"skip"}}, code("//zen:step a\nprintln(secret)")},
			want:  "nb.ipynb:cell 2:2:9: secret is defined only in skipped cell 1\n\thint: remove the skip marker from that cell or define secret in a step",
		},
		{
			name: "cycle",
			cells: []cell{
				code("//zen:step a\n//zen:after b\nx := 1"),
				code("//zen:step b\nprintln(x)"),
			},
			want: "nb.ipynb:cell 1:1:1: steps form a cycle: a, b\n\thint: check the //zen:after markers of these steps",
		},
		{
			name:  "duplicate step",
			cells: []cell{code("//zen:step a\nx := 1"), code("//zen:step a\nprintln(x)")},
			want:  "nb.ipynb:cell 2:1:1: duplicate step a (first at nb.ipynb:cell 1:1:1)",
		},
		{
			name: "unstorable rng",
			cells: []cell{
				code("import \"math/rand\""),
				code("//zen:step a\nrng := rand.New(rand.NewSource(1))"),
				code("//zen:step b\nprintln(rng.Float64())"),
			},
			want: "nb.ipynb:cell 2:2:1: cannot store rng (*rand.Rand) from cell 2 as an artifact: Rand.src: it is an interface (rand.Source), whose dynamic type cannot be restored when loading\n\thint: keep it inside one step or //zen:output a value derived from it",
		},
		{
			name: "unstorable field, named by its path",
			cells: []cell{
				code("import \"math/rand\""),
				code("type Model struct {\n\tW []float64\n\tRng *rand.Rand\n}"),
				code("//zen:step a\nm := map[string]Model{}"),
				code("//zen:step b\nprintln(len(m))"),
			},
			want: "nb.ipynb:cell 3:2:1: cannot store m (map[string]Model) from cell 3 as an artifact: m[k].Rng.src: it is an interface (rand.Source), whose dynamic type cannot be restored when loading\n\thint: keep it inside one step or //zen:output a value derived from it",
		},
		{
			name: "unexported function field",
			cells: []cell{
				code("type scorer struct {\n\tname string\n\tscore func(float64) float64\n}"),
				code("//zen:step a\ns := &scorer{name: \"id\"}"),
				code("//zen:step b\nprintln(s.name)"),
			},
			want: "nb.ipynb:cell 2:2:1: cannot store s (*scorer) from cell 2 as an artifact: scorer.score: it is a function\n\thint: keep it inside one step or //zen:output a value derived from it",
		},
		{
			name:  "unstorable channel",
			cells: []cell{code("//zen:step a\nch := make(chan int, 1)"), code("//zen:step b\nch <- 1")},
			want:  "nb.ipynb:cell 1:2:1: cannot store ch (chan int) from cell 1 as an artifact: it is a channel\n\thint: keep it inside one step or //zen:output a value derived from it",
		},
		{
			name:   "local type",
			kernel: "gonb",
			cells:  []cell{code("//zen:step a\n//zen:output p\n%%\ntype point struct{ X int }\np := point{1}")},
			want:   "nb.ipynb:cell 1:5:1: cannot store p (point) from cell 1 as an artifact: its type point is declared inside a function, so no other step can name it; declare it in a cell of its own\n\thint: keep it inside one step or //zen:output a value derived from it",
		},
		{
			name:  "shell line in a step",
			cells: []cell{code("//zen:step load\n!ls -l\nx := 1\n_ = x")},
			want:  "nb.ipynb:cell 1:2:1: shell command `!ls -l` in step load: zengen cannot run shell lines in a pipeline\n\thint: move it to a cell tagged skip or //zen:skip",
		},
		{
			name:  "shell line in a skipped cell is fine, non-literal param is not",
			cells: []cell{{src: "!ls", tags: []string{"skip"}}, {src: "n := []int{1}", tags: []string{"parameters"}}, code("println(n)")},
			want:  "nb.ipynb:cell 2:1:6: parameter n needs a literal default, not []int{1}\n\thint: compute derived values in a step; parameters become command-line flags",
		},
		{
			// go/types continues the error on a line of its own, which
			// once came out as an error reading "\tother declaration of c".
			name:   "redeclared name points at the other declaration",
			kernel: "gonb",
			cells:  []cell{code("var (\n\tc = 1\n)"), code("var c = 2\n%%\nprintln(c)")},
			want:   "nb.ipynb:cell 2:1:5: c redeclared in this block\n\thint: other declaration of c at nb.ipynb:cell 1:2:2",
		},
		{
			name:   "lgo's _ctx where zengen's packages cannot be loaded",
			kernel: "lgo",
			cells:  []cell{code("//zen:step a\n_ctx.Display.Text(\"hi\", nil)")},
			want:   "nb.ipynb:cell 1:2:1: undefined: _ctx\n\thint: zengen provides lgo's _ctx.Display, but could not load github.com/zengen-dev/zengen/runtime/display/lgo here: generate inside a module that requires zengen, or give --module with --runtime-replace",
		},
		{
			name:   "writefile name from the environment of a run",
			kernel: "gonb",
			cells:  []cell{code("%%writefile ${TEST_DIR}poem.txt\nline\n"), code("%%\nprintln(1)")},
			want:   "nb.ipynb:cell 1:1:1: %%writefile ${TEST_DIR}poem.txt: $TEST_DIR not set by a %env line above this cell\n\thint: zengen ships the file when it generates, so the name must not depend on the environment of a run",
		},
		{
			name:  "metric must be a number",
			cells: []cell{code("//zen:step a\n//zen:metric s\ns := \"x\"")},
			want:  "nb.ipynb:cell 1:2:1: metric s must be a number, not string",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kernel := tc.kernel
			if kernel == "" {
				kernel = "gophernotes"
			}
			analyzeError(t, kernel, tc.cells, tc.want)
		})
	}
}

func TestCodeHash(t *testing.T) {
	base := []cell{
		code("func helper(x int) int { return x + 1 }\nfunc other() int { return 7 }"),
		code("//zen:step a\nx := helper(1)"),
		code("//zen:step b\ny := other()\nprintln(x, y)"),
	}
	hashes := func(cells []cell) map[string]string {
		p := analyze(t, notebook(t, "gophernotes", cells...), Config{})
		out := map[string]string{}
		for _, s := range p.Steps {
			out[s.Name] = s.CodeHash
		}
		return out
	}
	with := func(i int, src string) []cell {
		cells := append([]cell(nil), base...)
		cells[i] = code(src)
		return cells
	}
	want := hashes(base)
	cosmetic := hashes(with(1, "//zen:step a\n\n// a comment\nx   :=   helper( 1 )  // trailing\n"))
	if diff := cmp.Diff(want, cosmetic); diff != "" {
		t.Errorf("cosmetic edit changed hashes (-want +got):\n%s", diff)
	}
	// go/printer keeps the line breaks it finds, so a statement or a
	// helper re-broken across lines once changed the hash.
	rebroken := hashes([]cell{
		code("func helper(\n\tx int,\n) int {\n\treturn x +\n\t\t1\n}\nfunc other() int { return 7 }"),
		code("//zen:step a\nx := helper(\n\t1,\n)"),
		base[2],
	})
	if diff := cmp.Diff(want, rebroken); diff != "" {
		t.Errorf("re-breaking lines changed hashes (-want +got):\n%s", diff)
	}
	helperEdit := hashes(with(0, "func helper(x int) int { return x + 2 }\nfunc other() int { return 7 }"))
	if helperEdit["a"] == want["a"] || helperEdit["b"] != want["b"] {
		t.Errorf("helper edit: a %v→%v (want change), b %v→%v (want same)", want["a"], helperEdit["a"], want["b"], helperEdit["b"])
	}
	otherEdit := hashes(with(0, "func helper(x int) int { return x + 1 }\n\n// comment\nfunc other() int {\n\treturn 8\n}"))
	if otherEdit["a"] != want["a"] || otherEdit["b"] == want["b"] {
		t.Errorf("other edit: a %v→%v (want same), b %v→%v (want change)", want["a"], otherEdit["a"], want["b"], otherEdit["b"])
	}
}
