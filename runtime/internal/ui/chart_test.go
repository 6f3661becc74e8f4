package ui

import (
	"math"
	"testing"
)

// A numeric param spans the plot; its end labels sit inside the plot's
// edges, or the last is cut off by the SVG's border.
func TestParamAxisIsNumericWhenEveryValueIs(t *testing.T) {
	a := paramAxis("lr", []string{"0.3", "0.1", "", "0.2"})
	if a.pos[0] != 1 || a.pos[1] != 0 || !math.IsNaN(a.pos[2]) || math.Abs(a.pos[3]-0.5) > 1e-12 {
		t.Errorf("positions %v", a.pos)
	}
	if len(a.ticks) != 2 || a.ticks[0].Anchor != "start" || a.ticks[1].Anchor != "end" || a.ticks[1].Label != "0.3" {
		t.Errorf("ticks %+v", a.ticks)
	}
	if want := []int{1, 3, 0}; len(a.sorted) != 3 || a.sorted[0] != want[0] || a.sorted[1] != want[1] || a.sorted[2] != want[2] {
		t.Errorf("line order %v, want %v", a.sorted, want)
	}
}

// Strings are placed by their sorted distinct values.
func TestParamAxisOfStringsIsCategorical(t *testing.T) {
	a := paramAxis("opt", []string{`"sgd"`, `"adam"`, `"sgd"`})
	if a.pos[0] != 1 || a.pos[1] != 0 || a.pos[2] != 1 || len(a.ticks) != 2 || a.ticks[0].Label != `"adam"` {
		t.Errorf("positions %v ticks %+v", a.pos, a.ticks)
	}
}

// Runs without the metric, or with NaN or an infinity, get no point and
// are counted.
func TestMetricChartSkipsWhatItCannotPlace(t *testing.T) {
	ids := []string{"a", "b", "c", "d"}
	c, skipped := metricChart(ids, []float64{1, math.NaN(), 3, 0}, []bool{true, true, true, false}, runOrderAxis(ids))
	if skipped != 2 || len(c.Points) != 2 || c.Points[0].Run != "a" || c.Points[1].Run != "c" {
		t.Errorf("skipped %d, points %+v", skipped, c.Points)
	}
	if c, _ := metricChart(ids[:1], []float64{math.Inf(1)}, []bool{true}, runOrderAxis(ids[:1])); c != nil {
		t.Errorf("a chart of nothing: %+v", c)
	}
}

// Every y label fits left of the plot: a label is drawn 6px left of the
// axis, ending there, and at labelCharW a character it must not start
// before the SVG's border. "0.228331" once showed as ".228331".
func TestMetricChartLeavesRoomForItsYLabels(t *testing.T) {
	ids := []string{"a", "b", "c"}
	for _, values := range [][]float64{
		{0.228331, 0.100785, 0.100785},
		{0.0586229, 0.0101575, 0.0101575},
		{-1.234567e15, 3, 7},
		{1, 2, 3},
	} {
		c, _ := metricChart(ids, values, []bool{true, true, true}, runOrderAxis(ids))
		for _, tk := range c.YTicks {
			if w := len([]rune(tk.Label))*labelCharW + 6; w > c.Left {
				t.Errorf("values %v: y label %q is about %dpx wide with its gap, the plot starts at x %d", values, tk.Label, w, c.Left)
			}
		}
		if first := c.Points[0].X; first != num(float64(c.Left)) {
			t.Errorf("values %v: the first run is at x %s, the plot starts at %d", values, first, c.Left)
		}
	}
}
