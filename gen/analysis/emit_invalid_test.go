package analysis

import (
	"strings"
	"testing"

	"github.com/zengen-dev/zengen/gen/emit"
	"github.com/zengen-dev/zengen/gen/internal/irtest"
	"github.com/zengen-dev/zengen/parser"
)

// TestInvalidGeneratedGoIsPositionedWithoutSource: when emission produces
// Go that does not parse (here through a package name that is a keyword,
// which analysis should have refused), the error names the notebook and
// the generated file's line, never printing the generated source.
func TestInvalidGeneratedGoIsPositionedWithoutSource(t *testing.T) {
	p := irtest.Churn()
	p.Package = "func"
	_, err := emit.Emit(p, emit.Options{ImportPath: "example.com/churn"})
	list, ok := err.(parser.ErrorList)
	if !ok || len(list) != 1 {
		t.Fatalf("Emit error = %v, want one positioned error", err)
	}
	want := "churn.ipynb: zengen generated Go that does not parse (pipeline_zen.go:4:9): this is a bug in zengen\n\thint: please report it with the notebook"
	if got := list[0].Error(); got != want {
		t.Errorf("error:\n%s\nwant:\n%s", got, want)
	}
	for _, leak := range []string{"package func", "DefaultParams", "formatting source"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("the error shows generated source (%q):\n%v", leak, err)
		}
	}
}
