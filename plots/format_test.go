package plots

import (
	"math"
	"strings"
	"testing"

	"frontiersim/results"
)

func TestFmtValue(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{1, "1.00"},
		{-2.116, "−2.12"},
		{0.0142, "0.0142"},
		{0.000386, "0.000386"},
		{3.3e-5, "3.30×10⁻⁵"},
		{312.4, "312"},
		{12345.6, "12,346"},
		{5.05e6, "5.05 million"},
		{2.4e9, "2.40 billion"},
		{-7e12, "−7.00 trillion"},
		{1e25, "1.00×10²⁵"},
		{math.NaN(), "–"},
		{math.Inf(1), "∞"},
	} {
		if got := fmtValue(c.v); got != c.want {
			t.Errorf("fmtValue(%g) = %q, want %q", c.v, got, c.want)
		}
		if s := fmtValue(c.v); strings.ContainsAny(s, "eE") && !strings.Contains(s, "million") && !strings.Contains(s, "billion") && !strings.Contains(s, "trillion") {
			t.Errorf("fmtValue(%g) = %q: e-notation", c.v, s)
		}
	}
}

// Numbers read together share their decimals: those of the largest.
func TestFmtSame(t *testing.T) {
	got := strings.Join(fmtSame(-2.116, -3.75, -0.4801), " ")
	if got != "−2.12 −3.75 −0.48" {
		t.Errorf("fmtSame = %q", got)
	}
	got = strings.Join(fmtSame(0.0024, 0.00195, 0.00286), " ")
	if got != "0.00240 0.00195 0.00286" {
		t.Errorf("fmtSame = %q", got)
	}
	if s := fmtSigned(fmtValue(0.5)); s != "+0.500" {
		t.Errorf("fmtSigned = %q", s)
	}
}

func TestFmtTickSteps(t *testing.T) {
	// A step of 2.5 needs a decimal: −2.5 is not "-2".
	for _, c := range []struct {
		v, step float64
		want    string
	}{{-2.5, 2.5, "-2.5"}, {2.5, 2.5, "2.5"}, {5, 2.5, "5.0"}, {0.25, 0.25, "0.25"}, {20000, 5000, "20,000"}} {
		if got := fmtTick(c.v, c.step); got != c.want {
			t.Errorf("fmtTick(%g, %g) = %q, want %q", c.v, c.step, got, c.want)
		}
	}
}

func TestFmtParam(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{{0.62348, "0.6235"}, {1.5, "1.5"}, {1, "1"}, {12345.6, "12,346"}, {1e25, "1.00×10²⁵"}, {-0.05, "-0.05"}} {
		if got := fmtParam(c.v); got != c.want {
			t.Errorf("fmtParam(%g) = %q, want %q", c.v, got, c.want)
		}
	}
}

// A policy's sentence states its effect with the interval, in the unit
// without its qualifications.
func TestEffectPhrase(t *testing.T) {
	m := results.Metric{Name: "hhi_model", Unit: "HHI points (0-10,000)"}
	got := effectPhrase(results.ComparisonRow{Diff: -230.4, PairedLo: -331, PairedHi: -130.2}, m)
	if want := "lowers hhi_model by 230 HHI points (95% CI 130 to 331)"; got != want {
		t.Errorf("effectPhrase = %q, want %q", got, want)
	}
	got = effectPhrase(results.ComparisonRow{Diff: 0.0142, PairedLo: 0.0109, PairedHi: 0.0175}, results.Metric{Name: "adoption", Unit: "fraction"})
	if want := "raises adoption by 0.0142 (95% CI 0.0109 to 0.0175)"; got != want {
		t.Errorf("effectPhrase = %q, want %q", got, want)
	}
}

func TestFmtEffect(t *testing.T) {
	for v, want := range map[float64]string{-0.004: "0.00", 0.004: "0.00", 0: "0", -0.31: "-0.31", 1.55: "+1.55", 123: "+123"} {
		if got := fmtEffect(v); got != want {
			t.Errorf("fmtEffect(%g) = %q, want %q", v, got, want)
		}
	}
	if got := fmtEffect(math.NaN()); got != missing {
		t.Errorf("fmtEffect(NaN) = %q", got)
	}
}
