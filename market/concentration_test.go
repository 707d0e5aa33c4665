package market

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func withOnes(head []float64, n int) []float64 {
	s := append([]float64(nil), head...)
	for range n {
		s = append(s, 1)
	}
	return s
}

// §4.8 concentration table.
func TestConcentrationTable(t *testing.T) {
	cases := []struct {
		name     string
		shares   []float64
		hhi, neq float64
		cr3      float64
		hhiExact bool
	}{
		{"cloud Q4 2023", withOnes([]float64{31, 24, 11, 4, 3, 2, 2, 2}, 21), 1716, 5.828, 66, false},
		{"enterprise LLM mid-2025", withOnes([]float64{32, 25, 20, 9}, 14), 2144, 4.664, 77, false},
		{"enterprise LLM 2023-like", withOnes([]float64{50, 12, 7, 16}, 15), 2964, 3.374, 78, false},
		{"4 x 25", []float64{25, 25, 25, 25}, 2500, 4.000, 75, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := HHI(c.shares)
			if c.hhiExact {
				checkExact(t, "HHI", h, c.hhi)
			} else {
				checkRel(t, "HHI", h, c.hhi)
			}
			checkRel(t, "N_equiv", EquivalentFirms(h), c.neq)
			checkRel(t, "CR3", CRk(c.shares, 3), c.cr3)
		})
	}
	if CRk([]float64{10, 20}, 5) != 30 || CRk([]float64{10, 20}, 0) != 0 {
		t.Error("CRk edge cases")
	}
}

// §4.8 merger screens on the mid-2025 vector (2023 Guidelines).
func TestMergerScreen2023Table(t *testing.T) {
	shares := withOnes([]float64{32, 25, 20, 9}, 14) // index 4 is a 1% firm
	cases := []struct {
		name                string
		i, j                int
		delta, post, merged float64
		presumption         bool
	}{
		{"20 + 32", 0, 2, 1280, 3424, 52, true},
		{"25 + 32", 0, 1, 1600, 3744, 57, true},
		{"9 + 1", 3, 4, 18, 2162, 10, false},
		{"hyperscaler 1% buys 25% lab", 4, 1, 50, 2194, 26, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := MergerScreen(shares, c.i, c.j, Guidelines2023)
			if err != nil {
				t.Fatal(err)
			}
			checkExact(t, "dHHI", r.DeltaHHI, c.delta)
			checkExact(t, "post HHI", r.PostHHI, c.post)
			checkExact(t, "merged share", r.MergedShare, c.merged)
			if r.Presumption != c.presumption {
				t.Errorf("presumption = %v (%s), want %v", r.Presumption, r.Reason, c.presumption)
			}
			if r.Reason == "" {
				t.Error("empty reason")
			}
		})
	}
}

// §3.6 regime thresholds, case by case on synthetic markets.
func TestMergerScreenRegimes(t *testing.T) {
	cases := []struct {
		name        string
		shares      []float64
		i, j        int
		regime      GuidelineRegime
		presumption bool
		concern     bool
		reason      string
	}{
		// 2023: share prong alone (post HHI below 1800).
		{"2023 share prong", withOnes([]float64{28, 3}, 69), 0, 1, Guidelines2023, true, true, "merged share"},
		{"2023 delta exactly 100", []float64{50, 1, 49}, 0, 1, Guidelines2023, false, false, "no presumption"},
		{"2023 unconcentrated small", withOnes([]float64{10, 6}, 84), 0, 1, Guidelines2023, false, false, "no presumption"},
		// 2010: post > 2500 and delta > 200.
		{"2010 presumption", []float64{40, 30, 30}, 1, 2, Guidelines2010, true, true, "highly concentrated"},
		{"2010 concern only", withOnes([]float64{35, 15, 10}, 40), 1, 2, Guidelines2010, false, true, "significant competitive concerns"},
		{"2010 safe harbour", withOnes([]float64{30, 3}, 67), 0, 1, Guidelines2010, false, false, "unlikely"},
		{"2023 same market", withOnes([]float64{30, 3}, 67), 0, 1, Guidelines2023, true, true, "merged share"},
		// 1997: post > 1800 and delta > 100 presumed; delta 50-100 concern.
		{"1997 presumption", []float64{40, 30, 30}, 1, 2, Guidelines1997, true, true, "highly concentrated"},
		{"1997 concern 50-100", withOnes([]float64{42}, 58), 0, 1, Guidelines1997, false, true, "significant concerns"},
		{"1997 moderately concentrated", withOnes([]float64{30, 10, 10}, 50), 1, 2, Guidelines1997, false, true, "moderately concentrated"},
		{"1997 unconcentrated", withOnes([]float64{5, 5}, 90), 0, 1, Guidelines1997, false, false, "unlikely"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := MergerScreen(c.shares, c.i, c.j, c.regime)
			if err != nil {
				t.Fatal(err)
			}
			if r.Presumption != c.presumption || r.Concern != c.concern {
				t.Errorf("presumption=%v concern=%v (post %g, delta %g: %s), want %v %v",
					r.Presumption, r.Concern, r.PostHHI, r.DeltaHHI, r.Reason, c.presumption, c.concern)
			}
			if !strings.Contains(r.Reason, c.reason) {
				t.Errorf("reason %q lacks %q", r.Reason, c.reason)
			}
		})
	}
}

// §4.8 modified HHI (O'Brien-Salop).
func TestMHHITable(t *testing.T) {
	shares := []float64{50, 50}
	// Owners A, B (rows) x firms 1, 2 (columns).
	control := [][]float64{{1, 0}, {0, 1}}
	ownership := [][]float64{{1, 0.2}, {0, 0.8}}
	checkExact(t, "HHI", HHI(shares), 5000)
	m, err := MHHI(shares, control, ownership)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, "MHHI", m, 5500)
	checkExact(t, "delta", m-HHI(shares), 500)
	// Separate ownership: MHHI = HHI.
	id := [][]float64{{1, 0}, {0, 1}}
	m, _ = MHHI(shares, id, id)
	checkExact(t, "no cross ownership", m, 5000)
	// Full merger via ownership: MHHI = HHI of the merged firm.
	m, _ = MHHI(shares, [][]float64{{1, 1}}, [][]float64{{1, 1}})
	checkExact(t, "common owner", m, 10000)
	// Fractions give the index / 10 000.
	m, _ = MHHI([]float64{0.5, 0.5}, control, ownership)
	checkTol(t, "fractions", m, 0.55, 1e-15)
}

func TestConcentrationBadInput(t *testing.T) {
	bad := [][]float64{{-1, 50}, {60, 50}, {math.NaN(), 10}, {math.Inf(1)}}
	for _, s := range bad {
		if HHI(s) != -1 || CRk(s, 2) != -1 {
			t.Errorf("%v: HHI %g, CRk %g, want documented -1", s, HHI(s), CRk(s, 2))
		}
		if _, err := MergerScreen(s, 0, 1, Guidelines2023); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%v: MergerScreen err %v", s, err)
		}
	}
	if EquivalentFirms(0) != 0 || EquivalentFirms(-1) != 0 || EquivalentFirms(math.NaN()) != 0 {
		t.Error("EquivalentFirms invalid")
	}
	good := []float64{50, 30, 20}
	for _, ij := range [][2]int{{0, 0}, {-1, 1}, {0, 3}} {
		if _, err := MergerScreen(good, ij[0], ij[1], Guidelines2023); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("firms %v: %v", ij, err)
		}
	}
	if _, err := MergerScreen(good, 0, 1, GuidelineRegime(9)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unknown regime: %v", err)
	}
	id := [][]float64{{1, 0}, {0, 1}}
	mcases := []struct {
		name     string
		shares   []float64
		ctl, own [][]float64
	}{
		{"row count", []float64{50, 50}, id, id[:1]},
		{"columns", []float64{50, 50, 0}, id, id},
		{"negative share", []float64{-50, 50}, id, id},
		{"weight > 1", []float64{50, 50}, [][]float64{{2, 0}, {0, 1}}, id},
		{"controller owns nothing", []float64{50, 50}, id, [][]float64{{0, 0.5}, {0, 0.5}}},
	}
	for _, c := range mcases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := MHHI(c.shares, c.ctl, c.own); !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("err = %v", err)
			}
		})
	}
	for _, g := range []GuidelineRegime{Guidelines2023, Guidelines2010, Guidelines1997, 7} {
		if g.String() == "" {
			t.Error("empty regime name")
		}
	}
}
