package stats_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"frontiersim/stats"
)

// Indices draws exactly uniform indices: over 7e5 draws the counts of each
// of n = 7 and n = 1000 values pass a chi-square test at the 0.1% level,
// and n = 3·2^30 (where a quarter of the 32-bit draws are rejected) keeps
// every index below n with its top quarter as often as the others (within
// 5 standard errors). Two draws come from each Uint64: the same seed gives
// the same indices, and 2m indices use m values of the generator.
func TestIndicesUniform(t *testing.T) {
	for _, tc := range []struct {
		n    int
		crit float64 // chi-square 99.9% quantile, n-1 degrees of freedom
	}{{7, 22.46}, {1000, 1143.9}} {
		ix := stats.Indices{Rand: rand.New(rand.NewPCG(1, 2))}
		const draws = 700000
		counts := make([]float64, tc.n)
		for range draws {
			counts[ix.IntN(tc.n)]++
		}
		e := float64(draws) / float64(tc.n)
		chi := 0.0
		for _, c := range counts {
			chi += (c - e) * (c - e) / e
		}
		if chi > tc.crit {
			t.Errorf("n=%d: chi-square %.1f above %.1f", tc.n, chi, tc.crit)
		}
	}
	const big = 3 << 30
	ix := stats.Indices{Rand: rand.New(rand.NewPCG(5, 6))}
	var q [4]float64
	const draws = 400000
	for range draws {
		v := ix.IntN(big)
		if v < 0 || v >= big {
			t.Fatalf("index %d outside [0,%d)", v, big)
		}
		q[v/(big/4)]++
	}
	se := math.Sqrt(draws * 0.25 * 0.75)
	for i, c := range q {
		if math.Abs(c-draws/4) > 5*se {
			t.Errorf("n=3·2^30: quarter %d drawn %v times, want %v ± %.0f", i, c, draws/4, 5*se)
		}
	}
	a := stats.Indices{Rand: rand.New(rand.NewPCG(9, 9))}
	b := stats.Indices{Rand: rand.New(rand.NewPCG(9, 9))}
	src := rand.New(rand.NewPCG(9, 9))
	for range 1000 {
		if a.IntN(1000) != b.IntN(1000) {
			t.Fatal("same seed, different indices")
		}
	}
	for range 500 {
		src.Uint64()
	}
	if a.Rand.Uint64() != src.Uint64() {
		t.Error("1000 indices did not use 500 draws of the generator")
	}
}
