package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// A DAG is laid out left to right in columns: a step's column is the
// length of the longest path that reaches it, and within a column steps
// are ordered by the mean row of their upstream steps, which keeps most
// edges short and straight. That is enough for the DAGs notebooks make
// (chains and a few branches); it is not a general graph drawer.
//
// DOM hooks: svg.dag-svg; one g.node[data-step=NAME][data-status=STATUS]
// per step (id "node-NAME"), holding a link to the step's section; one
// path.edge[data-from][data-to] per edge.

// graph is a DAG to draw: steps in a topological order and edges between
// them.
type graph struct {
	Steps []string
	Edges []graphEdge
}

type graphEdge struct {
	From, To string
	Vars     []string // the variables that flow; none for an ordering edge
}

// pipelineGraph is the DAG a pipeline's description declares.
func pipelineGraph(p *pipeline.Pipeline) graph {
	var g graph
	for _, s := range p.Steps {
		g.Steps = append(g.Steps, s.Name)
		index := map[string]int{}
		for _, in := range s.Inputs {
			i, ok := index[in.From]
			if !ok {
				i = len(g.Edges)
				index[in.From] = i
				g.Edges = append(g.Edges, graphEdge{From: in.From, To: s.Name})
			}
			g.Edges[i].Vars = append(g.Edges[i].Vars, in.Name)
		}
		for _, a := range s.After {
			if _, ok := index[a]; !ok {
				g.Edges = append(g.Edges, graphEdge{From: a, To: s.Name})
			}
		}
	}
	return g
}

// recordedGraph is the DAG of a run of a pipeline this binary does not
// describe: its recorded steps, in the order they started, and the edges
// their recorded inputs name.
func recordedGraph(steps []meta.StepRun) graph {
	var g graph
	known := map[string]bool{}
	for _, s := range steps {
		g.Steps = append(g.Steps, s.Step)
		known[s.Step] = true
	}
	for _, s := range steps {
		index := map[string]int{}
		for _, in := range s.Inputs {
			if !known[in.FromStep] {
				continue
			}
			i, ok := index[in.FromStep]
			if !ok {
				i = len(g.Edges)
				index[in.FromStep] = i
				g.Edges = append(g.Edges, graphEdge{From: in.FromStep, To: s.Step})
			}
			g.Edges[i].Vars = append(g.Edges[i].Vars, in.Name)
		}
	}
	return g
}

// dagView is a laid-out DAG, as parts/dag.html draws it.
type dagView struct {
	Width, Height int
	Nodes         []dagNode
	Edges         []dagPath
}

type dagNode struct {
	Step, Status string
	Href         string
	X, Y, W, H   int
	TX, TY       int // the label's centre
}

type dagPath struct {
	From, To, D, Title string
}

const (
	nodeH   = 34
	colGap  = 56
	rowGap  = 18
	margin  = 12
	charW   = 8 // a generous width of one character of the node font
	minW    = 96
	maxName = 28 // longer names are cut with an ellipsis
	arcH    = 24 // the band above the steps where long edges run
	laneGap = 6  // between two long edges' lanes in that band
)

// layoutDAG places g's steps; status gives each its status and href its
// link.
func layoutDAG(g graph, status func(step string) string, href func(step string) string) dagView {
	col := map[string]int{}
	ups := map[string][]string{}
	for _, e := range g.Edges {
		ups[e.To] = append(ups[e.To], e.From)
	}
	cols := 0
	for _, s := range g.Steps {
		c := 0
		for _, u := range ups[s] {
			c = max(c, col[u]+1)
		}
		col[s] = c
		cols = max(cols, c+1)
	}
	byCol := make([][]string, cols)
	row := map[string]float64{}
	for _, s := range g.Steps {
		byCol[col[s]] = append(byCol[col[s]], s)
	}
	for _, steps := range byCol {
		mean := func(s string) float64 {
			if len(ups[s]) == 0 {
				return -1
			}
			sum := 0.0
			for _, u := range ups[s] {
				sum += row[u]
			}
			return sum / float64(len(ups[s]))
		}
		slices.SortStableFunc(steps, func(a, b string) int {
			ma, mb := mean(a), mean(b)
			switch {
			case ma < mb:
				return -1
			case ma > mb:
				return 1
			}
			return 0
		})
		for i, s := range steps {
			row[s] = float64(i)
		}
	}
	// Column widths fit their longest name.
	widths := make([]int, cols)
	for _, s := range g.Steps {
		widths[col[s]] = max(widths[col[s]], nodeWidth(s))
	}
	xs := make([]int, cols)
	x := margin
	for c := range cols {
		xs[c] = x
		x += widths[c] + colGap
	}
	rows := 0
	for _, steps := range byCol {
		rows = max(rows, len(steps))
	}
	// An edge that skips columns runs in a band above the steps, each in
	// its own lane so that two such edges never share a line.
	long := 0
	for _, e := range g.Edges {
		if col[e.To]-col[e.From] > 1 {
			long++
		}
	}
	band := 0
	if long > 0 {
		band = arcH + (long-1)*laneGap
	}
	v := dagView{Width: max(x-colGap+margin, 2*margin), Height: 2*margin + band + rows*nodeH + max(rows-1, 0)*rowGap}
	place := map[string]dagNode{}
	for c, steps := range byCol {
		// A column with fewer steps is centred on the tallest.
		top := margin + band + (rows-len(steps))*(nodeH+rowGap)/2
		for i, s := range steps {
			n := dagNode{Step: s, Status: status(s), Href: href(s), X: xs[c], Y: top + i*(nodeH+rowGap), W: widths[c], H: nodeH}
			n.TX, n.TY = n.X+n.W/2, n.Y+n.H/2
			place[s] = n
		}
	}
	for _, s := range g.Steps {
		v.Nodes = append(v.Nodes, place[s])
	}
	lane := 0
	for _, e := range g.Edges {
		a, okA := place[e.From]
		b, okB := place[e.To]
		if !okA || !okB {
			continue
		}
		x1, y1, x2, y2 := a.X+a.W, a.Y+a.H/2, b.X-4, b.Y+b.H/2
		mid := (x1 + x2) / 2
		d := fmt.Sprintf("M%d %d C%d %d %d %d %d %d", x1, y1, mid, y1, mid, y2, x2, y2)
		if col[e.To]-col[e.From] > 1 {
			// Out of the step's side into the empty gap after its column,
			// up into its lane, across, and down the gap before the
			// target's column into the target's side: it never crosses a
			// step, and its arrow points into the step it feeds.
			off := 14 + (lane%4)*6
			ly := margin + 6 + lane*laneGap
			lane++
			d = roundedPath([][2]int{{x1, y1}, {x1 + off, y1}, {x1 + off, ly}, {b.X - off, ly}, {b.X - off, y2}, {x2, y2}}, 8)
		}
		title := e.From + " → " + e.To
		if len(e.Vars) > 0 {
			title += ": " + fmt.Sprint(e.Vars)
		} else {
			title += " (order only)"
		}
		v.Edges = append(v.Edges, dagPath{From: e.From, To: e.To, Title: title, D: d})
	}
	return v
}

func nodeWidth(name string) int {
	n := min(len([]rune(name)), maxName)
	return max(minW, n*charW+24)
}

// nodeLabel cuts a long step name to fit its node.
func nodeLabel(name string) string {
	r := []rune(name)
	if len(r) <= maxName {
		return name
	}
	return string(r[:maxName-1]) + "…"
}

// roundedPath is an SVG path through the points, straight between them,
// its corners rounded with radius r (less where a segment is short).
func roundedPath(pts [][2]int, r int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "M%d %d", pts[0][0], pts[0][1])
	for i := 1; i < len(pts)-1; i++ {
		p, c, n := pts[i-1], pts[i], pts[i+1]
		rr := min(r, dist(p, c)/2, dist(c, n)/2)
		in := toward(c, p, rr)
		out := toward(c, n, rr)
		fmt.Fprintf(&b, " L%d %d Q%d %d %d %d", in[0], in[1], c[0], c[1], out[0], out[1])
	}
	last := pts[len(pts)-1]
	fmt.Fprintf(&b, " L%d %d", last[0], last[1])
	return b.String()
}

// dist is the length of an axis-parallel segment.
func dist(a, b [2]int) int {
	return max(a[0]-b[0], b[0]-a[0]) + max(a[1]-b[1], b[1]-a[1])
}

// toward is the point d along the axis-parallel segment from a to b.
func toward(a, b [2]int, d int) [2]int {
	step := func(from, to int) int {
		switch {
		case to > from:
			return from + d
		case to < from:
			return from - d
		}
		return from
	}
	return [2]int{step(a[0], b[0]), step(a[1], b[1])}
}
