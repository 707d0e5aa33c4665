package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Sobol holds the first- and total-order Sobol indices of d factors
// estimated from the outputs of a Saltelli design (SobolIndices). Factor i
// is the design's column i.
type Sobol struct {
	N              int     // base points of the design
	Mean, Variance float64 // of the 2N outputs of A and B (the variance divides by 2N)
	// First[i] is S_i = V[E(Y|X_i)]/V(Y), the share of the variance that
	// X_i explains alone; Total[i] is S_Ti = E[V(Y|X_~i)]/V(Y), the share
	// that involves X_i, alone or with others. Total[i] - First[i]
	// estimates the share of X_i's interactions.
	First, Total []float64
	// 95% bootstrap percentile intervals of each index
	// (SobolIndicesBootstrap); NaN from SobolIndices.
	FirstLo, FirstHi, TotalLo, TotalHi []float64
	Resamples                          int // bootstrap resamples; 0 without intervals
}

// SobolIndices estimates the first- and total-order Sobol indices of d
// factors from y, the outputs of the (d+2)n runs of a Saltelli design in its
// row order (design.Saltelli): y[j] = f(A_j), y[n+j] = f(B_j) and
// y[(2+i)n+j] = f(AB_i,j), where AB_i is A with column i from B. With the
// sums over the n base points j, the estimators are those Saltelli et al.
// recommend (A. Saltelli et al., "Variance based sensitivity analysis of
// model output. Design and estimator for the total sensitivity index",
// Comput. Phys. Commun. 181 (2010) 259–270, Table 2 (b) and (f)):
//
//	V     = the variance of the 2n outputs f(A_j), f(B_j) (divided by 2n)
//	S_i   = (1/n) Σ_j f(B)_j (f(AB_i)_j - f(A)_j) / V              (Saltelli 2010)
//	S_Ti  = (1/2n) Σ_j (f(A)_j - f(AB_i)_j)² / V                   (Jansen 1999)
//
// (M. J. W. Jansen, "Analysis of variance designs for model output",
// Comput. Phys. Commun. 117 (1999) 35–43). The estimates are unbiased up to
// the variance's, not clamped to [0, 1]: a small or negative S_i is a factor
// without a first-order effect seen through sampling noise. With V = 0 (a
// constant output) every index is NaN. The sums run in index order and every
// product is rounded before it is added, so the result has the same bits on
// every platform. The intervals are NaN; SobolIndicesBootstrap adds them.
func SobolIndices(y []float64, d int) (Sobol, error) {
	n, err := saltelliBase(y, d)
	if err != nil {
		return Sobol{}, err
	}
	s := newSobol(n, d)
	s.Mean, s.Variance = sobolEstimate(y, n, d, nil, s.First, s.Total)
	return s, nil
}

// SobolIndicesBootstrap is SobolIndices with 95% bootstrap percentile
// intervals of every index (G. E. B. Archer, A. Saltelli and I. M. Sobol,
// "Sensitivity measures, ANOVA-like techniques and the use of bootstrap",
// J. Stat. Comput. Simul. 58 (1997) 99–120; the percentile interval of
// B. Efron and R. Tibshirani, An Introduction to the Bootstrap, 1993,
// §13.3): each of the resamples draws n base points with replacement
// (rng.IntN(n), n draws), recomputes V, S_i and S_Ti on the rows of those
// points in every block, and the interval is the 2.5% and 97.5% empirical
// quantiles (gonum's stat.Empirical) of the resampled estimates, as
// ComparePaired's bootstrap. The intervals reflect the sampling error of
// independent base points; on a Sobol design they are conservative.
func SobolIndicesBootstrap(y []float64, d, resamples int, rng *rand.Rand) (Sobol, error) {
	n, err := saltelliBase(y, d)
	if err != nil {
		return Sobol{}, err
	}
	if resamples < 1 {
		return Sobol{}, fmt.Errorf("stats: Sobol indices: %d bootstrap resamples, at least 1", resamples)
	}
	s := newSobol(n, d)
	s.Mean, s.Variance = sobolEstimate(y, n, d, nil, s.First, s.Total)
	s.Resamples = resamples
	idx := make([]int, n)
	first := make([]float64, resamples*d) // resample b, factor i at b*d+i
	total := make([]float64, resamples*d)
	for b := range resamples {
		for j := range idx {
			idx[j] = rng.IntN(n)
		}
		sobolEstimate(y, n, d, idx, first[b*d:(b+1)*d], total[b*d:(b+1)*d])
	}
	col := make([]float64, resamples)
	interval := func(all []float64, i int) (lo, hi float64) {
		for b := range col {
			col[b] = all[b*d+i]
		}
		if slices.ContainsFunc(col, math.IsNaN) {
			return math.NaN(), math.NaN()
		}
		slices.Sort(col)
		return stat.Quantile(0.025, stat.Empirical, col, nil), stat.Quantile(0.975, stat.Empirical, col, nil)
	}
	for i := range d {
		s.FirstLo[i], s.FirstHi[i] = interval(first, i)
		s.TotalLo[i], s.TotalHi[i] = interval(total, i)
	}
	return s, nil
}

// saltelliBase checks the length of the outputs of a Saltelli design of d
// factors and returns its number of base points.
func saltelliBase(y []float64, d int) (int, error) {
	if d < 1 {
		return 0, fmt.Errorf("stats: Sobol indices of %d factors: at least 1", d)
	}
	if len(y) == 0 || len(y)%(d+2) != 0 {
		return 0, fmt.Errorf("stats: Sobol indices of %d factors from %d outputs: want (d+2)n = %d·n, n >= 1", d, len(y), d+2)
	}
	return len(y) / (d + 2), nil
}

func newSobol(n, d int) Sobol {
	s := Sobol{N: n}
	for _, p := range []*[]float64{&s.First, &s.Total, &s.FirstLo, &s.FirstHi, &s.TotalLo, &s.TotalHi} {
		*p = make([]float64, d)
	}
	for i := range d {
		s.FirstLo[i], s.FirstHi[i], s.TotalLo[i], s.TotalHi[i] = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	return s
}

// sobolEstimate computes the mean and variance of the A and B outputs and
// the indices of every factor into first and total, over the base points
// idx (nil: 0 ... n-1). The float64 conversions round each product, so
// that no platform fuses it into a multiply-add.
func sobolEstimate(y []float64, n, d int, idx []int, first, total []float64) (mean, variance float64) {
	at := func(j int) int {
		if idx == nil {
			return j
		}
		return idx[j]
	}
	ya, yb := y[:n], y[n:2*n]
	sum := 0.0
	for j := range n {
		sum += ya[at(j)]
	}
	for j := range n {
		sum += yb[at(j)]
	}
	mean = sum / float64(2*n)
	ss := 0.0
	for j := range n {
		e := ya[at(j)] - mean
		ss += float64(e * e)
	}
	for j := range n {
		e := yb[at(j)] - mean
		ss += float64(e * e)
	}
	variance = ss / float64(2*n)
	for i := range d {
		yab := y[(2+i)*n : (3+i)*n]
		f, t := 0.0, 0.0
		for j := range n {
			k := at(j)
			f += float64(yb[k] * (yab[k] - ya[k]))
			e := ya[k] - yab[k]
			t += float64(e * e)
		}
		if variance == 0 {
			first[i], total[i] = math.NaN(), math.NaN()
			continue
		}
		first[i] = f / float64(n) / variance
		total[i] = t / float64(2*n) / variance
	}
	return mean, variance
}
