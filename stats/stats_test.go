package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// near reports whether got is within tol of want; NaN is near only NaN.
func near(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol
}

func TestTQuantile(t *testing.T) {
	// Known values of Student's t quantiles (six decimals, standard tables).
	for _, c := range []struct {
		name    string
		p, df   float64
		want    float64
		wantTol float64
	}{
		{"df1", 0.975, 1, 12.706205, 5e-6},
		{"df2", 0.975, 2, 4.302653, 5e-6},
		{"df3", 0.975, 3, 3.182446, 5e-6},
		{"df4", 0.975, 4, 2.776445, 5e-6},
		{"df5", 0.975, 5, 2.570582, 5e-6},
		{"df10", 0.975, 10, 2.228139, 5e-6},
		{"df20", 0.975, 20, 2.085963, 5e-6},
		{"df30", 0.975, 30, 2.042272, 5e-6},
		{"df100", 0.975, 100, 1.983972, 5e-6},
		{"normal limit", 0.975, 1e9, 1.959964, 5e-6},
		{"one-sided 95% df1", 0.95, 1, 6.313752, 5e-6},
		{"lower tail is symmetric", 0.025, 5, -2.570582, 5e-6},
		{"median", 0.5, 7, 0, 1e-12},
		{"fractional df", 0.975, 5.5, 2.5, 0.07}, // between df5 and df6 (2.446912)
		{"df below one", 0.975, 0.5, math.NaN(), 0},
		{"df zero", 0.975, 0, math.NaN(), 0},
		{"df NaN", 0.975, math.NaN(), math.NaN(), 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := TQuantile(c.p, c.df); !near(got, c.want, c.wantTol) {
				t.Errorf("TQuantile(%v, %v) = %v, want %v ± %v", c.p, c.df, got, c.want, c.wantTol)
			}
		})
	}
	if a, b := TQuantile(0.975, 5), TQuantile(0.975, 6); !(a > TQuantile(0.975, 5.5) && TQuantile(0.975, 5.5) > b) {
		t.Errorf("t(5.5) not between t(5) = %v and t(6) = %v", a, b)
	}
}

func TestQuantile(t *testing.T) {
	four := []float64{1, 2, 3, 4}
	for _, c := range []struct {
		name   string
		sorted []float64
		p      float64
		want   float64
	}{
		{"minimum", four, 0, 1},
		{"lower quartile", four, 0.25, 1.75}, // h = 0.75
		{"median of even n", four, 0.5, 2.5},
		{"p90", four, 0.9, 3.7}, // h = 2.7
		{"maximum", four, 1, 4},
		{"median of odd n", []float64{1, 5, 6}, 0.5, 5},
		{"one value", []float64{7}, 0.3, 7},
		{"no data", nil, 0.5, math.NaN()},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Quantile(c.p, c.sorted); !near(got, c.want, 1e-12) {
				t.Errorf("Quantile(%v, %v) = %v, want %v", c.p, c.sorted, got, c.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	nan := math.NaN()
	sd8 := math.Sqrt(32.0 / 7) // {2,4,4,4,5,5,7,9}: squared deviations from 5 sum to 32
	se8 := sd8 / math.Sqrt(8)
	for _, c := range []struct {
		name string
		x    []float64
		want Summary
	}{
		{"no values", nil, Summary{N: 0, Mean: nan, SD: nan, SE: nan, CILo: nan, CIHi: nan, Median: nan, P05: nan, P25: nan, P75: nan, P95: nan}},
		{"one value", []float64{3}, Summary{N: 1, Mean: 3, SD: nan, SE: nan, CILo: nan, CIHi: nan, Median: 3, P05: 3, P25: 3, P75: 3, P95: 3}},
		// Two values: SD √2, SE 1, the interval is the mean ± t(0.975, 1).
		{"two values", []float64{3, 1}, Summary{N: 2, Mean: 2, SD: math.Sqrt2, SE: 1, CILo: 2 - 12.706204736, CIHi: 2 + 12.706204736,
			Median: 1, P05: 1, P25: 1, P75: 3, P95: 3}},
		// Empirical quantiles are order statistics: the smallest x(i)
		// with i/n >= p.
		{"eight values", []float64{9, 4, 5, 2, 7, 4, 5, 4}, Summary{N: 8, Mean: 5, SD: sd8, SE: se8,
			CILo: 5 - 2.364624251*se8, CIHi: 5 + 2.364624251*se8, Median: 4, P05: 2, P25: 4, P75: 5, P95: 9}},
		{"constant", []float64{1.5, 1.5, 1.5}, Summary{N: 3, Mean: 1.5, SD: 0, SE: 0, CILo: 1.5, CIHi: 1.5,
			Median: 1.5, P05: 1.5, P25: 1.5, P75: 1.5, P95: 1.5}},
	} {
		for _, f := range []struct {
			name      string
			summarize func(x, scratch []float64) Summary
		}{{"Summarize", Summarize}, {"SummarizeInOrder", SummarizeInOrder}} {
			t.Run(f.name+"/"+c.name, func(t *testing.T) { checkSummary(t, f.summarize, c.x, c.want) })
		}
	}
}

// checkSummary compares summarize(x) with want, field by field.
func checkSummary(t *testing.T, summarize func(x, scratch []float64) Summary, in []float64, want Summary) {
	t.Helper()
	x := append([]float64(nil), in...)
	got := summarize(x, make([]float64, len(x)))
	if got.N != want.N {
		t.Errorf("N = %d, want %d", got.N, want.N)
	}
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"Mean", got.Mean, want.Mean}, {"SD", got.SD, want.SD}, {"SE", got.SE, want.SE},
		{"CILo", got.CILo, want.CILo}, {"CIHi", got.CIHi, want.CIHi},
		{"Median", got.Median, want.Median}, {"P05", got.P05, want.P05}, {"P25", got.P25, want.P25},
		{"P75", got.P75, want.P75}, {"P95", got.P95, want.P95},
	} {
		if !near(f.got, f.want, 1e-8) {
			t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
		}
	}
	for i := range x {
		if x[i] != in[i] {
			t.Fatalf("the summary reordered its input: %v, was %v", x, in)
		}
	}
}

// cancelling is a sum whose value depends on the order of additions: in
// index order 1e16 + 1 rounds to 1e16 (ties to even), the -1e16 cancels it
// and the last 1 remains (sum 1); pairing x[0] with x[2] and x[1] with x[3],
// as a two-lane vectorised sum does, gives 2.
var cancelling = []float64{1e16, 1, -1e16, 1}

func TestMeanInOrder(t *testing.T) {
	for _, c := range []struct {
		name string
		x    []float64
		want float64
	}{
		{"no values", nil, math.NaN()},
		{"one value", []float64{-2.5}, -2.5},
		{"whole numbers", []float64{2, 4, 4, 4, 5, 5, 7, 9}, 5},
		// (0.1 + 0.2) + 0.3 = 0.6000000000000001, not 0.1 + (0.2 + 0.3) = 0.6.
		{"left to right", []float64{0.1, 0.2, 0.3}, 0.6000000000000001 / 3},
		{"cancelling", cancelling, 0.25},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := MeanInOrder(c.x)
			if got != c.want && !(math.IsNaN(got) && math.IsNaN(c.want)) {
				t.Errorf("MeanInOrder(%v) = %v, want %v (bit for bit)", c.x, got, c.want)
			}
		})
	}
}

// TestSummarizeInOrder: the in-order summary differs from Summarize only by
// its mean, the interval being centred on it.
func TestSummarizeInOrder(t *testing.T) {
	x := cancelling
	sd := Summarize(x, make([]float64, len(x))).SD
	se := sd / 2
	h := TQuantile(0.975, 3) * se
	checkSummary(t, SummarizeInOrder, x, Summary{N: 4, Mean: 0.25, SD: sd, SE: se, CILo: 0.25 - h, CIHi: 0.25 + h,
		Median: 1, P05: -1e16, P25: -1e16, P75: 1, P95: 1e16})
	if got := SummarizeInOrder(x, make([]float64, len(x))).Mean; got != 0.25 {
		t.Errorf("SummarizeInOrder mean %v, want 0.25 bit for bit", got)
	}
}

func TestComparePaired(t *testing.T) {
	nan := math.NaN()
	// The pairs share a large common component (10, 20, 30, 40) that the
	// differences (1, 3, 1, 3) cancel: mean 2, variance 4/3.
	base := []float64{10, 20, 30, 40}
	arm := []float64{11, 23, 31, 43}
	hPaired := TQuantile(0.975, 3) * math.Sqrt(4.0/3) / 2
	// Unpaired: the variances of base (500/3) and arm (544/3), each over n.
	vb, va := 500.0/3/4, 544.0/3/4
	df := (va + vb) * (va + vb) / ((va*va + vb*vb) / 3)
	hUnpaired := TQuantile(0.975, df) * math.Sqrt(va+vb)
	// Constant differences: a zero-width paired interval; unpaired df 4.
	hConst := TQuantile(0.975, 4) * math.Sqrt(2.0/3)

	for _, c := range []struct {
		name      string
		base, arm []float64
		want      Paired
		bootIn    [2]float64 // the bootstrap interval lies in [lo, hi]
	}{
		{"pairing removes the common component", base, arm, Paired{N: 4, BaseMean: 25, ArmMean: 27, BaseSD: math.Sqrt(500.0 / 3), Diff: 2, DiffSD: math.Sqrt(4.0 / 3),
			PairedLo: 2 - hPaired, PairedHi: 2 + hPaired, UnpairedLo: 2 - hUnpaired, UnpairedHi: 2 + hUnpaired,
			PairingGain: hUnpaired / hPaired}, [2]float64{1, 3}},
		{"constant difference", []float64{1, 2, 3}, []float64{3, 4, 5}, Paired{N: 3, BaseMean: 2, ArmMean: 4, BaseSD: 1, Diff: 2, DiffSD: 0,
			PairedLo: 2, PairedHi: 2, UnpairedLo: 2 - hConst, UnpairedHi: 2 + hConst, PairingGain: nan}, [2]float64{2, 2}},
		{"no variation at all", []float64{1, 1}, []float64{2, 2}, Paired{N: 2, BaseMean: 1, ArmMean: 2, BaseSD: 0, Diff: 1, DiffSD: 0,
			PairedLo: 1, PairedHi: 1, UnpairedLo: 1, UnpairedHi: 1, PairingGain: nan}, [2]float64{1, 1}},
		{"one pair", []float64{1}, []float64{4}, Paired{N: 1, BaseMean: 1, ArmMean: 4, BaseSD: nan, Diff: 3, DiffSD: nan,
			PairedLo: nan, PairedHi: nan, UnpairedLo: nan, UnpairedHi: nan, PairingGain: nan}, [2]float64{nan, nan}},
		{"no pairs", nil, nil, Paired{N: 0, BaseMean: nan, ArmMean: nan, BaseSD: nan, Diff: nan, DiffSD: nan,
			PairedLo: nan, PairedHi: nan, UnpairedLo: nan, UnpairedHi: nan, PairingGain: nan}, [2]float64{nan, nan}},
	} {
		t.Run(c.name, func(t *testing.T) {
			scratch := make([]float64, 2*len(c.base)+BootstrapResamples)
			got := ComparePaired(c.base, c.arm, rand.New(rand.NewPCG(1, 2)), scratch)
			if got.N != c.want.N {
				t.Errorf("N = %d, want %d", got.N, c.want.N)
			}
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"BaseMean", got.BaseMean, c.want.BaseMean}, {"ArmMean", got.ArmMean, c.want.ArmMean},
				{"BaseSD", got.BaseSD, c.want.BaseSD}, {"Diff", got.Diff, c.want.Diff}, {"DiffSD", got.DiffSD, c.want.DiffSD},
				{"PairedLo", got.PairedLo, c.want.PairedLo}, {"PairedHi", got.PairedHi, c.want.PairedHi},
				{"UnpairedLo", got.UnpairedLo, c.want.UnpairedLo}, {"UnpairedHi", got.UnpairedHi, c.want.UnpairedHi},
				{"PairingGain", got.PairingGain, c.want.PairingGain},
			} {
				if !near(f.got, f.want, 1e-9) {
					t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
				}
			}
			lo, hi := c.bootIn[0], c.bootIn[1]
			if math.IsNaN(lo) {
				if !math.IsNaN(got.BootLo) || !math.IsNaN(got.BootHi) {
					t.Errorf("bootstrap interval [%v, %v], want NaN", got.BootLo, got.BootHi)
				}
				return
			}
			if !(got.BootLo >= lo && got.BootLo <= got.Diff && got.Diff <= got.BootHi && got.BootHi <= hi) {
				t.Errorf("bootstrap interval [%v, %v] does not hold the mean %v within [%v, %v]", got.BootLo, got.BootHi, got.Diff, lo, hi)
			}
		})
	}
}

// The bootstrap draws only from the generator handed in: the same stream
// gives the same bits, another stream another interval.
func TestComparePairedBootstrapStream(t *testing.T) {
	base := []float64{3, 1, 4, 1, 5, 9, 2, 6}
	arm := []float64{3.5, 1.2, 4.9, 0.8, 6, 9.1, 2.6, 6.3}
	scratch := make([]float64, 2*len(base)+BootstrapResamples)
	a := ComparePaired(base, arm, rand.New(rand.NewPCG(7, 7)), scratch)
	b := ComparePaired(base, arm, rand.New(rand.NewPCG(7, 7)), scratch)
	c := ComparePaired(base, arm, rand.New(rand.NewPCG(8, 8)), scratch)
	if a != b {
		t.Errorf("same stream, different results:\n%+v\n%+v", a, b)
	}
	if a.BootLo == c.BootLo && a.BootHi == c.BootHi {
		t.Errorf("another stream gave the same bootstrap interval [%v, %v]", a.BootLo, a.BootHi)
	}
	if a.PairedLo != c.PairedLo || a.UnpairedHi != c.UnpairedHi {
		t.Errorf("the t intervals depend on the bootstrap stream")
	}
}

func TestSummarizeAllocates(t *testing.T) {
	x := []float64{5, 3, 8, 1, 9, 2}
	scratch := make([]float64, len(x))
	if n := testing.AllocsPerRun(100, func() { Summarize(x, scratch) }); n != 0 {
		t.Errorf("Summarize allocates %v times with scratch", n)
	}
}
