package analysis

import "testing"

// TestCallsChangeWhatTheyAreGiven checks which step the step printing xs
// reads it from, after a step that gives xs to a call: the calling step
// when the call may change xs, the defining step when it only reads it.
func TestCallsChangeWhatTheyAreGiven(t *testing.T) {
	decls := `import (
	"fmt"
	"slices"
	"strings"
)

type holder struct{ items []int }

func swap(xs []int, i, j int) { xs[i], xs[j] = xs[j], xs[i] }

func shuffle(xs []int) { swap(xs, 0, 1) }

func mean(xs []int) float64 {
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return float64(sum) / float64(len(xs))
}

func rebind(xs []int) int {
	xs = []int{0}
	return xs[0]
}

func head(xs []int) []int { return xs[:1] }

func count(xs []int, n int) int {
	if n == 0 {
		return len(xs)
	}
	return count(xs, n-1)
}`
	for _, c := range []struct {
		use, from string
	}{
		{"shuffle(xs)", "use"},
		{"fmt.Println(mean(xs))", "load"},
		{"fmt.Println(rebind(xs))", "load"},
		{"fmt.Println(count(xs, 2))", "use"},
		{"h := head(xs)\nfmt.Println(h)", "use"},
		{"fmt.Println(strings.Join(nil, \"\"), len(xs), slices.Contains(xs, 1))", "load"},
		{"ys := slices.Clone(xs)\nys[0] = 9", "load"},
		{"ys := append(xs[:1], 9)\nfmt.Println(ys)", "use"},
		{"f := func(v []int) {}\nf(xs)", "use"},
		{"h := holder{xs}\nh.items[0] = 1", "use"},
	} {
		t.Run(c.use, func(t *testing.T) {
			p := analyze(t, notebook(t, "gophernotes",
				code(decls),
				code("//zen:step load\nxs := []int{3, 1, 2}"),
				code("//zen:step use\n"+c.use),
				code("//zen:step show\nfmt.Println(xs)"),
			), Config{})
			if got := stepNamed(t, p, "show").Inputs[0].From; got != c.from {
				t.Errorf("show reads xs from %s, want %s", got, c.from)
			}
		})
	}
}
