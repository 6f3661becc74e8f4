package gen

import (
	"strings"
	"testing"
)

// parityNotebook is a small REPL notebook with recorded outputs: load
// prints in cell 3, total in cells 4 and 5 (cell 5's output carries colour
// codes and trailing spaces, as kernels record them). totalSource is what
// cell 4 prints with; its recorded output is always "total 5".
func parityNotebook(t *testing.T, totalSource string) *Pipeline {
	t.Helper()
	nb := notebook(t, "gophernotes",
		code(`import "fmt"`),
		cell{src: "n := 3", tags: []string{"parameters"}},
		cell{src: "//zen:step load\nxs := []int{}\nfor i := 0; i < n; i++ {\n\txs = append(xs, i*i)\n}\nfmt.Println(\"loaded\", len(xs))", stdout: "loaded 3\n"},
		cell{src: "//zen:step total\nsum := 0\nfor _, x := range xs {\n\tsum += x\n}\n" + totalSource, stdout: "total 5\n"},
		cell{src: `fmt.Println("done")`, stdout: "\x1b[32mdone\x1b[0m  \r\n"},
	)
	return analyze(t, nb, Config{})
}

// TestGeneratedParityTest runs the generated parity test on the real
// runtime: it passes while the pipeline prints what the notebook recorded,
// and fails, naming the cell with both texts, once a step prints something
// else.
func TestGeneratedParityTest(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	tests := []struct {
		name        string
		totalSource string
		// wantFail are texts of go test's output (with runs of white space
		// read as one space) when it must fail; nil when it must pass.
		wantFail []string
	}{
		{"matches", `fmt.Printf("total %d\n", sum)`, nil},
		{"step prints other text", `fmt.Printf("sum %d\n", sum)`, []string{
			"--- FAIL: TestNotebookParity",
			"parity: step total: nb.ipynb:cell 4:",
			"recorded by nb.ipynb:cell 4: total 5 printed by step total: sum 5 done",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := emitModule(t, parityNotebook(t, tt.totalSource), EmitOptions{})
			out, err := goCommand(t, dir, "test", "./...")
			if tt.wantFail == nil {
				if err != nil {
					t.Fatalf("go test: %v\n%s", err, out)
				}
				return
			}
			if err == nil {
				t.Fatalf("go test passed although step total prints other text than cell 4 recorded:\n%s", out)
			}
			words := strings.Join(strings.Fields(out), " ")
			for _, want := range tt.wantFail {
				if !strings.Contains(words, want) {
					t.Errorf("go test output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}
