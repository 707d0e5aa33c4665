package agents

import (
	"math"

	"frontiersim/market"
)

// Cloud credits in the compute market (docs/ODD.md, "Compute and
// capital"). Part of a hyperscaler's strategic investment in a lab is paid
// as credits usable only on that hyperscaler's cloud
// (finance.credit_share): prepaid compute, so the lab's cash price there
// is 0 up to its credit balance. The lab spends its credits before cash
// where it can:
//
//  1. the credit tranche: before the month's price solve, a lab buys at
//     every hyperscaler it holds credits at and may buy from (its access
//     row not barred), in hyperscaler order, the GPU-hours its credits
//     there pay for at the price it expects at that cloud (last month's
//     price to it there, else expectedPrice), at most what it wants this
//     month (training + inference) less the tranches already placed. The
//     tranche enters market.ComputeSolver as the lab's committed volume at
//     the cloud: served first, pro rata if the tranches exceed the
//     capacity, so the lab gets at most the capacity available to it; the
//     cloud's price still clears its capacity (the rest of it) and the
//     lab pays that price for the tranche, from its credits (accounting:
//     credits first, the cloud's revenue booked from credits), any excess
//     over the credits in cash;
//  2. the cash part: the rest of what it wants is allocated by the logit
//     on cash prices, with the potential scaled to that rest; a cloud's
//     credit attraction (cloud.credit_attraction) counts only where the
//     lab holds credits the tranche does not use up.
//
// The round trigger (planShort) counts cash and, at each hyperscaler, only
// the credits the lab's plan can spend there within the trigger window:
// at most trigger months of what it bought there last month. The runway
// (labRunway: the shadow cost of cash, the bargaining impatience, the
// replay rounds and burn cuts, weakness in M&A) counts the credits the lab
// spends on compute within the runway itself.

// labRunway is lab l's runway (months) at monthly burn and revenue, by
// market.RunwayWithCredits: its cash, plus its credits at the
// hyperscalers whose compute it may buy (access not barred in its compute
// market row, this month's or, before this month's purchases, last
// month's), counted only as far as they pay the compute part of the burn
// (capability.compute_fraction of it: credits pay no staff, data or
// overheads) within the runway. The lab spends credits before cash
// wherever it holds them (creditTranches), so its credits together pay
// its compute until they run out. A lab with large credits and no cash
// thus has a runway of 0 unless its revenue covers its other opex.
func (w *World) labRunway(l int, burn, revenue float64) float64 {
	cash := w.ledger.bal[w.accLab(l)]
	acc := w.cm.m.Access
	credits := 0.0
	for h := 0; h < w.nHyper; h++ {
		if i := l*w.nClouds + h; len(acc) > i && acc[i] == market.AccessBarred {
			continue
		}
		credits += math.Max(0, w.ledger.bal[w.accCredit(l, h)])
	}
	return market.RunwayWithCredits(cash, burn, revenue, credits, w.S.Capability.ComputeFraction*burn)
}

// creditTranches places lab j's credit tranches at the clouds of its
// access row acc (market.ComputeMarket.Committed, GPU-hours) for want
// GPU-hours, and returns their total. Every other lab's row is untouched.
func (w *World) creditTranches(j int, want float64, acc []market.Access) float64 {
	c := &w.cm
	K := w.nClouds
	if c.m.Committed == nil {
		c.m.Committed = make([]float64, w.nLabs*K)
		c.creditP = make([]float64, w.nLabs*K)
	}
	row := j * K
	com, cp := c.m.Committed[row:row+K], c.creditP[row:row+K]
	clear(com)
	clear(cp)
	left := want
	for k := 0; k < w.nHyper && left > 0; k++ {
		b := w.ledger.bal[w.accCredit(j, k)]
		if !(b > 1e-12) || acc[k] == market.AccessBarred {
			continue
		}
		p := w.expectedPrice(j)
		if c.haveLast {
			if q := c.last[row+k]; q > 0 && !math.IsInf(q, 1) {
				p = q
			}
		}
		if !(p > 0) {
			continue
		}
		x := math.Min(left, b*1e9/p)
		com[k], cp[k] = x, p
		left -= x
	}
	return want - math.Max(0, left)
}

// creditsLeft reports whether lab j holds credits at hyperscaler k beyond
// what this month's credit tranche there spends at its expected price.
func (w *World) creditsLeft(j, k int) bool {
	c := &w.cm
	b := w.ledger.bal[w.accCredit(j, k)]
	if c.m.Committed != nil {
		i := j*w.nClouds + k
		b -= c.m.Committed[i] * c.creditP[i] * 1e-9
	}
	return b > 1e-12
}

// addCreditServed adds the credit tranches served (the solver's committed
// volumes, served) to the month's quantities, at the price the cloud
// charges the lab, or, where the cloud charges it no finite price this
// month (closed to it after the tranches), the price the tranche was
// placed at.
func (w *World) addCreditServed(served []float64) {
	c := &w.cm
	if c.m.Committed == nil {
		return
	}
	for i, x := range served {
		if x > 0 {
			c.qty[i] += x
			if math.IsInf(c.price[i], 1) || !(c.price[i] > 0) {
				c.price[i] = c.creditP[i]
			}
		}
	}
}

// plannedCredits is what independent lab l's plan can spend of its
// credits within trigger months: at each hyperscaler, the lesser of its
// credits there and trigger months of last month's compute bill there.
func (w *World) plannedCredits(l int, trigger float64) float64 {
	L := &w.Labs[l]
	x := 0.0
	for h := 0; h < w.nHyper; h++ {
		b := w.ledger.bal[w.accCredit(l, h)]
		if b > 0 {
			x += math.Min(b, trigger*math.Max(0, L.lastCompute*L.ComputeShare[h]))
		}
	}
	return x
}
