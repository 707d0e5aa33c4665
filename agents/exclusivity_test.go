package agents

import (
	"math"
	"testing"

	"frontiersim/market"
)

// holdExclusive gives lab l's backer contract compute exclusivity and the
// ROFR sold for a payment the lab can never refund, so that the
// agreement-set rule keeps it (tests of the compute market under
// exclusivity, which before model v2 part 3b was the default term).
func holdExclusive(w *World, l int) {
	L := &w.Labs[l]
	if L.Backer < 0 {
		return
	}
	L.Contract.ComputeExclusive, L.Contract.ROFR = !w.Reg.BanCompute, !w.Reg.BanCompute
	L.exclUntil, L.rofrUntil, L.exclPaid = never, never, 1e12
}

// stepHeld steps w from month from to month to, holding lab l's
// exclusivity (holdExclusive) from the month it has a backer.
func stepHeld(t *testing.T, w *World, l, from, to int) {
	t.Helper()
	for m := from; m < to; m++ {
		stepTo(t, w, m, m+1)
		holdExclusive(w, l)
	}
}

// exclWorld is the short-backer world (one lab, a backer cloud and a rival
// cloud) after months of free access: the lab's backer contract is formed
// non-exclusive and the compute market has prices at both clouds.
func exclWorld(t *testing.T, set map[string]float64) (*World, int) {
	t.Helper()
	if set == nil {
		set = map[string]float64{}
	}
	set["clouds.backer.capacity_factor"] = 100
	set["labs.ex.cash0"] = 50
	// In endogenous mode the backer resells its partner's model from the
	// month the partnership forms, for as long as its IP licence runs
	// (agreements.go); in this one-lab world that channel takes enough of
	// the lab's market that the value of capability falls below the stock
	// bought at m0 and the lab buys no training compute (its wants are the
	// inference of a model with almost no adopters, ~1e-7 GPU-hours), so
	// there would be no compute market to be exclusive in. These tests are
	// of the compute market's exclusivity: the licence ends at m1 (0 is a
	// licence without end), which keeps the backer's resale (a separate
	// mechanism, agreements_test.go) out of the world.
	set["contract.ip_licence_until"] = 1
	w := newTestWorld(t, worldScenario(t, "short-backer.toml", set), 200, 1)
	l := lab(t, w, "ex")
	w.formContract(l, 0, false)
	w.endExclusivity(l)
	for m := 0; m < 6; m++ {
		stepTo(t, w, m, m+1)
		w.endExclusivity(l)
	}
	if w.cm.want[l] <= 0 || math.IsInf(w.cm.price[l*w.nClouds+1], 1) {
		t.Fatal("the lab buys no compute at the rival")
	}
	if w.cm.trainW[l] <= 0 {
		t.Fatalf("the lab buys no training compute (wants %g GPU-hours)", w.cm.want[l])
	}
	return w, l
}

// setRivalSpare sets the rival cloud's spare capacity to frac of the GPU-hours
// the lab wants.
func setRivalSpare(w *World, l int, frac float64) {
	c := &w.cm
	k := 1
	c.m.Capacity[k] = c.sold[k] - c.qty[l*w.nClouds+k] + frac*c.want[l]
}

// TestCashShortLabSellsExclusivity: with the rival's spare capacity a
// tenth of the lab's wants, the backer's gain from exclusivity times 1 +
// mu exceeds the lab's loss at mu = compute.mu_max (cash-short) but not at
// mu = compute.round_cost: the cash-short lab sells exclusivity for the
// Nash payment (booked backer -> lab), the other declines it.
func TestCashShortLabSellsExclusivity(t *testing.T) {
	w, l := exclWorld(t, nil)
	setRivalSpare(w, l, 0.1)
	loss, gain, err := w.exclusivityGains(l)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := w.S.Compute.RoundCost, w.S.Compute.MuMax
	if !((1+lo)*gain < loss && loss < (1+hi)*gain) {
		t.Fatalf("precondition: loss %g, gain %g: want (1+%g)gain < loss < (1+%g)gain", loss, gain, lo, hi)
	}
	L := &w.Labs[l]
	L.mu = lo
	if err := w.reviewAgreementSet(l, w.t, true); err != nil {
		t.Fatal(err)
	}
	if L.Contract.ComputeExclusive || L.Contract.ROFR {
		t.Fatal("a lab with a long runway sold exclusivity it loses more on than the backer gains")
	}
	cash0, cloud0 := w.ledger.bal[w.accLab(l)], w.ledger.bal[w.accCloud(0)]
	L.mu = hi
	if err := w.reviewAgreementSet(l, w.t, true); err != nil {
		t.Fatal(err)
	}
	if !L.Contract.ComputeExclusive || !L.Contract.ROFR {
		t.Fatal("the cash-short lab did not sell exclusivity (and the ROFR with it)")
	}
	got := w.ledger.bal[w.accLab(l)] - cash0
	if d := cloud0 - w.ledger.bal[w.accCloud(0)]; math.Abs(d-got) > 1e-12 || !(got > 0) {
		t.Fatalf("payment: lab +%g, backer -%g", got, d)
	}
	a, _ := market.AnnuityFactor(float64(w.S.Contract.ExclusivityTerm), w.S.Compute.DiscountRate)
	if !(got < a*gain) || !((1+hi)*got > a*loss) {
		t.Fatalf("payment %g outside the bargaining range (%g, %g)", got, a*loss/(1+hi), a*gain)
	}
	if L.exclChanged != w.t {
		t.Fatal("the change of the agreement set does not open the share bargain this month")
	}
	if L.exclUntil != w.t+w.S.Contract.ExclusivityTerm {
		t.Fatalf("term ends m%d, want m%d", L.exclUntil, w.t+w.S.Contract.ExclusivityTerm)
	}
}

// TestLabBuysBackExclusivityWhenRivalGrows: the lab of
// TestCashShortLabSellsExclusivity, once it has cash (mu back at the round
// cost), and the rival with ample spare capacity: its loss over the rest
// of the term exceeds the pro-rata refund valued at 1 + mu, so at the next
// review it refunds the backer and ends exclusivity and the ROFR.
func TestLabBuysBackExclusivityWhenRivalGrows(t *testing.T) {
	w, l := exclWorld(t, nil)
	setRivalSpare(w, l, 0.1)
	L := &w.Labs[l]
	L.mu = w.S.Compute.MuMax
	if err := w.reviewAgreementSet(l, w.t, true); err != nil {
		t.Fatal(err)
	}
	if !L.Contract.ComputeExclusive {
		t.Fatal("precondition: the cash-short lab did not sell exclusivity")
	}
	paid := L.exclPaid
	// a month later: the rival's capacity has grown, the lab has cash
	w.t++
	setRivalSpare(w, l, 10)
	L.mu = w.S.Compute.RoundCost
	loss, gain, _ := w.exclusivityGains(l)
	if !(loss > (1+L.mu)*gain) {
		t.Fatalf("precondition: with ample rival capacity loss %g <= (1+mu) gain %g", loss, gain)
	}
	cash0 := w.ledger.bal[w.accLab(l)]
	if err := w.reviewAgreementSet(l, w.t, true); err != nil {
		t.Fatal(err)
	}
	if L.Contract.ComputeExclusive || L.Contract.ROFR {
		t.Fatal("the lab kept exclusivity after its outside option grew")
	}
	term := float64(w.S.Contract.ExclusivityTerm)
	want := paid * (term - 1) / term
	if got := cash0 - w.ledger.bal[w.accLab(l)]; math.Abs(got-want) > 1e-9*want {
		t.Fatalf("refund %g, want %g (pro rata)", got, want)
	}
	// no review trigger: the preferred set must hold for hold_months
	w.t++
	setRivalSpare(w, l, 0.1)
	L.mu = w.S.Compute.MuMax
	for i := 0; i < w.S.Contract.HoldMonths; i++ {
		if err := w.reviewAgreementSet(l, w.t, false); err != nil {
			t.Fatal(err)
		}
		if L.Contract.ComputeExclusive && !w.planShort(l, w.S.Finance.RunwayTrigger) {
			t.Fatalf("sold within the hysteresis (month %d of %d)", i+1, w.S.Contract.HoldMonths)
		}
	}
	if err := w.reviewAgreementSet(l, w.t, false); err != nil {
		t.Fatal(err)
	}
	if !L.Contract.ComputeExclusive {
		t.Fatal("the hysteresis trigger did not reopen the agreement set")
	}
}

// TestAmpleRivalLabDeclinesExclusivity: a lab with a long runway (mu at
// the round cost) and a rival with ample spare capacity declines
// exclusivity, and over a run the unforced lab is never exclusive while
// its cash lasts.
func TestAmpleRivalLabDeclinesExclusivity(t *testing.T) {
	w, l := exclWorld(t, nil)
	setRivalSpare(w, l, 10)
	L := &w.Labs[l]
	L.mu = w.S.Compute.RoundCost
	cash0 := w.ledger.bal[w.accLab(l)]
	if err := w.reviewAgreementSet(l, w.t, true); err != nil {
		t.Fatal(err)
	}
	if L.Contract.ComputeExclusive || w.ledger.bal[w.accLab(l)] != cash0 {
		t.Fatal("a lab with cash and an ample rival sold exclusivity")
	}
}

// TestBanRemovesChosenExclusivity: under policy.ban_exclusive (compute) the
// cash-short lab of TestCashShortLabSellsExclusivity cannot sell
// exclusivity: no exclusivity, no ROFR, no payment.
func TestBanRemovesChosenExclusivity(t *testing.T) {
	for _, ban := range []float64{float64(BanCompute), float64(BanBoth)} {
		w, l := exclWorld(t, map[string]float64{"policy.ban_exclusive": ban})
		setRivalSpare(w, l, 0.1)
		L := &w.Labs[l]
		L.mu = w.S.Compute.MuMax
		cash0 := w.ledger.bal[w.accLab(l)]
		if err := w.reviewAgreementSet(l, w.t, true); err != nil {
			t.Fatal(err)
		}
		if L.Contract.ComputeExclusive || L.Contract.ROFR || w.ledger.bal[w.accLab(l)] != cash0 {
			t.Fatalf("ban %g: exclusivity %v, ROFR %v, payment %g", ban, L.Contract.ComputeExclusive, L.Contract.ROFR, w.ledger.bal[w.accLab(l)]-cash0)
		}
	}
}
