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
// the tie lift of portfolio buyers falls to at most about 1 (no
// investor-tie term; 0.89 in this run); at the default cost, what the funds paid is the cost times the
// pairs that steered. Check mode: money conserved.
func TestFundSteeringIsADecision(t *testing.T) {
	run := func(cost float64) (w *World, lift float64, paid float64, pairs int) {
		w = newTestWorld(t, worldScenario2(t, map[string]float64{"finance.steer_cost": cost}), 1000, 1)
		for m := 0; m < 84; m++ {
			stepTo(t, w, m, m+1)
			pairs += w.steering.pairs
			paid = w.steering.total
			if m >= 60 {
				lift += w.tieLift() / 24
			}
		}
		return
	}
	wf, liftFree, paidFree, pairsFree := run(0)
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
	_, liftNone, paidNone, pairsNone := run(1)
	_, _, paid, pairs := run(1e-4)
	t.Logf("tie lift m60-83: free %.3f (%d pairs), none %.3f; default cost: %d pairs, paid %.4g", liftFree, pairsFree, liftNone, pairs, paid)
	switch {
	case held == 0 || paidFree != 0:
		t.Fatalf("free steering: %d held labs with a gain, paid %g", held, paidFree)
	case pairsNone != 0 || paidNone != 0 || liftNone > 1.05:
		t.Fatalf("prohibitive cost: %d pairs, paid %g, tie lift %g (want at most about 1)", pairsNone, paidNone, liftNone)
	case !(liftFree > liftNone+0.1):
		t.Fatalf("tie lift free %g, not above %g without steering", liftFree, liftNone)
	case math.Abs(paid-1e-4*float64(pairs)) > 1e-12:
		t.Fatalf("default cost: paid %g for %d pairs", paid, pairs)
	}
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
