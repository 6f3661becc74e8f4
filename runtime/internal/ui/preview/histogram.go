package preview

import "math"

// Bins is how many bars a histogram has at most.
const Bins = 40

// Histogram counts the finite values of a column in equal-width bins over
// [Lo, Hi]; the last bin includes Hi. Counts are exact: when a Summary
// holds only a sample, the histogram is counted in a second pass over the
// artifact.
type Histogram struct {
	Lo, Hi float64
	Counts []int64
}

// Width is the width of one bin. Halves keep Hi−Lo finite for values
// that span nearly all of float64.
func (h Histogram) Width() float64 { return (h.Hi/2 - h.Lo/2) / float64(len(h.Counts)) * 2 }

// newHistogram prepares the bins for finite values in [lo, hi]. Integers
// spanning fewer values than Bins get one bin per value, centred on it, so
// that counts of small integers do not show as gaps between bars.
func newHistogram(lo, hi float64, integers bool) Histogram {
	n := Bins
	switch {
	case lo == hi:
		n = 1
		if !integers {
			lo, hi = lo-0.5, hi+0.5
		}
	case integers && hi-lo+1 <= Bins:
		n = int(hi-lo) + 1
	}
	if integers {
		lo, hi = lo-0.5, hi+0.5
	}
	return Histogram{Lo: lo, Hi: hi, Counts: make([]int64, n)}
}

// add counts x; values that are not finite are not counted.
func (h Histogram) add(x float64) {
	if x != x || math.IsInf(x, 0) {
		return
	}
	i := int((x/2 - h.Lo/2) / (h.Hi/2 - h.Lo/2) * float64(len(h.Counts)))
	h.Counts[min(max(i, 0), len(h.Counts)-1)]++
}
