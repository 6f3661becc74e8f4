package zentest

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkCompareStep compares a step that printed 10,000 lines recorded by
// 100 cells, in both modes: exact, and in order around a skipped cell.
func BenchmarkCompareStep(b *testing.B) {
	var cells []Expect
	var printed strings.Builder
	for c := range 100 {
		var text strings.Builder
		for l := range 100 {
			fmt.Fprintf(&text, "\x1b[32mcell %d line %d\x1b[0m  \n", c, l)
		}
		cells = append(cells, Expect{Step: "s", Cell: fmt.Sprintf("nb.ipynb:cell %d", c), Text: text.String()})
		printed.WriteString(text.String())
	}
	got := printed.String()
	withSkip := append([]Expect{{Step: "s", Skip: true}}, cells...)
	for _, bc := range []struct {
		name  string
		cells []Expect
	}{{"exact", cells}, {"in-order", withSkip}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if msg := compareStep("s", bc.cells, got); msg != "" {
					b.Fatal(msg)
				}
			}
		})
	}
}

// BenchmarkRun is the cost of zentest.Run on a two-step pipeline: a fresh
// store, a tracked run and nothing else.
func BenchmarkRun(b *testing.B) {
	for b.Loop() {
		Run(b, twoSteps("hello\n"))
	}
}
