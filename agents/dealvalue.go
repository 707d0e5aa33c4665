package agents

import (
	"errors"
	"fmt"
	"math"

	"frontiersim/market"
)

// Deal valuation from the model's own demand, pricing and compute
// (model-v2.md §3.4; domain-model.md §3.6; docs/ODD.md, "Control and
// merger control"). When the attempt hazard of a hyperscaler h and an
// independent lab l fires, the buyer re-solves the month's pricing game
// (pricing.go: the problem phase 3 built, market.Pricer) three ways:
//
//   - standalone: the month's problem as it is (solved once per month in
//     which a valuation runs, then reused for every pair);
//   - merged: the target's products owned by the buyer as an acquired
//     lab's are (the direct channel closes, except an open-weight lab's own
//     API; a closed model is sold on the buyer's channel only, priced and
//     served by the buyer at the lab's marginal cost; the revenue share,
//     reciprocal and marketplace shares and serving fees on the target's
//     products and every holder's profit interest in the target end; the
//     backer's disparagement of the direct channel ends);
//   - licence and hire (only when the target is weak): the target's products
//     withdrawn (the lab winds down) and the buyer's own model, if it sells
//     one, at the capability gap the hired team closes it to.
//
// The monthly profits are each firm's cash flow in the game at the solved
// prices (market.PriceEquilibrium.Profits: revenue less the costs it bears,
// the wedges and fees it pays, plus those it receives), in US$B a month.
// The merged firm's profit adds the compute the target buys from other
// clouds, moved to the buyer's capacity (the margin saved; the GPU-hours
// that capacity cannot serve lost at compute.gpu_hour_value). What the
// target earns outside the enterprise market and its training and other
// operating costs continue under either owner and are left out on both
// sides: the buyer's gain is unaffected, and the target's standalone value
// is on the same basis as the merged firm's.

// dealState is the deal valuation's pricing problem and solves.
type dealState struct {
	pr       market.Pricer
	prob     market.PricingProblem
	base, eq market.PriceEquilibrium
	baseFor  int // month of the standalone solve (-1: none)
	baseErr  bool
	cells    []market.DemandCell
	quality  []float64 // segment x alternative
	cost     []float64
	owner    []int
	bearer   []int
	avail    []bool
	start    []float64
	altBase  []float64 // segment-free utilities of the deal's alternatives
	row      []float64 // one segment's utilities
	wedges   []market.RevenueWedge
	fees     []market.UnitFee
	inter    []market.ProfitInterest
	// cumulative: pricing solves of valuations and those that failed (the
	// pair is then not valued and no bid is made)
	solves, fails int
}

func (w *World) newDeal() {
	dl := &w.deal
	S, J := w.numSeg, w.numAlt
	dl.cells = make([]market.DemandCell, S)
	dl.quality = make([]float64, S*J)
	for s := range dl.cells {
		dl.cells[s].Quality = dl.quality[s*J : (s+1)*J]
	}
	dl.cost, dl.start, dl.altBase, dl.row = make([]float64, J), make([]float64, J), make([]float64, J), make([]float64, J)
	dl.owner, dl.bearer = make([]int, J), make([]int, J)
	dl.avail = make([]bool, J)
	dl.wedges = make([]market.RevenueWedge, 0, 2*J)
	dl.fees = make([]market.UnitFee, 0, J)
	dl.inter = make([]market.ProfitInterest, 0, w.nLabs*w.nHyper)
}

func (w *World) resetDeal() {
	dl := &w.deal
	dl.baseFor, dl.baseErr = -1, false
	dl.solves, dl.fails = 0, 0
}

// dealSolve solves prob into eq from start (the solver's own starting
// points if the warm start overflows the demand); false: no equilibrium
// (counted: deal_valuation_failures). In check mode a converged solve's
// first-order-condition residual must be at most 1e-6 x price, as the
// month's.
func (w *World) dealSolve(prob *market.PricingProblem, start []float64, eq *market.PriceEquilibrium) (bool, error) {
	dl := &w.deal
	dl.solves++
	err := dl.pr.Solve(prob, start, eq)
	if errors.Is(err, market.ErrInvalidArgument) {
		err = dl.pr.Solve(prob, nil, eq)
	}
	switch {
	case errors.Is(err, market.ErrNoEquilibrium):
		dl.fails++
		return false, nil
	case err != nil:
		return false, err
	}
	if w.check && eq.Residual > pricingResidualCheck {
		return false, fmt.Errorf("first-order-condition residual %g x price, want <= %g", eq.Residual, pricingResidualCheck)
	}
	return true, nil
}

// dealBase solves the month's pricing problem as it is (the standalone
// profits), once per month; false: no pricing game this month or no
// equilibrium.
func (w *World) dealBase() (bool, error) {
	dl := &w.deal
	pg := &w.pg
	if !pg.built {
		return false, nil
	}
	if dl.baseFor == w.t {
		return !dl.baseErr, nil
	}
	for a, av := range pg.avail {
		dl.start[a] = w.dm.bill[a]
		if av && !(dl.start[a] > pg.cost[a]) {
			dl.start[a] = pg.cost[a] + 1/w.dm.betaP[0]
		}
	}
	ok, err := w.dealSolve(&pg.prob, dl.start, &dl.base)
	if err != nil {
		return false, fmt.Errorf("standalone pricing of month %d: %w", w.t, err)
	}
	dl.baseFor, dl.baseErr = w.t, !ok
	return ok, nil
}

// dealProblem writes into w.deal.prob the month's pricing problem after a
// deal of hyperscaler h for lab l: an acquisition (licence false) or a
// licence-and-hire deal (see the comment at the top of this file).
func (w *World) dealProblem(l, h int, licence bool) {
	s := &w.S
	pg := &w.pg
	dl := &w.deal
	J, nch, nl := w.numAlt, w.numCh, w.nLabs
	L := &w.Labs[l]
	buyer := nl + h
	copy(dl.cost, pg.cost)
	copy(dl.owner, pg.owner)
	copy(dl.bearer, pg.bearer)
	copy(dl.avail, pg.avail)
	for c := range dl.cells {
		copy(dl.cells[c].Quality, pg.cells[c].Quality)
		dl.cells[c].Weight, dl.cells[c].BetaP = pg.cells[c].Weight, pg.cells[c].BetaP
	}
	lo, hi := l*nch, (l+1)*nch
	inLab := func(a int) bool { return a >= lo && a < hi }
	dl.wedges = dl.wedges[:0]
	for _, x := range pg.wedges {
		if !inLab(x.Product) {
			dl.wedges = append(dl.wedges, x)
		}
	}
	dl.fees = dl.fees[:0]
	for _, x := range pg.fees {
		if !inLab(x.Product) {
			dl.fees = append(dl.fees, x)
		}
	}
	dl.inter = dl.inter[:0]
	for _, x := range pg.inter {
		if x.Firm != l {
			dl.inter = append(dl.inter, x)
		}
	}
	if licence {
		for a := lo; a < hi; a++ {
			dl.avail[a] = false
		}
		// the hired team closes the buyer's own-model gap (licenceHire)
		if gap := w.kFront - L.KDep + 0.3; gap < w.Hyper[h].OwnGap {
			dq := s.Logit.BetaK * (w.Hyper[h].OwnGap - math.Max(0, gap))
			for k := 0; k < w.nOwn; k++ {
				if a := w.ownAlt0 + k; w.ownCloud[k] == h && dl.avail[a] {
					for c := range dl.cells {
						dl.cells[c].Quality[a] += dq
					}
				}
			}
		}
	} else {
		// availability after the acquisition (buildAlternatives with the
		// lab owned by h)
		newly := false
		copy(dl.altBase, w.altBase[:J])
		var saved [maxCh]float64
		for ch := range nch {
			a := lo + ch
			saved[ch] = w.altSec[a]
			av := L.Active && L.KDep != 0
			if av {
				switch {
				case ch == chDirect:
					av = L.directAPI
				case !L.Closed:
					av = true
				default:
					av = ch-1 == h
				}
			}
			if av && !pg.avail[a] {
				newly = true
				dl.altBase[a] = s.Logit.BetaK*L.chK[ch] + L.Brand
				if ch != chDirect {
					w.altSec[a] = s.Security.Cloud
				}
			}
			dl.avail[a] = av
			if !av || !L.Closed && ch != chDirect {
				continue // withdrawn, or open weights a cloud hosts as before
			}
			dl.owner[a], dl.bearer[a] = buyer, buyer
			if !pg.avail[a] {
				dl.cost[a] = pg.labCost[l]
			}
		}
		var disp [MaxLabs]float64
		var backer [MaxLabs]int
		for j := range w.Labs {
			backer[j] = w.Labs[j].Backer
			if backer[j] >= 0 && w.Labs[j].Owner < 0 {
				disp[j] = w.Hyper[backer[j]].Disparage
			}
		}
		dBack := disp[l]
		bOld := backer[l]
		disp[l], backer[l] = 0, -1
		for c := range dl.cells {
			q := dl.cells[c].Quality
			prim, _, _ := w.segment(c)
			if newly {
				w.segmentUtility(c, dl.altBase, &disp, &backer, dl.row)
			}
			for ch := range nch {
				a := lo + ch
				switch {
				case !dl.avail[a]:
					q[a] = math.Inf(-1)
				case !pg.avail[a]:
					q[a] = dl.row[a] - w.dm.u0
				case ch == chDirect && bOld == prim:
					q[a] += dBack // no more disparagement by the backer
				}
			}
		}
		for ch := range nch {
			w.altSec[lo+ch] = saved[ch]
		}
	}
	dl.prob = pg.prob
	dl.prob.Cells, dl.prob.Cost, dl.prob.Owner, dl.prob.CostBearer, dl.prob.Available = dl.cells, dl.cost, dl.owner, dl.bearer, dl.avail
	dl.prob.Wedges, dl.prob.Fees, dl.prob.Interests = dl.wedges, dl.fees, dl.inter
}

// dealProfit solves the deal's problem (dealProblem) warm-started from the
// standalone prices and returns the buyer's monthly profit in it (US$B, the
// target's firm included: it sells nothing there); false: no equilibrium.
func (w *World) dealProfit(l, h int, licence bool) (float64, bool, error) {
	dl := &w.deal
	w.dealProblem(l, h, licence)
	for a, av := range dl.avail {
		dl.start[a] = dl.base.Prices[a]
		if av && !(dl.start[a] > dl.cost[a]) {
			dl.start[a] = dl.cost[a] + 1/w.dm.betaP[0]
		}
	}
	ok, err := w.dealSolve(&dl.prob, dl.start, &dl.eq)
	if err != nil || !ok {
		return 0, false, err
	}
	return 1e-3 * (dl.eq.Profits[w.nLabs+h] + dl.eq.Profits[l]), true, nil
}

// computeSynergy is the monthly value (US$B) to the merged firm of the
// compute lab l buys from clouds other than h: an owned lab buys from its
// owner only; what the owner's spare capacity takes saves the margin (the
// price there less h's own cost), the rest is lost to the lab at its value
// of a GPU-hour above the price (compute.gpu_hour_value).
func (w *World) computeSynergy(l, h int) float64 {
	K := w.nClouds
	if len(w.cm.qty) != w.nLabs*K || len(w.cm.m.Capacity) != K {
		return 0
	}
	var other, margin float64
	for k := range K {
		if q := w.cm.qty[l*K+k]; k != h && q > 0 {
			other += q
			margin += q * (w.cm.price[l*K+k] - w.cm.m.Cost[h])
		}
	}
	if other <= 0 {
		return 0
	}
	moved := math.Min(other, math.Max(0, w.cm.m.Capacity[h]-w.cm.sold[h]))
	return (margin*moved/other - (other-moved)*w.S.Compute.GPUHourValue) / 1e9
}
