package agents

import (
	"math"
	"testing"
)

// TestBackerPurchasesFollowPath: the backer's purchases from its partner
// are the declared token path at the contract price, whatever the lab's
// own revenue: Q_H(t) = backers.mtok x gate x growth^((t - anchor)/12)
// Mtok at (1 - discount) x the lab's average price; doubling backers.mtok
// doubles them.
func TestBackerPurchasesFollowPath(t *testing.T) {
	for _, set := range []map[string]float64{nil, {"backers.mtok": 6e8, "backers.discount": 0.25}} {
		s := DefaultScenario()
		for k, v := range set {
			if err := s.Set(k, v); err != nil {
				t.Fatal(err)
			}
		}
		w := newTestWorld(t, s, 500, 1)
		l := lab(t, w, "openai")
		n := 0
		for m := 0; m < 84; m++ {
			stepTo(t, w, m, m+1)
			L := &w.Labs[l]
			if L.Backer < 0 || L.Owner >= 0 {
				continue
			}
			b := &s.Backers
			want := b.Mtok * w.gate * math.Pow(b.MtokGrowth, float64(m-b.AnchorMonth)/12) * (1 - b.Discount) * L.Price * 1e-9
			if math.Abs(L.RevBacker-want) > 1e-12*math.Max(1, want) {
				t.Fatalf("%v month %d: backer purchases %g, want %g (lab revenue %g)", set, m, L.RevBacker, want, L.Revenue)
			}
			if want > 0 {
				n++
			}
		}
		if n < 12 {
			t.Fatalf("%v: backer purchases in %d months only", set, n)
		}
	}
}

// TestTieSharesClosedForm: the fund's share formula against a brute-force
// multinomial logit: adding beta_I to one lab's utility moves its share
// from s0 to s1, and the share observed with the term recovers s0.
func TestTieSharesClosedForm(t *testing.T) {
	v := []float64{0.3, -0.2, 1.1, 0} // the last is the steered lab
	for _, beta := range []float64{0.5, 1.5} {
		logit := func(shift float64) float64 {
			var den float64
			for i, x := range v {
				if i == len(v)-1 {
					x += shift
				}
				den += math.Exp(x)
			}
			return math.Exp(v[len(v)-1]+shift) / den
		}
		s0, s1 := logit(0), logit(beta)
		if g0, g1 := tieShares(s0, false, math.Exp(beta)); math.Abs(g0-s0) > 1e-12 || math.Abs(g1-s1) > 1e-12 {
			t.Fatalf("beta %g unsteered: (%g, %g), want (%g, %g)", beta, g0, g1, s0, s1)
		}
		if g0, g1 := tieShares(s1, true, math.Exp(beta)); math.Abs(g0-s0) > 1e-12 || math.Abs(g1-s1) > 1e-12 {
			t.Fatalf("beta %g steered: (%g, %g), want (%g, %g)", beta, g0, g1, s0, s1)
		}
	}
}

// TestFundSteeringIsADecision: steering is the funds' choice with a cost.
// Free, every fund steers toward every active lab it holds (whose share
// among its buyers can grow); at a cost no gain reaches, none steers and
// portfolio buyers give their fund's labs the share untied buyers of the
// same kind give them: the matched tie lift (matchedTieLift: tied and
// untied buyers compared within each primary cloud × security × incumbent
// stratum) is 1 to rounding (no investor-tie term), while free steering
// lifts it. At the default cost, what the funds paid is the cost times the
// pairs that steered. Check mode: money conserved.
//
// The recorded tie lift (World.tieLift) compares all tied buyers with all
// untied ones, so it also carries the difference in their make-up (the
// portfolio companies' primary clouds, security needs and incumbents):
// 0.89 without steering before model v2 part 3a; since the resale
// agreements of agreements.go put the funds' labs on most hyperscalers'
// clouds, those labs' share differs more across strata and the unmatched
// lift without steering is 1.15 in this run, composition only. The test
// judges the tie term on the matched lift and logs both.
func TestFundSteeringIsADecision(t *testing.T) {
	run := func(cost float64) (w *World, lift, matched float64, paid float64, pairs int) {
		w = newTestWorld(t, worldScenario2(t, map[string]float64{"finance.steer_cost": cost}), 1000, 1)
		for m := 0; m < 84; m++ {
			stepTo(t, w, m, m+1)
			pairs += w.steering.pairs
			paid = w.steering.total
			if m >= 60 {
				lift += w.tieLift() / 24
				matched += matchedTieLift(w) / 24
			}
		}
		return
	}
	wf, liftFree, matchedFree, paidFree, pairsFree := run(0)
	held := 0
	for fd := 1; fd <= wf.nFunds; fd++ {
		for l := range wf.Labs {
			if wf.Labs[l].Active && wf.Labs[l].Cap.Stake(wf.fundHolder(fd-1)) > 0 && wf.steering.gain[fd][l] > 0 {
				held++
				if !wf.steering.steer[fd][l] {
					t.Fatalf("free steering: fund %d does not steer toward lab %s (gain %g)", fd-1, wf.Labs[l].Name, wf.steering.gain[fd][l])
				}
			}
		}
	}
	_, liftNone, matchedNone, paidNone, pairsNone := run(1)
	_, _, _, paid, pairs := run(1e-4)
	t.Logf("tie lift m60-83 (matched): free %.3f (%.3f) (%d pairs), none %.3f (%.6f); default cost: %d pairs, paid %.4g",
		liftFree, matchedFree, pairsFree, liftNone, matchedNone, pairs, paid)
	switch {
	case held == 0 || paidFree != 0:
		t.Fatalf("free steering: %d held labs with a gain, paid %g", held, paidFree)
	case pairsNone != 0 || paidNone != 0 || math.Abs(matchedNone-1) > 1e-9:
		t.Fatalf("prohibitive cost: %d pairs, paid %g, matched tie lift %g (want 1: no tie term)", pairsNone, paidNone, matchedNone)
	case !(matchedFree > matchedNone+0.1) || !(liftFree > liftNone+0.1):
		t.Fatalf("tie lift free %g (matched %g), not above %g (%g) without steering", liftFree, matchedFree, liftNone, matchedNone)
	case math.Abs(paid-1e-4*float64(pairs)) > 1e-12:
		t.Fatalf("default cost: paid %g for %d pairs", paid, pairs)
	}
}

// matchedTieLift is the tie lift with tied buyers compared to untied
// buyers of their own stratum (primary cloud, security, incumbent): the
// spend share tied buyers give their fund's labs over the share untied
// buyers of the same strata, weighted as the tied buyers, would give them
// (0 when no fund has tied buyers).
func matchedTieLift(w *World) float64 {
	na, nch := w.numAlt, w.numCh
	var num, den float64
	share := func(cell, fd int) float64 {
		x := 0.0
		for l := range w.Labs {
			if w.tieLab[fd][l] {
				for ch := 0; ch < nch; ch++ {
					x += w.cellShare[cell*na+l*nch+ch]
				}
			}
		}
		return x
	}
	for fd := 1; fd <= w.nFunds; fd++ {
		for cell := 0; cell < w.numCells; cell++ {
			cw := w.cellW[cell]
			if cw == 0 || w.cellTie(cell) != fd {
				continue
			}
			prim, _, sec := w.segment(cell / w.incStride)
			twin := w.segIndex(prim, 0, sec)*w.incStride + cell%w.incStride
			num += cw * share(cell, fd)
			den += cw * share(twin, fd)
		}
	}
	if den <= 0 {
		return 0
	}
	return num / den
}

func worldScenario2(t *testing.T, set map[string]float64) Scenario {
	t.Helper()
	s := DefaultScenario()
	for k, v := range set {
		if err := s.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	return s
}
