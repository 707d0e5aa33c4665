package agents

import (
	"math"

	"frontiersim/market"
)

// bargainState is the month's record of the contract phase's bargains and
// the watch on sticky shares (model-v2.md §3.3, domain model §3.1(e)).
type bargainState struct {
	// this month: renegotiations opened, bargains that failed (the
	// agreement ended) and solves that did not converge
	renegotiated, failed, nonConverged int
	// above[l] counts the consecutive months lab l's contract share has
	// stood above its bargained share (the Nash share under the cap) by
	// more than the band
	above [MaxLabs]int
	// stuck counts (cumulatively) the months in which some contract share
	// had stood above its bargained share by more than the band for more
	// than contract.hold_months
	stuck int
	// err is the error of a bargain in the contract phase (returned by it)
	err error
}

// bargainedShare is the revenue share the parties would agree now: the
// Nash share, but never above the policy cap. Both parties' proposals are
// measured from it: the backer cannot propose above the cap, so a Nash
// share above the cap is no reason to reopen a contract already at the
// cap, and a Nash share that falls below a capped contract reopens it like
// any other.
func (w *World) bargainedShare(nash float64) float64 {
	return math.Min(nash, w.Reg.RevenueShareCap)
}

// reviewContract advances lab l's renegotiation trigger by month t, with
// nash the Nash share of the month (ok false: no agreement exists), arr the
// lab's ARR and expiry the month its exclusive terms end (0: none). When
// the trigger fires the contract is re-bargained to the bargained share,
// or, without an agreement, the partnership ends (reported false).
func (w *World) reviewContract(l, t int, nash float64, ok bool, arr float64, expiry int) (kept bool) {
	s := &w.S
	L := &w.Labs[l]
	trig := market.RenegotiationTrigger{ARRThreshold: s.Contract.ARRThreshold, Band: s.Contract.Band, HoldMonths: s.Contract.HoldMonths}
	target := w.bargainedShare(nash)
	if fire, _ := trig.Check(&L.trig, arr, L.Contract.RevenueShare, target, t, expiry); !fire {
		return true
	}
	w.renegotiations++
	w.bg.renegotiated++
	w.ag.event[l] = t + 1 // a formation trigger of the lab's pairs (formationDue)
	if w.agreementsOn() {
		// endogenous mode: a Nash-in-Nash bargain over all of the lab's
		// agreements (agreements.go), which sets the share or ends them
		kept, err := w.bargainAgreements(l, t, -1)
		if err != nil {
			w.bg.err = err
			return false
		}
		if kept {
			L.Contract.RevenueShare = math.Min(L.Contract.RevenueShare, w.Reg.RevenueShareCap)
		}
		return kept
	}
	if !ok {
		// failed bargain: the partnership ends (the backer keeps its equity)
		w.bg.failed++
		w.endPartnership(l)
		return false
	}
	L.Contract.RevenueShare = target
	return true
}

// watchShare updates the count of months lab l's contract share has stood
// above its bargained share by more than the band (after the month's
// contract phase; 0 without a backer).
func (w *World) watchShare(l int) {
	L := &w.Labs[l]
	if L.Backer < 0 || !L.Active || L.Owner >= 0 {
		w.bg.above[l] = 0
		return
	}
	if L.Contract.RevenueShare > w.bargainedShare(L.NashS)+w.S.Contract.Band+1e-12 {
		w.bg.above[l]++
		if w.bg.above[l] > w.S.Contract.HoldMonths {
			w.bg.stuck++
		}
		return
	}
	w.bg.above[l] = 0
}

// bargainMetrics: the terms in force of each backer agreement and the
// contract phase's bargains of the month (bargainState).
func (m *metricList) bargainMetrics(c *Cast) {
	for _, l := range c.Metrics.BackerLabs {
		n := c.Labs[l].Name
		m.add(GroupContracts, "reciprocal_share_"+n, "fraction", "reciprocal share in force: the fraction of its resale revenue of "+n+"'s models the backer pays "+n+" (0 without a backer)",
			func(w *World) float64 {
				if L := &w.Labs[l]; L.Backer >= 0 {
					return L.Contract.ReciprocalShare
				}
				return 0
			})
		m.add(GroupContracts, "serving_fee_"+n, "US$B/month", "per-unit fees in force this month: the serving cost of "+n+"'s resold units the resellers reimburse it (endogenous mode; 0 in replay mode)",
			func(w *World) float64 { return w.Labs[l].servingFee })
	}
	m.add(GroupContracts, "agreements", "count", "labs holding a backer agreement at the end of the month", func(w *World) float64 {
		n := 0
		for l := range w.Labs {
			if L := &w.Labs[l]; L.Active && L.Backer >= 0 && L.Owner < 0 {
				n++
			}
		}
		return float64(n)
	})
	m.add(GroupContracts, "renegotiations_month", "count", "backer agreements reopened by a renegotiation trigger this month", func(w *World) float64 { return float64(w.bg.renegotiated) })
	m.add(GroupContracts, "bargains_failed", "count", "reopened agreements whose bargain failed this month (no agreement: the agreement ended; a backer's: the partnership ended; endogenous mode includes lab × hyperscaler resale agreements)", func(w *World) float64 { return float64(w.bg.failed) })
	m.add(GroupContracts, "bargains_nonconverged", "count", "bargaining solves that did not converge this month (the terms in force kept)", func(w *World) float64 { return float64(w.bg.nonConverged) })
	m.add(GroupContracts, "contract_share_stuck", "count (cumulative)", "months in which a contract share had stood above min(revenue-share cap, Nash share) + contract.band for more than contract.hold_months months", func(w *World) float64 { return float64(w.bg.stuck) })
}
