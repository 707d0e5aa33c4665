package calibration

import (
	"math"

	"frontiersim/stats"
)

// Summary is the distribution of one per-replication statistic.
type Summary struct {
	N                int
	Mean, Lo, Hi     float64 // mean and its 95% confidence interval
	Median, P05, P95 float64
	Fraction         float64 // share of replications satisfying the criterion (when meaningful)
	values           []float64
}

// Summarize returns the mean of xs with its 95% Student-t interval and
// their quantiles, NaNs dropped: stats.SummarizeInOrder, whose mean is
// summed in replication order, so that the objective of the search has the
// same bits on every platform. With one value the interval is NaN
// (undefined), so a criterion on it fails.
func Summarize(xs []float64) Summary {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	s := stats.SummarizeInOrder(v, make([]float64, len(v)))
	return Summary{N: s.N, Mean: s.Mean, Lo: s.CILo, Hi: s.CIHi, Median: s.Median, P05: s.P05, P95: s.P95, values: v}
}

// FractionWhere returns the share of the summarised values satisfying ok.
func (s Summary) FractionWhere(ok func(float64) bool) float64 {
	if len(s.values) == 0 {
		return math.NaN()
	}
	n := 0
	for _, x := range s.values {
		if ok(x) {
			n++
		}
	}
	return float64(n) / float64(len(s.values))
}

// mean of x over months [from, to) of a column.
func (r *Rep) mean(c, from, to int) float64 {
	return r.sum(c, from, to) / float64(to-from)
}

func (r *Rep) sum(c, from, to int) float64 {
	s := 0.0
	for m := from; m < to; m++ {
		s += r.Get(m, c)
	}
	return s
}
