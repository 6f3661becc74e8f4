package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zengen-dev/zengen/gen/analysis"
	"github.com/zengen-dev/zengen/gen/emit"
	"github.com/zengen-dev/zengen/internal/gomodtest"
	"github.com/zengen-dev/zengen/internal/proctest"
	"github.com/zengen-dev/zengen/parser"
)

// The scale benchmarks run zengen and the go command as separate processes,
// so that each reports its own peak resident set (ru_maxrss, which covers a
// process's waited-for children too: the compiler under go build). The
// targets (issue "Safe generation", linear cost) on two cores, in wall
// time; cpu-s/op (user and system time of the generate) is the figure to
// compare on a busy machine:
//
//	BenchmarkGenerateCells/cells=50000    ≤ 10 s, peak-RSS-MiB ≤ 1024
//	BenchmarkGenerateBigCell              ≤ 5 s for one 8 MB cell
//	BenchmarkBuildChain/steps=10000       go build ≤ 60 s, peak-RSS-MiB ≤ 3072
//
// Compare the sub-benchmarks of one benchmark to see that cost is linear.

// BenchmarkGenerateCells generates a notebook of N small cells with no
// markers, which auto-splits into a step per cell: N steps, N files.
func BenchmarkGenerateCells(b *testing.B) {
	for _, n := range []int{5000, 10000, 50000} {
		b.Run(fmt.Sprintf("cells=%d", n), func(b *testing.B) {
			cells := []string{"import \"fmt\"", "x := 0"}
			for i := range n - 3 {
				cells = append(cells, fmt.Sprintf("x += %d", i))
			}
			cells = append(cells, "fmt.Println(x)")
			benchmarkGenerate(b, gophernotes(cells))
		})
	}
}

// BenchmarkGenerateBigCell generates a notebook whose one step is a single
// cell of 8 MB: a data table written out as Go, as notebooks embed them.
func BenchmarkGenerateBigCell(b *testing.B) {
	var src strings.Builder
	src.WriteString("data := []float64{\n")
	for i := 0; src.Len() < 8<<20; i++ {
		fmt.Fprintf(&src, "\t%d.%03d, %d.%03d, %d.%03d, %d.%03d,\n", i, i%1000, i+1, i%997, i+2, i%991, i+3, i%983)
	}
	src.WriteString("}\nsum := 0.0\nfor _, v := range data {\n\tsum += v\n}\nfmt.Println(len(data), sum)")
	benchmarkGenerate(b, gophernotes([]string{"import \"fmt\"", src.String()}))
}

// BenchmarkBuildChain builds the package generated from a chain of N
// marked steps, each reading the previous step's value: the compiler's
// cost must grow linearly with the steps. Each iteration changes a
// comment in every generated file, so the package compiles again while
// the runtime comes from the build cache.
func BenchmarkBuildChain(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("steps=%d", n), func(b *testing.B) {
			module := gomodtest.Module(b, "example.com/chain")
			nb := filepath.Join(module, "chain.ipynb")
			if err := os.WriteFile(nb, syntheticNotebook(n, n), 0o644); err != nil {
				b.Fatal(err)
			}
			zengen := buildZengen(b)
			out := filepath.Join(module, "chain")
			if _, err := measure(b, module, zengen, "generate", nb, "-o", out); err != nil {
				b.Fatal(err)
			}
			// Warm the build cache with the runtime and its dependencies.
			if _, err := measure(b, module, "go", "build", "-o", os.DevNull, "./chain/..."); err != nil {
				b.Fatal(err)
			}
			var peak int64
			salt := 0
			for b.Loop() {
				b.StopTimer()
				salt++
				saltFiles(b, out, salt)
				b.StartTimer()
				rss, err := measure(b, module, "go", "build", "-o", os.DevNull, "./chain/...")
				if err != nil {
					b.Fatal(err)
				}
				peak = max(peak, rss)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
		})
	}
}

// benchmarkGenerate times `zengen generate` of a notebook into a fresh
// folder of a scratch module, and reports the largest peak RSS.
func benchmarkGenerate(b *testing.B, notebook []byte) {
	module := gomodtest.Module(b, "example.com/scale")
	nb := filepath.Join(module, "scale.ipynb")
	if err := os.WriteFile(nb, notebook, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(notebook)))
	zengen := buildZengen(b)
	var peak int64
	var cpu time.Duration
	i := 0
	for b.Loop() {
		i++
		rss, used, err := measureCPU(b, module, zengen, "generate", nb, "-o", filepath.Join(module, fmt.Sprint("out", i)))
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, rss)
		cpu += used
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(cpu.Seconds()/float64(i), "cpu-s/op")
}

// measure runs a command in dir and returns its peak RSS in bytes.
func measure(b *testing.B, dir, name string, args ...string) (int64, error) {
	rss, _, err := measureCPU(b, dir, name, args...)
	return rss, err
}

// measureCPU runs a command in dir and returns its peak RSS in bytes and
// the CPU time it and its children used (user and system), which, unlike
// the wall time, a busy machine hardly changes.
func measureCPU(b *testing.B, dir, name string, args ...string) (int64, time.Duration, error) {
	cmd := proctest.Command(b, name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, 0, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10, cpu, nil
}

// buildZengen builds this checkout's zengen into a temporary folder.
func buildZengen(b *testing.B) string {
	exe := filepath.Join(b.TempDir(), "zengen")
	cmd := proctest.Command(b, "go", "build", "-o", exe, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return exe
}

// saltFiles appends a comment to every Go file under dir.
func saltFiles(b *testing.B, dir string, salt int) {
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(f, "\n// salt %d %d\n", salt, time.Now().UnixNano())
		return errors.Join(err, f.Close())
	})
	if err != nil {
		b.Fatal(err)
	}
}

// gophernotes is a gophernotes notebook of the given code cells.
func gophernotes(cells []string) []byte {
	type cell struct {
		CellType       string         `json:"cell_type"`
		ExecutionCount *int           `json:"execution_count"`
		Metadata       map[string]any `json:"metadata"`
		Outputs        []any          `json:"outputs"`
		Source         string         `json:"source"`
	}
	var nb []cell
	for _, src := range cells {
		nb = append(nb, cell{CellType: "code", Metadata: map[string]any{}, Outputs: []any{}, Source: src})
	}
	data, err := json.Marshal(map[string]any{
		"cells":    nb,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": "gophernotes", "display_name": "Go", "language": "go"}},
		"nbformat": 4, "nbformat_minor": 4,
	})
	if err != nil {
		panic(err)
	}
	return data
}

// TestNoFunctionGrowsWithSteps keeps the generated code shaped for the
// compiler, whose cost is superlinear in the size of one function: the
// largest function generated for a 200-step chain has no more syntax
// nodes than for a 20-step chain.
func TestNoFunctionGrowsWithSteps(t *testing.T) {
	largest := func(steps int) (string, int) {
		module := gomodtest.Module(t, "example.com/shape")
		p, err := analysis.Analyze(mustRead(t, syntheticNotebook(steps, steps)), analysis.Config{Dir: filepath.Join(module, "shape")})
		if err != nil {
			t.Fatal(err)
		}
		files, err := emit.Emit(p, emit.Options{ImportPath: "example.com/shape/shape", Command: "generate shape.ipynb"})
		if err != nil {
			t.Fatal(err)
		}
		name, size := "", 0
		for path, src := range files {
			if !strings.HasSuffix(path, ".go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := goparser.ParseFile(fset, path, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok && fn.Body != nil {
					n := 0
					ast.Inspect(fn, func(ast.Node) bool { n++; return true })
					if n > size {
						name, size = path+": "+fn.Name.Name, n
					}
				}
			}
		}
		return name, size
	}
	smallName, small := largest(20)
	bigName, big := largest(200)
	if big > small {
		t.Errorf("the largest generated function grows with the steps: %s has %d syntax nodes for 20 steps, %s has %d for 200", smallName, small, bigName, big)
	}
}

func mustRead(t *testing.T, data []byte) *parser.Notebook {
	t.Helper()
	nb, err := parser.Read("shape.ipynb", data)
	if err != nil {
		t.Fatal(err)
	}
	return nb
}
