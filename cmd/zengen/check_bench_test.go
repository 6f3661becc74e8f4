package main

import (
	"path/filepath"
	"testing"

	"github.com/zengen-dev/zengen/internal/gomodtest"
)

// BenchmarkCheckUpToDate1000Cells measures `zengen check` on the 1,000-cell,
// 100-step notebook of BenchmarkGenerate right after generating it: the CI
// path on a large notebook. The target of docs/design.md §9 is 0.3 s. A
// released zengen finds the record that generate left and renders nothing;
// a build from a checkout writes no record and renders every time.
func BenchmarkCheckUpToDate1000Cells(b *testing.B) {
	for _, build := range []struct{ name, identity string }{
		{"release", "github.com/zengen-dev/zengen@v1.0.0 h1:bench go1.26"},
		{"checkout", ""},
	} {
		b.Run(build.name, func(b *testing.B) {
			asRelease(b, build.identity)
			module := gomodtest.Module(b, "example.com/bench")
			notebook := filepath.Join(module, "synthetic.ipynb")
			writeFile(b, notebook, string(syntheticNotebook(1000, 100)))
			out := filepath.Join(module, "synthetic")
			if status, _, stderr := runZengen(b, "generate", notebook, "-o", out); status != exitOK {
				b.Fatalf("generate: exit %d\n%s", status, stderr)
			}
			for b.Loop() {
				if status, stdout, stderr := runZengen(b, "check", notebook, "-o", out); status != exitOK {
					b.Fatalf("check: exit %d\n%s%s", status, stdout, stderr)
				}
			}
		})
	}
}
