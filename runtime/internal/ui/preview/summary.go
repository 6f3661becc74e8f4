package preview

import (
	"math"
	"math/rand/v2"
	"slices"
)

// SampleSize is how many values a Summary keeps to find quartiles and,
// when it holds them all, the histogram: 64 Ki float64s, half a MiB,
// whatever the artifact's size. Up to this many finite values the
// quartiles are exact; beyond it they come from a uniform sample and are
// marked Estimated.
const SampleSize = 1 << 16

// Summary describes a column of numbers. Count, NaNs, infinities, Min,
// Max, Mean and Std are exact (Mean and Std up to float64 rounding);
// quartiles are exact when Finite ≤ SampleSize and estimated from a
// uniform sample of SampleSize values otherwise. Every statistic but the
// counts is over the finite values only: one NaN or +Inf would otherwise
// make the mean say nothing about the rest.
type Summary struct {
	Count          int64 // every value, NaN and infinities included
	Finite         int64
	NaNs           int64
	PosInf, NegInf int64
	Min, Max       float64
	Mean           float64
	// Std is the sample standard deviation (divided by n−1, as pandas'
	// describe), 0 for fewer than two values.
	Std            float64
	Q1, Median, Q3 float64
	// Estimated says the quartiles come from a sample of SampleSize
	// values, not from all of them.
	Estimated bool
}

// accumulator builds a Summary in bounded memory, in one pass. Values are
// gathered in chunks; each chunk's mean and sum of squared deviations are
// computed in two passes over the chunk and merged into the running ones
// (Chan et al.), which is as accurate as Welford's update without its
// division per value.
type accumulator struct {
	s     Summary
	chunk []float64
	n     int64   // finite values merged into mean and m2
	mean  float64 // of the merged values
	m2    float64 // their sum of squared deviations from mean

	// sample is a reservoir (Li's algorithm L) of the finite values: all of
	// them while they fit, a uniform sample after. The generator has a
	// fixed seed so that a page shows the same estimate each time.
	sample []float64
	rng    *rand.Rand
	w      float64
	next   int64 // index among finite values of the next one to keep
}

const chunkSize = 4096

func newAccumulator() *accumulator {
	return &accumulator{
		chunk: make([]float64, 0, chunkSize),
		rng:   rand.New(rand.NewPCG(1, 2)),
		s:     Summary{Min: math.Inf(1), Max: math.Inf(-1)},
	}
}

// add takes one value.
func (a *accumulator) add(x float64) {
	a.s.Count++
	switch {
	case x != x:
		a.s.NaNs++
		return
	case math.IsInf(x, 1):
		a.s.PosInf++
		return
	case math.IsInf(x, -1):
		a.s.NegInf++
		return
	}
	a.chunk = append(a.chunk, x)
	if len(a.chunk) == chunkSize {
		a.flush()
	}
}

// flush merges the gathered finite values.
func (a *accumulator) flush() {
	if len(a.chunk) == 0 {
		return
	}
	var sum float64
	for _, x := range a.chunk {
		sum += x
		a.s.Min = min(a.s.Min, x)
		a.s.Max = max(a.s.Max, x)
	}
	nb := float64(len(a.chunk))
	meanB := sum / nb
	var m2b float64
	for _, x := range a.chunk {
		d := x - meanB
		m2b += d * d
	}
	na := float64(a.n)
	delta := meanB - a.mean
	total := na + nb
	a.mean += delta * nb / total
	a.m2 += m2b + delta*delta*na*nb/total
	a.n += int64(len(a.chunk))
	for _, x := range a.chunk {
		a.keep(x)
	}
	a.chunk = a.chunk[:0]
}

// keep offers the i-th finite value, i = s.Finite, to the reservoir.
func (a *accumulator) keep(x float64) {
	i := a.s.Finite
	a.s.Finite++
	if len(a.sample) < SampleSize {
		a.sample = append(a.sample, x)
		if len(a.sample) == SampleSize {
			a.w = math.Exp(math.Log(a.uniform()) / SampleSize)
			a.skip(i)
		}
		return
	}
	if i < a.next {
		return
	}
	a.sample[a.rng.IntN(SampleSize)] = x
	a.w *= math.Exp(math.Log(a.uniform()) / SampleSize)
	a.skip(i)
}

// skip sets next past the values algorithm L leaves out after index i.
func (a *accumulator) skip(i int64) {
	a.next = i + 1 + int64(math.Floor(math.Log(a.uniform())/math.Log1p(-a.w)))
}

// uniform returns a number in (0, 1), never 0, whose log is finite.
func (a *accumulator) uniform() float64 {
	for {
		if u := a.rng.Float64(); u > 0 {
			return u
		}
	}
}

// summary returns the statistics of everything added, and the sorted
// sample they came from.
func (a *accumulator) summary() (Summary, []float64) {
	a.flush()
	s := a.s
	if s.Finite == 0 {
		s.Min, s.Max = math.NaN(), math.NaN()
		s.Mean, s.Std, s.Q1, s.Median, s.Q3 = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
		return s, nil
	}
	s.Mean = a.mean
	if a.n > 1 {
		s.Std = math.Sqrt(a.m2 / float64(a.n-1))
	}
	sorted := slices.Clone(a.sample)
	slices.Sort(sorted)
	s.Q1, s.Median, s.Q3 = quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75)
	s.Estimated = s.Finite > int64(len(sorted))
	return s, sorted
}

// quantile is the q-th quantile of sorted values by linear interpolation
// between the closest ranks (numpy's default, R's type 7).
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (sorted[hi]-sorted[lo])*(pos-float64(lo))
}
