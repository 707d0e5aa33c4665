package agents

import (
	"fmt"
	"math"
	"testing"

	"frontiersim/market"
)

// TestCapNeverHoldsShareAboveBargained: under a revenue-share cap no
// contract share stays above min(cap, the arm's own Nash share) + band for
// more than contract.hold_months months (hand-built world capped-share.toml
// without acquisitions, acquisition.lambda0 = 0: since deals are valued on
// the re-solved pricing game the backer buys the restructured lab,
// check mode: money conserved every month). The test counts the months
// itself from the contract and Nash share after each step, and checks that
// the stuck-share metric agrees.
func TestCapNeverHoldsShareAboveBargained(t *testing.T) {
	for _, cap := range []float64{1, 0.3, 0.15, 0.1} {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("cap %g seed %d", cap, seed), func(t *testing.T) {
				w := newTestWorld(t, worldScenario(t, "capped-share.toml", map[string]float64{"policy.revenue_share_cap": cap, "acquisition.lambda0": 0, "contract.s_min": 0, "contract.reciprocal": 0.8}), 300, seed)
				l := lab(t, w, "ex")
				band, hold := w.S.Contract.Band, w.S.Contract.HoldMonths
				run, longest, backed := 0, 0, 0
				for m := 0; m < DefaultMonths; m++ {
					stepTo(t, w, m, m+1)
					L := &w.Labs[l]
					if L.Backer < 0 {
						run = 0
						continue
					}
					backed++
					if L.Contract.RevenueShare > cap+1e-15 {
						t.Fatalf("month %d: contract share %g above the cap %g", m, L.Contract.RevenueShare, cap)
					}
					if L.Contract.RevenueShare > math.Min(cap, L.NashS)+band+1e-12 {
						run++
					} else {
						run = 0
					}
					longest = max(longest, run)
				}
				if backed < DefaultMonths/2 {
					t.Fatalf("the lab held a backer contract in %d of %d months", backed, DefaultMonths)
				}
				if longest > hold {
					t.Errorf("a contract share stood above min(cap, Nash) + band for %d months (at most %d)", longest, hold)
				}
				if longest <= hold && w.bg.stuck != 0 {
					t.Errorf("stuck-share count %d, the test counts none", w.bg.stuck)
				}
			})
		}
	}
}

// TestCapReopensOnlyOnTheBargainedShare: the band applies to both parties'
// proposals measured from the bargained share (the Nash share under the
// cap). A contract at the cap is not reopened while the Nash share is above
// the cap (the backer cannot propose more); it is reopened after
// contract.hold_months months once the Nash share falls below the cap by
// more than the band, to that share; a Nash share inside the band keeps it.
func TestCapReopensOnlyOnTheBargainedShare(t *testing.T) {
	const cap = 0.15
	w := newTestWorld(t, worldScenario(t, "capped-share.toml", map[string]float64{"policy.revenue_share_cap": cap, "acquisition.lambda0": 0, "contract.s_min": 0, "contract.reciprocal": 0.8}), 300, 1)
	stepTo(t, w, 0, 12)
	l := lab(t, w, "ex")
	L := &w.Labs[l]
	if L.Backer < 0 {
		t.Fatal("no backer contract by month 12")
	}
	hold := w.S.Contract.HoldMonths
	L.trig = market.TriggerState{ARRCrossed: true}
	L.Contract.RevenueShare = cap
	month := 12
	review := func(nash float64, months int) {
		t.Helper()
		for i := 0; i < months; i++ {
			if !w.reviewContract(l, month, nash, true, 0, 0) {
				t.Fatalf("month %d: the partnership ended", month)
			}
			w.applyCap(l)
			month++
		}
	}
	before := w.renegotiations
	review(0.5, 3*hold) // Nash share above the cap
	if w.renegotiations != before || L.Contract.RevenueShare != cap {
		t.Fatalf("Nash share above the cap: %d renegotiations, share %g (want none, %g)", w.renegotiations-before, L.Contract.RevenueShare, cap)
	}
	review(cap-w.S.Contract.Band/2, 3*hold) // inside the band
	if w.renegotiations != before || L.Contract.RevenueShare != cap {
		t.Fatalf("Nash share inside the band: %d renegotiations, share %g", w.renegotiations-before, L.Contract.RevenueShare)
	}
	review(0.05, hold-1) // below the cap by more than the band
	if w.renegotiations != before {
		t.Fatalf("reopened after %d months, before contract.hold_months", hold-1)
	}
	review(0.05, 1)
	// reopened: the share is the Nash-in-Nash share of the bargain
	// (endogenous mode), at most the cap
	if w.renegotiations != before+1 || w.bg.renegotiated != 1 || L.Contract.RevenueShare != w.ag.res.Terms[0] || L.Contract.RevenueShare > cap {
		t.Fatalf("after %d months below: %d renegotiations (this month %d), share %g (want 1, the bargain's %g <= cap)", hold, w.renegotiations-before, w.bg.renegotiated, L.Contract.RevenueShare, w.ag.res.Terms[0])
	}
}

// metricValue returns the value of the recorded metric named name in w now.
func metricValue(t *testing.T, w *World, name string) float64 {
	t.Helper()
	for _, m := range w.metrics {
		if m.Name == name {
			return m.value(w)
		}
	}
	t.Fatalf("no metric %q", name)
	return 0
}

// TestBargainMetrics: the month's renegotiations add up to the cumulative
// count, the terms in force are the contract's, and a failed bargain is
// counted in the month it ends the agreement (hand-built world
// capped-share.toml, check mode).
func TestBargainMetrics(t *testing.T) {
	w := newTestWorld(t, worldScenario(t, "capped-share.toml", map[string]float64{"contract.s_min": 0, "contract.reciprocal": 0.8}), 300, 2)
	l := lab(t, w, "ex")
	sum := 0.0
	for m := 0; m < 60; m++ {
		stepTo(t, w, m, m+1)
		sum += metricValue(t, w, "renegotiations_month")
		L := &w.Labs[l]
		if got, want := metricValue(t, w, "agreements"), float64(min(1, L.Backer+1)); got != want {
			t.Fatalf("month %d: agreements %g, want %g", m, got, want)
		}
		if got := metricValue(t, w, "reciprocal_share_ex"); L.Backer >= 0 && got != L.Contract.ReciprocalShare {
			t.Fatalf("month %d: reciprocal share %g, contract %g", m, got, L.Contract.ReciprocalShare)
		}
		if got := metricValue(t, w, "bargains_failed") + metricValue(t, w, "bargains_nonconverged"); got != 0 {
			t.Fatalf("month %d: %g failed or non-converged bargains, want none", m, got)
		}
	}
	if sum != float64(w.renegotiations) || sum == 0 {
		t.Fatalf("renegotiations per month add up to %g, cumulative %d (want equal, > 0)", sum, w.renegotiations)
	}
	if w.Labs[l].Backer < 0 {
		t.Fatal("no backer agreement at month 60")
	}
	// a trigger fires (ARR crosses the threshold) and no agreement exists:
	// the backer pays no reciprocal share and the share may not go below
	// 0.45, so that its resale takes the lab's direct buyers at a loss to
	// the lab at every admissible share (the surplus below the
	// disagreement payoffs)
	w.bg = bargainState{}
	w.Labs[l].trig = market.TriggerState{}
	w.Labs[l].Contract.ReciprocalShare = 0
	w.S.Contract.SMin = 0.45
	if w.reviewContract(l, 60, 0.2, false, 1e3, 0) {
		t.Fatal("a failed bargain kept the agreement")
	}
	if w.bg.err != nil {
		t.Fatal(w.bg.err)
	}
	if g := w.ag.res.Failed; g != 0 {
		t.Fatalf("failed agreement %d, want 0 (the backer's)", g)
	}
	if got := metricValue(t, w, "bargains_failed"); got != 1 || w.Labs[l].Backer >= 0 || metricValue(t, w, "agreements") != 0 {
		t.Fatalf("failed bargains %g, backer %d (want 1, none)", got, w.Labs[l].Backer)
	}
}
