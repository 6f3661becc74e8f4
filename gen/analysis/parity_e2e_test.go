package analysis

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/gen/emit"
	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// parityNotebook is a small REPL notebook with recorded outputs: load
// prints in cell 3, total in cells 4 and 5 (cell 5's output carries colour
// codes and trailing spaces, as kernels record them). totalSource is what
// cell 4 prints with; its recorded output is always "total 5".
func parityNotebook(t *testing.T, totalSource string) *ir.Pipeline {
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
			dir := emitModule(t, parityNotebook(t, tt.totalSource), emit.Options{})
			goTestGenerated(t, dir, tt.wantFail, "step total prints other text than cell 4 recorded")
		})
	}
}

// TestGeneratedParityTestPerStyle runs the generated parity test of a
// notebook of each style twice: as recorded it passes, and once one step
// prints other text it fails, naming the cell with the recorded and the
// printed text. Function steps are compared through the pipeline cell,
// which recorded the called steps' outputs in call order.
func TestGeneratedParityTestPerStyle(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	type style struct {
		name   string
		kernel string
		cells  func(count string) []cell
		// script, when set, is a percent script whose paired notebook is
		// cells as recorded: the script is the input, the notebook holds
		// the outputs.
		script func(count string) string
		// wantFail are texts of go test's output (runs of white space read
		// as one space) when count prints "count 4".
		wantFail []string
	}
	styles := []style{
		{"gonb cell steps", "gonb", func(count string) []cell {
			return []cell{
				{src: "//zen:step load\n%%\nfmt.Println(\"loaded 3\")", stdout: "loaded 3\n"},
				{src: "//zen:step count\n%%\nfmt.Println(\"" + count + "\")", stdout: "count 3\n"},
			}
		}, nil, []string{
			"parity: step count: nb.ipynb:cell 2:",
			"recorded by nb.ipynb:cell 2: count 3 printed by step count: count 4",
		}},
		{"gonb function steps", "gonb", func(count string) []cell {
			return []cell{
				code("//zen:step generate\nfunc Generate() []int {\n\tfmt.Println(\"generated 3\")\n\treturn []int{1, 2, 3}\n}"),
				code("//zen:step count\nfunc Count(xs []int) int {\n\tfmt.Println(\"" + count + "\")\n\treturn len(xs)\n}"),
				{src: "//zen:pipeline demo\n%%\nxs := Generate()\nCount(xs)", stdout: "generated 3\ncount 3\n"},
			}
		}, nil, []string{
			"parity: steps generate, count: nb.ipynb:cell 3:",
			"recorded by nb.ipynb:cell 3: generated 3 count 3 printed by steps generate, count: generated 3 count 4",
		}},
		{"repl function steps", "gophernotes", func(count string) []cell {
			return []cell{
				code(`import "fmt"`),
				code("//zen:step generate\nfunc Generate() []int {\n\tfmt.Println(\"generated 3\")\n\treturn []int{1, 2, 3}\n}"),
				code("//zen:step count\nfunc Count(xs []int) int {\n\tfmt.Println(\"" + count + "\")\n\treturn len(xs)\n}"),
				{src: "//zen:pipeline demo\nxs := Generate()\nCount(xs)", stdout: "generated 3\ncount 3\n"},
			}
		}, nil, []string{
			"parity: steps generate, count: nb.ipynb:cell 4:",
			"recorded by nb.ipynb:cell 4: generated 3 count 3 printed by steps generate, count: generated 3 count 4",
		}},
		{"percent script with its paired notebook", "gophernotes", func(count string) []cell {
			return []cell{
				code(`import "fmt"`),
				{src: "fmt.Println(\"loaded 3\")", tags: []string{"step:load"}, stdout: "loaded 3\n"},
				{src: "fmt.Println(\"" + count + "\")", tags: []string{"step:count"}, stdout: "count 3\n"},
			}
		}, func(count string) string {
			return "// %%\nimport \"fmt\"\n\n// %% tags=[\"step:load\"]\nfmt.Println(\"loaded 3\")\n\n// %% tags=[\"step:count\"]\nfmt.Println(\"" + count + "\")\n"
		}, []string{
			"parity: step count: nb.go:8:",
			"recorded by nb.go:8: count 3 printed by step count: count 4",
		}},
		{"repl cells with an unfinished line and a null execution count", "gophernotes", func(count string) []cell {
			return []cell{
				code(`import "fmt"`),
				{src: "//zen:step count\nfmt.Print(\"count \")", stdout: "count "},
				{src: "fmt.Println(" + strings.TrimPrefix(count, "count ") + ")", stdout: "3\n", noCount: true},
			}
		}, nil, []string{
			"parity: step count: nb.ipynb:cell 3:",
			"recorded by nb.ipynb:cell 3: 3 printed by step count: count 4",
		}},
	}
	for _, st := range styles {
		for _, mutated := range []bool{false, true} {
			name := st.name + "/as recorded"
			count := "count 3"
			if mutated {
				name, count = st.name+"/a step prints other text", "count 4"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				nb := notebook(t, st.kernel, st.cells(count)...)
				if st.script != nil {
					script, err := parser.ReadPercent("nb.go", []byte(st.script(count)))
					if err != nil {
						t.Fatal(err)
					}
					parser.TakeOutputs(script, notebook(t, st.kernel, st.cells("count 3")...))
					nb = script
				}
				p := analyze(t, nb, Config{})
				dir := emitModule(t, p, emit.Options{})
				var wantFail []string
				if mutated {
					wantFail = append([]string{"--- FAIL: TestNotebookParity"}, st.wantFail...)
				}
				goTestGenerated(t, dir, wantFail, fmt.Sprintf("a step prints %q where the notebook recorded \"count 3\"", count))
			})
		}
	}
}

// TestGeneratedTestChecksStorability runs the generated test of a notebook
// whose type stores itself through MarshalJSON: when that loses a
// fraction, the test fails naming the step, the output and the field, even
// before the next step prints the damaged value.
func TestGeneratedTestChecksStorability(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command on generated modules")
	}
	cells := func(marshal string) []cell {
		return []cell{
			code("import (\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"math\"\n)"),
			code("type celsius struct{ Deg float64 }\n\n" +
				"func (c celsius) MarshalJSON() ([]byte, error) { return json.Marshal(" + marshal + ") }\n\n" +
				"func (c *celsius) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &c.Deg) }\n\n" +
				"type reading struct {\n\tCity string\n\tTemp celsius\n}\n\nvar _ = math.Round"),
			{src: "//zen:step load\nreadings := []reading{{\"Oslo\", celsius{3}}, {\"Rome\", celsius{14.6}}}\nfmt.Println(len(readings), \"readings\")", stdout: "2 readings\n"},
			{src: "//zen:step report\nfor _, r := range readings {\n\tfmt.Println(r.City, r.Temp.Deg)\n}", stdout: "Oslo 3\nRome 14.6\n"},
		}
	}
	tests := []struct {
		name, marshal string
		wantFail      []string
	}{
		{"exact", "c.Deg", nil},
		{"rounded", "math.Round(c.Deg)", []string{
			"storability: step load: output readings (value codec): decoding the artifact does not give back what the step saved: field [1].Temp.Deg differs saved: 14.6 stored: 15",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := emitModule(t, analyze(t, notebook(t, "gophernotes", cells(tt.marshal)...), Config{}), emit.Options{})
			goTestGenerated(t, dir, tt.wantFail, "load's artifact loses a fraction")
		})
	}
}

// goTestGenerated runs go test in a generated module. With no wantFail it
// must pass; otherwise it must fail (because of why) and its output, with
// white space folded, must hold every line of wantFail.
func goTestGenerated(t *testing.T, dir string, wantFail []string, why string) {
	t.Helper()
	out, err := goCommand(t, dir, "test", "./...")
	if len(wantFail) == 0 {
		if err != nil {
			t.Fatalf("go test: %v\n%s", err, out)
		}
		return
	}
	if err == nil {
		t.Fatalf("go test passed although %s:\n%s", why, out)
	}
	words := strings.Join(strings.Fields(out), " ")
	for _, want := range wantFail {
		if !strings.Contains(words, want) {
			t.Errorf("go test output lacks %q:\n%s", want, out)
		}
	}
}
