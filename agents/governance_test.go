package agents

import (
	"math"
	"testing"
)

// TestRestructuringOpensAcquisition: in the hand-built world
// restructure.toml (a capped-profit target whose acquisition the
// hyperscaler values, no partnership auction, the attempt hazard always
// firing), a capital limit below the target's first rounds makes it
// restructure into a for-profit, after which the hyperscaler buys it; with
// a limit its need never reaches, no restructuring happens and every bid
// is refused. Check mode: money conserved every month.
func TestRestructuringOpensAcquisition(t *testing.T) {
	for _, c := range []struct {
		limit       float64
		restructure bool
	}{{1, true}, {1e5, false}} {
		w := newTestWorld(t, worldScenario(t, "restructure.toml", map[string]float64{
			"acquisition.lambda0": 1, "finance.auction_threshold": 10,
			"governance.capped_profit_capital_limit": c.limit}), 500, 1)
		l := lab(t, w, "target")
		for m := 0; m < 84; m++ {
			stepTo(t, w, m, m+1)
			if L := &w.Labs[l]; !L.Acquired && L.Gov == GovCappedProfit && L.capitalRaised > c.limit+1e-9 {
				t.Fatalf("limit %g, month %d: a capped-profit lab raised %g", c.limit, m, L.capitalRaised)
			}
		}
		L := &w.Labs[l]
		n := metric(t, w, "restructurings", 83)
		if got := n > 0; got != c.restructure || L.Acquired != c.restructure {
			t.Fatalf("limit %g: %g restructurings (month %d), acquired %v, capital raised %g, bids %d refused %d",
				c.limit, n, L.restructuredAt, L.Acquired, L.capitalRaised, w.ctl.bids, w.ctl.refused)
		}
		if c.restructure {
			continue
		}
		if w.ctl.refused == 0 || L.capitalRaised <= 1 {
			t.Fatalf("limit %g: bids refused %d, capital raised %g: the limit never mattered", c.limit, w.ctl.refused, L.capitalRaised)
		}
	}
}

// TestRestructuringBuysConsent: the backer's consent is bought in equity
// (its stake becomes max(stake, governance.consent_conversion x profit
// share), the others diluted pro rata), its profit waterfall ends, the
// contract is renegotiated to the Nash share, the votes cap lifts, and no
// money moves.
func TestRestructuringBuysConsent(t *testing.T) {
	w := newTestWorld(t, DefaultScenario(), 200, 1)
	stepTo(t, w, 0, 60)
	az, oa := cloud(t, w, "azure"), lab(t, w, "openai")
	L := &w.Labs[oa]
	if L.Backer != az || L.Gov != GovCappedProfit {
		t.Skipf("openai-like: backer %d, governance %v at month 60", L.Backer, L.Gov)
	}
	setCap(t, w, oa, map[string]float64{w.hsHolder(az): 0.1, w.fundHolder(0): 0.3})
	L.Contract.ProfitShareAfter, L.Contract.RevenueShare = 0.49, 0.3
	before := append([]float64(nil), w.ledger.bal...)
	n0 := w.renegotiations
	if v := w.position(oa, w.holderF0, -1, 0).Votes; v != 0 {
		t.Fatalf("a fund casts %g of the votes of a capped-profit lab", v)
	}
	if err := w.restructure(oa, 60, GovForProfit); err != nil {
		t.Fatal(err)
	}
	want := 0.55 * 0.49
	if got := L.Cap.Stake(w.hsHolder(az)); math.Abs(got-want) > 1e-12 {
		t.Fatalf("backer stake %g, want %g", got, want)
	}
	if got, want := L.Cap.Stake(w.fundHolder(0)), 0.3*(1-want)/0.9; math.Abs(got-want) > 1e-12 {
		t.Fatalf("fund stake %g, want %g (diluted pro rata)", got, want)
	}
	if L.Contract.ProfitShareAfter != 0 || L.Gov != GovForProfit || w.renegotiations != n0+1 || L.Contract.RevenueShare != L.NashS {
		t.Fatalf("contract %+v, governance %v, renegotiations %d", L.Contract, L.Gov, w.renegotiations-n0)
	}
	if v := w.position(oa, w.holderF0, -1, 0).Votes; !(v > 0) {
		t.Fatalf("the fund's votes stay capped after the restructuring: %g", v)
	}
	for i, b := range before {
		if w.ledger.bal[i] != b {
			t.Fatalf("account %d moved from %g to %g", i, b, w.ledger.bal[i])
		}
	}
	if metric := w.gv.restructurings; metric != 1 {
		t.Fatalf("restructurings %d", metric)
	}
}

// TestReplayRestructuring: replay mode keeps the historical record: the
// shipped world's OpenAI-like lab restructures at m81 (Oct 2025) into a
// PBC by its world-file event, its backer's 49% profit share becoming at
// least 27% of the equity, and no capital limit applies before.
func TestReplayRestructuring(t *testing.T) {
	s := DefaultScenario()
	if err := s.Set("mode.replay", 1); err != nil {
		t.Fatal(err)
	}
	w := newTestWorld(t, s, 300, 1)
	oa, az := lab(t, w, "openai"), cloud(t, w, "azure")
	for m := 0; m < 84; m++ {
		stepTo(t, w, m, m+1)
		L := &w.Labs[oa]
		if restructured := L.restructuredAt >= 0; restructured != (m >= 81) {
			t.Fatalf("month %d: restructured at %d", m, L.restructuredAt)
		}
		if m == 81 {
			if L.Gov != GovPBC || L.Contract.ProfitShareAfter != 0 || L.Cap.Stake(w.hsHolder(az)) < 0.55*0.49-1e-12 {
				t.Fatalf("m81: governance %v, profit share %g, azure's stake %g", L.Gov, L.Contract.ProfitShareAfter, L.Cap.Stake(w.hsHolder(az)))
			}
		}
	}
	if n := metric(t, w, "restructurings", 83); n != 1 {
		t.Fatalf("%g restructurings in replay", n)
	}
}
