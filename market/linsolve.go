package market

import "math"

// solveDense solves the n×n system a x = b in place (a row-major; b
// becomes x) by Gaussian elimination with partial pivoting, reporting
// false when a pivot is not above minPivot in absolute value or the system
// or its solution is not finite. The compute-price Newton step and the
// pricing solver's Anderson mixing share it.
func solveDense(a, b []float64, n int, minPivot float64) bool {
	for c := range n {
		piv, best := c, math.Abs(a[c*n+c])
		for r := c + 1; r < n; r++ {
			if v := math.Abs(a[r*n+c]); v > best {
				piv, best = r, v
			}
		}
		if !(best > minPivot) || !finite(best) {
			return false
		}
		if piv != c {
			for l := range n {
				a[c*n+l], a[piv*n+l] = a[piv*n+l], a[c*n+l]
			}
			b[c], b[piv] = b[piv], b[c]
		}
		for r := c + 1; r < n; r++ {
			f := a[r*n+c] / a[c*n+c]
			if f == 0 {
				continue
			}
			for l := c; l < n; l++ {
				a[r*n+l] -= f * a[c*n+l]
			}
			b[r] -= f * b[c]
		}
	}
	for c := n - 1; c >= 0; c-- {
		v := b[c]
		for l := c + 1; l < n; l++ {
			v -= a[c*n+l] * b[l]
		}
		b[c] = v / a[c*n+c]
		if !finite(b[c]) {
			return false
		}
	}
	return true
}
