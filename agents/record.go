package agents

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"frontiersim/market"
)

// phaseValuation marks the month's outcomes that the metrics and later
// months read (phase 11): cloud revenue shares, the modified HHI, fund NAVs
// at the labs' last post-money, the funds' pooled cash flow and, each
// December and in the last month, their pooled IRR.
func (w *World) phaseValuation(t int) error {
	cloudTot := 0.0
	for _, x := range w.cloudRev {
		cloudTot += x
	}
	for c := range w.cloudRev {
		sh := 0.0
		if cloudTot > 0 {
			sh = w.cloudRev[c] / cloudTot
		}
		w.cloudShare[c] = sh
		if c < w.nHyper {
			w.Hyper[c].CloudShare = sh
		}
	}
	mhhi, err := w.mhhi()
	if err != nil {
		return err
	}
	w.mhhiModel = mhhi
	return w.valueFunds(t)
}

// fundMarks are the funds' pooled figures of the month.
type fundMarks struct {
	invested, distributed, nav, fees, paidIn, carry float64
}

// valueFunds marks the funds' stakes, pools their figures and cash flow,
// and updates the pooled IRR each December and in the last month.
func (w *World) valueFunds(t int) error {
	s := &w.S
	var inv, dist, nav, fees, flow float64
	for f := range w.Funds {
		F := &w.Funds[f]
		F.NAV = 0
		for l := range w.Labs {
			L := &w.Labs[l]
			if L.Active && L.Owner < 0 {
				F.NAV += L.Cap.Stake(w.fundHolder(f)) * L.LastPost
			}
		}
		inv += F.Invested
		dist += F.Dist
		nav += F.NAV
		fees += F.Fees
		flow += F.distM - F.invM - F.feeM
	}
	w.vcFlows[t] = flow
	paidIn := inv + fees
	carry := s.Finance.Carry * math.Max(0, dist+nav-paidIn)
	w.vc = fundMarks{invested: inv, distributed: dist, nav: nav, fees: fees, paidIn: paidIn, carry: carry}
	if t%12 == 11 || t == w.months-1 {
		buf := w.irrBuf[:t+1]
		copy(buf, w.vcFlows[:t+1])
		buf[t] += nav - carry
		w.vcIRR = 0
		r, err := market.IRR(buf)
		switch {
		case errors.Is(err, market.ErrNoIRR):
			// undefined (no sign change yet): the metric reads 0
		case err != nil:
			return fmt.Errorf("IRR of the funds' cash flows: %w", err)
		case !math.IsInf(r, 0) && !math.IsNaN(r):
			if a := math.Pow(1+r, 12) - 1; !math.IsInf(a, 0) && !math.IsNaN(a) {
				w.vcIRR = a
			}
		}
	}
	return nil
}

// phaseRecord writes every metric's value into the recorder and, in check
// mode, asserts the invariants (phase 12). It reads the world's state and
// changes none of it.
func (w *World) phaseRecord(t int) error {
	for c := range w.metrics {
		w.rec.Set(t, c, w.metrics[c].value(w))
	}
	if w.check {
		return w.checkInvariants(t)
	}
	return nil
}

// The metric declarations follow, section by section in column order, each
// beside the functions that compute it.

// shareMetrics: model shares by declared share group and cloud shares by
// declared cloud.
func (m *metricList) shareMetrics(c *Cast) {
	var groups []string
	for _, l := range c.Labs {
		if !slices.Contains(groups, l.ShareGroup) {
			groups = append(groups, l.ShareGroup)
		}
	}
	for g, name := range groups {
		m.add(GroupModelShare, "model_share_"+name, "fraction",
			fmt.Sprintf("share of enterprise LLM spend on %s models (all channels); the %d model_share columns sum to 1", name, len(groups)),
			func(w *World) float64 { return w.groupShare[g] })
	}
	for i, cl := range c.Clouds {
		if cl.OwnModel {
			m.add(GroupModelShare, "own_model_share_"+cl.Name, "fraction",
				fmt.Sprintf("share of enterprise LLM spend on %s's own models (sold on its channel, endogenous mode; with the model_share columns they sum to 1)", cl.Name),
				func(w *World) float64 { return w.ownModelShare[i] })
		}
	}
	for i, cl := range c.Clouds {
		m.add(GroupCloudShare, "cloud_share_"+cl.Name, "fraction",
			fmt.Sprintf("share of cloud revenue (base + AI compute + model hosting and resale) of %s; the %d cloud_share columns sum to 1 (all 0 in a month without cloud revenue: cloud.base_revenue 0 and nothing bought)", cl.Name, len(c.Clouds)),
			func(w *World) float64 { return w.cloudShare[i] })
	}
}

// marketMetrics: concentration, demand, welfare and market structure.
func (m *metricList) marketMetrics() {
	m.add(GroupConcentration, "hhi_model", "HHI points (0-10,000)", "Herfindahl index of enterprise LLM spend shares by lab (open-weight labs separately; each hyperscaler's own models one firm)", (*World).hhiModel)
	m.add(GroupConcentration, "mhhi_model", "HHI points (0-10,000)", "modified HHI of the model market with hyperscaler cross-holdings (O'Brien-Salop)",
		func(w *World) float64 { return w.mhhiModel })
	m.add(GroupConcentration, "hhi_cloud", "HHI points (0-10,000)", "Herfindahl index of cloud revenue shares (each fringe cloud treated as one firm)", (*World).hhiCloud)
	m.add(GroupDemand, "enterprise_spend", "US$B/month", "total enterprise LLM spend", func(w *World) float64 { return w.spendTot })
	m.add(GroupDemand, "adoption", "fraction", "share of buyers that have adopted (Bass)", func(w *World) float64 { return float64(w.adopted) / float64(w.nBuyers) })
	m.add(GroupDemand, "consumer_spend", "US$B/month", "consumer subscription spend", func(w *World) float64 { return w.consumerTot })
	m.add(GroupDemand, "price_index", "US$ per Mtok, fixed capability", "spend-weighted API price per capability-adjusted unit (falls with drift.price_decline_per_year)", (*World).priceIndex)
	m.logScale() // falls by about ten times a year
	m.add(GroupDemand, "enterprise_surplus", "US$B/month", "enterprise (consumer) surplus. Endogenous mode, changed in model v2 part 2: sum over adopters' cells of workload units x (log-sum incl. the outside good - u_0) / beta_P,s (Small-Rosen with the outside good as the zero, US$ of the monthly bill); replay mode: model v1's spend-weighted nested-logit log-sum / beta_P (constant omitted, compare across arms)", (*World).surplus)
	m.add(GroupStructure, "lab_independence", "index 0-1", "mean over labs ever founded, other than in-house and parent-funded labs, and not exited of 1 - max_h[0.4 stake + 0.4 compute share + 0.2 min(1, s/0.5)]; acquired labs count 0", (*World).independenceIndex)
	m.add(GroupStructure, "surviving_labs", "count", "independent labs active (founded, not exited, not acquired)", (*World).survivingLabs)
	m.add(GroupStructure, "frontier_labs", "count", "active labs with K >= K_frontier - 0.5", (*World).frontierLabs)
}

func (w *World) hhiModel() float64 {
	var pct [MaxLabs + MaxClouds]float64
	for l, x := range w.modelShare {
		pct[l] = 100 * x
	}
	for k := 0; k < w.nOwn; k++ {
		pct[w.nLabs+k] = 100 * w.ownModelShare[w.ownCloud[k]]
	}
	return market.HHI(pct[:w.nLabs+w.nOwn])
}

func (w *World) hhiCloud() float64 {
	var pct [MaxClouds]float64
	for c, x := range w.cloudShare {
		pct[c] = 100 * x
	}
	return market.HHI(pct[:w.nClouds])
}

func (w *World) priceIndex() float64 {
	p := 0.0
	for l, x := range w.modelShare {
		p += x * w.Labs[l].Price
	}
	return p
}

// independenceIndex is the mean independence of the labs ever founded,
// other than in-house and parent-funded labs, that have not exited
// (acquired labs count 0); 1 without any.
func (w *World) independenceIndex() float64 {
	sum, n := 0.0, 0
	for l := range w.Labs {
		L := &w.Labs[l]
		if L.inHouse || L.parentFunded {
			continue // never independent
		}
		switch {
		case L.Acquired:
			n++
		case L.Active:
			sum += w.independence(l)
			n++
		}
	}
	if n == 0 {
		return 1
	}
	return sum / float64(n)
}

// survivingLabs counts the active labs no hyperscaler owns.
func (w *World) survivingLabs() float64 {
	n := 0
	for l := range w.Labs {
		if L := &w.Labs[l]; L.Active && L.Owner < 0 {
			n++
		}
	}
	return float64(n)
}

// frontierLabs counts the active labs within 0.5 K units of the frontier.
func (w *World) frontierLabs() float64 {
	n := 0
	for l := range w.Labs {
		if L := &w.Labs[l]; L.Active && L.KDep >= w.kFront-0.5 {
			n++
		}
	}
	return float64(n)
}

// welfareMetrics: the demand system and pricing game of endogenous mode
// (demand.go, pricing.go); 0 in replay mode.
func (m *metricList) welfareMetrics(c *Cast) {
	m.add(GroupDemand, "outside_share", "fraction", "share of adopters' workload units bought from the outside good (in-house on open weights or not buying this month; endogenous mode)",
		func(w *World) float64 { return w.dm.outsideShare })
	m.add(GroupDemand, "consumer_surplus_low_security", "US$B/month", "enterprise_surplus of the low-security segments",
		func(w *World) float64 { return w.csBy(func(_, _, sec int) bool { return sec == 0 }) })
	m.add(GroupDemand, "consumer_surplus_high_security", "US$B/month", "enterprise_surplus of the high-security segments",
		func(w *World) float64 { return w.csBy(func(_, _, sec int) bool { return sec == 1 }) })
	m.add(GroupDemand, "consumer_surplus_tied", "US$B/month", "enterprise_surplus of the segments tied to a VC fund (portfolio companies)",
		func(w *World) float64 { return w.csBy(func(_, tie, _ int) bool { return tie > 0 }) })
	for i, cl := range c.Clouds {
		m.add(GroupDemand, "consumer_surplus_primary_"+cl.Name, "US$B/month", "enterprise_surplus of the segments whose primary cloud is "+cl.Name,
			func(w *World) float64 { return w.csBy(func(prim, _, _ int) bool { return prim == i }) })
	}
	for _, l := range c.Metrics.Labs {
		m.add(GroupDemand, "producer_surplus_"+c.Labs[l].Name, "US$B/month", "producer surplus of "+c.Labs[l].Name+" in the enterprise market: its cash flow from the pricing game at this month's quantities (revenue net of wedges paid, plus wedges received, less the inference cost it bears; a lab owned by a hyperscaler counts with its owner)",
			func(w *World) float64 { return w.dm.ps[l] })
	}
	for i, cl := range c.Clouds {
		m.add(GroupDemand, "producer_surplus_"+cl.Name, "US$B/month", "producer surplus of "+cl.Name+" in the enterprise market (resale, hosting, own models, wedges received)",
			func(w *World) float64 { return w.dm.ps[len(c.Labs)+i] })
	}
	m.add(GroupDemand, "producer_surplus", "US$B/month", "producer surplus of all firms in the enterprise market",
		func(w *World) float64 { return w.dm.ts - w.dm.cs })
	m.add(GroupDemand, "total_surplus", "US$B/month", "enterprise_surplus + producer_surplus (endogenous mode)",
		func(w *World) float64 { return w.dm.ts })
	m.add(GroupDemand, "consumer_surplus_discounted", "US$B", "enterprise_surplus discounted to month 0 at compute.discount_rate and summed to this month (the horizon total in the last month)",
		func(w *World) float64 { return w.dm.csDisc })
	m.add(GroupDemand, "total_surplus_discounted", "US$B", "total_surplus discounted to month 0 at compute.discount_rate and summed to this month",
		func(w *World) float64 { return w.dm.tsDisc })
	m.add(GroupDemand, "cloud_churn", "fraction", "share of last month's adopters that moved their primary cloud this month (endogenous mode)",
		func(w *World) float64 {
			if w.dm.churnBase == 0 {
				return 0
			}
			return float64(w.dm.switched) / float64(w.dm.churnBase)
		})
	m.add(GroupDemand, "lerner_index", "fraction", "spend-weighted (bill - marginal cost) / bill of the alternatives sold (endogenous mode)", (*World).lernerIndex)
	m.add(GroupDemand, "pricing_solves", "count", "Bertrand–Nash price solves this month (pricing periods and new products)",
		func(w *World) float64 { return float64(w.pg.solves) })
	m.add(GroupDemand, "pricing_failures", "count", "price solves this month that did not converge (prices held from the last solve; counted, never silent)",
		func(w *World) float64 { return float64(w.pg.fails) })
	m.add(GroupDemand, "pricing_failure_share", "fraction", "non-converged price solves / solves so far in the run (0 before the first solve)",
		func(w *World) float64 {
			if w.pg.solvesTot == 0 {
				return 0
			}
			return float64(w.pg.failsTot) / float64(w.pg.solvesTot)
		})
}

// checkDemand asserts the demand system's accounting in check mode: in
// every cell with adopters the inside shares (of potential demand) and the
// outside good's sum to 1, the workload units bought plus the outside
// good's are the adopters' units, and payments (units x bills) equal
// spend by alternative and in total.
func (w *World) checkDemand() error {
	d := &w.dm
	na := w.numAlt
	var units, out, paid float64
	for cell := 0; cell < w.numCells; cell++ {
		cw := w.cellW[cell]
		if cw == 0 {
			continue
		}
		s0 := d.cellOutside[cell]
		if !(s0 >= 0 && s0 <= 1) {
			return fmt.Errorf("cell %d: outside share %g", cell, s0)
		}
		sum := s0
		for _, x := range w.cellShare[cell*na : (cell+1)*na] {
			sum += (1 - s0) * x
		}
		if s0 < 1 && math.Abs(sum-1) > 1e-9 {
			return fmt.Errorf("cell %d: shares of potential demand incl. the outside good sum to %.12g", cell, sum)
		}
		units += cw * d.unitsPerW
		out += cw * d.unitsPerW * s0
	}
	q := 0.0
	for a := 0; a < na; a++ {
		q += d.qty[a]
		x := d.qty[a] * d.bill[a] * 1e-3
		if e := math.Abs(x - w.altSpend[a]); e > 1e-9*math.Max(1, x) {
			return fmt.Errorf("alternative %d: payments %g, spend %g", a, x, w.altSpend[a])
		}
		paid += x
	}
	if e := math.Abs(q + out - units); e > 1e-9*math.Max(1, units) {
		return fmt.Errorf("workload units: %g inside + %g outside, %g potential", q, out, units)
	}
	if e := math.Abs(paid - w.spendTot); e > 1e-9*math.Max(1, w.spendTot) {
		return fmt.Errorf("payments %g, spend %g", paid, w.spendTot)
	}
	return nil
}

// csBy is the consumer surplus of the segments that keep selects.
func (w *World) csBy(keep func(primary, tie, sec int) bool) float64 {
	x := 0.0
	for seg, c := range w.dm.csSeg {
		if keep(w.segment(seg)) {
			x += c
		}
	}
	return x
}

// lernerIndex is the spend-weighted Lerner index of the alternatives sold.
func (w *World) lernerIndex() float64 {
	var num, den float64
	for a, x := range w.altSpend[:w.numAlt] {
		if b := w.dm.bill[a]; x > 0 && b > 0 {
			num += x * (b - w.pg.cost[a]) / b
			den += x
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// ventureMetrics: the VC funds' pooled returns (marked by phaseValuation).
func (m *metricList) ventureMetrics() {
	m.add(GroupVenture, "vc_moic", "multiple", "pooled gross MOIC of the VC funds' lab deals ((proceeds + mark)/invested; 0 before the first deal)",
		func(w *World) float64 { return market.MOIC(w.vc.invested, w.vc.distributed, w.vc.nav) })
	m.add(GroupVenture, "vc_tvpi", "multiple", "pooled fund TVPI net of 2/20 ((distributions + NAV - carry)/(paid-in incl. fees); 0 before paid-in)",
		func(w *World) float64 { return market.TVPI(w.vc.distributed, w.vc.nav-w.vc.carry, w.vc.paidIn) })
	m.add(GroupVenture, "vc_dpi", "multiple", "pooled fund DPI (distributions/paid-in)",
		func(w *World) float64 { return market.DPI(w.vc.distributed, w.vc.paidIn) })
	m.add(GroupVenture, "vc_irr", "1/yr", "pooled net IRR per year of fund cash flows with NAV as terminal flow; updated each December and in the last month, carried between; 0 when undefined",
		func(w *World) float64 { return w.vcIRR })
}

// hyperscalerMetrics: revenue by source, stakes and investment of each
// declared hyperscaler.
func (m *metricList) hyperscalerMetrics(c *Cast) {
	for h, cl := range c.Clouds {
		if !cl.Strategic {
			continue // hyperscalers come first: h is also the hyperscaler index
		}
		n := cl.Name
		m.add(GroupHyperscaler, "hs_cloud_revenue_"+n, "US$B/month", "cloud revenue of "+n+" (base + lab compute incl. credits and leakage + open-weight hosting)",
			func(w *World) float64 { return w.Hyper[h].revCloud })
		m.add(GroupHyperscaler, "hs_credit_revenue_"+n, "US$B/month", "part of "+n+"'s cloud revenue paid with its own investment credits",
			func(w *World) float64 { return w.Hyper[h].revCredit })
		m.add(GroupHyperscaler, "hs_resale_revenue_"+n, "US$B/month", "model resale revenue kept by "+n+" (after reciprocal and marketplace payouts)",
			func(w *World) float64 { return w.Hyper[h].revResale })
		if cl.OwnModel {
			m.add(GroupHyperscaler, "hs_own_model_revenue_"+n, "US$B/month", "enterprise spend on "+n+"'s own models (endogenous mode; part of its cloud revenue share)",
				func(w *World) float64 { return w.Hyper[h].revOwn })
		}
		m.add(GroupHyperscaler, "hs_revshare_in_"+n, "US$B/month", "revenue-share, profit-waterfall and leakage payments received by "+n,
			func(w *World) float64 { return w.Hyper[h].revShare })
		m.add(GroupHyperscaler, "hs_stake_value_"+n, "US$B", "mark of "+n+"'s lab stakes at last post-money",
			func(w *World) float64 { return w.stakeValue(h) })
		m.add(GroupHyperscaler, "hs_investment_"+n, "US$B/month", "strategic investment by "+n+" this month (cash + credits)",
			func(w *World) float64 { return w.Hyper[h].invest })
		m.add(GroupHyperscaler, "hs_partner_cloud_revenue_"+n, "US$B/month", "cloud revenue of "+n+" from labs it has invested in (SF13 circularity)",
			func(w *World) float64 { return w.Hyper[h].partnerRev })
	}
}

// stakeValue marks hyperscaler h's stakes in independent labs at their last
// post-money.
func (w *World) stakeValue(h int) float64 {
	v := 0.0
	for l := range w.Labs {
		L := &w.Labs[l]
		if L.Active && L.Owner < 0 {
			v += L.Cap.Stake(w.hsHolder(h)) * L.LastPost
		}
	}
	return v
}

// labMetrics: the series of the labs the world's metrics follow in detail
// (metrics.labs), then all labs' revenue by channel.
func (m *metricList) labMetrics(c *Cast) {
	for _, l := range c.Metrics.Labs {
		n := c.Labs[l].Name
		m.add(GroupLab, "arr_"+n, "US$B", "annualised revenue run-rate of "+n+", 12 x monthly revenue",
			func(w *World) float64 { return 12 * w.Labs[l].Revenue })
		m.add(GroupLab, "rev_direct_"+n, "US$B/month", "direct API revenue of "+n,
			func(w *World) float64 { return w.Labs[l].RevDirect })
		m.add(GroupLab, "rev_resale_"+n, "US$B/month", "revenue of "+n+" from resale and marketplace channels (reciprocal share, marketplace payout, backer purchases)",
			func(w *World) float64 { return w.Labs[l].RevResale + w.Labs[l].RevBacker })
		m.add(GroupLab, "rev_consumer_"+n, "US$B/month", "consumer subscription revenue of "+n,
			func(w *World) float64 { return w.Labs[l].RevConsumer })
		m.add(GroupLab, "cash_"+n, "US$B", "cash of "+n+" (excluding unspent credits)",
			func(w *World) float64 { return w.ledger.bal[w.accLab(l)] })
		m.add(GroupLab, "opcf_"+n, "US$B/month", "operating cash flow of "+n+": revenue - burn - revenue-share payments",
			func(w *World) float64 { return w.Labs[l].OpCF })
		m.add(GroupLab, "capability_"+n, "K units", "deployed capability index of "+n+" on the direct channel",
			func(w *World) float64 { return w.Labs[l].chK[chDirect] })
		m.add(GroupLab, "round_post_"+n, "US$B", "post-money of a primary round of "+n+" this month (0 if none)",
			func(w *World) float64 { return w.Labs[l].roundPost })
		m.add(GroupLab, "round_multiple_"+n, "x ARR", "post-money / ARR of a round of "+n+" this month (0 if none or ARR = 0)",
			func(w *World) float64 { return w.Labs[l].roundMult })
		m.add(GroupLab, "contract_share_"+n, "fraction", "contracted revenue share of "+n+" to its main backer (0 without a backer)",
			func(w *World) float64 { return w.contractShare(l) })
		m.add(GroupLab, "effective_share_"+n, "fraction", "revenue share, profit-waterfall and leakage payments of "+n+" / its revenue (0 without revenue)",
			func(w *World) float64 { return w.effectiveShare(l) })
		m.add(GroupLab, "nash_share_"+n, "fraction", "current Nash revenue share (clamped) the backer of "+n+" could obtain (0 without a backer)",
			func(w *World) float64 { return w.nashShareNow(l) })
		m.add(GroupLab, "price_direct_"+n, "US$M per workload unit", "bill of "+n+"'s direct API for the month's workload unit (demand.workload_mtok Mtok of fixed-capability workload at m46, growing at demand.workload_growth_per_year; compare across arms at the same month), endogenous mode; 0 when not offered and in replay mode",
			func(w *World) float64 { return w.directPrice(l) })
		m.add(GroupLab, "price_resale_"+n, "US$M per workload unit", "mean bill of "+n+"'s model resold on the clouds' channels, weighted by the workload units bought there (the plain mean of the offered bills when none are bought); same unit as price_direct; 0 when no cloud resells it and in replay mode",
			func(w *World) float64 { return w.resalePrice(l) })
		m.add(GroupLab, "backer_compute_share_"+n, "fraction", "share of the compute of "+n+" on its partner hyperscaler's cloud (its backer, else its largest hyperscaler shareholder; 0 without one)",
			func(w *World) float64 { return w.backerComputeShare(l) })
	}
	m.computeMetrics(c)
	m.add(GroupLabRevenue, "lab_rev_direct", "US$B/month", "all labs' direct API revenue", sumLabs(func(L *Lab) float64 { return L.RevDirect }))
	m.add(GroupLabRevenue, "lab_rev_resale", "US$B/month", "all labs' revenue from resale and marketplace channels (reciprocal share, marketplace payout, backer purchases)", sumLabs(func(L *Lab) float64 { return L.RevResale + L.RevBacker }))
	m.add(GroupLabRevenue, "lab_rev_consumer", "US$B/month", "all labs' consumer revenue", sumLabs(func(L *Lab) float64 { return L.RevConsumer }))
	m.add(GroupLabRevenue, "revenue_share_paid", "US$B/month", "revenue-share + profit-waterfall + leakage payments from labs to backers", sumLabs(func(L *Lab) float64 { return L.SharePaid }))
}

// directPrice is lab l's direct-API bill (US$M per workload unit) this
// month, 0 when the direct API is not offered or in replay mode.
func (w *World) directPrice(l int) float64 {
	a := l * w.numCh
	if !w.dm.on || !w.altAvail[a] {
		return 0
	}
	return w.dm.bill[a]
}

// resalePrice is the mean bill (US$M per workload unit) of lab l's model on
// the clouds' channels this month, weighted by the workload units bought
// on each, or the plain mean of the offered bills when none are bought; 0
// when no cloud resells it or in replay mode.
func (w *World) resalePrice(l int) float64 {
	if !w.dm.on {
		return 0
	}
	var px, q, sum float64
	n := 0
	for ch := 1; ch < w.numCh; ch++ {
		a := l*w.numCh + ch
		if !w.altAvail[a] || !(w.dm.bill[a] > 0) {
			continue
		}
		px += w.dm.qty[a] * w.dm.bill[a]
		q += w.dm.qty[a]
		sum += w.dm.bill[a]
		n++
	}
	switch {
	case q > 0:
		return px / q
	case n > 0:
		return sum / float64(n)
	}
	return 0
}

// computeMetrics: the compute rule and finite capital of endogenous mode
// (compute.go, finance.go), for the labs the world's metrics follow, then
// totals. In replay mode training spend is model v1's share of the burn
// path, inference cost 0 (v1's burn includes it) and rounds are v1's.
func (m *metricList) computeMetrics(c *Cast) {
	for _, l := range c.Metrics.Labs {
		n := c.Labs[l].Name
		m.add(GroupCompute, "training_spend_"+n, "US$B/month", "training compute bought by "+n+" this month (the compute rule; an in-house lab's owner budget)",
			func(w *World) float64 { return w.Labs[l].ComputeSpend })
		m.add(GroupCompute, "training_flop_"+n, "FLOP", "training compute added by "+n+" this month (training spend x FLOP per US$)",
			func(w *World) float64 { return w.Labs[l].TrainFLOP })
		m.add(GroupCompute, "inference_cost_"+n, "US$B/month", "inference compute bill of "+n+" for the demand it served this month (paid to its compute clouds)",
			func(w *World) float64 { return w.Labs[l].InferenceCost })
		m.add(GroupCompute, "capital_raised_"+n, "US$B/month", "primary round capital raised by "+n+" this month (0 if none; strategic notes excluded)",
			func(w *World) float64 { return w.Labs[l].raisedM })
		m.add(GroupCompute, "round_shortfall_"+n, "US$B/month", "amount asked and not raised in rounds of "+n+" this month (the whole ask of a failed round)",
			func(w *World) float64 { return w.Labs[l].shortfallM })
	}
	m.add(GroupCompute, "training_spend", "US$B/month", "training compute bought by all labs this month (closed parent-funded labs' budgets, paid outside the market, excluded)",
		sumLabs(func(L *Lab) float64 { return L.ComputeSpend }))
	m.add(GroupCompute, "inference_cost", "US$B/month", "inference compute bills of all labs this month", sumLabs(func(L *Lab) float64 { return L.InferenceCost }))
	m.add(GroupCompute, "capital_raised", "US$B/month", "primary round capital raised by all labs this month", func(w *World) float64 { return w.raisedTot })
	m.add(GroupCompute, "round_shortfall", "US$B/month", "amount asked and not raised in all labs' rounds this month", func(w *World) float64 { return w.shortfallTot })
	m.add(GroupCompute, "rounds_failed", "count", "rounds that raised nothing (below capital.min_raise) this month", func(w *World) float64 { return float64(w.roundsFailed) })
	m.add(GroupCompute, "training_cash_bound", "count", "independent labs whose training spend this month was capped by their cash and credits (binding constraint funds or shortfall)",
		func(w *World) float64 { return float64(w.cashBound) })
	m.add(GroupCompute, "training_credit_bound", "count", "independent labs whose training spend this month used up their credits exactly (binding constraint credits)",
		func(w *World) float64 { return float64(w.creditBound) })
	m.add(GroupCompute, "investor_pool", "US$B", "other investors' capital available to rounds after this month's replenishment", func(w *World) float64 { return w.pool.Available })
	m.computeMarketMetrics(c)
}

// computeMarketMetrics: the compute market of endogenous mode
// (computemarket.go) per cloud and in all; 0 in replay mode.
func (m *metricList) computeMarketMetrics(c *Cast) {
	for k := range c.Clouds {
		n := c.Clouds[k].Name
		m.add(GroupCompute, "compute_price_"+n, "US$ per H100-equivalent GPU-hour", "compute price of "+n+" this month: the quantity-weighted mean of its prices to the labs that buy there (0 if it sells nothing)",
			func(w *World) float64 { return w.cm.meanP[k] })
		m.add(GroupCompute, "gpu_capacity_"+n, "H100-equivalent GPU-hours/month", "compute capacity "+n+" offers labs this month (supply-line rule)",
			func(w *World) float64 { return w.cm.capSt[k].Capacity })
		m.add(GroupCompute, "utilisation_"+n, "fraction", "GPU-hours "+n+" sold to labs this month over its capacity",
			func(w *World) float64 { return w.utilisation(k) })
		m.add(GroupCompute, "capex_"+n, "US$B/month", "capex of "+n+" this month: capacity ordered x cloud.unit_capex, paid to suppliers",
			func(w *World) float64 { return w.cm.capex[k] })
	}
	m.add(GroupCompute, "compute_price", "US$ per H100-equivalent GPU-hour", "quantity-weighted mean compute price of all clouds this month (0 if nothing is sold; the H100 validation fact)",
		(*World).computePrice)
	m.add(GroupCompute, "compute_price_failures", "count", "months in which the compute-price solver did not converge (last month's prices used, rationed by tier): 0 or 1",
		func(w *World) float64 { return float64(w.cm.fails) })
}

func (w *World) contractShare(l int) float64 {
	if L := &w.Labs[l]; L.Backer >= 0 {
		return L.Contract.RevenueShare
	}
	return 0
}

func (w *World) nashShareNow(l int) float64 {
	if L := &w.Labs[l]; L.Backer >= 0 {
		return L.NashS
	}
	return 0
}

func (w *World) effectiveShare(l int) float64 {
	L := &w.Labs[l]
	if R := L.Revenue - L.RevBacker; R > 0 {
		return L.SharePaid / R
	}
	return 0
}

func (w *World) backerComputeShare(l int) float64 {
	L := &w.Labs[l]
	if p := w.partner(l); p >= 0 && L.Owner < 0 {
		return L.ComputeShare[p]
	}
	return 0
}

// eventMetrics: channel conflict, capability, rounds, contracts and M&A.
func (m *metricList) eventMetrics(c *Cast) {
	m.add(GroupConflict, "conflict_index", "fraction", "share of adopters whose choice set holds both channels of a model and who saw disparagement or a release lag this quarter",
		func(w *World) float64 { return w.conflictIdx })
	for _, l := range c.Metrics.BackerLabs {
		n := c.Labs[l].Name
		m.add(GroupConflict, "conflict_disparagement_"+n, "utils", "disparagement d chosen by the backer of "+n+" (0 without a backer)", func(w *World) float64 {
			if h := w.Labs[l].Backer; h >= 0 {
				return w.Hyper[h].Disparage
			}
			return 0
		})
	}
	for _, l := range c.Metrics.BackerLabs {
		n := c.Labs[l].Name
		m.add(GroupConflict, "conflict_lag_"+n, "months", "release lag L "+n+" sets for its backer's channel (0 without a backer)", func(w *World) float64 {
			if w.Labs[l].Backer >= 0 {
				return float64(w.Labs[l].Lag)
			}
			return 0
		})
	}
	m.add(GroupConflict, "release_lag_events", "count (cumulative)", "model releases that reached a backer channel with lag L > 0", func(w *World) float64 { return float64(w.lagEvents) })
	m.add(GroupCapability, "frontier_capability", "K units", "highest deployed capability index", func(w *World) float64 { return w.kFront })
	m.add(GroupFinance, "rounds", "count", "primary rounds closed this month", func(w *World) float64 { return float64(w.nRounds) })
	m.add(GroupFinance, "strategic_investment", "US$B/month", "hyperscaler strategic investment this month, all hyperscalers", func(w *World) float64 { return w.strategicM })
	m.add(GroupContracts, "renegotiations", "count (cumulative)", "backer-contract renegotiations", func(w *World) float64 { return float64(w.renegotiations) })
	m.add(GroupMA, "acquisitions", "count (cumulative)", "completed acquisitions of labs", func(w *World) float64 { return float64(w.acquisitions) })
	m.add(GroupMA, "acquihires", "count (cumulative)", "completed acqui-hires (licence + team)", func(w *World) float64 { return float64(w.acquihires) })
	m.add(GroupMA, "blocked_mergers", "count (cumulative)", "attempts blocked by the antitrust screen or merger control", func(w *World) float64 { return float64(w.blocked) })
	m.add(GroupMA, "governance_blocks", "count (cumulative)", "attempts blocked by the target's governance", func(w *World) float64 { return float64(w.govBlocked) })
	m.add(GroupMA, "exits", "count (cumulative)", "labs that ran out of cash and exited", func(w *World) float64 { return float64(w.exits) })
}

// factMetrics: raw series of the stylized facts (cloud affinity, investor
// ties, backer purchases) and the funding climate.
func (m *metricList) factMetrics(c *Cast) {
	for _, l := range c.Metrics.Labs {
		n := c.Labs[l].Name
		m.add(GroupFacts, "affinity_gap_"+n, "fraction", "P("+n+" | primary cloud = its partner hyperscaler) - P("+n+" | other primary), spend-weighted (SF3)",
			func(w *World) float64 { return w.affinityGap(l) })
	}
	m.add(GroupFacts, "tie_lift", "ratio", "share of tied labs among VC-tied buyers / among untied buyers (SF5; 0 if undefined)", (*World).tieLift)
	for _, l := range c.Metrics.BackerLabs {
		n := c.Labs[l].Name
		m.add(GroupFacts, "backer_purchases_"+n, "US$B/month", "backer-as-customer purchases from "+n+" (SF5)",
			func(w *World) float64 { return w.Labs[l].RevBacker })
	}
	m.add(GroupFinance, "funding_climate", "index", "funding-climate index (1 = neutral) multiplying round multiples", func(w *World) float64 { return w.climate })
}

// mhhi is the modified HHI of the model market with hyperscaler stakes.
// Every lab has a controller that holds some of its profits (its owner,
// its largest hyperscaler holder when hyperscalers hold it all, else its
// own holders), so the O'Brien-Salop weights are always defined.
func (w *World) mhhi() (float64, error) {
	// owners: the hyperscalers, then each lab's own holders
	for i := range w.mhhiCtl {
		clear(w.mhhiCtl[i])
		clear(w.mhhiOwn[i])
	}
	for l := range w.Labs {
		L := &w.Labs[l]
		w.mhhiShare[l] = 100 * w.modelShare[l]
		hs := 0.0
		for h := 0; h < w.nHyper; h++ {
			st := L.Cap.Stake(w.hsHolder(h))
			if st > 1 && st < 1+1e-9 {
				st = 1 // a whole lab's stake can round past 1
			}
			w.mhhiOwn[h][l] = st
			hs += st
		}
		self := math.Max(0, 1-hs)
		w.mhhiOwn[w.nHyper+l][l] = self
		switch {
		case L.Owner >= 0:
			// An acquired lab: its owner controls it and takes all its profits.
			for i := range w.mhhiOwn {
				w.mhhiOwn[i][l] = 0
			}
			w.mhhiOwn[L.Owner][l] = 1
			w.mhhiCtl[L.Owner][l] = 1
		case self == 0:
			// Wholly held by hyperscalers: the largest holder controls it.
			best := 0
			for h := 1; h < w.nHyper; h++ {
				if w.mhhiOwn[h][l] > w.mhhiOwn[best][l] {
					best = h
				}
			}
			w.mhhiCtl[best][l] = 1
		default:
			w.mhhiCtl[w.nHyper+l][l] = 1
		}
	}
	for k := 0; k < w.nOwn; k++ {
		// a hyperscaler's own model: wholly its own
		j, h := w.nLabs+k, w.ownCloud[k]
		w.mhhiShare[j] = 100 * w.ownModelShare[h]
		w.mhhiOwn[h][j], w.mhhiCtl[h][j] = 1, 1
	}
	v, err := market.MHHI(w.mhhiShare, w.mhhiCtl, w.mhhiOwn)
	if err != nil {
		return 0, fmt.Errorf("MHHI of the model market: %w", err)
	}
	return v, nil
}

// affinityGap is P(lab | primary = its partner cloud) - P(lab | other), spend-weighted.
func (w *World) affinityGap(l int) float64 {
	p := w.partner(l)
	if p < 0 || w.spendTot == 0 {
		return 0
	}
	f := w.intensity * w.invSize
	na, nch := w.numAlt, w.numCh
	var in, inTot, out, outTot float64
	for cell := 0; cell < w.numCells; cell++ {
		cw := w.cellW[cell] * f
		if cw == 0 {
			continue
		}
		x := 0.0
		for ch := 0; ch < nch; ch++ {
			x += w.cellShare[cell*na+l*nch+ch]
		}
		if w.cellPrimary(cell) == p {
			in += cw * x
			inTot += cw
		} else {
			out += cw * x
			outTot += cw
		}
	}
	if inTot == 0 || outTot == 0 {
		return 0
	}
	return in/inTot - out/outTot
}

// tieLift is the spend share VC-tied buyers give their fund's labs over the
// share untied buyers give the same labs.
func (w *World) tieLift() float64 {
	if w.spendTot == 0 {
		return 0
	}
	f := w.intensity * w.invSize
	na, nch := w.numAlt, w.numCh
	var num, den float64
	for fd := 1; fd <= w.nFunds; fd++ {
		var tied, tiedTot, base, baseTot float64
		for cell := 0; cell < w.numCells; cell++ {
			cw := w.cellW[cell] * f
			if cw == 0 {
				continue
			}
			tie := w.cellTie(cell)
			if tie != 0 && tie != fd {
				continue
			}
			x := 0.0
			for l := range w.Labs {
				if w.tieLab[fd][l] {
					for ch := 0; ch < nch; ch++ {
						x += w.cellShare[cell*na+l*nch+ch]
					}
				}
			}
			if tie == fd {
				tied += cw * x
				tiedTot += cw
			} else {
				base += cw * x
				baseTot += cw
			}
		}
		if tiedTot > 0 && baseTot > 0 {
			num += tied / tiedTot * tiedTot
			den += base / baseTot * tiedTot
		}
	}
	if den <= 0 {
		return 0
	}
	return num / den
}

// checkInvariants asserts conservation of money, valid shares, cap tables
// summing to one and finite metrics.
func (w *World) checkInvariants(t int) error {
	if err := w.ledger.check(); err != nil {
		return err
	}
	if d := math.Abs(w.ledger.entOut - w.spendTot); d > 1e-9*math.Max(1, w.spendTot) {
		return fmt.Errorf("money conservation: enterprise paid %g but spent %g", w.ledger.entOut, w.spendTot)
	}
	if w.dm.on {
		if err := w.checkDemand(); err != nil {
			return err
		}
	}
	// A month may offer nothing yet: no lab founded, or none with a model
	// released (a world may found every lab later). Then every share is 0.
	offered := false
	for seg := 0; seg < w.numSeg && !offered; seg++ {
		none := seg * w.incStride
		for _, x := range w.cellShare[none*w.numAlt : (none+1)*w.numAlt] {
			offered = offered || x > 0
		}
	}
	if offered || w.spendTot > 0 {
		if err := checkShares("model shares", append(append(w.shareScratch[:0], w.modelShare...), w.ownModelShare...)); err != nil {
			return err
		}
		if err := checkShares("model group shares", append(append(w.shareScratch[:0], w.groupShare...), w.ownModelShare...)); err != nil {
			return err
		}
	} else if err := checkZero("model shares (no model is offered)", w.modelShare); err != nil {
		return err
	}
	cloudTot := 0.0
	for _, x := range w.cloudRev {
		cloudTot += x
	}
	if cloudTot > 0 {
		if err := checkShares("cloud shares", w.cloudShare); err != nil {
			return err
		}
	} else if err := checkZero("cloud shares (no cloud revenue)", w.cloudShare); err != nil {
		return err
	}
	na := w.numAlt
	for cell := 0; cell < w.numCells; cell++ {
		if w.cellW[cell] == 0 {
			continue
		}
		sh := w.cellShare[cell*na : (cell+1)*na]
		if checkZero("", sh) == nil {
			continue // nothing offered to this cell (its spend is 0)
		}
		if err := checkShares("workload shares", sh); err != nil {
			return fmt.Errorf("cell %d: %w", cell, err)
		}
	}
	for l := range w.Labs {
		L := &w.Labs[l]
		if L.Active && !L.parentFunded {
			if err := checkShares("compute shares of "+L.Name, L.ComputeShare[:w.nClouds]); err != nil {
				return err
			}
		}
		if sum := L.Cap.Sum(); math.Abs(sum-1) > 1e-9 {
			return fmt.Errorf("cap table of %s sums to %.12g", L.Name, sum)
		}
		for _, name := range w.holders {
			if st := L.Cap.Stake(name); st < -1e-12 || st > 1+1e-12 {
				return fmt.Errorf("cap table of %s: stake of %s = %g", L.Name, name, st)
			}
		}
		if s := L.Contract.RevenueShare; s < 0 || s > 1 {
			return fmt.Errorf("contract share of %s = %g", L.Name, s)
		}
	}
	for c, v := range w.rec.Row(t) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("metric %s = %g", w.metrics[c].Name, v)
		}
	}
	return nil
}

// checkZero asserts that every share is 0 (a month in which no model is
// offered).
func checkZero(what string, s []float64) error {
	for i, x := range s {
		if x != 0 {
			return fmt.Errorf("%s: share %d = %g, want 0", what, i, x)
		}
	}
	return nil
}

func checkShares(what string, s []float64) error {
	sum := 0.0
	for i, x := range s {
		if !(x >= -1e-12 && x <= 1+1e-12) {
			return fmt.Errorf("%s: share %d = %g outside [0,1]", what, i, x)
		}
		sum += x
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("%s sum to %.12g, want 1", what, sum)
	}
	return nil
}

// sumLabs is a metric's value function: the sum over all labs, in order, of
// f of each.
func sumLabs(f func(L *Lab) float64) func(w *World) float64 {
	return func(w *World) float64 {
		x := 0.0
		for l := range w.Labs {
			x += f(&w.Labs[l])
		}
		return x
	}
}

// calibrationMetrics (GroupCalibration, off by default): the observables
// the calibration's stylized facts read from the buyer population and the
// backer relationships (SF2, SF3, SF5, SF6).
func (m *metricList) calibrationMetrics(c *Cast) {
	ct := newContingency(len(c.Clouds), c.Hyperscalers()+1)
	partners := make([]int, len(c.Labs))
	m.add(GroupCalibration, "cramer_v_cloud", "index 0-1",
		"Cramér's V of adopters' primary cloud x the partner cloud of their main vendor (its owner, else its partner hyperscaler, else none), counting buyers (SF3; 0 without adopters)",
		func(w *World) float64 { return w.cramerVCloud(ct, partners) })
	for _, l := range c.Metrics.BackerLabs {
		n := c.Labs[l].Name
		m.add(GroupCalibration, "backer_"+n, "cloud index (-1: none)",
			"the hyperscaler backing "+n+", as its index among the world's clouds (-1 without a backer; SF2, SF5, SF6)",
			func(w *World) float64 { return float64(w.Labs[l].Backer) })
		m.add(GroupCalibration, "max_buyer_spend_"+n, "US$B/month",
			"largest total spend of one buyer whose main vendor is "+n+": its size / the adopters' total size x enterprise spend (0 without adopters); an upper bound on its spend with "+n+" (SF5)",
			func(w *World) float64 { return w.maxBuyerSpend(l) })
	}
}

// partnerColumn is lab l's column in the table of cramerVCloud: its owner,
// else its partner hyperscaler, else "none" (w.nHyper).
func (w *World) partnerColumn(l int) int {
	if o := w.Labs[l].Owner; o >= 0 {
		return o
	}
	if p := w.partner(l); p >= 0 {
		return p
	}
	return w.nHyper
}

// cramerVCloud is Cramér's V of the contingency table primary cloud x
// partner cloud of the main vendor (partnerColumn) over adopted buyers,
// counting buyers. ct and partners are scratch of the world's dimensions.
func (w *World) cramerVCloud(ct *contingency, partners []int) float64 {
	for l := range partners {
		partners[l] = w.partnerColumn(l)
	}
	ct.reset()
	for i, inc := range w.Buyers.Inc {
		if inc == 0 {
			continue
		}
		prim, _, _ := w.segment(int(w.Buyers.Seg[i]))
		ct.add(prim, partners[inc-1])
	}
	return ct.cramerV()
}

// maxBuyerSpend is the largest spend of one buyer whose main vendor is lab
// l: its size times total enterprise spend over the adopted buyers' total
// size.
func (w *World) maxBuyerSpend(l int) float64 {
	tot, mx := 0.0, 0.0
	for i, inc := range w.Buyers.Inc {
		if inc == 0 {
			continue
		}
		sz := float64(w.Buyers.Size[i])
		tot += sz
		if int(inc) == l+1 && sz > mx {
			mx = sz
		}
	}
	if tot == 0 {
		return 0
	}
	return mx / tot * w.spendTot
}

// contingency is a two-way table of counts with the scratch of its margins.
type contingency struct {
	tab        [][]float64
	rows, cols []float64
	n          float64
}

func newContingency(rows, cols int) *contingency {
	c := &contingency{tab: make([][]float64, rows), rows: make([]float64, rows), cols: make([]float64, cols)}
	for i := range c.tab {
		c.tab[i] = make([]float64, cols)
	}
	return c
}

func (c *contingency) reset() {
	for i := range c.tab {
		clear(c.tab[i])
	}
	c.n = 0
}

// add counts one observation in cell (i, j).
func (c *contingency) add(i, j int) {
	c.tab[i][j]++
	c.n++
}

// cramerV is Cramér's V, sqrt(χ²/(n (min(r, c) - 1))), over the rows and
// columns that hold observations; 0 without observations or with a single
// such row or column.
func (c *contingency) cramerV() float64 {
	if c.n == 0 || len(c.tab) == 0 {
		return 0
	}
	clear(c.rows)
	clear(c.cols)
	for i := range c.tab {
		for j, x := range c.tab[i] {
			c.rows[i] += x
			c.cols[j] += x
		}
	}
	chi := 0.0
	nr, nc := 0, 0
	for i := range c.rows {
		if c.rows[i] > 0 {
			nr++
		}
	}
	for j := range c.cols {
		if c.cols[j] > 0 {
			nc++
		}
	}
	for i := range c.tab {
		for j := range c.cols {
			e := c.rows[i] * c.cols[j] / c.n
			if e > 0 {
				d := c.tab[i][j] - e
				chi += d * d / e
			}
		}
	}
	k := min(nr, nc) - 1
	if k < 1 {
		return 0
	}
	return math.Sqrt(chi / c.n / float64(k))
}
