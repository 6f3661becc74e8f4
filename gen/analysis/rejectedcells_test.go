package analysis

import (
	"strings"
	"testing"
)

// TestKernelRejectedCells: a cell with a syntax error whose recording
// shows the kernel's own compile error never ran; it is left out with a
// note, and the names it would have declared come from the cells that ran.
func TestKernelRejectedCells(t *testing.T) {
	checkLeftOut(t, []leftOutCase{
		{
			name:   "gophernotes",
			kernel: "gophernotes",
			cells: []cell{
				{src: "import fmt", kernelError: "repl.go:1:11: expected 'STRING', found newline"},
				code("import \"fmt\""),
				code("fmt.Println(1)"),
			},
			want: "nb.ipynb:cell 1:1:1: note: left out of the pipeline: the kernel rejected the cell, so none of it ran (it recorded `repl.go:1:11: expected 'STRING', found newline`)",
		},
		{
			name:   "lgo",
			kernel: "lgo",
			cells: []cell{
				{src: "x := 10 +\ny := 2", stderr: "2:1: expected operand, found 'y'\n"},
				code("x := 10\nprintln(x)"),
			},
			want: "nb.ipynb:cell 1:1:1: note: left out of the pipeline: the kernel rejected the cell, so none of it ran (it recorded `2:1: expected operand, found 'y'`)",
		},
		{
			name:   "GoNB parse error",
			kernel: "gonb",
			cells: []cell{
				{src: "%%\nfmt.Println(\"a\"", kernelError: `parsing go files in TempDir "/tmp/gonb_1": /tmp/gonb_1/main.go:5:17: missing ',' before newline in argument list (and 1 more errors)`},
				code("%%\nfmt.Println(\"a\")"),
			},
			want: "nb.ipynb:cell 1:1:1: note: left out of the pipeline: the kernel rejected the cell, so none of it ran (it recorded `main.go:5:17: missing ',' before newline in argument list…`)",
		},
		{
			name:   "GoNB cell magic below the first line",
			kernel: "gonb",
			cells: []cell{
				{src: "X=17\n%%sh\necho $X", kernelError: `executing special commands in cell: "%%sh" can only appear at the start of the cell`},
				code("%%\nfmt.Println(\"a\")"),
			},
			want: "nb.ipynb:cell 1:1:1: note: left out of the pipeline: the kernel rejected the cell, so none of it ran (it recorded `executing special commands in cell: \"%%sh\" can only appea…`)",
		},
	})
}

// TestKernelTypeRejectedCells: a cell in which zengen finds only type
// errors that the kernel recorded as its compile error of the cell (same
// message in today's go/types words, same place where the kernel gives
// the cell's) never ran either; it is left out with a note.
func TestKernelTypeRejectedCells(t *testing.T) {
	checkLeftOut(t, []leftOutCase{
		{
			name:   "lgo, older go/types wording",
			kernel: "lgo",
			cells: []cell{
				{src: "x := 10\ny := 3.4\nz := x + y", stderr: "3:6: invalid operation: mismatched types int and float64\n"},
				code("x := 1\nprintln(x)"),
			},
			want: "nb.ipynb:cell 1:1:1: note: left out of the pipeline: the kernel rejected the cell, so none of it ran (it recorded `3:6: invalid operation: mismatched types int and float64`)",
		},
		{
			name:   "lgo, several errors",
			kernel: "lgo",
			cells: []cell{
				{src: "{\n\ta := missing\n\tfor i := 0; i; i++ {}\n\tunused := 1\n\t_ = a\n}", stderr: "2:7: undeclared name: missing\n3:14: non-boolean condition in for statement\n4:2: unused declared but not used\n"},
				code("println(1)"),
			},
			want: "nb.ipynb:cell 1:1:1: note: left out of the pipeline: the kernel rejected the cell, so none of it ran (it recorded `2:7: undeclared name: missing`)",
		},
		{
			name:   "GoNB",
			kernel: "gonb",
			cells: []cell{
				{src: "%%\nfmt.Println(missing)", kernelError: "/tmp/gonb_1/main.go:6:14: undefined: missing"},
				code("%%\nfmt.Println(1)"),
			},
			want: "nb.ipynb:cell 1:1:1: note: left out of the pipeline: the kernel rejected the cell, so none of it ran (it recorded `main.go:6:14: undefined: missing`)",
		},
	})
}

// TestNotKernelRejectedCells: a syntax error stays an error unless the
// recording proves the kernel refused the whole cell before running any of it.
func TestNotKernelRejectedCells(t *testing.T) {
	for _, tc := range []struct {
		name, kernel string
		cells        []cell
		want         string
	}{
		{
			name:   "no recorded error",
			kernel: "gophernotes",
			cells:  []cell{code("import fmt"), code("println(1)")},
			want:   "nb.ipynb:cell 1:1:11: syntax error: missing import path",
		},
		{
			// A panic means part of the cell ran.
			name:   "runtime error recorded",
			kernel: "gophernotes",
			cells:  []cell{{src: "var y", kernelError: "runtime error: index out of range [1] with length 1"}, code("println(1)")},
			want:   "nb.ipynb:cell 1:1:6: syntax error: expected type, found newline",
		},
		{
			// gomacro compiled it (a type error is not zengen's syntax error).
			name:   "kernel type error only",
			kernel: "gophernotes",
			cells:  []cell{code("var x uint"), {src: "x = -1", kernelError: "repl.go:1:1: error compiling assignment: x = -1"}, code("println(x)")},
			want:   "nb.ipynb:cell 2:1:5: cannot use -1 (untyped int constant) as uint value in assignment (overflows)",
		},
		{
			// The kernel ran the cell (zengen sees other declarations than
			// the kernel had): its type error is zengen's alone.
			name:   "kernel ran the cell",
			kernel: "lgo",
			cells:  []cell{code("c := \"x\""), {src: "a := 3\na == c", stdout: "false\n"}},
			want:   "nb.ipynb:cell 2:2:6: invalid operation: a == c (mismatched types int and string)",
		},
		{
			name:   "kernel's error elsewhere in the cell",
			kernel: "lgo",
			cells:  []cell{{src: "a := missing\n_ = a", stderr: "2:1: undeclared name: missing\n"}, code("println(1)")},
			want:   "nb.ipynb:cell 1:1:6: undefined: missing",
		},
		{
			name:   "an error the kernel did not record",
			kernel: "lgo",
			cells:  []cell{{src: "a := missing\nb := alsoMissing\n_, _ = a, b", stderr: "1:6: undeclared name: missing\n"}, code("println(1)")},
			want:   "nb.ipynb:cell 1:1:6: undefined: missing",
		},
		{
			name:   "GoNB's message differs",
			kernel: "gonb",
			cells:  []cell{{src: "%%\nfmt.Println(missing)", kernelError: "/tmp/gonb_1/main.go:6:14: undefined: other"}, code("%%\nfmt.Println(1)")},
			want:   "nb.ipynb:cell 1:2:13: undefined: missing",
		},
		{
			name:   "another kernel's message",
			kernel: "gonb",
			cells:  []cell{{src: "%%\nfmt.Println(\"a\"", kernelError: "repl.go:1:11: expected 'STRING', found newline"}, code("%%\nfmt.Println(1)")},
			want:   "nb.ipynb:cell 1:2:16: syntax error: missing ',' before newline in argument list",
		},
		{
			name:   "lgo stderr with a panic",
			kernel: "lgo",
			cells:  []cell{{src: "x := 10 +\ny := 2", stderr: "2:1: expected operand\npanic: boom\n"}, code("println(1)")},
			want:   "nb.ipynb:cell 1:2:3: syntax error: expected ';', found ':='",
		},
		{
			// GoNB ran the shell line before it compiled the cell.
			name:   "GoNB shell line beside the broken code",
			kernel: "gonb",
			cells:  []cell{{src: "!touch a.txt\n%%\nfmt.Println(\"a\"", kernelError: `parsing go files in TempDir "/tmp/gonb_1": /tmp/gonb_1/main.go:5:17: missing ','`}, code("%%\nfmt.Println(1)")},
			want:   "nb.ipynb:cell 1:3:16: syntax error: missing ',' before newline in argument list",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Analyze(notebook(t, tc.kernel, tc.cells...), Config{Dir: t.TempDir()})
			if err == nil {
				t.Fatal("no error")
			}
			if first, _, _ := strings.Cut(err.Error(), "\n"); first != tc.want {
				t.Errorf("first error:\n%s\nwant:\n%s", first, tc.want)
			}
		})
	}
}

// leftOutCase is a notebook whose first cell the kernel rejected, and the
// note that leaves it out.
type leftOutCase struct {
	name, kernel string
	cells        []cell
	want         string
}

// checkLeftOut analyses each case's notebook and checks that its notes are
// want and that the rest still makes steps.
func checkLeftOut(t *testing.T, cases []leftOutCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := analyze(t, notebook(t, tc.kernel, tc.cells...), Config{})
			var notes []string
			for _, n := range p.Notes {
				notes = append(notes, n.String())
			}
			if got := strings.Join(notes, "\n"); got != tc.want {
				t.Errorf("notes:\n%s\nwant:\n%s", got, tc.want)
			}
			if len(p.Steps) == 0 {
				t.Error("no steps")
			}
		})
	}
}
