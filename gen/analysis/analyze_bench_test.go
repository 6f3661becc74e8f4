package analysis

import (
	"fmt"
	"testing"
)

// BenchmarkAnalyze analyses a synthetic 1,000-cell notebook with 100 steps
// and std imports only (the generate target of docs/design.md §9 is ≤ 1 s
// in all).
func BenchmarkAnalyze(b *testing.B) {
	cells := []cell{code("import (\n\t\"fmt\"\n\t\"math\"\n\t\"strings\"\n)")}
	for s := 0; len(cells) < 1000; s++ {
		prev := "0.0"
		if s > 0 {
			prev = fmt.Sprintf("v%d_9", s-1)
		}
		cells = append(cells, code(fmt.Sprintf("//zen:step step_%d\nv%d_0 := math.Sqrt(%s + 1)\nerr := error(nil)\n_ = err", s, s, prev)))
		for c := 1; c < 10 && len(cells) < 1000; c++ {
			if c == 5 {
				cells = append(cells, code(fmt.Sprintf("func helper%d(x float64) float64 {\n\treturn x * %d\n}", s, s)))
				continue
			}
			src := fmt.Sprintf("v%d_%d := v%d_%d * 2\nname := strings.Repeat(\"x\", %d)\nfmt.Println(name, v%d_%d)", s, c, s, c-1, c, s, c)
			if c == 6 {
				src = fmt.Sprintf("v%d_6 := helper%d(v%d_4)\nv%d_5 := v%d_6", s, s, s, s, s)
			}
			cells = append(cells, code(src))
		}
	}
	nb := notebook(b, "gophernotes", cells...)
	dir := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		p, err := Analyze(nb, Config{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Steps) != 100 {
			b.Fatalf("%d steps", len(p.Steps))
		}
	}
}
