package agents

import (
	"math"
	"testing"

	"frontiersim/market"
)

// TestBanLabSpendsItsCredits: under a ban on exclusive compute deals the
// lab of short-backer.toml (partnership formed by hand at m0, as in
// TestBanLowersExcludedLabsComputeCost; the world file's cash) buys with
// the credits its backer's investments carry before it pays cash
// elsewhere (credits.go): over 40 months it spends at least half of the
// credits it receives, and no month leaves it without cash (under US$10M)
// while it holds credits (over US$100M) at a cloud it may buy from. Check
// mode: money conserved every month. Before credits came first the market
// moved its purchases to the cheaper rival cloud and the credits were
// stranded (seed 1: US$6.3B unspent from m4, cash 0 m18-m26).
func TestBanLabSpendsItsCredits(t *testing.T) {
	const months = 40
	for seed := uint64(1); seed <= 3; seed++ {
		w := newTestWorld(t, worldScenario(t, "short-backer.toml", map[string]float64{"policy.ban_exclusive": 1}), 500, seed)
		l := lab(t, w, "ex")
		w.formContract(l, 0, false)
		var spent float64
		short := 0
		for m := 0; m < months; m++ {
			stepTo(t, w, m, m+1)
			spent += w.Hyper[0].revCredit
			cash, cr := w.ledger.bal[w.accLab(l)], w.ledger.bal[w.accCredit(l, 0)]
			if cash < 0.01 && cr > 0.1 {
				short++
				t.Logf("seed %d m%d: cash US$%.3fB, credits US$%.3fB unspent", seed, m, cash, cr)
			}
		}
		left := w.ledger.bal[w.accCredit(l, 0)]
		t.Logf("seed %d: credits spent US$%.3fB of %.3fB received; %d cash-short months with credits", seed, spent, spent+left, short)
		if !(spent >= 0.5*(spent+left)) {
			t.Errorf("seed %d: the lab spends US$%.3fB of the US$%.3fB credits it receives, want at least half", seed, spent, spent+left)
		}
		if short > 0 {
			t.Errorf("seed %d: %d months without cash while holding credits", seed, short)
		}
	}
}

// TestRoundTriggerCountsSpendableCreditsOnly: the round trigger (planShort)
// counts only the credits the lab's plan can spend within the trigger
// window. A lab of short-backer.toml with a plan, 0 cash and credits at
// its backer's cloud larger than the plan's need is short when it buys
// nothing there (its compute share at the backer 0: the credits cannot be
// spent), and not short when it bought enough there last month for the
// window's spending to use them. The balances are set by ledger transfers,
// so money stays conserved.
func TestRoundTriggerCountsSpendableCreditsOnly(t *testing.T) {
	w := newTestWorld(t, worldScenario(t, "short-backer.toml", map[string]float64{"policy.ban_exclusive": 1}), 500, 1)
	l := lab(t, w, "ex")
	w.formContract(l, 0, false)
	stepTo(t, w, 0, 3)
	L := &w.Labs[l]
	trigger := w.S.Finance.RunwayTrigger
	need := L.planGap + trigger*max(0, L.planRecurring-L.Revenue)
	if !(need > 0) {
		t.Fatalf("the lab has no plan: gap %g, recurring %g, revenue %g", L.planGap, L.planRecurring, L.Revenue)
	}
	g := &w.ledger
	g.xfer(w.accLab(l), extSuppliers, g.bal[w.accLab(l)])
	if d := 2*need - g.bal[w.accCredit(l, 0)]; d > 0 {
		g.xfer(w.accCloud(0), w.accCredit(l, 0), d)
	}
	if err := g.check(); err != nil {
		t.Fatal(err)
	}
	L.ComputeShare = [MaxClouds]float64{}
	L.ComputeShare[1] = 1
	L.lastCompute = need
	if !w.planShort(l, trigger) {
		t.Errorf("cash 0, credits US$%.3fB it buys nothing with, plan's need US$%.3fB: the round trigger does not fire", g.bal[w.accCredit(l, 0)], need)
	}
	L.ComputeShare[0], L.ComputeShare[1] = 1, 0
	if w.planShort(l, trigger) {
		t.Errorf("cash 0, credits US$%.3fB, last month's bill there US$%.3fB, plan's need US$%.3fB over %g months: the round trigger fires", g.bal[w.accCredit(l, 0)], L.lastCompute, need, trigger)
	}
}

// TestRunwayCountsCreditsAsComputeOnly: credits pay compute only, so a lab
// of short-backer.toml holding credits of 100 months of its burn at its
// backer's cloud and cash for 3 months of its other opex (revenue set to
// 0) has a runway of 3 months, not the 100-odd months of counting credits
// as cash, and with no cash a runway of 0; credits at a cloud its access
// row bars do not count at all. The shadow cost of cash of its training
// rule follows that runway (measured at the burn of its plan): above the
// round cost, where credits counted as cash would put it at the round
// cost. Balances are set by ledger transfers, so money stays conserved.
func TestRunwayCountsCreditsAsComputeOnly(t *testing.T) {
	w := newTestWorld(t, worldScenario(t, "short-backer.toml", map[string]float64{"policy.ban_exclusive": 1}), 500, 1)
	l := lab(t, w, "ex")
	w.formContract(l, 0, false)
	stepTo(t, w, 0, 3)
	L := &w.Labs[l]
	L.Revenue, L.prevRevenue = 0, 0
	f := w.S.Capability.ComputeFraction
	burn := L.Burn
	if !(burn > 0) || !(f < 1) {
		t.Fatalf("the lab burns US$%gB a month, compute fraction %g", burn, f)
	}
	g := &w.ledger
	setCash := func(x float64) {
		if d := g.bal[w.accLab(l)] - x; d > 0 {
			g.xfer(w.accLab(l), extSuppliers, d)
		} else {
			g.xfer(extSuppliers, w.accLab(l), -d)
		}
	}
	if d := 100*burn - g.bal[w.accCredit(l, 0)]; d > 0 {
		g.xfer(w.accCloud(0), w.accCredit(l, 0), d)
	}
	credits := 0.0
	for h := 0; h < w.nHyper; h++ {
		credits += g.bal[w.accCredit(l, h)]
	}
	other := (1 - f) * burn // staff, data, overheads: cash only
	setCash(3 * other)
	if err := g.check(); err != nil {
		t.Fatal(err)
	}
	if got := w.runway(l); math.Abs(got-3) > 1e-9 {
		t.Errorf("cash US$%.3fB (3 months of other opex), credits US$%.3fB (%.0f months of burn): runway %.6g months, want 3", 3*other, credits, credits/burn, got)
	}
	asCash := market.Runway(3*other+credits, burn, 0)
	if !(asCash > 100) {
		t.Fatalf("credits as cash give a runway of %g months, want > 100", asCash)
	}
	// The shadow cost of cash at the plan's burn.
	plan := L.planRecurring
	if !(plan > 0) {
		plan = L.Burn
	}
	want, err := market.ShadowCostOfCash(market.RunwayWithCredits(3*other, plan, 0, credits, f*plan),
		w.S.Compute.RunwayTarget, w.S.Compute.RoundCost, w.S.Compute.MuMax)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.trainingRule(l); err != nil {
		t.Fatal(err)
	}
	if math.Abs(L.mu-want) > 1e-12 || !(L.mu > w.S.Compute.RoundCost) {
		t.Errorf("shadow cost of cash %g, want %g (above the round cost %g that credits as cash give)", L.mu, want, w.S.Compute.RoundCost)
	}
	setCash(0)
	if got := w.runway(l); got != 0 {
		t.Errorf("no cash, credits US$%.3fB: runway %g months, want 0", credits, got)
	}
	// Credits at a cloud the lab may not buy from pay nothing.
	setCash(3 * other)
	acc := w.cm.m.Access
	for h := 0; h < w.nHyper; h++ {
		acc[l*w.nClouds+h] = market.AccessBarred
	}
	if got, want := w.runway(l), market.Runway(3*other, burn, 0); got != want {
		t.Errorf("credits only at barred clouds: runway %g months, want %g (cash alone)", got, want)
	}
	if err := g.check(); err != nil {
		t.Fatal(err)
	}
}
