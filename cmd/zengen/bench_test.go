package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/gen/analysis"
	"github.com/zengen-dev/zengen/gen/emit"
	"github.com/zengen-dev/zengen/internal/gomodtest"
	"github.com/zengen-dev/zengen/parser"
)

// syntheticNotebook is a gophernotes notebook of `cells` code cells
// split into `steps` marked steps, importing only the standard library: each step
// reads the previous step's value, computes in its cells and prints.
func syntheticNotebook(cells, steps int) []byte {
	type cell struct {
		CellType       string         `json:"cell_type"`
		ExecutionCount *int           `json:"execution_count"`
		Metadata       map[string]any `json:"metadata"`
		Outputs        []any          `json:"outputs"`
		Source         string         `json:"source"`
	}
	code := func(src string, tags ...string) cell {
		meta := map[string]any{}
		if len(tags) > 0 {
			meta["tags"] = tags
		}
		return cell{CellType: "code", Metadata: meta, Outputs: []any{}, Source: src}
	}
	nb := []cell{
		code("scale := 3\nlabel := \"run\"", "parameters"),
		code("import (\n\t\"fmt\"\n\t\"math\"\n\t\"strings\"\n)"),
		code("func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }"),
	}
	// Spread the remaining cells evenly; the first steps take one more
	// when they do not divide.
	remaining := cells - len(nb)
	for s := 0; s < steps; s++ {
		perStep := remaining / steps
		if s < remaining%steps {
			perStep++
		}
		prev := "float64(scale)"
		if s > 0 {
			prev = fmt.Sprintf("v%d", s-1)
		}
		nb = append(nb, code(fmt.Sprintf("//zen:step s%d\nacc%d := %s\nv%d := acc%d", s, s, prev, s, s)))
		for c := 1; c < perStep; c++ {
			nb = append(nb, code(fmt.Sprintf("t%d_%d := clamp(acc%d*1.01, -1e9, 1e9)\nacc%d += t%d_%d\nv%d = acc%d / 2\nfmt.Println(strings.ToUpper(label), %d, v%d)",
				s, c, s, s, s, c, s, s, c, s)))
		}
	}
	doc := map[string]any{
		"cells": nb,
		"metadata": map[string]any{
			"kernelspec": map[string]any{"name": "gophernotes", "display_name": "Go", "language": "go"},
		},
		"nbformat": 4, "nbformat_minor": 4,
	}
	data, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return data
}

// BenchmarkGenerate measures generate in memory, end to end from the bytes
// of a 1,000-cell, 100-step notebook: parse, analyse and emit. The target
// of docs/design.md §9 is 1 s on two cores.
func BenchmarkGenerate(b *testing.B) {
	data := syntheticNotebook(1000, 100)
	module := gomodtest.Module(b, "example.com/bench")
	cfg := analysis.Config{Dir: filepath.Join(module, "synthetic"), Split: "auto"}
	opts := emit.Options{ImportPath: "example.com/bench/synthetic", Command: "generate synthetic.ipynb"}
	for b.Loop() {
		nb, err := parser.Read("synthetic.ipynb", data)
		if err != nil {
			b.Fatal(err)
		}
		p, err := analysis.Analyze(nb, cfg)
		if err != nil {
			b.Fatal(err)
		}
		files, err := emit.Emit(p, opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(files) < 100 {
			b.Fatalf("%d files for 100 steps", len(files))
		}
	}
}

// TestSyntheticNotebookGenerates keeps the benchmark's input honest: it
// must be a notebook zengen accepts, with the cells and steps it claims.
func TestSyntheticNotebookGenerates(t *testing.T) {
	data := syntheticNotebook(1000, 100)
	nb, err := parser.Read("synthetic.ipynb", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 1000 {
		t.Errorf("%d cells, want 1000", len(nb.Cells))
	}
	module := gomodtest.Module(t, "example.com/bench")
	p, err := analysis.Analyze(nb, analysis.Config{Dir: filepath.Join(module, "synthetic")})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != 100 {
		t.Errorf("%d steps, want 100", len(p.Steps))
	}
	for i, s := range p.Steps[1:] {
		if len(s.Inputs) != 1 || !strings.HasPrefix(s.Inputs[0].Name, "v") {
			t.Errorf("step %s reads %v, want only v%d", s.Name, s.Inputs, i)
			break
		}
	}
}

// BenchmarkCheckUpToDate measures `zengen check` on the churn fixture right
// after generating it: the CI path. The target of docs/design.md §9 is 0.3 s.
func BenchmarkCheckUpToDate(b *testing.B) {
	notebook := "../../testdata/notebooks/repl_churn/churn.ipynb"
	out := filepath.Join(gomodtest.Module(b, "example.com/bench"), "churn")
	if status, _, stderr := runZengen(b, "generate", notebook, "-o", out); status != exitOK {
		b.Fatalf("generate: exit %d\n%s", status, stderr)
	}
	for b.Loop() {
		if status, stdout, stderr := runZengen(b, "check", notebook, "-o", out); status != exitOK {
			b.Fatalf("check: exit %d\n%s%s", status, stdout, stderr)
		}
	}
}
