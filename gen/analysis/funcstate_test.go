package analysis

import (
	"strings"
	"testing"
)

// TestFunctionStepsChangingArguments checks which step calls are refused
// for changing an argument that a later call reads: the same variable,
// or one sharing its memory (results of one call). Every step need not
// be called: only errors about changed arguments count.
func TestFunctionStepsChangingArguments(t *testing.T) {
	decls := `import "fmt"

//zen:step load
func Load() []int { return []int{3, 1, 2} }

//zen:step split
func Split() ([]int, []int) {
	xs := []int{1, 2, 3, 4}
	return xs[:2], xs[2:4:4]
}

//zen:step bump
func Bump(xs []int) int {
	xs[0] = 9
	return xs[0]
}

//zen:step mean
func Mean(xs []int) int {
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return sum / len(xs)
}

//zen:step report
func Report(xs []int) string { return fmt.Sprint(xs) }`
	for _, c := range []struct {
		name, pipeline, err string
	}{
		{"same variable", "xs := Load()\nn := Bump(xs)\ns := Report(xs)\n_, _ = n, s",
			"step bump may change its argument xs, which step report (called at cell 2:5) reads after it"},
		{"results of one call", "a, b := Split()\nn := Bump(a)\ns := Report(b)\n_, _ = n, s",
			"step bump may change its argument a, which shares memory with b, which step report (called at cell 2:5) reads after it"},
		{"reads only", "xs := Load()\nm := Mean(xs)\ns := Report(xs)\n_, _ = m, s", ""},
		{"changed last", "xs := Load()\ns := Report(xs)\nn := Bump(xs)\n_, _ = n, s", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			nb := notebook(t, "gonb", code(decls), code("//zen:pipeline p\n%%\n"+c.pipeline))
			_, err := Analyze(nb, Config{Dir: t.TempDir()})
			switch {
			case c.err == "" && err != nil && strings.Contains(err.Error(), "may change"):
				t.Fatalf("refused: %v", err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Fatalf("got %v, want an error holding %q", err, c.err)
			}
		})
	}
}
