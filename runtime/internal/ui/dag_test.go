package ui

import (
	"strconv"
	"strings"
	"testing"
)

// Steps sit in the column of their longest path from a source, and an
// edge that skips a column arcs over the steps between instead of
// running behind them.
func TestLayoutDAGColumnsAndLongEdges(t *testing.T) {
	g := graph{Steps: []string{"a", "b", "c", "d"}, Edges: []graphEdge{
		{From: "a", To: "b", Vars: []string{"x"}}, {From: "b", To: "c"}, {From: "a", To: "c"}, {From: "a", To: "d"},
	}}
	v := layoutDAG(g, func(string) string { return "succeeded" }, func(s string) string { return "#" + s })
	x := map[string]int{}
	y := map[string]int{}
	for _, n := range v.Nodes {
		x[n.Step], y[n.Step] = n.X, n.Y
	}
	if !(x["a"] < x["b"] && x["b"] < x["c"] && x["d"] == x["b"]) {
		t.Errorf("columns: a %d, b %d, c %d, d %d; want a < b = d < c", x["a"], x["b"], x["c"], x["d"])
	}
	if y["b"] == y["d"] {
		t.Errorf("b and d share column %d and row %d", x["b"], y["b"])
	}
	for _, e := range v.Edges {
		long := e.From == "a" && e.To == "c"
		// A long edge leaves from the top of its step (its y), a short one
		// from the middle of its side.
		if got := strings.Contains(e.D, " "+strconv.Itoa(y[e.From])+" C"); got != long {
			t.Errorf("edge %s→%s: path %q; long edge arcs: %v", e.From, e.To, e.D, long)
		}
	}
	if v.Width <= x["c"] || v.Height <= y["d"] {
		t.Errorf("canvas %dx%d does not hold its steps", v.Width, v.Height)
	}
}
