package stats

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TQuantile returns the p quantile of Student's t distribution with df
// degrees of freedom (df need not be whole: Welch's interval uses a
// fractional df). It is NaN for df < 1, where the intervals of this
// package are undefined.
func TQuantile(p, df float64) float64 {
	if !(df >= 1) {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// t975 is the two-sided 95% critical value of Student's t. Whole df below
// len(t975Memo) are computed once per process (the quantile is a pure
// function; every Summarize of a table with n replications asks for df =
// n - 1, and gonum's inverse incomplete beta is most of its cost).
func t975(df float64) float64 {
	if k := int(df); float64(k) == df && k >= 1 && k < len(t975Memo) {
		if b := t975Memo[k].Load(); b != 0 {
			return math.Float64frombits(b)
		}
		v := TQuantile(0.975, df)
		t975Memo[k].Store(math.Float64bits(v))
		return v
	}
	return TQuantile(0.975, df)
}

// t975Memo[k] holds the bits of t975(k), or 0 before its first use.
var t975Memo [1 << 14]atomic.Uint64

// Quantile returns the p quantile of sorted (in increasing order) by
// linear interpolation between order statistics: Hyndman and Fan's type 7,
// the default of R and NumPy. With h = p(n-1) it is
// sorted[⌊h⌋] + (h-⌊h⌋)(sorted[⌊h⌋+1]-sorted[⌊h⌋]). It is NaN for no data.
//
// Summarize's quantiles are gonum's stat.Empirical (type 1: an order
// statistic, no interpolation) instead, as timeseries.csv documents.
func Quantile(p float64, sorted []float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := p * float64(n-1)
	i := int(math.Floor(h))
	if i >= n-1 {
		return sorted[n-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

// Summary is the distribution of one metric across replications.
type Summary struct {
	N                          int
	Mean, SD, SE               float64 // sample mean, standard deviation (n-1), standard error SD/√N
	CILo, CIHi                 float64 // 95% Student-t interval of the mean
	Median, P05, P25, P75, P95 float64 // empirical quantiles (gonum stat.Empirical)
}

// Summarize computes the summary of x. scratch (len(x) or more) receives a
// sorted copy. With one value, SD, SE and the interval are NaN: undefined,
// not zero; with none, every field but N is NaN. The mean is gonum's
// stat.Mean, whose vectorised sum adds in an order of its own.
func Summarize(x, scratch []float64) Summary {
	if len(x) == 0 {
		return summarize(x, scratch, 0)
	}
	return summarize(x, scratch, stat.Mean(x, nil))
}

// SummarizeInOrder is Summarize with the mean of MeanInOrder, the same bits
// on every platform: the calibration's objective reads it, so that a
// search reproduces its committed result byte for byte.
func SummarizeInOrder(x, scratch []float64) Summary {
	return summarize(x, scratch, MeanInOrder(x))
}

// MeanInOrder is the mean of x summed in index order, (x[0] + x[1] + ...)
// / n, so that its bits do not depend on a vectorised sum's order of
// additions; NaN for no data.
func MeanInOrder(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for _, v := range x {
		sum += v
	}
	return sum / float64(len(x))
}

// summarize is Summarize with the mean of x given.
func summarize(x, scratch []float64, mean float64) Summary {
	n := len(x)
	s := Summary{N: n}
	if n == 0 {
		nan := math.NaN()
		return Summary{Mean: nan, SD: nan, SE: nan, CILo: nan, CIHi: nan, Median: nan, P05: nan, P25: nan, P75: nan, P95: nan}
	}
	sorted := scratch[:n]
	copy(sorted, x)
	slices.Sort(sorted)
	s.Mean = mean
	if n > 1 {
		s.SD = stat.StdDev(x, nil)
		s.SE = stat.StdErr(s.SD, float64(n))
		h := t975(float64(n-1)) * s.SE
		s.CILo, s.CIHi = s.Mean-h, s.Mean+h
	} else {
		s.SD, s.SE, s.CILo, s.CIHi = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	q := func(p float64) float64 { return stat.Quantile(p, stat.Empirical, sorted, nil) }
	s.Median, s.P05, s.P25, s.P75, s.P95 = q(0.5), q(0.05), q(0.25), q(0.75), q(0.95)
	return s
}

// Paired compares arm with baseline replication by replication (common
// random numbers): d_r = arm_r − base_r.
type Paired struct {
	N                      int
	BaseMean, ArmMean      float64
	BaseSD                 float64 // standard deviation of the baseline's values (n-1): the scale of a standardized effect
	Diff, DiffSD           float64 // mean and standard deviation of the paired differences
	PairedLo, PairedHi     float64 // 95% Student-t interval of the mean difference
	BootLo, BootHi         float64 // 95% bootstrap percentile interval
	UnpairedLo, UnpairedHi float64 // 95% Welch interval ignoring the pairing
	PairingGain            float64 // unpaired width / paired width
}

// BootstrapResamples is the number of bootstrap resamples of each paired
// difference.
const BootstrapResamples = 2000

// ComparePaired computes the paired comparison of arm against base (same
// length, same replication order). rng seeds the bootstrap's index draws
// (n uniform indices per resample from an Indices seeded by four values of
// rng; none when every difference is the same, where every resample's
// mean is that of n copies); scratch must hold 2*len(base) +
// BootstrapResamples values. With fewer than two pairs only the means are
// defined; the rest is NaN.
func ComparePaired(base, arm []float64, rng *rand.Rand, scratch []float64) Paired {
	n := len(base)
	nan := math.NaN()
	p := Paired{N: n, PairedLo: nan, PairedHi: nan, BootLo: nan, BootHi: nan, UnpairedLo: nan, UnpairedHi: nan, PairingGain: nan, DiffSD: nan, BaseSD: nan}
	if n == 0 {
		p.BaseMean, p.ArmMean, p.Diff = nan, nan, nan
		return p
	}
	d := scratch[:n]
	for i := range d {
		d[i] = arm[i] - base[i]
	}
	p.BaseMean = stat.Mean(base, nil)
	p.ArmMean = stat.Mean(arm, nil)
	p.Diff = stat.Mean(d, nil)
	if n < 2 {
		return p
	}
	p.DiffSD = stat.StdDev(d, nil)
	p.BaseSD = stat.StdDev(base, nil)
	h := t975(float64(n-1)) * p.DiffSD / math.Sqrt(float64(n))
	p.PairedLo, p.PairedHi = p.Diff-h, p.Diff+h

	// Bootstrap percentile interval of the mean difference.
	boots := scratch[n : n+BootstrapResamples]
	if allEqual(d) {
		// every resample is n copies of the one difference, summed alike
		sum := 0.0
		for range n {
			sum += d[0]
		}
		for b := range boots {
			boots[b] = sum / float64(n)
		}
	} else {
		ix := indicesPool.Get().(*Indices) // reseeded: its state before is not read
		ix.Seed(rng)
		if cap(ix.scratch) < n {
			ix.scratch = make([]int32, n)
		}
		idx := ix.scratch[:n]
		for b := range boots {
			ix.Fill(idx, n)
			sum := 0.0
			for _, k := range idx {
				sum += d[k]
			}
			boots[b] = sum / float64(n)
		}
		indicesPool.Put(ix)
	}
	slices.Sort(boots)
	p.BootLo = stat.Quantile(0.025, stat.Empirical, boots, nil)
	p.BootHi = stat.Quantile(0.975, stat.Empirical, boots, nil)

	// Welch's unpaired interval.
	vb := stat.Variance(base, nil) / float64(n)
	va := stat.Variance(arm, nil) / float64(n)
	se := math.Sqrt(va + vb)
	if se > 0 {
		df := (va + vb) * (va + vb) / (va*va/float64(n-1) + vb*vb/float64(n-1))
		hu := t975(df) * se
		p.UnpairedLo, p.UnpairedHi = p.Diff-hu, p.Diff+hu
		if h > 0 {
			p.PairingGain = hu / h
		}
	} else {
		p.UnpairedLo, p.UnpairedHi = p.Diff, p.Diff
	}
	return p
}

// Indices draws uniform indices in [0, n) for n < 2^32, two from each
// value of its own ChaCha8 generator (the value's high 32 bits, then its
// low 32 bits), each by Lemire's multiply-and-shift with rejection
// (Lemire 2019), so exactly uniform. Seed seeds the generator from four
// values of a stream. The bootstrap's resampling calls IntN n times per
// resample: a concrete generator and half the generator's work of
// rand.Rand.IntN, which takes a 64-bit value through an interface per
// index. The zero value is not seeded: call Seed first.
type Indices struct {
	src     rand.ChaCha8
	buf     uint32 // the low half of the last value, if half
	half    bool
	scratch []int32 // ComparePaired's indices of a resample
}

// Seed seeds x's generator from four values of rng.
func (x *Indices) Seed(rng *rand.Rand) {
	var seed [32]byte
	for k := range 4 {
		binary.LittleEndian.PutUint64(seed[8*k:], rng.Uint64())
	}
	x.src.Seed(seed)
	x.half = false
}

// IntN returns a uniform index in [0, n); it panics if n <= 0 or n >= 2^32.
// Its common path (no rejection) is small enough to inline.
func (x *Indices) IntN(n int) int {
	if uint64(n-1) >= 1<<32-1 {
		panic("stats.Indices.IntN: n outside (0, 2^32)")
	}
	m := uint64(x.next()) * uint64(uint32(n))
	if uint32(m) < uint32(n) {
		return x.reject(uint32(n), m)
	}
	return int(m >> 32)
}

// reject finishes IntN when the low half of m = bits·n is below n: values
// below (2^32 - n) mod n are rejected and drawn again.
func (x *Indices) reject(un uint32, m uint64) int {
	t := -un % un // (2^32 - n) mod n
	for uint32(m) < t {
		m = uint64(x.next()) * uint64(un)
	}
	return int(m >> 32)
}

// Fill writes len(dst) indices in [0, n) into dst, the ones len(dst) calls
// of IntN would return, in one loop (the bootstrap's resamples: no call
// per index). It panics if n <= 0 or n >= 2^32.
func (x *Indices) Fill(dst []int32, n int) {
	if uint64(n-1) >= 1<<32-1 || n > math.MaxInt32 {
		panic("stats.Indices.Fill: n outside (0, 2^31)")
	}
	un := uint32(n)
	src := &x.src
	buf, half := x.buf, x.half
	for i := range dst {
		var bits uint32
		if half {
			bits, half = buf, false
		} else {
			v := src.Uint64()
			bits, buf, half = uint32(v>>32), uint32(v), true
		}
		m := uint64(bits) * uint64(un)
		if uint32(m) < un {
			// the rare rejection: IntN's own path, on the state so far
			x.buf, x.half = buf, half
			m = uint64(x.reject(un, m)) << 32
			buf, half = x.buf, x.half
		}
		dst[i] = int32(m >> 32)
	}
	x.buf, x.half = buf, half
}

// next returns the next 32 random bits.
func (x *Indices) next() uint32 {
	if x.half {
		x.half = false
		return x.buf
	}
	v := x.src.Uint64()
	x.buf, x.half = uint32(v), true
	return uint32(v >> 32)
}

// indicesPool keeps the bootstraps' generators (a ChaCha8 state each), so
// that ComparePaired allocates nothing in steady state.
var indicesPool = sync.Pool{New: func() any { return new(Indices) }}

// allEqual reports whether every value of d is d[0] (false for a NaN).
func allEqual(d []float64) bool {
	for _, v := range d {
		if v != d[0] {
			return false
		}
	}
	return true
}
