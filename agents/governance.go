package agents

import (
	"fmt"
	"math"
)

// Governance that can change (model-v2.md §3.3; docs/ODD.md,
// "Governance and restructuring"):
//
//   - a capped-profit or public-benefit structure limits the capital a lab
//     can raise (governance.capped_profit_capital_limit,
//     governance.pbc_capital_limit: cumulative capital from primary rounds
//     and strategic investments) and the control an investor can get (its
//     votes are capped at governance.capped_profit_max_votes,
//     governance.pbc_max_votes; the founders' are not), and such a lab
//     refuses to be sold (market.ValueAcquisition's allow, ma.go);
//   - in endogenous mode a round whose ask would take the lab's capital
//     beyond its limit triggers a restructuring first: the lab becomes a
//     for-profit (no capital or vote limit, acquirable). Its backer's
//     consent is bought in equity: the backer's profit share pi (the
//     waterfall of its contract) ends, and in exchange its stake becomes
//     max(stake, governance.consent_conversion x pi), the other holders
//     diluted pro rata. No cash moves. The backer contract is then
//     renegotiated at once (a restructuring is a renegotiation trigger,
//     domain model §3.1(e)(ii)): the Nash share replaces the revenue
//     share, and a failed bargain ends the partnership;
//   - in replay mode capital is not limited and a restructuring happens only
//     as a world-file event (kind "restructuring", with the governance the
//     lab takes): the historical record, such as OpenAI's recapitalisation
//     of Oct 2025 into a public-benefit corporation.

// GovernanceParams are the limits of capped-profit and public-benefit
// structures and the price of a backer's consent to a restructuring.
type GovernanceParams struct {
	CappedProfitCapitalLimit, PBCCapitalLimit float64 // US$B, cumulative capital raised
	CappedProfitMaxVotes, PBCMaxVotes         float64 // share of the votes an investor can cast
	ConsentConversion                         float64 // backer's stake after = max(stake, this x its profit share)
}

// capitalLimit is the cumulative capital lab l's governance lets it raise
// (+Inf when unlimited).
func (w *World) capitalLimit(l int) float64 {
	g := &w.S.Governance
	switch w.Labs[l].Gov {
	case GovCappedProfit:
		return g.CappedProfitCapitalLimit
	case GovPBC:
		return g.PBCCapitalLimit
	}
	return math.Inf(1)
}

// maxVotes is the largest share of the votes an investor can cast in lab
// l under its governance (1 when unlimited).
func (w *World) maxVotes(l int) float64 {
	g := &w.S.Governance
	switch w.Labs[l].Gov {
	case GovCappedProfit:
		return g.CappedProfitMaxVotes
	case GovPBC:
		return g.PBCMaxVotes
	}
	return 1
}

// beyondLimit reports whether raising ask (US$B) would take lab l's
// cumulative capital beyond its governance limit.
func (w *World) beyondLimit(l int, ask float64) bool {
	return w.Labs[l].capitalRaised+ask > w.capitalLimit(l)
}

// restructure converts lab l at month t to governance to (endogenous mode:
// for-profit): the backer's profit share becomes equity at
// governance.consent_conversion, the cap table changes, no money moves,
// and the backer contract is renegotiated.
func (w *World) restructure(l, t int, to Governance) error {
	L := &w.Labs[l]
	if L.Gov == to {
		return nil
	}
	if h := L.Backer; h >= 0 && L.Owner < 0 {
		// its profit interest is the post-recoup share (control.go's position)
		pi := L.Contract.ProfitShareAfter
		if err := w.convertToEquity(l, h, w.S.Governance.ConsentConversion*pi); err != nil {
			return fmt.Errorf("restructuring of %s: %w", L.Name, err)
		}
		L.Contract.ProfitShareBefore, L.Contract.ProfitShareAfter = 0, 0
	}
	L.Gov = to
	L.restructuredAt = t
	w.gv.restructurings++
	if L.Backer >= 0 && L.Owner < 0 {
		w.renegotiateNow(l)
	}
	return nil
}

// convertToEquity raises hyperscaler h's stake in lab l to target (if it
// holds less), the other holders diluted pro rata (share transfers: no
// money moves).
func (w *World) convertToEquity(l, h int, target float64) error {
	L := &w.Labs[l]
	buyer := w.hsHolder(h)
	e := L.Cap.Stake(buyer)
	target = math.Min(target, 1)
	if target <= e || e >= 1 {
		return nil
	}
	k := (target - e) / (1 - e) // fraction of every other holding that moves
	for _, hd := range L.Cap.Holdings() {
		if hd.Holder == buyer || hd.Stake <= 0 {
			continue
		}
		if err := L.Cap.Transfer(hd.Holder, buyer, k*hd.Stake); err != nil {
			return fmt.Errorf("consent equity for %s: %w", buyer, err)
		}
	}
	w.gv.consentEquity += target - e
	return nil
}

// renegotiateNow re-bargains lab l's backer contract at the Nash share
// (a restructuring trigger): the share is replaced, or a failed bargain
// ends the partnership; the trigger state restarts.
func (w *World) renegotiateNow(l int) {
	L := &w.Labs[l]
	nash, ok := w.nashShare(l)
	w.renegotiations++
	w.bg.renegotiated++ // counted as the contract phase's are (bargain.go)
	if !ok {
		w.bg.failed++
		w.endPartnership(l)
		return
	}
	L.NashS = nash
	L.Contract.RevenueShare = nash
	w.applyCap(l)
}

// governanceState is a world's restructuring record.
type governanceState struct {
	restructurings int     // cumulative
	consentEquity  float64 // cumulative stake transferred to backers for their consent
}

// governanceMetrics: restructurings and the governance of the recorded labs.
func (m *metricList) governanceMetrics(c *Cast) {
	m.add(GroupMA, "restructurings", "count (cumulative)", "restructurings of capped-profit or public-benefit labs (endogenous mode: a round beyond the governance's capital limit; replay: world-file events)",
		func(w *World) float64 { return float64(w.gv.restructurings) })
	m.add(GroupMA, "consent_equity", "fraction of a lab (cumulative)", "stake transferred to backers for their consent to restructurings (their profit share converted at governance.consent_conversion)",
		func(w *World) float64 { return w.gv.consentEquity })
	for _, l := range c.Metrics.Labs {
		m.add(GroupMA, "governance_"+c.Labs[l].Name, "code",
			"governance of "+c.Labs[l].Name+": 0 capped-profit, 1 PBC, 2 for-profit, 3 parent-owned, 4 in-house (a restructuring or an acquisition changes it)",
			func(w *World) float64 { return float64(w.Labs[l].Gov) })
	}
}
