package stats

import (
	"math"
	"testing"
)

func TestWilson(t *testing.T) {
	z2 := z975 * z975
	for _, c := range []struct {
		name     string
		k, n     int
		wlo, whi float64
		tol      float64
	}{
		// Closed forms at the ends: k = 0 gives [0, z²/(n+z²)], k = n gives [n/(n+z²), 1].
		{"none of 10", 0, 10, 0, z2 / (10 + z2), 1e-15},
		{"all of 10", 10, 10, 10 / (10 + z2), 1, 1e-15},
		{"all of 200", 200, 200, 200 / (200 + z2), 1, 1e-15},
		// Half: symmetric about 1/2 with half-width z·√(n/4 + z²/4)/(n + z²).
		{"5 of 10", 5, 10, 0.5 - z975*math.Sqrt(2.5+z2/4)/(10+z2), 0.5 + z975*math.Sqrt(2.5+z2/4)/(10+z2), 1e-15},
		// Published values (Newcombe 1998, table I, method 3): 81/263 -> 0.2553-0.3662, 15/148 -> 0.0624-0.1605.
		{"81 of 263", 81, 263, 0.2553, 0.3662, 5e-5},
		{"15 of 148", 15, 148, 0.0624, 0.1605, 5e-5},
	} {
		lo, hi := Wilson(c.k, c.n)
		if math.Abs(lo-c.wlo) > c.tol || math.Abs(hi-c.whi) > c.tol {
			t.Errorf("%s: Wilson(%d, %d) = [%.6f, %.6f], want [%.6f, %.6f]", c.name, c.k, c.n, lo, hi, c.wlo, c.whi)
		}
	}
}

func TestWilsonUndefined(t *testing.T) {
	for _, c := range [][2]int{{0, 0}, {-1, 5}, {6, 5}} {
		if lo, hi := Wilson(c[0], c[1]); !math.IsNaN(lo) || !math.IsNaN(hi) {
			t.Errorf("Wilson(%d, %d) = [%g, %g], want NaN", c[0], c[1], lo, hi)
		}
	}
}
