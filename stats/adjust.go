package stats

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Adjustment is a method of adjusting the p-values of a family of tests
// for their multiplicity.
type Adjustment string

// The adjustments of Adjust.
const (
	// Holm is Holm's (1979) step-down adjustment: it bounds the
	// family-wise error rate (the chance of any false finding) under any
	// dependence between the tests, and is uniformly more powerful than
	// Bonferroni's.
	Holm Adjustment = "holm"
	// BenjaminiHochberg is Benjamini and Hochberg's (1995) step-up
	// adjustment: it bounds the false discovery rate (the expected share of
	// false findings among the findings) for independent or positively
	// dependent tests.
	BenjaminiHochberg Adjustment = "bh"
	// NoAdjustment leaves the p-values as they are.
	NoAdjustment Adjustment = "none"
)

// Adjustments lists the adjustments of Adjust, in the order an error
// message names them.
var Adjustments = []Adjustment{Holm, BenjaminiHochberg, NoAdjustment}

// Describe names the adjustment in a sentence: "Holm (family-wise error
// rate)" and so on.
func (a Adjustment) Describe() string {
	switch a {
	case Holm:
		return "Holm (family-wise error rate)"
	case BenjaminiHochberg:
		return "Benjamini–Hochberg (false discovery rate)"
	case NoAdjustment:
		return "none (each cell tested on its own)"
	}
	return string(a)
}

// Adjust returns the p-values p adjusted by method, in p's order, as R's
// p.adjust computes them. A NaN p-value (an untestable cell) is left out of
// the family and stays NaN; the family's size is the number of the others.
// An unknown method is an error.
func Adjust(method Adjustment, p []float64) ([]float64, error) {
	switch method {
	case Holm:
		return AdjustHolm(p), nil
	case BenjaminiHochberg:
		return AdjustBH(p), nil
	case NoAdjustment:
		return slices.Clone(p), nil
	}
	return nil, fmt.Errorf("stats: adjustment %q: want one of %q", method, Adjustments)
}

// ranked returns the indices of p's non-NaN values in increasing order of
// p (ties in index order).
func ranked(p []float64) []int {
	var idx []int
	for i, v := range p {
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	return idx
}

// nanLike returns a slice of len(p) NaNs.
func nanLike(p []float64) []float64 {
	out := make([]float64, len(p))
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

// AdjustHolm returns Holm's step-down adjusted p-values: with the m
// p-values sorted, p(1) ≤ … ≤ p(m), the i-th is max over j ≤ i of
// min(1, (m−j+1)·p(j)). A family-wise error rate of α rejects the
// hypotheses whose adjusted p-value is at most α. NaNs as in Adjust.
func AdjustHolm(p []float64) []float64 {
	out := nanLike(p)
	idx := ranked(p)
	m := len(idx)
	run := 0.0
	for k, i := range idx {
		run = max(run, min(1, float64(m-k)*p[i]))
		out[i] = run
	}
	return out
}

// AdjustBH returns Benjamini and Hochberg's step-up adjusted p-values
// (q-values): with the m p-values sorted, p(1) ≤ … ≤ p(m), the i-th is min
// over j ≥ i of min(1, m/j·p(j)). A false discovery rate of q rejects the
// hypotheses whose adjusted p-value is at most q. NaNs as in Adjust.
func AdjustBH(p []float64) []float64 {
	out := nanLike(p)
	idx := ranked(p)
	m := len(idx)
	run := 1.0
	for k := m - 1; k >= 0; k-- {
		i := idx[k]
		run = min(run, float64(m)/float64(k+1)*p[i])
		out[i] = run
	}
	return out
}

// PairedTP returns the two-sided p-value of the paired Student t test that
// the mean difference is zero, from the n paired differences' mean diff
// and standard deviation sd (Paired's Diff and DiffSD): t = diff/(sd/√n)
// with n−1 degrees of freedom. It is below 0.05 exactly when Paired's 95%
// interval excludes zero (up to rounding). With sd = 0 the differences are
// all equal: the p-value is 0 if they are not zero, 1 if they are. It is
// NaN for n < 2 or a NaN input.
func PairedTP(diff, sd float64, n int) float64 {
	if n < 2 || math.IsNaN(diff) || math.IsNaN(sd) {
		return math.NaN()
	}
	if sd == 0 {
		if diff == 0 {
			return 1
		}
		return 0
	}
	t := math.Abs(diff) / (sd / math.Sqrt(float64(n)))
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Survival(t)
}
