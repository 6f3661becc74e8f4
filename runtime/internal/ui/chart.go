package ui

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/zengen-dev/zengen/runtime/internal/ui/preview"
)

// Charts are drawn on the server as SVG, laid out here in plain numbers
// that the templates only place: no script, and nothing from a store
// reaches an attribute but through html/template's escaping.

const (
	chartW, chartH   = 640, 220
	padR             = 16
	padTop, padBot   = 12, 40
	plotH            = chartH - padTop - padBot
	chartMaxXLabels  = 12
	chartLabelLength = 14
	// labelCharW is a generous width of one character of an axis label
	// (11px sans-serif, whose digits are about 6px wide), and labelGap
	// the room between a y label and the axis plus the label's margin
	// from the SVG's left border.
	labelCharW, labelGap = 7, 12
)

// chart is one SVG chart: bars (a histogram) or points joined by a line
// (a metric across runs).
type chart struct {
	W, H   int
	Left   int // x of the plot's left edge
	Bottom int // y of the plot's bottom edge
	Right  int
	Top    int
	Bars   []bar
	Points []point
	Line   string // the polyline's points attribute
	XTicks []tick
	YTicks []tick
	XTitle string
}

type bar struct {
	X, Y, W, H string
	Title      string
}

type point struct {
	X, Y  string
	Run   string
	Title string
}

type tick struct {
	Pos   string // x for XTicks, y for YTicks
	at    float64
	Label string
	// Anchor is the text-anchor of an x label: the first and last sit
	// inside the plot's edges.
	Anchor string
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// newChart is an empty chart whose plot leaves room on its left for the
// widest of its y labels, so that none is cut off by the SVG's border.
func newChart(yLabels ...string) *chart {
	widest := 0
	for _, l := range yLabels {
		widest = max(widest, len([]rune(l)))
	}
	left := max(32, widest*labelCharW+labelGap)
	return &chart{W: chartW, H: chartH, Left: left, Bottom: padTop + plotH, Right: chartW - padR, Top: padTop}
}

// x is the abscissa of a position in [0,1] along the plot.
func (c *chart) x(at float64) float64 {
	return float64(c.Left) + at*float64(c.Right-c.Left)
}

// place sets the x of ticks laid out as positions along the plot.
func (c *chart) place(ts []tick) []tick {
	out := make([]tick, len(ts))
	for i, t := range ts {
		t.Pos = num(c.x(t.at))
		out[i] = t
	}
	return out
}

// histogramChart draws a histogram's bins as bars.
func histogramChart(h preview.Histogram, integers bool) *chart {
	if len(h.Counts) == 0 {
		return nil
	}
	var top int64
	for _, n := range h.Counts {
		top = max(top, n)
	}
	c := newChart("0", strconv.FormatInt(top, 10))
	bw := float64(c.Right-c.Left) / float64(len(h.Counts))
	for i, n := range h.Counts {
		ht := float64(plotH) * float64(n) / float64(top)
		lo := h.Lo + float64(i)*h.Width()
		c.Bars = append(c.Bars, bar{
			X: num(float64(c.Left) + float64(i)*bw + 0.5), Y: num(padTop + plotH - ht),
			W: num(math.Max(bw-1, 1)), H: num(ht),
			Title: binLabel(lo, lo+h.Width(), integers) + ": " + strconv.FormatInt(n, 10),
		})
	}
	c.XTicks = c.place([]tick{
		{at: 0, Label: metricText(h.Lo), Anchor: "start"},
		{at: 0.5, Label: metricText((h.Lo + h.Hi) / 2), Anchor: "middle"},
		{at: 1, Label: metricText(h.Hi), Anchor: "end"},
	})
	c.YTicks = []tick{{Pos: num(padTop + plotH), Label: "0"}, {Pos: num(padTop), Label: strconv.FormatInt(top, 10)}}
	return c
}

// binLabel names a bin's range; integer bins are centred on their value.
func binLabel(lo, hi float64, integers bool) string {
	if integers && hi-lo == 1 {
		return metricText(lo + 0.5)
	}
	return "[" + metricText(lo) + ", " + metricText(hi) + ")"
}

// xAxis places the runs of a comparison along x: by their order, or by a
// param's value (numerically when every run has a number, else by the
// sorted distinct values).
type xAxis struct {
	Title  string
	pos    []float64 // per run, in [0,1]; NaN for a run without the param
	ticks  []tick
	sorted []int // run indexes in x order, for the line
}

func runOrderAxis(ids []string) xAxis {
	a := xAxis{Title: "run"}
	for i := range ids {
		a.pos = append(a.pos, spread(i, len(ids)))
		a.sorted = append(a.sorted, i)
		a.ticks = append(a.ticks, tick{at: spread(i, len(ids)), Label: "#" + strconv.Itoa(i+1)})
	}
	a.ticks = thin(a.ticks)
	return a
}

// spread is the position of the i-th of n evenly placed items.
func spread(i, n int) float64 {
	if n == 1 {
		return 0.5
	}
	return float64(i) / float64(n-1)
}

func paramAxis(name string, values []string) xAxis {
	a := xAxis{Title: name, pos: make([]float64, len(values))}
	nums := make([]float64, len(values))
	numeric := true
	for i, v := range values {
		f, err := strconv.ParseFloat(v, 64)
		if v != "" && (err != nil || math.IsNaN(f) || math.IsInf(f, 0)) {
			numeric = false
		}
		nums[i] = f
	}
	var order []int
	for i, v := range values {
		if v != "" {
			order = append(order, i)
		}
	}
	if numeric {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, i := range order {
			lo, hi = min(lo, nums[i]), max(hi, nums[i])
		}
		sort.SliceStable(order, func(x, y int) bool { return nums[order[x]] < nums[order[y]] })
		for i := range values {
			a.pos[i] = math.NaN()
		}
		for _, i := range order {
			a.pos[i] = 0.5
			if hi > lo {
				a.pos[i] = (nums[i] - lo) / (hi - lo)
			}
		}
		if len(order) > 0 {
			a.ticks = []tick{{at: 0, Label: metricText(lo), Anchor: "start"}, {at: 1, Label: metricText(hi), Anchor: "end"}}
			if hi == lo {
				a.ticks = []tick{{at: 0.5, Label: metricText(lo), Anchor: "middle"}}
			}
		}
		a.sorted = order
		return a
	}
	var distinct []string
	seen := map[string]bool{}
	for _, i := range order {
		if !seen[values[i]] {
			seen[values[i]] = true
			distinct = append(distinct, values[i])
		}
	}
	sort.Strings(distinct)
	at := map[string]float64{}
	for j, v := range distinct {
		at[v] = spread(j, len(distinct))
		a.ticks = append(a.ticks, tick{at: at[v], Label: shortLabel(v)})
	}
	for i, v := range values {
		a.pos[i] = math.NaN()
		if v != "" {
			a.pos[i] = at[v]
		}
	}
	sort.SliceStable(order, func(x, y int) bool { return a.pos[order[x]] < a.pos[order[y]] })
	a.sorted = order
	a.ticks = thin(a.ticks)
	return a
}

// thin keeps at most chartMaxXLabels labels, evenly, and anchors the
// first and last inside the plot.
func thin(ts []tick) []tick {
	if len(ts) > chartMaxXLabels {
		step := (len(ts) + chartMaxXLabels - 1) / chartMaxXLabels
		var kept []tick
		for i := 0; i < len(ts); i += step {
			kept = append(kept, ts[i])
		}
		ts = kept
	}
	for i := range ts {
		ts[i].Anchor = "middle"
	}
	if len(ts) > 1 {
		ts[0].Anchor, ts[len(ts)-1].Anchor = "start", "end"
	}
	return ts
}

// shortLabel cuts a label to fit under the axis; the point's title keeps
// the whole of it.
func shortLabel(s string) string {
	if r := []rune(s); len(r) > chartLabelLength {
		return string(r[:chartLabelLength-1]) + "…"
	}
	return s
}

// metricChart draws one metric's values across runs along x. Runs that
// lack the metric, or hold NaN or an infinity, have no point; skipped
// says how many.
func metricChart(ids []string, values []float64, has []bool, x xAxis) (c *chart, skipped int) {
	lo, hi := math.Inf(1), math.Inf(-1)
	ok := func(i int) bool {
		return has[i] && !math.IsNaN(values[i]) && !math.IsInf(values[i], 0) && !math.IsNaN(x.pos[i])
	}
	for i := range ids {
		if ok(i) {
			lo, hi = min(lo, values[i]), max(hi, values[i])
		} else {
			skipped++
		}
	}
	if math.IsInf(lo, 1) {
		return nil, skipped
	}
	if lo == hi { // one value: centre it
		pad := math.Abs(lo) / 2
		if pad == 0 {
			pad = 1
		}
		lo, hi = lo-pad, hi+pad
	}
	ys := []float64{lo, (lo + hi) / 2, hi}
	labels := make([]string, len(ys))
	for i, v := range ys {
		labels[i] = metricText(v)
	}
	c = newChart(labels...)
	c.XTitle = x.Title
	y := func(v float64) float64 { return padTop + plotH - (v-lo)/(hi-lo)*plotH }
	var line []string
	for _, i := range x.sorted {
		if !ok(i) {
			continue
		}
		px, py := num(c.x(x.pos[i])), num(y(values[i]))
		c.Points = append(c.Points, point{X: px, Y: py, Run: ids[i], Title: "#" + strconv.Itoa(i+1) + " " + ids[i] + ": " + metricText(values[i])})
		line = append(line, px+","+py)
	}
	c.Line = strings.Join(line, " ")
	c.XTicks = c.place(x.ticks)
	for i, v := range ys {
		c.YTicks = append(c.YTicks, tick{Pos: num(y(v)), Label: labels[i]})
	}
	return c, skipped
}
