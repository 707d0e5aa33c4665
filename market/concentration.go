package market

import (
	"fmt"
	"slices"
)

// ValidateSharesPct reports whether sharesPct are market shares in percent:
// finite, non-negative and summing to at most 100 (+1e-6). A list of only
// the largest firms may sum to less than 100.
func ValidateSharesPct(sharesPct []float64) error {
	sum := 0.0
	for i, s := range sharesPct {
		if !finite(s) || s < 0 {
			return invalid("share %d = %g, want a finite percentage >= 0", i, s)
		}
		sum += s
	}
	if sum > 100+1e-6 {
		return invalid("shares sum to %g%% > 100%%", sum)
	}
	return nil
}

// HHI is the Herfindahl-Hirschman index sum_i s_i^2 of shares in percent
// (0-100), range 0-10 000. Invalid shares (see ValidateSharesPct) return
// -1, which no valid market has.
func HHI(sharesPct []float64) float64 {
	if ValidateSharesPct(sharesPct) != nil {
		return -1
	}
	h := 0.0
	for _, s := range sharesPct {
		h += s * s
	}
	return h
}

// DeltaHHI is the HHI increase from merging firms with shares s1Pct and
// s2Pct (percent): 2*s1*s2.
func DeltaHHI(s1Pct, s2Pct float64) float64 { return 2 * s1Pct * s2Pct }

// EquivalentFirms is the number of equal-sized firms with the same HHI,
// 10 000/HHI. hhi <= 0 or NaN (no valid market) returns 0.
func EquivalentFirms(hhi float64) float64 {
	if !(hhi > 0) {
		return 0
	}
	return 10000 / hhi
}

// CRk is the k-firm concentration ratio: the sum of the k largest shares
// (percent). k <= 0 returns 0; k beyond the number of firms sums them all.
// Invalid shares return -1.
func CRk(sharesPct []float64, k int) float64 {
	if ValidateSharesPct(sharesPct) != nil {
		return -1
	}
	if k <= 0 {
		return 0
	}
	s := slices.Clone(sharesPct)
	slices.SortFunc(s, func(a, b float64) int {
		switch {
		case a > b:
			return -1
		case a < b:
			return 1
		}
		return 0
	})
	sum := 0.0
	for _, x := range s[:min(k, len(s))] {
		sum += x
	}
	return sum
}

// MHHI is the modified HHI for partial ownership (O'Brien & Salop 2000):
//
//	MHHI = sum_j s_j^2 + sum_j sum_{k!=j} s_j s_k (sum_i g_ij b_ik)/(sum_i g_ij b_ij),
//
// with control[i][j] = g_ij the control weight of owner i in firm j and
// ownership[i][j] = b_ij owner i's profit share of firm j. shares are in
// percent like HHI, so the result is in HHI points (shares as fractions
// give the index divided by 10 000). Both matrices are owners x firms with
// len(shares) columns, entries finite and in [0,1]. Errors wrap
// ErrInvalidArgument for mismatched dimensions, invalid entries or a firm
// whose controllers hold none of its profits (the denominator is 0).
func MHHI(shares []float64, control, ownership [][]float64) (float64, error) {
	n := len(shares)
	if len(control) != len(ownership) {
		return 0, invalid("MHHI: %d control rows but %d ownership rows", len(control), len(ownership))
	}
	for j, s := range shares {
		if !finite(s) || s < 0 {
			return 0, invalid("MHHI: share %d = %g", j, s)
		}
	}
	for i := range control {
		if len(control[i]) != n || len(ownership[i]) != n {
			return 0, invalid("MHHI: owner %d rows have %d and %d columns, want %d", i, len(control[i]), len(ownership[i]), n)
		}
		for j := range n {
			g, b := control[i][j], ownership[i][j]
			if !(g >= 0 && g <= 1) || !(b >= 0 && b <= 1) {
				return 0, invalid("MHHI: owner %d firm %d control %g ownership %g outside [0,1]", i, j, g, b)
			}
		}
	}
	h := 0.0
	for j := range n {
		den := 0.0
		for i := range control {
			den += control[i][j] * ownership[i][j]
		}
		h += shares[j] * shares[j]
		if shares[j] == 0 {
			continue
		}
		for k := range n {
			if k == j || shares[k] == 0 {
				continue
			}
			num := 0.0
			for i := range control {
				num += control[i][j] * ownership[i][k]
			}
			if num == 0 {
				continue
			}
			if den == 0 {
				return 0, invalid("MHHI: firm %d's controllers hold none of its profits", j)
			}
			h += shares[j] * shares[k] * num / den
		}
	}
	return h, nil
}

// GuidelineRegime selects the US merger-guideline thresholds of a screen.
type GuidelineRegime int

const (
	// Guidelines2023: DOJ & FTC Merger Guidelines (Dec 2023), Guideline 1.
	Guidelines2023 GuidelineRegime = iota
	// Guidelines2010: Horizontal Merger Guidelines (2010).
	Guidelines2010
	// Guidelines1997: Horizontal Merger Guidelines (1992, revised 1997).
	Guidelines1997
)

// String returns the regime's name.
func (g GuidelineRegime) String() string {
	switch g {
	case Guidelines2023:
		return "2023 Merger Guidelines"
	case Guidelines2010:
		return "2010 Horizontal Merger Guidelines"
	case Guidelines1997:
		return "1997 Horizontal Merger Guidelines"
	}
	return fmt.Sprintf("GuidelineRegime(%d)", int(g))
}

// ScreenResult is the outcome of a structural merger screen. HHIs are in
// points, MergedShare in percent. Presumption is the structural presumption
// of harm (illegality in 2023; "presumed likely to enhance market power" in
// 2010 and 1997); Concern marks the weaker "potentially raise significant
// competitive concerns" zone of the older guidelines (always implied by
// Presumption). Reason explains the result in words.
type ScreenResult struct {
	PreHHI, PostHHI, DeltaHHI, MergedShare float64
	Presumption, Concern                   bool
	Reason                                 string
}

// MergerScreen applies the structural screen of regime to a merger of firms
// i and j in a market with shares sharesPct (percent; domain model §3.6):
//
//	2023: presumption if post HHI > 1800 and dHHI > 100, or merged share > 30% and dHHI > 100.
//	2010: presumption if post HHI > 2500 and dHHI > 200; concern if post > 1500 and dHHI > 100.
//	1997: presumption if post HHI > 1800 and dHHI > 100; concern if post > 1800 and dHHI > 50,
//	      or post in 1000-1800 and dHHI > 100.
//
// Errors wrap ErrInvalidArgument for invalid shares, i == j, an index out
// of range or an unknown regime.
func MergerScreen(sharesPct []float64, i, j int, regime GuidelineRegime) (ScreenResult, error) {
	if err := ValidateSharesPct(sharesPct); err != nil {
		return ScreenResult{}, fmt.Errorf("MergerScreen: %w", err)
	}
	n := len(sharesPct)
	if i < 0 || i >= n || j < 0 || j >= n || i == j {
		return ScreenResult{}, invalid("MergerScreen: firms (%d, %d) must differ and lie in [0,%d)", i, j, n)
	}
	pre := HHI(sharesPct)
	d := DeltaHHI(sharesPct[i], sharesPct[j])
	r := ScreenResult{PreHHI: pre, PostHHI: pre + d, DeltaHHI: d, MergedShare: sharesPct[i] + sharesPct[j]}
	if err := r.applyGuidelines(regime, true); err != nil {
		return ScreenResult{}, fmt.Errorf("MergerScreen: %w", err)
	}
	return r, nil
}

// applyGuidelines sets Presumption, Concern and Reason from r's PostHHI,
// DeltaHHI and (if shareLeg) MergedShare under regime (see MergerScreen).
// Without the share leg the 2023 test is on concentration only, as for a
// partial acquisition, which merges no shares.
func (r *ScreenResult) applyGuidelines(regime GuidelineRegime, shareLeg bool) error {
	post, d := r.PostHHI, r.DeltaHHI
	switch regime {
	case Guidelines2023:
		switch {
		case post > 1800 && d > 100:
			r.Presumption = true
			r.Reason = fmt.Sprintf("2023: highly concentrated (post-merger HHI %.0f > 1800) and change %.0f > 100", post, d)
		case shareLeg && r.MergedShare > 30 && d > 100:
			r.Presumption = true
			r.Reason = fmt.Sprintf("2023: merged share %.1f%% > 30%% and change %.0f > 100", r.MergedShare, d)
		case shareLeg:
			r.Reason = fmt.Sprintf("2023: no presumption (post-merger HHI %.0f, change %.0f, merged share %.1f%%)", post, d, r.MergedShare)
		default:
			r.Reason = fmt.Sprintf("2023: no presumption (post-merger HHI %.0f, change %.0f)", post, d)
		}
	case Guidelines2010:
		switch {
		case post > 2500 && d > 200:
			r.Presumption = true
			r.Reason = fmt.Sprintf("2010: highly concentrated (post-merger HHI %.0f > 2500) and change %.0f > 200", post, d)
		case post > 1500 && d > 100:
			r.Concern = true
			r.Reason = fmt.Sprintf("2010: potentially raises significant competitive concerns (post-merger HHI %.0f > 1500, change %.0f > 100)", post, d)
		default:
			r.Reason = fmt.Sprintf("2010: unlikely to have adverse effects (post-merger HHI %.0f, change %.0f)", post, d)
		}
	case Guidelines1997:
		switch {
		case post > 1800 && d > 100:
			r.Presumption = true
			r.Reason = fmt.Sprintf("1997: highly concentrated (post-merger HHI %.0f > 1800) and change %.0f > 100", post, d)
		case post > 1800 && d > 50:
			r.Concern = true
			r.Reason = fmt.Sprintf("1997: potentially raises significant concerns (post-merger HHI %.0f > 1800, change %.0f > 50)", post, d)
		case post >= 1000 && d > 100:
			r.Concern = true
			r.Reason = fmt.Sprintf("1997: moderately concentrated (post-merger HHI %.0f) and change %.0f > 100", post, d)
		default:
			r.Reason = fmt.Sprintf("1997: unlikely to have adverse effects (post-merger HHI %.0f, change %.0f)", post, d)
		}
	default:
		return invalid("unknown regime %d", int(regime))
	}
	if r.Presumption {
		r.Concern = true
	}
	return nil
}
