package calibration

import (
	"math"
	"sort"

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

// Summarize returns the mean with its 95% t interval (table to 30 degrees
// of freedom, an approximation beyond) and the quantiles of xs (NaNs
// dropped; type 7, stats.Quantile).
//
// It is not stats.Summarize yet: its own t table (tq) and its sequential
// sum give other bits than the exact quantiles and gonum's summation of
// stats, so switching changes the intervals of docs/calibration.md and the
// means the calibration objective reads. That switch is a commit of its
// own, with the calibration documents regenerated.
func Summarize(xs []float64) Summary {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	s := Summary{N: len(v), values: v}
	if len(v) == 0 {
		s.Mean, s.Lo, s.Hi, s.Median, s.P05, s.P95 = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
		return s
	}
	for _, x := range v {
		s.Mean += x
	}
	s.Mean /= float64(len(v))
	if len(v) > 1 {
		ss := 0.0
		for _, x := range v {
			ss += (x - s.Mean) * (x - s.Mean)
		}
		se := math.Sqrt(ss/float64(len(v)-1)) / math.Sqrt(float64(len(v)))
		h := tq(len(v)-1) * se
		s.Lo, s.Hi = s.Mean-h, s.Mean+h
	} else {
		s.Lo, s.Hi = s.Mean, s.Mean
	}
	sorted := append([]float64(nil), v...)
	sort.Float64s(sorted)
	s.Median = stats.Quantile(0.5, sorted)
	s.P05 = stats.Quantile(0.05, sorted)
	s.P95 = stats.Quantile(0.95, sorted)
	return s
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

// tq is the 0.975 quantile of Student's t with df degrees of freedom
// (table to 30, normal approximation with a correction beyond).
func tq(df int) float64 {
	tab := []float64{0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
		2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
		2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042}
	if df < 1 {
		return math.NaN()
	}
	if df < len(tab) {
		return tab[df]
	}
	return 1.96 + 2.4/float64(df) // within 0.002 of the exact quantile for df > 30
}

// mean of x over months [from, to) of a column.
func (r *Rep) mean(c, from, to int) float64 {
	s := 0.0
	for m := from; m < to; m++ {
		s += r.Get(m, c)
	}
	return s / float64(to-from)
}

func (r *Rep) sum(c, from, to int) float64 {
	s := 0.0
	for m := from; m < to; m++ {
		s += r.Get(m, c)
	}
	return s
}
