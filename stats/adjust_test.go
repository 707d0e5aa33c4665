package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAdjust(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name     string
		p        []float64
		holm, bh []float64
	}{
		// Sorted 0.005, 0.01, 0.03, 0.04. Holm: 4·0.005, 3·0.01, 2·0.03,
		// max(0.06, 1·0.04). BH from the top: 0.04, min(0.04, 4/3·0.03),
		// min(0.04, 4/2·0.01), min(0.02, 4/1·0.005).
		{"four", []float64{0.01, 0.04, 0.03, 0.005}, []float64{0.03, 0.06, 0.06, 0.02}, []float64{0.02, 0.04, 0.04, 0.02}},
		// A NaN is left out: a family of two.
		{"nan", []float64{0.01, nan, 0.04}, []float64{0.02, nan, 0.04}, []float64{0.02, nan, 0.04}},
		// Ties get the same adjusted value.
		{"ties", []float64{0.02, 0.02, 0.5}, []float64{0.06, 0.06, 0.5}, []float64{0.03, 0.03, 0.5}},
		// Capped at 1 (Holm) and monotone (BH: min(0.7, 2·0.6)).
		{"cap", []float64{0.6, 0.7}, []float64{1, 1}, []float64{0.7, 0.7}},
		{"one", []float64{0.2}, []float64{0.2}, []float64{0.2}},
		{"empty", nil, []float64{}, []float64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, m := range []struct {
				method Adjustment
				want   []float64
			}{{Holm, c.holm}, {BenjaminiHochberg, c.bh}, {NoAdjustment, c.p}} {
				got, err := Adjust(m.method, c.p)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(m.want) {
					t.Fatalf("%s: got %v, want %v", m.method, got, m.want)
				}
				for i := range got {
					if !(math.Abs(got[i]-m.want[i]) < 1e-12 || math.IsNaN(got[i]) && math.IsNaN(m.want[i])) {
						t.Errorf("%s: got %v, want %v", m.method, got, m.want)
						break
					}
				}
			}
		})
	}
	if _, err := Adjust("bonferroni", []float64{0.1}); err == nil {
		t.Error("an unknown method is not an error")
	}
}

// TestAdjustPublishedExample is the example of Benjamini and Hochberg
// (1995, section 4): 15 p-values of a study of myocardial infarction. At a
// level of 0.05 the step-up procedure rejects four hypotheses, where
// Holm's (and Bonferroni's) reject three. The adjusted values are R's
// p.adjust(p, "BH") and p.adjust(p, "holm"), recomputed by hand from the
// formulas (the fourth BH value is 15/4·0.0095; the fifth is 15/5·0.0201,
// the least of the 15/j·p(j) for j ≥ 5).
func TestAdjustPublishedExample(t *testing.T) {
	p := []float64{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000}
	bh := []float64{0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0298 * 15 / 7, 0.0298 * 15 / 7, 0.0645, 0.0765, 0.486, 0.4262 * 15 / 11, 0.5719 * 15 / 12, 0.6528 * 15 / 13, 0.7590 * 15 / 14, 1}
	holm := []float64{0.0015, 0.0056, 0.0247, 0.114, 0.2211, 0.278, 0.278, 0.278, 0.3213, 1, 1, 1, 1, 1, 1}
	count := func(adj []float64) int {
		n := 0
		for _, q := range adj {
			if q <= 0.05 {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		name   string
		got    []float64
		want   []float64
		reject int
	}{{"BH", AdjustBH(p), bh, 4}, {"Holm", AdjustHolm(p), holm, 3}} {
		for i := range c.want {
			if math.Abs(c.got[i]-c.want[i]) > 1e-12 {
				t.Errorf("%s: p(%d) = %v adjusted to %v, want %v", c.name, i+1, p[i], c.got[i], c.want[i])
			}
		}
		if n := count(c.got); n != c.reject {
			t.Errorf("%s rejects %d at 0.05, want %d", c.name, n, c.reject)
		}
	}
}

func TestPairedTP(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name     string
		diff, sd float64
		n        int
		want     float64
	}{
		// t = 1 with one degree of freedom (a Cauchy variable): P(|T| > 1) = 1/2.
		{"cauchy", 1, math.Sqrt2, 2, 0.5},
		{"negative", -1, math.Sqrt2, 2, 0.5},
		// The 97.5% quantile of t with 9 df is 2.2621571628: p = 0.05.
		{"critical", 2.2621571628 * 3 / math.Sqrt(10), 3, 10, 0.05},
		{"zero", 0, 1, 10, 1},
		{"constant nonzero", 0.2, 0, 5, 0},
		{"constant zero", 0, 0, 5, 1},
		{"one pair", 1, nan, 1, nan},
		{"nan", nan, 1, 5, nan},
	}
	for _, c := range cases {
		got := PairedTP(c.diff, c.sd, c.n)
		if !(math.Abs(got-c.want) < 1e-9 || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s: PairedTP(%v, %v, %d) = %v, want %v", c.name, c.diff, c.sd, c.n, got, c.want)
		}
	}
}

// TestPairedTPMatchesInterval checks that the p-value is below 0.05 exactly
// when ComparePaired's paired 95% interval excludes zero.
func TestPairedTPMatchesInterval(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	scratch := make([]float64, 2*12+BootstrapResamples)
	for k := range 400 {
		base, arm := make([]float64, 12), make([]float64, 12)
		shift := float64(k%40-20) / 40
		for i := range base {
			base[i] = rng.NormFloat64()
			arm[i] = base[i] + shift + 0.6*rng.NormFloat64()
		}
		s := ComparePaired(base, arm, rng, scratch)
		p := PairedTP(s.Diff, s.DiffSD, s.N)
		if excl := s.PairedLo > 0 || s.PairedHi < 0; excl != (p < 0.05) {
			t.Errorf("case %d: interval [%v, %v], p = %v", k, s.PairedLo, s.PairedHi, p)
		}
	}
}
