package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// z975 is the 0.975 quantile of the standard normal distribution.
var z975 = distuv.UnitNormal.Quantile(0.975)

// Wilson returns the 95% Wilson score interval of a proportion: k
// successes in n trials (0 <= k <= n). With p = k/n and z the 0.975 normal
// quantile it is
//
//	(p + z²/2n ± z·√(p(1-p)/n + z²/4n²)) / (1 + z²/n),
//
// which stays inside [0, 1] and keeps a positive width at k = 0 and k = n,
// where the normal (Wald) interval collapses to a point. It is NaN for
// n < 1 or k outside [0, n].
func Wilson(k, n int) (lo, hi float64) {
	if n < 1 || k < 0 || k > n {
		return math.NaN(), math.NaN()
	}
	p, nf, z2 := float64(k)/float64(n), float64(n), z975*z975
	d := 1 + z2/nf
	c := (p + z2/(2*nf)) / d
	h := z975 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / d
	lo, hi = max(c-h, 0), min(c+h, 1)
	if k == 0 {
		lo = 0 // exact: the rounding of c-h must not leave a tiny negative or positive bound
	}
	if k == n {
		hi = 1
	}
	return lo, hi
}
