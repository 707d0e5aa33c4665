package agents

import (
	"fmt"
	"math"

	"frontiersim/market"
)

// The agreement set of a backer contract is chosen (model-v2.md §3.3;
// docs/ODD.md, "Compute exclusivity is chosen"). In endogenous mode no
// calendar ends compute exclusivity or the ROFR: the lab sells
// exclusivity to its backer for cash when the bargain has gains for both,
// and gives it up (or buys it back) when its outside option has grown.
//
// The lab's objective: the compute surplus it gets from the month's
// compute market (market.ExclusivityGains on the month's prices, values,
// potential and the clouds' spare capacity: with vs without the
// exclusivity constraint) over the term, plus the cash it receives valued
// at 1 + mu (mu its shadow cost of cash from the compute rule, L.mu). The
// backer's offer: its gain from exclusivity (its margin cloud.margin on
// the lab's compute it keeps), split with the lab by the Nash weights
// (the lab's weight from its impatience, as in the revenue-share bargain),
// market.ExclusivityDeal. The transfer is cash, paid up front for a term
// of contract.exclusivity_term months (annuity factor at
// compute.discount_rate); the lab may end exclusivity within a term by
// refunding the unexpired part of the payment pro rata
// (market.ExclusivityBuyback).
//
// The agreement set is reviewed
//   - when the contract is formed (the partnership auction of the lab's
//     first round);
//   - when the lab's cash no longer covers its compute plan (the month it
//     raises capital, planShort);
//   - when the exclusivity term ends;
//   - when the set the lab would choose has differed from the one in
//     force for more than contract.hold_months consecutive months (the
//     hysteresis trigger of the revenue-share bargain, domain-model
//     §3.1(e)(v)).
//
// A change of the agreement set (or the end of a term) opens the
// revenue-share bargain in the same month: it is the contract's expiry
// trigger (domain-model §3.1(e)(iv)), with the term's end as the expiry.
//
// ROFR follows exclusivity: it is held while exclusivity is and ends with
// it. In the compute market a ROFR is priority at the holder with the
// other clouds open (market.ComputeAccess): it takes nothing the lab's
// logit values from it, so there is no gain for the lab to sell separately
// and none for the backer to pay for; the payment buys the bundle.
//
// policy.ban_exclusive (compute or both) makes the exclusive set
// infeasible: no review, no payment.

// exclusivityGains returns lab l's monthly loss from compute exclusivity
// with its backer and the backer's monthly gain (US$B/month) on this
// month's compute market (endogenous mode; 0, 0 if the lab buys no
// compute). A rival cloud's price is the one it offers the lab, or, where
// the lab may not buy there, its mean price to the labs that do (a cloud
// that sold nothing is no option); its availability is its spare capacity
// plus what the lab bought there, over the GPU-hours the lab wants.
func (w *World) exclusivityGains(l int) (labLoss, cloudGain float64, err error) {
	c := &w.cm
	L := &w.Labs[l]
	h := L.Backer
	K := w.nClouds
	if h < 0 || !L.buysCompute() || c.want[l] <= 0 || c.m.Potential[l] <= 0 {
		return 0, 0, nil
	}
	row := l * K
	var price, avail [MaxClouds]float64
	for k := range K {
		price[k] = c.price[row+k]
		if k == h {
			avail[k] = 1
			continue
		}
		if math.IsInf(price[k], 1) {
			price[k] = math.Inf(1)
			if c.meanP[k] > 0 {
				price[k] = c.meanP[k]
			}
		}
		spare := math.Max(0, c.m.Capacity[k]-c.sold[k]) + c.qty[row+k]
		avail[k] = math.Min(1, spare/c.want[l])
	}
	loss, gain, err := market.ExclusivityGains(c.m.Alpha[l], c.m.Potential[l], w.S.Cloud.Margin, h,
		c.m.Value[row:row+K], price[:K], avail[:K])
	if err != nil {
		return 0, 0, fmt.Errorf("agents: exclusivity of %s: %w", L.Name, err)
	}
	return loss * 1e-9, gain * 1e-9, nil
}

// reviewAgreementSet is the agreement-set rule of lab l with its backer in
// month t (endogenous mode; see above). formed is true when the contract
// is formed this month (always a review).
func (w *World) reviewAgreementSet(l, t int, formed bool) error {
	s := &w.S
	L := &w.Labs[l]
	h := L.Backer
	if w.Reg.BanCompute {
		L.Contract.ComputeExclusive, L.Contract.ROFR = false, false
		L.exclUntil, L.rofrUntil, L.exclPaid, L.exclPrefer = never, never, 0, 0
		return nil
	}
	loss, gain, err := w.exclusivityGains(l)
	if err != nil {
		return err
	}
	term := s.Contract.ExclusivityTerm
	a, err := market.AnnuityFactor(float64(term), s.Compute.DiscountRate)
	if err != nil {
		return fmt.Errorf("agents: exclusivity term: %w", err)
	}
	cash := w.ledger.bal[w.accLab(l)]
	rl := market.ImpatienceRate(market.Runway(cash, L.Burn, L.Revenue), s.Bargaining.RMin, s.Bargaining.RMax, s.Bargaining.Tau)
	beta := market.BargainingWeight(rl, s.Bargaining.RH)
	pay, sell := market.ExclusivityDeal(loss, gain, L.mu, beta, a)
	excl := L.Contract.ComputeExclusive
	expired := excl && t >= L.exclUntil
	refund, drop := 0.0, false
	if excl && !expired {
		left := L.exclUntil - t
		al, err := market.AnnuityFactor(float64(left), s.Compute.DiscountRate)
		if err != nil {
			return fmt.Errorf("agents: exclusivity term left: %w", err)
		}
		refund = L.exclPaid * float64(left) / float64(term)
		drop = market.ExclusivityBuyback(loss, L.mu, al, refund) && cash >= refund
	}
	// the set the lab would choose now differs from the one in force
	if (excl && !expired && drop) || (!excl && sell) {
		L.exclPrefer++
	} else {
		L.exclPrefer = 0
	}
	// the month it raises capital: phaseFinance's condition for a round
	raises := (t-L.LastRound >= int(s.Finance.MinInterval) || cash < L.Burn) && w.planShort(l, s.Finance.RunwayTrigger)
	review := formed || expired || raises || L.exclPrefer > s.Contract.HoldMonths
	if !review {
		return nil
	}
	L.exclPrefer = 0
	switch {
	case excl && !expired:
		if drop {
			w.ledger.xfer(w.accLab(l), w.accCloud(h), refund)
			L.exclPayment(t, -refund)
			w.endExclusivity(l)
		}
	case sell:
		w.ledger.xfer(w.accCloud(h), w.accLab(l), pay)
		L.exclPayment(t, pay)
		L.exclPaid = pay
		L.Contract.ComputeExclusive, L.Contract.ROFR = true, true
		L.exclUntil, L.rofrUntil = t+term, t+term
	default:
		w.endExclusivity(l)
	}
	if L.Contract.ComputeExclusive != excl || expired {
		L.exclChanged = t // the share bargain reopens (phaseContracts' expiry trigger)
	}
	return nil
}

// exclPayment books x (US$B, a refund < 0) as lab l's exclusivity
// payment of month t.
func (L *Lab) exclPayment(t int, x float64) {
	if L.exclPayT != t {
		L.exclPayT, L.exclPayM = t, 0
	}
	L.exclPayM += x
}

// endExclusivity ends lab l's compute exclusivity and, with it, the ROFR.
func (w *World) endExclusivity(l int) {
	L := &w.Labs[l]
	L.Contract.ComputeExclusive, L.Contract.ROFR = false, false
	L.exclUntil, L.rofrUntil, L.exclPaid = never, never, 0
}

// exclusivityMetrics: the agreement set in force for each recorded lab and
// the month's exclusivity payments.
func (m *metricList) exclusivityMetrics(c *Cast) {
	for _, l := range c.Metrics.Labs {
		n := c.Labs[l].Name
		m.add(GroupContracts, "exclusive_"+n, "0/1", "1 while "+n+" has a backer and its contract gives the backer compute exclusivity (endogenous mode: chosen, agents/exclusivity.go; replay: world-file events), else 0",
			func(w *World) float64 {
				if L := &w.Labs[l]; L.Backer >= 0 && L.Owner < 0 && L.Contract.ComputeExclusive {
					return 1
				}
				return 0
			})
		m.add(GroupContracts, "rofr_"+n, "0/1", "1 while "+n+" has a backer and its contract gives the backer a right of first refusal on compute, else 0",
			func(w *World) float64 {
				if L := &w.Labs[l]; L.Backer >= 0 && L.Owner < 0 && L.Contract.ROFR {
					return 1
				}
				return 0
			})
	}
	m.add(GroupContracts, "exclusivity_payments", "US$B/month", "cash the backers paid labs for compute exclusivity this month, less the refunds of labs that bought it back (endogenous mode)",
		func(w *World) float64 {
			x := 0.0
			for l := range w.Labs {
				if L := &w.Labs[l]; L.exclPayT == w.t {
					x += L.exclPayM
				}
			}
			return x
		})
}
