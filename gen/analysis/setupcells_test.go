package analysis

import "testing"

// TestNotSetupCells: cells that look like setup but are not stay errors.
func TestNotSetupCells(t *testing.T) {
	run := code("%%\nfmt.Println(1)")
	for _, tc := range []struct {
		name, kernel string
		cells        []cell
		want         string
	}{
		{
			// GoNB reads a cell magic only on the first line; below it the
			// cell is Go, and broken.
			name:   "cell magic below the first line",
			kernel: "gonb",
			cells:  []cell{run, code("%version\n%%sh")},
			want: "nb.ipynb:cell 2:1:1: magic `%version` in cell 2: zengen cannot run magic lines in a pipeline\n" +
				"\thint: move it to a cell tagged skip or //zen:skip\n" +
				"nb.ipynb:cell 2:2:1: magic `%%sh` in cell 2: zengen cannot run magic lines in a pipeline\n" +
				"\thint: move it to a cell tagged skip or //zen:skip",
		},
		{
			name:   "cell magic behind //gonb: below the first line",
			kernel: "gonb",
			cells:  []cell{run, code("!ls\n//gonb:%%sh")},
			want: "nb.ipynb:cell 2:1:1: shell command `!ls` in cell 2: zengen cannot run shell lines in a pipeline\n" +
				"\thint: move it to a cell tagged skip or //zen:skip\n" +
				"nb.ipynb:cell 2:2:1: magic `//gonb:%%sh` in cell 2: zengen cannot run magic lines in a pipeline\n" +
				"\thint: move it to a cell tagged skip or //zen:skip",
		},
		{
			// Only a cell of shell lines reads # as the shell's comment.
			name:   "# line beside Go code",
			kernel: "gonb",
			cells:  []cell{code("#@title Run\n!ls\n%%\nfmt.Println(1)")},
			want: "nb.ipynb:cell 1:1:1: syntax error: illegal character U+0023 '#'\n" +
				"\thint: Go comments start with //; a cell written for another kernel (a Colab setup cell, say) can be tagged skip",
		},
		{
			name:   "# lines and shell lines outside GoNB",
			kernel: "gophernotes",
			cells:  []cell{code("#@title Install\n!ls"), code("println(1)")},
			want: "nb.ipynb:cell 1:1:1: syntax error: illegal character U+0023 '#'\n" +
				"\thint: Go comments start with //; a cell written for another kernel (a Colab setup cell, say) can be tagged skip",
		},
		{
			name:   "%rm outside GoNB",
			kernel: "gophernotes",
			cells:  []cell{code("x := 1\nprintln(x)"), code("%rm x")},
			want: "nb.ipynb:cell 2:1:1: magic `%rm x` in cell 2: zengen cannot run magic lines in a pipeline\n" +
				"\thint: move it to a cell tagged skip or //zen:skip",
		},
		{
			name:   "%cd changes what the code reads",
			kernel: "gonb",
			cells:  []cell{code("%cd data"), run},
			want: "nb.ipynb:cell 1:1:1: magic `%cd data` in cell 1: zengen cannot run magic lines in a pipeline\n" +
				"\thint: move it to a cell tagged skip or //zen:skip",
		},
		{
			// The error that rejects the only cell that would run comes
			// alone, not behind "no steps".
			name:   "no steps because of another error",
			kernel: "gonb",
			cells:  []cell{code("%%writefile ${DIR}a.txt\nhello")},
			want: "nb.ipynb:cell 1:1:1: %%writefile ${DIR}a.txt: $DIR not set by a %env line above this cell\n" +
				"\thint: zengen ships the file when it generates, so the name must not depend on the environment of a run",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			analyzeError(t, tc.kernel, tc.cells, tc.want)
		})
	}
}
