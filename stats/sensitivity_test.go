package stats_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"frontiersim/design"
	"frontiersim/stats"
)

// run evaluates f on every point scaled from [0, 1) to [lo, hi) in every
// dimension.
func run(pts [][]float64, lo, hi float64, f func(x []float64) float64) []float64 {
	y := make([]float64, len(pts))
	x := make([]float64, 0, 8)
	for r, p := range pts {
		x = x[:0]
		for _, u := range p {
			x = append(x, design.Scale(u, lo, hi))
		}
		y[r] = f(x)
	}
	return y
}

// Ishigami's function (T. Ishigami and T. Homma, 1990) on [-π, π]³ with its
// closed-form partial variances (Saltelli et al. 2010, §5; Sobol' and
// Levitan 1999): V_1 = (1 + bπ⁴/5)²/2, V_2 = a²/8, V_13 = 8b²π⁸/225, the
// rest zero, V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2.
const ishigamiA, ishigamiB = 7, 0.1

func ishigami(x []float64) float64 {
	s := math.Sin(x[1])
	return math.Sin(x[0]) + ishigamiA*s*s + ishigamiB*math.Pow(x[2], 4)*math.Sin(x[0])
}

func ishigamiIndices() (first, total []float64) {
	a, b, pi4 := float64(ishigamiA), ishigamiB, math.Pow(math.Pi, 4)
	v1 := (1 + b*pi4/5) * (1 + b*pi4/5) / 2
	v2 := a * a / 8
	v13 := 8 * b * b * pi4 * pi4 / 225
	v := a*a/8 + b*pi4/5 + b*b*pi4*pi4/18 + 0.5
	return []float64{v1 / v, v2 / v, 0}, []float64{(v1 + v13) / v, v2 / v, v13 / v}
}

// TestSobolIndicesIshigami is the acceptance test of the estimators: at
// N = 2^13 every index of Ishigami's function is within 0.01 of its
// analytic value (S = 0.3139, 0.4424, 0; S_T = 0.5576, 0.4424, 0.2437).
func TestSobolIndicesIshigami(t *testing.T) {
	first, total := ishigamiIndices()
	for i, w := range [][2]float64{{0.3139, 0.5576}, {0.4424, 0.4424}, {0, 0.2437}} {
		if math.Abs(first[i]-w[0]) > 5e-5 || math.Abs(total[i]-w[1]) > 5e-5 {
			t.Fatalf("closed form of factor %d: S %.5f S_T %.5f, the literature's %v", i+1, first[i], total[i], w)
		}
	}
	const n = 1 << 13
	pts, err := design.Saltelli(n, 3)
	if err != nil {
		t.Fatal(err)
	}
	s, err := stats.SobolIndices(run(pts, -math.Pi, math.Pi, ishigami), 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		t.Logf("x%d: S %.4f (%.4f), S_T %.4f (%.4f)", i+1, s.First[i], first[i], s.Total[i], total[i])
		if math.Abs(s.First[i]-first[i]) > 0.01 {
			t.Errorf("x%d: S = %.4f, analytic %.4f", i+1, s.First[i], first[i])
		}
		if math.Abs(s.Total[i]-total[i]) > 0.01 {
			t.Errorf("x%d: S_T = %.4f, analytic %.4f", i+1, s.Total[i], total[i])
		}
		if !math.IsNaN(s.FirstLo[i]) || s.Resamples != 0 {
			t.Errorf("x%d: an interval without a bootstrap", i+1)
		}
	}
	if v := ishigamiA*ishigamiA/8.0 + ishigamiB*math.Pow(math.Pi, 4)/5 + ishigamiB*ishigamiB*math.Pow(math.Pi, 8)/18 + 0.5; math.Abs(s.Variance-v) > 0.02*v || math.Abs(s.Mean-ishigamiA/2.0) > 0.05 {
		t.Errorf("mean %.4f, variance %.4f; want %.4f and %.4f", s.Mean, s.Variance, ishigamiA/2.0, v)
	}
}

// TestSobolIndicesModels checks models with closed-form indices on [0, 1)^d
// (uniform factors, Var X = 1/12): an additive model (S_i = S_Ti =
// c_i²/Σc²), a pure interaction x_1 x_2 of centred factors (S = 0,
// S_T = 1) and a factor that does nothing.
func TestSobolIndicesModels(t *testing.T) {
	for _, c := range []struct {
		name         string
		d            int
		f            func(x []float64) float64
		first, total []float64
	}{
		{"additive", 3, func(x []float64) float64 { return x[0] + 2*x[1] + 3*x[2] },
			[]float64{1. / 14, 4. / 14, 9. / 14}, []float64{1. / 14, 4. / 14, 9. / 14}},
		{"interaction", 2, func(x []float64) float64 { return (x[0] - 0.5) * (x[1] - 0.5) },
			[]float64{0, 0}, []float64{1, 1}},
		{"one inert factor", 3, func(x []float64) float64 { return x[0]*x[0] + x[2] },
			// V(x²) = 1/5 - 1/9 = 4/45, V(x) = 1/12.
			[]float64{(4. / 45) / (4./45 + 1./12), 0, (1. / 12) / (4./45 + 1./12)},
			[]float64{(4. / 45) / (4./45 + 1./12), 0, (1. / 12) / (4./45 + 1./12)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			pts, err := design.Saltelli(1<<12, c.d)
			if err != nil {
				t.Fatal(err)
			}
			s, err := stats.SobolIndices(run(pts, 0, 1, c.f), c.d)
			if err != nil {
				t.Fatal(err)
			}
			for i := range c.d {
				if math.Abs(s.First[i]-c.first[i]) > 0.01 || math.Abs(s.Total[i]-c.total[i]) > 0.01 {
					t.Errorf("factor %d: S %.4f S_T %.4f, want %.4f and %.4f", i, s.First[i], s.Total[i], c.first[i], c.total[i])
				}
			}
		})
	}
}

// TestSobolIndicesByHand: one factor, two base points, the sums of the
// estimators written out.
func TestSobolIndicesByHand(t *testing.T) {
	// f(A) = 1, 3; f(B) = 2, 6; f(AB_0) = 2, 5.
	y := []float64{1, 3, 2, 6, 2, 5}
	s, err := stats.SobolIndices(y, 1)
	if err != nil {
		t.Fatal(err)
	}
	mean := (1 + 3 + 2 + 6) / 4.0                                                            // 3
	v := ((1-mean)*(1-mean) + (3-mean)*(3-mean) + (2-mean)*(2-mean) + (6-mean)*(6-mean)) / 4 // 3.5
	first := (2*(2-1) + 6*(5-3)) / 2.0 / v                                                   // 7 / 3.5
	total := ((1-2)*(1-2) + (3-5)*(3-5)) / 4.0 / v                                           // 1.25 / 3.5
	if s.N != 2 || s.Mean != mean || s.Variance != v || s.First[0] != first || s.Total[0] != total {
		t.Errorf("got N %d mean %v V %v S %v S_T %v; want 2, %v, %v, %v, %v", s.N, s.Mean, s.Variance, s.First[0], s.Total[0], mean, v, first, total)
	}
}

func TestSobolIndicesUndefined(t *testing.T) {
	s, err := stats.SobolIndices([]float64{4, 4, 4, 4, 4, 4, 4, 4}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if s.Variance != 0 || !math.IsNaN(s.First[0]) || !math.IsNaN(s.Total[1]) {
		t.Errorf("constant output: V %v, S %v, S_T %v; want 0 and NaN", s.Variance, s.First, s.Total)
	}
	b, err := stats.SobolIndicesBootstrap([]float64{4, 4, 4, 4, 4, 4, 4, 4}, 2, 10, rand.New(rand.NewPCG(1, 1)))
	if err != nil || !math.IsNaN(b.FirstLo[0]) || !math.IsNaN(b.TotalHi[1]) {
		t.Errorf("constant output, bootstrap: intervals %v %v, error %v; want NaN", b.FirstLo, b.TotalHi, err)
	}
	for _, c := range []struct {
		name string
		n, d int
	}{{"no factor", 6, 0}, {"no output", 0, 2}, {"not (d+2)n outputs", 7, 2}} {
		if _, err := stats.SobolIndices(make([]float64, c.n), c.d); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if _, err := stats.SobolIndicesBootstrap(make([]float64, 8), 2, 0, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("no resample: no error")
	}
}

// TestSobolIndicesBootstrap: the point estimates are SobolIndices', the
// intervals hold them and, at N = 2^10, the analytic indices of Ishigami's
// function; the same stream gives the same intervals and a larger design
// narrower ones.
func TestSobolIndicesBootstrap(t *testing.T) {
	first, total := ishigamiIndices()
	widths := map[int]float64{}
	for _, n := range []int{1 << 10, 1 << 12} {
		pts, err := design.Saltelli(n, 3)
		if err != nil {
			t.Fatal(err)
		}
		y := run(pts, -math.Pi, math.Pi, ishigami)
		point, err := stats.SobolIndices(y, 3)
		if err != nil {
			t.Fatal(err)
		}
		s, err := stats.SobolIndicesBootstrap(y, 3, 500, rand.New(rand.NewPCG(5, 6)))
		if err != nil {
			t.Fatal(err)
		}
		again, _ := stats.SobolIndicesBootstrap(y, 3, 500, rand.New(rand.NewPCG(5, 6)))
		if !slices.Equal(s.FirstLo, again.FirstLo) || !slices.Equal(s.TotalHi, again.TotalHi) {
			t.Error("the same stream gave other intervals")
		}
		if s.Resamples != 500 || !slices.Equal(s.First, point.First) || !slices.Equal(s.Total, point.Total) {
			t.Errorf("bootstrap changed the point estimates or lost its resamples (%d)", s.Resamples)
		}
		for i := range 3 {
			for _, c := range []struct {
				what              string
				lo, est, hi, want float64
			}{
				{"S", s.FirstLo[i], s.First[i], s.FirstHi[i], first[i]},
				{"S_T", s.TotalLo[i], s.Total[i], s.TotalHi[i], total[i]},
			} {
				if !(c.lo <= c.est && c.est <= c.hi) || (n == 1<<10 && !(c.lo <= c.want && c.want <= c.hi)) {
					t.Errorf("n %d, x%d: %s %.4f, interval [%.4f, %.4f], analytic %.4f", n, i+1, c.what, c.est, c.lo, c.hi, c.want)
				}
				widths[n] += c.hi - c.lo
			}
		}
	}
	if !(widths[1<<12] < widths[1<<10]) {
		t.Errorf("total interval width %.4f at 2^12, %.4f at 2^10", widths[1<<12], widths[1<<10])
	}
}

// gFunction is Sobol's G-function, Π_i (|4x_i - 2| + a_i)/(1 + a_i) on
// [0, 1]^k: the smaller a_i, the more important x_i (its first-order
// partial variance is (1/3)/(1 + a_i)², Saltelli et al. 2010, §5).
func gFunction(a []float64) func(x []float64) float64 {
	return func(x []float64) float64 {
		g := 1.0
		for i, ai := range a {
			g *= (math.Abs(4*x[i]-2) + ai) / (1 + ai)
		}
		return g
	}
}

// TestElementaryEffectsGFunction is the acceptance test of Morris's
// method: on the G-function with a = (0, 1, 4.5, 9, 99, 99, 99, 99), μ*
// ranks the factors by a, the four of a = 99 tied at the bottom: within 20%
// of one another, and each below a fifth of the next factor's. (With 200
// trajectories the largest of the four is at most 1.16 times the smallest
// over the first 50 seeds of the source; the order holds for all of them.)
func TestElementaryEffectsGFunction(t *testing.T) {
	a := []float64{0, 1, 4.5, 9, 99, 99, 99, 99}
	k := len(a)
	pts, err := design.Morris(200, k, 4, rand.NewChaCha8([32]byte{24}))
	if err != nil {
		t.Fatal(err)
	}
	m, err := stats.ElementaryEffects(pts, run(pts, 0, 1, gFunction(a)), k)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("μ* %.4f\nσ  %.4f", m.MuStar, m.Sigma)
	for i := 1; i < 4; i++ {
		if !(m.MuStar[i-1] > m.MuStar[i]) {
			t.Errorf("μ*: factor %d (a = %g) %.4f, not above factor %d (a = %g) %.4f", i-1, a[i-1], m.MuStar[i-1], i, a[i], m.MuStar[i])
		}
	}
	bottom := m.MuStar[4:]
	lo, hi := slices.Min(bottom), slices.Max(bottom)
	if hi > 1.2*lo || hi > m.MuStar[3]/5 {
		t.Errorf("μ* of the a = 99 factors %.4f: not tied (max/min %.3f) or not below a fifth of %.4f", bottom, hi/lo, m.MuStar[3])
	}
}

// TestElementaryEffectsLinear: on a linear function every elementary
// effect is its coefficient, whatever the trajectory: μ = c, μ* = |c|,
// σ = 0.
func TestElementaryEffectsLinear(t *testing.T) {
	c := []float64{2, -3, 0, 0.5}
	pts, err := design.Morris(12, len(c), 6, rand.NewPCG(7, 8))
	if err != nil {
		t.Fatal(err)
	}
	y := run(pts, 0, 1, func(x []float64) float64 {
		s := 1.0
		for i, ci := range c {
			s += ci * x[i]
		}
		return s
	})
	m, err := stats.ElementaryEffects(pts, y, len(c))
	if err != nil {
		t.Fatal(err)
	}
	if m.R != 12 || len(m.Effects) != 12 {
		t.Fatalf("%d trajectories, %d effect rows; want 12", m.R, len(m.Effects))
	}
	for i, ci := range c {
		if math.Abs(m.Mu[i]-ci) > 1e-12 || math.Abs(m.MuStar[i]-math.Abs(ci)) > 1e-12 || m.Sigma[i] > 1e-12 {
			t.Errorf("factor %d: μ %v μ* %v σ %v; want %v, %v, 0", i, m.Mu[i], m.MuStar[i], m.Sigma[i], ci, math.Abs(ci))
		}
	}
}

// TestElementaryEffectsByHand: one trajectory of two factors, written out;
// σ is undefined for one trajectory.
func TestElementaryEffectsByHand(t *testing.T) {
	pts := [][]float64{{0, 1}, {0, 0.5}, {0.5, 0.5}}
	m, err := stats.ElementaryEffects(pts, []float64{1, 2, 4}, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Factor 1 moves from 1 to 0.5: (2-1)/(0.5-1) = -2; factor 0 from 0 to
	// 0.5: (4-2)/0.5 = 4.
	if !slices.Equal(m.Effects[0], []float64{4, -2}) || !slices.Equal(m.Mu, []float64{4, -2}) || !slices.Equal(m.MuStar, []float64{4, 2}) || !math.IsNaN(m.Sigma[0]) {
		t.Errorf("effects %v μ %v μ* %v σ %v", m.Effects, m.Mu, m.MuStar, m.Sigma)
	}
}

func TestElementaryEffectsErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		pts  [][]float64
		y    []float64
		k    int
	}{
		{"no factor", [][]float64{{0}}, []float64{1}, 0},
		{"outputs missing", [][]float64{{0}, {1}}, []float64{1}, 1},
		{"not r(k+1) points", [][]float64{{0, 0}, {1, 0}}, []float64{1, 2}, 2},
		{"no move", [][]float64{{0}, {0}}, []float64{1, 2}, 1},
		{"two factors move", [][]float64{{0, 0}, {1, 1}, {1, 0}}, []float64{1, 2, 3}, 2},
		{"a factor moves twice", [][]float64{{0, 0}, {1, 0}, {0, 0}}, []float64{1, 2, 3}, 2},
		{"short point", [][]float64{{0, 0}, {1}, {1, 1}}, []float64{1, 2, 3}, 2},
	} {
		if _, err := stats.ElementaryEffects(c.pts, c.y, c.k); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func BenchmarkSobolIndices(b *testing.B) {
	const n, d = 1 << 13, 20
	pts, err := design.Saltelli(n, d)
	if err != nil {
		b.Fatal(err)
	}
	y := run(pts, 0, 1, gFunction([]float64{0, 1, 4.5, 9, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99}))
	b.Run("N=2^13,d=20", func(b *testing.B) {
		for b.Loop() {
			if _, err := stats.SobolIndices(y, d); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("N=2^13,d=20,bootstrap=100", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(1, 2))
		for b.Loop() {
			if _, err := stats.SobolIndicesBootstrap(y, d, 100, rng); err != nil {
				b.Fatal(err)
			}
		}
	})
}
