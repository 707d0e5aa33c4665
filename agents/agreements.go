package agents

import (
	"errors"
	"fmt"
	"math"

	"frontiersim/market"
)

// Lab × hyperscaler agreements of endogenous mode (model-v2.md §3.3,
// domain model §3.1(e)-(f); docs/ODD.md, "Agreements and Nash-in-Nash
// bargaining").
//
// An agreement lets hyperscaler c resell closed lab l's model on its cloud
// (the product l × c of the pricing problem, priced by the cloud; the lab
// serves the units and the cloud reimburses their cost, a fixed per-unit
// fee at cost). Its term:
//
//   - the backer's agreement (the partnership, formed by the partnership
//     auction of finance.go) bargains the revenue share on the lab's
//     revenue (market.TermRevenueShare, in [contract.s_min, min(s_max,
//     policy cap)]); its reciprocal share on the backer's resale revenue
//     stays at the contract's value, a fixed interest of the bargain;
//   - every other agreement bargains a reciprocal share r_lc of the
//     cloud's resale revenue paid to the lab (market.TermReciprocalShare,
//     in [0, 0.95]); no revenue share. Under contract.resale_term =
//     unit_fee it bargains instead a per-unit fee w_lc the cloud pays the
//     lab on every unit it resells (market.TermUnitFee, in [0,
//     feeHiFactor × the lab's reference price], resaleFeeRange), the lab
//     serving the units at its own cost (market.ServerLab; reference
//     case N1 of model-v2.md §4).
//
// A bargain is a Nash-in-Nash (market.NashInNash) over all of one lab's
// agreements, warm-started from the terms in force; the agreements of the
// other labs enter the pricing problem at their terms in force, held
// fixed. Payoffs are the month's pricing-game objectives (the cells
// weighted by last month's adopters), i.e. flows per month; a payoff of
// the contract is that flow times the annuity factor
// market.AnnuityFactor(contract.duration_months, bargaining.r_h) plus one-off
// transfers, which the bargain sees divided by the same factor (scaling
// both gains leaves the Nash terms unchanged). Disagreement payoffs are
// the game re-solved without the pair (the solver) plus outside payoffs
// computed from the model:
//
//   - the backer's agreement: on disagreement the lab loses the backer's
//     own-product purchases (RevBacker) and moves the compute it buys on
//     the backer's cloud elsewhere, a one-off migration cost of
//     bargaining.k_switch_months × that compute bill × the switching-cost
//     lever; the backer loses its cloud margin on that compute
//     (cloud.margin × bill);
//   - any other agreement carries no compute: outside payoffs 0.
//
// The lab's weight α is market.BargainingWeight of its impatience (runway),
// as in the closed form. A bargain whose pair has no term at which both
// gain (the surplus below the disagreement payoffs) fails and the
// agreement ends (the backer's: the partnership ends); a solve that does
// not converge keeps the terms in force and is counted.
//
// When: a lab's agreements are re-bargained in its trigger months (the
// renegotiation trigger of domain model §3.1(e): ARR threshold, expiry,
// the band), and a pair without an agreement bargains over forming one
// when its formation is due (formationDue: first feasibility, a trigger
// of its lab, or contract.hold_months since its last examination), in a
// pricing month (a month in which the prices were re-solved): it forms
// when the bargain finds a term with positive gains to both. Replay mode
// keeps the closed-form backer bargain and the calendar resale date.
type agreementState struct {
	// on: agreement l × c in force (not the backer's, which is the
	// partnership); share: its term in force, the reciprocal share
	// (fraction) or, under contract.resale_term = unit_fee, the per-unit
	// fee (the pricing problem's money unit per workload unit, as its
	// costs)
	on    [MaxLabs][MaxClouds]bool
	share [MaxLabs][MaxClouds]float64
	// the lab's and the cloud's gains over their disagreement payoffs at
	// the pair's last bargain (US$M a month)
	gainL, gainC [MaxLabs][MaxClouds]float64
	// during a bargain: probe offers pair l × c's product without an
	// agreement; open leaves the pair's term out of the pricing problem
	// (the solver sets it), openShare lab l's revenue share
	probe     [MaxLabs][MaxClouds]bool
	open      [MaxLabs][MaxClouds]bool
	openShare [MaxLabs]bool
	// offset anchors the monthly monitor of the backer's bargained share:
	// the last Nash-in-Nash share less the closed-form share of that month
	offset [MaxLabs]float64
	anchor [MaxLabs]int // 1 + the backer the offset was anchored with (0: none)
	// the bargain's workspaces
	nin  market.NashInNash
	res  market.NashInNashResult
	list []market.Agreement
	cl   []int // per agreement: its cloud
	// warm-start prices of a bargain's first equilibrium
	start []float64
	// formation triggers (formationDue): examined is 1 + the month of pair
	// l × c's last formation examination (0: none since the pair became
	// feasible), event 1 + the month of lab l's latest trigger, sig the
	// lab's state the triggers watch, as of the last contract phase
	examined [MaxLabs][MaxClouds]int
	event    [MaxLabs]int
	sig      [MaxLabs]labSignature
	// this month
	formed, ended, bargains int
	// over the run: price equilibria the bargains solved
	evals int
	iters int // their price-map evaluations
}

// Settings of the loop's Nash-in-Nash solves (looser than the solver's
// defaults, which serve the reference cases: terms to 1e-3, a 9-point scan,
// prices to 1e-7, the terms' accuracy being about the square root of the
// profits' error; settled pairs skipped in later sweeps,
// market.NashInNash.Settled).
const (
	agreementTol        = 1e-3
	agreementGrid       = 9
	agreementPricingTol = 1e-7
	reciprocalHi        = 0.95 // largest reciprocal share bargained
	// feeHiFactor bounds a bargained per-unit fee: at most this multiple
	// of the lab's reference price (resaleFeeRange), far above any fee at
	// which the cloud still sells
	feeHiFactor = 4
)

// unitFees reports whether non-backer resale agreements bargain a per-unit
// fee (contract.resale_term = unit_fee, endogenous mode).
func (w *World) unitFees() bool {
	return w.agreementsOn() && w.S.Contract.ResaleTerm == ResaleUnitFee
}

// resaleTerm is the instrument a non-backer agreement bargains over, who
// serves its units, and its range for lab l.
func (w *World) resaleTerm(l int) (term market.AgreementTerm, server market.Server, lo, hi float64) {
	if w.unitFees() {
		lo, hi = w.resaleFeeRange(l)
		return market.TermUnitFee, market.ServerLab, lo, hi
	}
	return market.TermReciprocalShare, market.ServerAsProblem, 0, reciprocalHi
}

// resaleFeeRange is the range of a per-unit fee bargained by lab l: [0,
// feeHiFactor × the lab's reference price], the reference price the
// larger of its direct product's bill and its serving cost plus a
// one-product logit markup 1/beta_P. Called with the month's pricing
// problem built.
func (w *World) resaleFeeRange(l int) (lo, hi float64) {
	ref := w.pg.labCost[l] + 1/w.dm.betaP[0]
	if a := l*w.numCh + chDirect; w.dm.bill[a] > ref {
		ref = w.dm.bill[a]
	}
	return 0, feeHiFactor * ref
}

// resaleFee is the per-unit fee cloud c pays lab l on its resale under a
// non-backer agreement (contract.resale_term = unit_fee); 0 otherwise.
func (w *World) resaleFee(l, c int, backer bool) float64 {
	if backer || !w.unitFees() || c >= MaxClouds {
		return 0
	}
	return w.ag.share[l][c]
}

func (w *World) resetAgreements() {
	a := &w.ag
	a.on, a.share, a.probe, a.open = [MaxLabs][MaxClouds]bool{}, [MaxLabs][MaxClouds]float64{}, [MaxLabs][MaxClouds]bool{}, [MaxLabs][MaxClouds]bool{}
	a.gainL, a.gainC = [MaxLabs][MaxClouds]float64{}, [MaxLabs][MaxClouds]float64{}
	a.openShare, a.offset, a.anchor = [MaxLabs]bool{}, [MaxLabs]float64{}, [MaxLabs]int{}
	a.formed, a.ended, a.bargains, a.evals, a.iters = 0, 0, 0, 0, 0
	a.examined, a.event, a.sig = [MaxLabs][MaxClouds]int{}, [MaxLabs]int{}, [MaxLabs]labSignature{}
	a.nin.Tol, a.nin.GridPoints, a.nin.PricingTol, a.nin.Settled = agreementTol, agreementGrid, agreementPricingTol, true
	if a.list == nil {
		a.list = make([]market.Agreement, 0, MaxClouds)
		a.cl = make([]int, 0, MaxClouds)
	}
}

// agreementsOn reports whether the lab × hyperscaler agreements decide
// resale (endogenous mode).
func (w *World) agreementsOn() bool { return !w.S.Mode.Replay }

// resaleRate is the share of cloud c's resale revenue from lab l's model
// paid to the lab: the backer's reciprocal share, in endogenous mode the
// agreement's reciprocal share (0 under per-unit fees, resaleFee), in
// replay mode 1 - cloud.marketplace_fee.
func (w *World) resaleRate(l, c int, backer bool) float64 {
	switch {
	case backer:
		return w.Labs[l].Contract.ReciprocalShare
	case w.unitFees():
		return 0
	case w.agreementsOn() && c < MaxClouds:
		return w.ag.share[l][c]
	}
	return 1 - w.S.Cloud.MarketplaceFee
}

// canResell reports whether closed lab l and hyperscaler c may hold a
// resale agreement this month: l active, closed, independent and
// deployed, c not its backer, no API exclusivity of its backer in the way.
func (w *World) canResell(l, c int) bool {
	L := &w.Labs[l]
	if !L.Active || !L.Closed || L.Owner >= 0 || L.KDep == 0 || c == L.Backer {
		return false
	}
	return !(L.Backer >= 0 && L.Contract.APIExclusive && !w.Reg.BanAPI)
}

// phaseAgreements is the agreements' part of the contract phase in
// endogenous mode: agreements that can no longer hold end, labs without a
// backer re-bargain at their ARR trigger, and in a pricing month every
// pair without an agreement whose formation is due (formationDue)
// bargains over forming one.
func (w *World) phaseAgreements(t int) error {
	a := &w.ag
	s := &w.S
	for l := range w.Labs {
		L := &w.Labs[l]
		if sg := w.signature(l); sg != a.sig[l] {
			a.sig[l] = sg
			a.event[l] = t + 1 // a round, a restructuring, a new backer or owner, exclusivity
		}
		for c := 0; c < w.nHyper; c++ {
			if a.on[l][c] && !w.canResell(l, c) {
				a.on[l][c] = false
				a.ended++
				a.event[l] = t + 1
			}
			if !w.canResell(l, c) {
				a.examined[l][c] = 0 // examined again when it becomes feasible
			}
		}
		if !L.Active || L.Owner >= 0 || L.Backer >= 0 || !L.Closed {
			continue
		}
		// a lab without a backer: its agreements re-bargain when its ARR
		// crosses the threshold
		trig := market.RenegotiationTrigger{ARRThreshold: s.Contract.ARRThreshold, Band: s.Contract.Band, HoldMonths: s.Contract.HoldMonths}
		if fire, _ := trig.Check(&L.trig, 12*L.Revenue, 0, 0, t, 0); fire {
			a.event[l] = t + 1
			if w.labAgreements(l) > 0 {
				w.renegotiations++
				w.bg.renegotiated++
				if _, err := w.bargainAgreements(l, t, -1); err != nil {
					return err
				}
			}
		}
	}
	if w.pg.last != t {
		return nil
	}
	for l := range w.Labs {
		for c := 0; c < w.nHyper; c++ {
			if a.on[l][c] || !w.canResell(l, c) || !w.formationDue(l, c, t) {
				continue
			}
			if _, err := w.bargainAgreements(l, t, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// labSignature is the state of a lab whose change is a formation trigger
// of its pairs (domain model §3.1(e)): its last funding round, its restructuring, its backer and
// owner, its backer's API exclusivity and the month its agreement set
// last changed.
type labSignature struct {
	round, restructured, excl   int
	backer, owner               int
	apiExclusive, active, valid bool
}

func (w *World) signature(l int) labSignature {
	L := &w.Labs[l]
	return labSignature{round: L.LastRound, restructured: L.restructuredAt, excl: L.exclChanged,
		backer: L.Backer, owner: L.Owner, apiExclusive: L.Contract.APIExclusive, active: L.Active, valid: true}
}

// formationDue is the formation rule of the model (docs/ODD.md,
// "Agreements and Nash-in-Nash bargaining"): a feasible pair l × c
// without an agreement is examined (bargains over forming one) in month t
// when it has not been examined since it became feasible (the lab's model
// deployed, the lab independent, no exclusivity of its backer in the
// way), when lab l has had a trigger since the pair's last examination
// (domain model §3.1(e): its ARR crossing the threshold, a
// funding round, a restructuring, a new backer or owner, a change of its
// agreement set or exclusivity, a renegotiation, an agreement of the lab
// forming or ending), or when contract.hold_months months have passed
// since that examination; otherwise the last examination's result (no
// agreement) stands. Examinations happen in pricing months only, so a
// due pair waits for the next one.
func (w *World) formationDue(l, c, t int) bool {
	a := &w.ag
	e := a.examined[l][c]
	return e == 0 || a.event[l] > e || t+1-e >= w.S.Contract.HoldMonths
}

// labAgreements counts lab l's non-backer agreements in force.
func (w *World) labAgreements(l int) int {
	n := 0
	for c := 0; c < w.nHyper; c++ {
		if w.ag.on[l][c] {
			n++
		}
	}
	return n
}

// bargainAgreements runs one Nash-in-Nash bargain over lab l's agreements
// in force (the backer's included) in month t, or, with probe >= 0, over
// forming an agreement with hyperscaler probe (the other agreements held
// at their terms). It applies the outcome and reports whether the
// backer's partnership still stands.
func (w *World) bargainAgreements(l, t, probe int) (kept bool, err error) {
	a := &w.ag
	L := &w.Labs[l]
	a.bargains++
	a.list, a.cl = a.list[:0], a.cl[:0]
	nl := w.nLabs
	alpha := w.shareInputs0(l)
	add := func(c int, term market.AgreementTerm, server market.Server, v, lo, hi, labOut, cloudOut float64) {
		a.list = append(a.list, market.Agreement{Lab: l, Cloud: nl + c, Product: l*w.numCh + 1 + c, Term: term, Value: v,
			Server: server, Lo: lo, Hi: hi, Alpha: alpha, LabOutside: labOut, CloudOutside: cloudOut})
		a.cl = append(a.cl, c)
	}
	// the resale agreements' term and range (the fee's range needs the
	// month's pricing problem: set once it is built, below)
	term, server, lo, hi := w.resaleTerm(l)
	if probe >= 0 {
		a.probe[l][probe], a.open[l][probe] = true, true
		add(probe, term, server, w.probeStart(l, probe), lo, hi, 0, 0)
	} else {
		if h := L.Backer; h >= 0 && L.Owner < 0 {
			lo, hi := w.shareRange()
			labOut, cloudOut := w.backerOutside(l)
			a.openShare[l] = true
			add(h, market.TermRevenueShare, market.ServerAsProblem, L.Contract.RevenueShare, lo, hi, labOut, cloudOut)
		}
		for c := 0; c < w.nHyper; c++ {
			// an agreement that can no longer hold (its cloud is now the
			// backer, whose partnership is the pair's agreement, or the
			// backer holds API exclusivity) is not bargained: phaseAgreements
			// ends it
			if a.on[l][c] && w.canResell(l, c) {
				a.open[l][c] = true
				add(c, term, server, a.share[l][c], lo, hi, 0, 0)
			}
		}
	}
	defer w.closeBargain(l, t, probe)
	if probe >= 0 {
		w.buildAlternatives(t)
	}
	if err := w.buildPricing(t); err != nil {
		return true, err
	}
	// agreements whose product is not on offer (no model deployed) are
	// not bargained this time
	k := 0
	for i := range a.list {
		if w.pg.avail[a.list[i].Product] {
			a.list[k], a.cl[k] = a.list[i], a.cl[i]
			k++
		}
	}
	a.list, a.cl = a.list[:k], a.cl[:k]
	if k == 0 || !w.pg.built {
		return true, nil
	}
	if term == market.TermUnitFee {
		_, hi := w.resaleFeeRange(l)
		for i := range a.list {
			if a.list[i].Term == market.TermUnitFee {
				a.list[i].Hi = hi
			}
		}
	}
	// warm prices: the month's bills, a new product at cost plus a
	// one-product logit markup (as solvePrices)
	a.start = a.start[:0]
	for j, av := range w.pg.avail {
		p := w.dm.bill[j]
		if av && !(p > w.pg.cost[j]) {
			p = w.pg.cost[j] + 1/w.dm.betaP[0]
		}
		a.start = append(a.start, p)
	}
	a.nin.Start = a.start
	if probe >= 0 {
		a.examined[l][probe] = t + 1
	}
	err = a.nin.Solve(&w.pg.prob, a.list, &a.res)
	a.evals += a.res.Evaluations
	a.iters += a.res.Iterations
	switch {
	case err == nil:
	case errors.Is(err, market.ErrNoAgreement) && a.res.Failed >= 0:
		c := a.cl[a.res.Failed]
		if probe >= 0 {
			return true, nil // no gain from trade: no agreement forms
		}
		w.bg.failed++
		a.ended++
		a.event[l] = t + 1
		if c == L.Backer {
			w.endPartnership(l)
			return false, nil
		}
		a.on[l][c] = false
		return true, nil
	case errors.Is(err, market.ErrNoConvergence), errors.Is(err, market.ErrNoEquilibrium):
		w.bg.nonConverged++ // the terms in force stay
		return true, nil
	default:
		return true, fmt.Errorf("agreements of %s in month %d: %w", L.Name, t, err)
	}
	for i, ag := range a.list {
		c, v := a.cl[i], a.res.Terms[i]
		a.gainL[l][c] = a.res.LabPayoff[i] - a.res.LabDisagreement[i]
		a.gainC[l][c] = a.res.CloudPayoff[i] - a.res.CloudDisagreement[i]
		switch {
		case ag.Term == market.TermRevenueShare:
			L.Contract.RevenueShare = v
			nash, _ := w.closedShare(l)
			a.offset[l] = v - nash
			L.NashS = v
		default:
			if !a.on[l][c] {
				a.formed++
				a.event[l] = t + 1
			}
			a.on[l][c], a.share[l][c] = true, v
		}
	}
	return true, nil
}

// probeStart is the warm start of a formation bargain of lab l with
// hyperscaler c: the mean reciprocal share of l's agreements in force,
// else the pair's share when it last had an agreement, else the share of
// an open marketplace, 1 - cloud.marketplace_fee. (A warm start only: the
// bargain finds the pair's own term.)
func (w *World) probeStart(l, c int) float64 {
	a := &w.ag
	sum, k := 0.0, 0
	for h := 0; h < w.nHyper; h++ {
		if a.on[l][h] {
			sum += a.share[l][h]
			k++
		}
	}
	switch {
	case k > 0:
		return sum / float64(k)
	case a.share[l][c] > 0:
		return a.share[l][c]
	case w.unitFees():
		return -1 // outside the fee's range: the solver scans it
	}
	return 1 - w.S.Cloud.MarketplaceFee
}

// closeBargain clears the bargain's flags and restores the month's
// alternatives and pricing problem (with the terms now in force).
func (w *World) closeBargain(l, t, probe int) {
	a := &w.ag
	a.openShare[l] = false
	a.open[l] = [MaxClouds]bool{}
	if probe >= 0 {
		a.probe[l][probe] = false
	}
	w.buildAlternatives(t)
	if err := w.buildPricing(t); err != nil {
		w.pg.built = false
	}
}

// shareRange is the range of the backer's bargained revenue share:
// [contract.s_min, min(contract.s_max, policy cap)], below 1 (a share of
// all of the lab's revenue is < 1; contract.s_max may be 1).
func (w *World) shareRange() (lo, hi float64) {
	const below1 = 1 - 1e-6
	lo, hi = math.Min(w.S.Contract.SMin, below1), math.Min(math.Min(w.S.Contract.SMax, w.Reg.RevenueShareCap), below1)
	if !(hi > lo) { // a cap at or below s_min: a point range at the cap
		hi = math.Max(hi, 1e-6)
		lo = hi - 1e-6
	}
	return lo, hi
}

// contractAnnuity is the annuity factor of a contract's flows:
// contract.duration_months at the backer's discount rate bargaining.r_h.
func (w *World) contractAnnuity() float64 {
	f, err := market.AnnuityFactor(w.S.Contract.DurationMonths, w.S.Bargaining.RH)
	if err != nil || !(f > 0) {
		return 1
	}
	return f
}

// backerOutside is the outside payoffs of lab l and its backer when their
// agreement fails, in the pricing game's units (US$M per month): the lab
// loses the backer's purchases and pays the migration of its compute on
// the backer's cloud (one-off, over the annuity factor); the backer loses
// its margin on that compute.
func (w *World) backerOutside(l int) (lab, cloud float64) {
	s := &w.S
	L := &w.Labs[l]
	h := L.Backer
	bill := L.ComputeSpend * L.ComputeShare[h]
	mig := s.Bargaining.KSwitchMonths * bill * w.Reg.Psi
	lab = -(L.RevBacker + mig/w.contractAnnuity()) * 1e3
	cloud = -s.Cloud.Margin * bill * 1e3
	return lab, cloud
}

// shareInputs0 is lab l's bargaining weight α from its impatience
// (runway), domain model §3.1(d), kept inside [alphaEdge, 1 - alphaEdge]:
// a lab with no impatience (bargaining.r_min = 0 and a long runway) has
// the Rubinstein limit α = 1, at which the Nash product (and
// market.NashInNash, which requires 0 < α < 1) is degenerate.
func (w *World) shareInputs0(l int) float64 {
	s := &w.S
	L := &w.Labs[l]
	cash := w.ledger.bal[w.accLab(l)]
	rl := market.ImpatienceRate(market.Runway(cash, L.Burn, L.Revenue), s.Bargaining.RMin, s.Bargaining.RMax, s.Bargaining.Tau)
	return math.Min(1-alphaEdge, math.Max(alphaEdge, market.BargainingWeight(rl, s.Bargaining.RH)))
}

// alphaEdge keeps a bargaining weight off 0 and 1 (shareInputs0).
const alphaEdge = 1e-6

// agreementMetrics: the terms in force of every lab × hyperscaler
// agreement of the metric labs and the month's agreement counts.
func (m *metricList) agreementMetrics(c *Cast) {
	for _, l := range c.Metrics.BackerLabs {
		n := c.Labs[l].Name
		for h, cl := range c.Clouds {
			if !cl.Strategic {
				continue
			}
			m.add(GroupContracts, "resale_share_"+n+"_"+cl.Name, "fraction", "reciprocal share in force on "+cl.Name+"'s resale of "+n+"'s models: the fraction of the resale revenue paid to "+n+" (the backer's contract share on its backer; 0 without an agreement). Under contract.resale_term = unit_fee a non-backer agreement's value is instead its per-unit fee, in the pricing problem's money unit per workload unit (as its marginal costs)",
				func(w *World) float64 {
					L := &w.Labs[l]
					switch {
					case L.Backer == h && L.Owner < 0:
						return L.Contract.ReciprocalShare
					case w.agreementsOn() && w.ag.on[l][h]:
						return w.ag.share[l][h] // the term in force
					}
					return 0
				})
		}
	}
	m.add(GroupContracts, "resale_agreements", "count", "lab × hyperscaler agreements in force at the end of the month (backers' partnerships included; endogenous mode)", func(w *World) float64 {
		n := 0
		for l := range w.Labs {
			L := &w.Labs[l]
			if L.Active && L.Backer >= 0 && L.Owner < 0 {
				n++
			}
			n += w.labAgreements(l)
		}
		return float64(n)
	})
	m.add(GroupContracts, "agreements_formed", "count", "lab × hyperscaler agreements formed this month (a positive gain from trade at a formation examination: formationDue)", func(w *World) float64 { return float64(w.ag.formed) })
	m.add(GroupContracts, "agreements_ended", "count", "lab × hyperscaler agreements that ended this month (a failed bargain, or the lab closed, was acquired or became API-exclusive)", func(w *World) float64 { return float64(w.ag.ended) })
	m.add(GroupContracts, "nin_bargains", "count", "Nash-in-Nash bargains solved this month (re-bargains at triggers and formation bargains)", func(w *World) float64 { return float64(w.ag.bargains) })
}
