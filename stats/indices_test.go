package stats_test

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"frontiersim/stats"
)

// Indices draws exactly uniform indices: over 7e5 draws the counts of each
// of n = 7 and n = 1000 values pass a chi-square test at the 0.1% level,
// and n = 3·2^30 (where a quarter of the 32-bit halves are rejected)
// keeps every index below n with its top quarter as often as the others
// (within 5 standard errors). Its indices are those of a ChaCha8 seeded by
// four values of the stream, two per value (high half, then low half, by
// multiply-and-shift): the same seed gives the same indices.
func TestIndicesUniform(t *testing.T) {
	for _, tc := range []struct {
		n    int
		crit float64 // chi-square 99.9% quantile, n-1 degrees of freedom
	}{{7, 22.46}, {1000, 1143.9}} {
		var ix stats.Indices
		ix.Seed(rand.New(rand.NewPCG(1, 2)))
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
	var ix stats.Indices
	ix.Seed(rand.New(rand.NewPCG(5, 6)))
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
	// the reference: the same ChaCha8, two multiply-and-shift indices per
	// value (n = 1000 rejects a 32-bit half with probability 296/2^32:
	// none in these draws)
	var a stats.Indices
	a.Seed(rand.New(rand.NewPCG(9, 9)))
	seedRng := rand.New(rand.NewPCG(9, 9))
	var seed [32]byte
	for k := range 4 {
		binary.LittleEndian.PutUint64(seed[8*k:], seedRng.Uint64())
	}
	ref := rand.NewChaCha8(seed)
	for i := range 500 {
		v := ref.Uint64()
		hi, lo := int(uint64(uint32(v>>32))*1000>>32), int(uint64(uint32(v))*1000>>32)
		if g1, g2 := a.IntN(1000), a.IntN(1000); g1 != hi || g2 != lo {
			t.Fatalf("value %d: indices %d, %d, want %d, %d", i, g1, g2, hi, lo)
		}
	}
}

// Fill writes the indices that as many calls of IntN return, through the
// rare rejections too (n = 3·2^29 rejects a quarter of the 32-bit halves).
func TestIndicesFillIsIntN(t *testing.T) {
	for _, n := range []int{1000, 3 << 29} {
		var a, b stats.Indices
		a.Seed(rand.New(rand.NewPCG(3, uint64(n))))
		b.Seed(rand.New(rand.NewPCG(3, uint64(n))))
		got := make([]int32, 999) // odd: the next call starts on a low half
		for round := range 3 {
			a.Fill(got, n)
			for i, g := range got {
				if w := b.IntN(n); int(g) != w {
					t.Fatalf("n=%d, round %d, index %d: Fill %d, IntN %d", n, round, i, g, w)
				}
			}
		}
	}
}

// ComparePaired's bootstrap allocates nothing, and with every paired
// difference the same its interval is that difference's n-fold mean
// without a draw.
func TestComparePairedBootstrapNoAlloc(t *testing.T) {
	base := []float64{1, 2, 3, 4, 5, 6}
	arm := []float64{1.5, 2.1, 3.9, 4, 5.2, 6.8}
	scratch := make([]float64, 2*len(base)+stats.BootstrapResamples)
	rng := rand.New(rand.NewPCG(1, 1))
	if n := testing.AllocsPerRun(20, func() { stats.ComparePaired(base, arm, rng, scratch) }); n != 0 {
		t.Errorf("ComparePaired: %v allocations per call", n)
	}
	same := []float64{1.5, 2.5, 3.5, 4.5, 5.5, 6.5} // differences exactly 0.5
	p := stats.ComparePaired(base, same, rng, scratch)
	if p.BootLo != 0.5 || p.BootHi != 0.5 {
		t.Errorf("equal differences: bootstrap [%v, %v], want [0.5, 0.5]", p.BootLo, p.BootHi)
	}
}

// BenchmarkComparePaired1000 is one comparison row of a 1,000-replication
// experiment (2,000 bootstrap resamples of 1,000 indices).
func BenchmarkComparePaired1000(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	base, arm := make([]float64, 1000), make([]float64, 1000)
	for i := range base {
		base[i], arm[i] = r.NormFloat64(), r.NormFloat64()
	}
	scratch := make([]float64, 2*len(base)+stats.BootstrapResamples)
	b.ReportAllocs()
	for b.Loop() {
		stats.ComparePaired(base, arm, r, scratch)
	}
}
