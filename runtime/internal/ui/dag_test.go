package ui

import (
	"slices"
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
	if v.Width <= x["c"] || v.Height <= y["d"] {
		t.Errorf("canvas %dx%d does not hold its steps", v.Width, v.Height)
	}
}

// Every edge ends at its target's left side pointing right into it, and
// runs through no step on the way: in the fit pipeline the long edge
// load→plot once came down through the top of evaluate and read as
// evaluate→plot.
func TestLayoutDAGEdgesEnterTheirTargetFromTheLeft(t *testing.T) {
	graphs := map[string]graph{
		"fit": {Steps: []string{"load", "train", "evaluate", "plot"}, Edges: []graphEdge{
			{From: "load", To: "train", Vars: []string{"xs"}}, {From: "train", To: "evaluate", Vars: []string{"w"}},
			{From: "load", To: "evaluate", Vars: []string{"xs"}}, {From: "train", To: "plot", Vars: []string{"w"}},
			{From: "load", To: "plot", Vars: []string{"ys"}},
		}},
		"skips from a lower row": {Steps: []string{"a", "b", "c", "d", "e"}, Edges: []graphEdge{
			{From: "a", To: "c"}, {From: "b", To: "c"}, {From: "c", To: "d"}, {From: "b", To: "d"}, {From: "d", To: "e"}, {From: "b", To: "e"}, {From: "a", To: "e"},
		}},
	}
	for name, g := range graphs {
		v := layoutDAG(g, func(string) string { return "succeeded" }, func(s string) string { return "#" + s })
		nodes := map[string]dagNode{}
		for _, n := range v.Nodes {
			nodes[n.Step] = n
		}
		for _, e := range v.Edges {
			pts := samplePath(t, e.D)
			end, before := pts[len(pts)-1], pts[len(pts)-2]
			b := nodes[e.To]
			if end[0] < float64(b.X-6) || end[0] > float64(b.X) || end[1] <= float64(b.Y) || end[1] >= float64(b.Y+b.H) {
				t.Errorf("%s: edge %s→%s (%s) ends at %v, not on the left side of %s at x %d, y %d..%d", name, e.From, e.To, e.D, end, e.To, b.X, b.Y, b.Y+b.H)
			}
			if end[0] <= before[0] {
				t.Errorf("%s: edge %s→%s (%s) does not point right into %s at its end", name, e.From, e.To, e.D, e.To)
			}
			for _, p := range pts {
				for _, n := range v.Nodes {
					if p[0] > float64(n.X) && p[0] < float64(n.X+n.W) && p[1] > float64(n.Y) && p[1] < float64(n.Y+n.H) {
						t.Errorf("%s: edge %s→%s (%s) runs through %s at %v", name, e.From, e.To, e.D, n.Step, p)
						break
					}
				}
			}
		}
	}
}

// samplePath is points along an SVG path of absolute M, L, Q and C
// commands, as layoutDAG writes them.
func samplePath(t *testing.T, d string) [][2]float64 {
	t.Helper()
	f := strings.Fields(d)
	var pts [][2]float64
	var at [2]float64
	num := func(i int) float64 {
		s := f[i]
		if strings.ContainsAny(s[:1], "MLQC") {
			s = s[1:]
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("path %q: %v", d, err)
		}
		return x
	}
	for i := 0; i < len(f); {
		cmd := f[i][0]
		n := map[byte]int{'M': 1, 'L': 1, 'Q': 2, 'C': 3}[cmd]
		if n == 0 || i+2*n > len(f) {
			t.Fatalf("path %q: cannot read %q", d, f[i])
		}
		var c [][2]float64
		for k := range n {
			c = append(c, [2]float64{num(i + 2*k), num(i + 2*k + 1)})
		}
		i += 2 * n
		if cmd == 'M' {
			at = c[0]
			pts = append(pts, at)
			continue
		}
		ctrl := append([][2]float64{at}, c...)
		for s := 1; s <= 20; s++ {
			u := float64(s) / 20
			// De Casteljau on the segment's control points.
			q := slices.Clone(ctrl)
			for len(q) > 1 {
				for j := range len(q) - 1 {
					q[j] = [2]float64{q[j][0] + u*(q[j+1][0]-q[j][0]), q[j][1] + u*(q[j+1][1]-q[j][1])}
				}
				q = q[:len(q)-1]
			}
			pts = append(pts, q[0])
		}
		at = c[n-1]
	}
	return pts
}
