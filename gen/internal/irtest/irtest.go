// Package irtest holds hand-built IR values for tests of emission and
// inspect: what analysis returns for small notebooks, written out so that
// emission is tested on its own.
package irtest

import (
	"github.com/zengen-dev/zengen/gen/ir"
	"github.com/zengen-dev/zengen/parser"
)

// Churn is the worked example of docs/design.md §3: cell steps load and
// train in the REPL dialect, with params seed and epochs.
func Churn() *ir.Pipeline {
	nb := "churn.ipynb"
	at := func(cell, line int) ir.Pos { return parser.Pos{File: nb, Cell: cell, Line: line} }
	return &ir.Pipeline{
		Name: "churn", Package: "churn", Notebook: nb, Dialect: "repl", Split: ir.SplitMarkers,
		Params: []*ir.Param{
			{Name: "seed", Field: "Seed", Flag: "seed", Type: "int64", Default: "42", Doc: "random seed", Pos: at(1, 1)},
			{Name: "epochs", Field: "Epochs", Flag: "epochs", Type: "int", Default: "300", Pos: at(1, 2)},
		},
		Imports: []*ir.Import{{Path: "fmt"}, {Path: "math/rand"}},
		Decls:   []*ir.Chunk{{Pos: at(2, 1), Code: "func fit(xs []float64, epochs int) (w, loss float64) {\n\tfor _, x := range xs {\n\t\tw += x / float64(epochs)\n\t}\n\treturn w, 1 / (1 + w)\n}"}},
		Steps: []*ir.Step{
			{
				Name: "load", Func: "Load", Kind: "cell", Pos: at(3, 1), Cells: []int{3},
				Doc:      "## Load the data\nDraws `xs` uniformly.",
				Params:   []string{"seed"},
				CodeHash: "9f2c1a7b3e4d5f60718293a4b5c6d7e8f90112233445566778899aabbccddeef",
				Outputs:  []*ir.Port{{Name: "xs", Var: "xs", Type: "[]float64", Codec: ir.CodecNumeric, Pos: at(3, 3)}},
				Expect:   []*ir.Expect{{Cell: 3, Pos: at(3, 1)}},
				Body: []*ir.Chunk{
					{Pos: at(3, 2), Code: "rng := rand.New(rand.NewSource(seed))"},
					{Pos: at(3, 3), Code: "xs := make([]float64, 100)"},
					{Pos: at(3, 4), Code: "for i := range xs { xs[i] = rng.Float64() }"},
				},
			},
			{
				Name: "train", Func: "Train", Kind: "cell", Pos: at(4, 1), Cells: []int{4, 5},
				Params:   []string{"epochs"},
				Metrics:  []string{"loss"},
				Options:  ir.Options{Retries: 2, Timeout: "90s", CacheVersion: "v2"},
				CodeHash: "1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef",
				Inputs:   []*ir.Port{{Name: "xs", Var: "xs", Type: "[]float64", Codec: ir.CodecNumeric, From: "load", Pos: at(4, 3)}},
				Outputs:  []*ir.Port{{Name: "loss", Var: "loss", Type: "float64", Codec: ir.CodecJSON, Metric: true, Pos: at(4, 3)}},
				Body: []*ir.Chunk{
					{Pos: at(4, 3), Code: "w, loss := fit(xs, epochs)"},
					{Pos: at(5, 1), Code: `fmt.Fprintln(zg_out, "loss", loss)`},
				},
				Unused: []string{"w"},
				Expect: []*ir.Expect{
					{Cell: 4, Pos: at(4, 1)},
					{Cell: 5, Pos: at(5, 1), Text: "loss 0.8518152877640416\n"},
				},
			},
		},
		Edges: []*ir.Edge{{From: "load", To: "train", Var: "xs", Why: "train reads xs defined in load at cell 3:3"}},
	}
}

// Funcs composes function steps, GoNB style: a global parameter, a
// call with an input, a param and a literal, and a trailing error.
func Funcs() *ir.Pipeline {
	nb := "funcs.ipynb"
	at := func(cell, line int) ir.Pos { return parser.Pos{File: nb, Cell: cell, Line: line} }
	return &ir.Pipeline{
		Name: "funcs", Notebook: nb, Dialect: "gonb", Split: ir.SplitFunctions,
		Params:  []*ir.Param{{Name: "scale", Field: "Scale", Flag: "scale", Type: "float64", Default: "2.5", Global: true, Pos: at(1, 1)}},
		Imports: []*ir.Import{{Path: "errors"}, {Path: "strings"}},
		Decls: []*ir.Chunk{
			{Pos: at(1, 1), Code: "var scale float64 = 2.5"},
			{Pos: at(2, 1), Code: "//zen:step words\nfunc words(text string) []string {\n\treturn strings.Fields(text)\n}"},
			{Pos: at(3, 1), Code: "//zen:step count\nfunc count(ws []string, factor float64) (float64, error) {\n\tif len(ws) == 0 {\n\t\treturn 0, errors.New(\"no words\")\n\t}\n\treturn float64(len(ws)) * factor * scale, nil\n}"},
			{Pos: at(4, 1), Code: "//zen:step report\nfunc report(n float64) error {\n\tif n < 0 {\n\t\treturn errors.New(\"negative\")\n\t}\n\treturn nil\n}"},
		},
		Steps: []*ir.Step{
			{
				Name: "words", Func: "words", Kind: "func", Pos: at(2, 2), Cells: []int{2},
				Outputs: []*ir.Port{{Name: "ws", Var: "ws", Type: "[]string", Codec: ir.CodecJSON}},
				Call:    &ir.Call{Args: []*ir.Arg{{Literal: `"the quick brown fox"`}}, Results: []string{"ws"}, Pos: at(5, 2)},
			},
			{
				Name: "count", Func: "count", Kind: "func", Pos: at(3, 2), Cells: []int{3},
				Params:  []string{"scale"},
				Metrics: []string{"n"},
				Inputs:  []*ir.Port{{Name: "ws", Var: "ws", Type: "[]string", Codec: ir.CodecJSON, From: "words"}},
				Outputs: []*ir.Port{{Name: "n", Var: "n", Type: "float64", Codec: ir.CodecJSON, Metric: true}},
				Call:    &ir.Call{Args: []*ir.Arg{{Input: "ws"}, {Param: "scale"}}, Results: []string{"n", "err"}, Error: true, Pos: at(5, 3)},
			},
			{
				Name: "report", Func: "report", Kind: "func", Pos: at(4, 2), Cells: []int{4},
				Inputs:  []*ir.Port{{Name: "n", Var: "n", Type: "float64", Codec: ir.CodecJSON, From: "count"}},
				After:   []string{"words"},
				Options: ir.Options{CacheOff: true},
				Call:    &ir.Call{Args: []*ir.Arg{{Input: "n"}}, Results: []string{"err"}, Error: true, Pos: at(5, 4)},
			},
		},
		Edges: []*ir.Edge{
			{From: "words", To: "count", Var: "ws", Why: "count(ws, scale) at cell 5:3 takes ws from words(…) at cell 5:2"},
			{From: "count", To: "report", Var: "n", Why: "report(n) at cell 5:4 takes n from count(…) at cell 5:3"},
			{From: "words", To: "report", Why: "//zen:after words at cell 4:1"},
		},
	}
}

// Clash is a script whose names collide with what emission uses:
// it imports the standard "runtime", declares its own zen and context, has
// a documented helper, an %env default and a %%writefile file.
func Clash() *ir.Pipeline {
	nb := "clash.go"
	at := func(line int) ir.Pos { return parser.Pos{File: nb, Line: line} }
	return &ir.Pipeline{
		Name: "clash", Notebook: nb, Dialect: "repl", Split: ir.SplitCells,
		Imports: []*ir.Import{{Path: "fmt"}, {Path: "runtime"}, {Path: "strings"}},
		Decls: []*ir.Chunk{
			{Pos: at(3), Code: `var zen = "garden"`},
			{Pos: at(5), Code: `const context = "ctx"`},
			{Pos: at(7), Code: "// shout upper-cases s.\n//\n// It appends the zen and the context.\nfunc shout(s string) string {\n\treturn strings.ToUpper(s) + zen + context\n}"},
		},
		Env:   []*ir.EnvVar{{Key: "CLASH_MODE", Value: "fast", Pos: at(1)}},
		Files: []*ir.File{{Name: "data/words.txt", Content: "a b c\n", Pos: at(20)}},
		Steps: []*ir.Step{
			{
				Name: "probe", Func: "Probe", Kind: "cell", Pos: at(14), Cells: []int{14},
				Outputs: []*ir.Port{{Name: "msg", Var: "msg", Type: "string", Codec: ir.CodecRaw, Pos: at(16)}},
				Body: []*ir.Chunk{
					{Pos: at(15), Code: "cpus := runtime.NumCPU()"},
					{Pos: at(16), Code: "msg := shout(fmt.Sprint(cpus > 0))"},
					{Pos: at(17), Code: "fmt.Fprintln(zg_out, msg)"},
				},
			},
			{
				Name: "measure", Func: "Measure", Kind: "cell", Pos: at(22), Cells: []int{22},
				Metrics: []string{"n"},
				Inputs:  []*ir.Port{{Name: "msg", Var: "msg", Type: "string", Codec: ir.CodecRaw, From: "probe", Pos: at(23)}},
				Outputs: []*ir.Port{{Name: "n", Var: "n", Type: "int", Codec: ir.CodecJSON, Metric: true, Pos: at(23)}},
				Body:    []*ir.Chunk{{Pos: at(23), Code: "n := len(msg)"}},
			},
		},
		Edges: []*ir.Edge{{From: "probe", To: "measure", Var: "msg", Why: "measure reads msg defined in probe at clash.go:16"}},
	}
}
