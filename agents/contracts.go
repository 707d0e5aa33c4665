package agents

import (
	"fmt"
	"math"

	"frontiersim/market"
)

// phaseContracts: the agreement set (endogenous mode: chosen,
// exclusivity.go; replay: exclusivity and ROFR end at the world file's
// events), the policy cap, and
// renegotiation at trigger events by Nash bargaining with outside options
// that grow with multi-cloud capacity and direct revenue (phase 7).
func (w *World) phaseContracts(t int) error {
	w.bg.renegotiated, w.bg.failed, w.bg.nonConverged = 0, 0, 0
	w.ag.formed, w.ag.ended, w.ag.bargains = 0, 0, 0
	w.bg.err = nil
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active || L.Backer < 0 || L.Owner >= 0 {
			continue
		}
		if w.S.Mode.Replay {
			// the world file's events set these months (applyEvents)
			if t >= L.exclUntil {
				L.Contract.ComputeExclusive = false
			}
			if t >= L.rofrUntil {
				L.Contract.ROFR = false
			}
		} else if err := w.reviewAgreementSet(l, t, false); err != nil {
			return err // no calendar: the agreement set is chosen (exclusivity.go)
		} else if err := w.exclErr; err != nil {
			return err // of a review at formation (formContract)
		}
		if w.Reg.BanCompute {
			L.Contract.ComputeExclusive, L.Contract.ROFR = false, false
		}
		if w.Reg.BanAPI {
			L.Contract.APIExclusive = false
		}
		nash, ok := w.nashShare(l)
		L.NashS = nash
		expiry := 0
		if L.Contract.ComputeExclusive {
			expiry = L.exclUntil
		} else if L.Contract.ROFR {
			expiry = L.rofrUntil
		}
		if expiry > 100000 {
			expiry = 0
		}
		if !w.S.Mode.Replay && L.exclChanged == t {
			expiry = t // the agreement set changed this month (exclusivity.go)
		}
		arr := 12 * (L.Revenue - L.RevBacker)
		if !w.reviewContract(l, t, nash, ok, arr, expiry) {
			if w.bg.err != nil {
				return w.bg.err
			}
			continue
		}
		w.applyCap(l)
	}
	if w.agreementsOn() {
		if err := w.phaseAgreements(t); err != nil {
			return err
		}
	}
	for l := range w.Labs {
		w.watchShare(l)
	}
	return nil
}

// applyCap clamps a lab's contract share to the policy cap and sets the
// leakage the backer recovers through its compute price.
func (w *World) applyCap(l int) {
	L := &w.Labs[l]
	cap := w.Reg.RevenueShareCap
	L.leakFrac = 0
	if L.Contract.RevenueShare > cap {
		L.Contract.RevenueShare = cap
	}
	if L.NashS > cap {
		L.leakFrac = w.S.Policy.Leakage * (L.NashS - cap)
	}
}

func (w *World) endPartnership(l int) {
	L := &w.Labs[l]
	L.Contract = market.BackerContract{}
	L.Backer = -1
	L.leakFrac = 0
	L.Lag = 0
}

// nashShare is the backer's bargained share as the parties watch it
// monthly. Replay mode: the closed form (closedShare). Endogenous mode:
// the share of the last Nash-in-Nash bargain (agreements.go) moved by the
// closed form's change since, within [contract.s_min, contract.s_max]; ok
// is then always true, since only the Nash-in-Nash bargain decides whether
// the agreement holds.
func (w *World) nashShare(l int) (share float64, ok bool) {
	sh, ok := w.closedShare(l)
	if !w.agreementsOn() {
		return sh, ok
	}
	a := &w.ag
	if L := &w.Labs[l]; a.anchor[l] != L.Backer+1 {
		// a new partnership: the monitor starts at the terms it formed on
		a.anchor[l] = L.Backer + 1
		a.offset[l] = L.Contract.RevenueShare - sh
	}
	return market.ClampShare(sh+a.offset[l], w.S.Contract.SMin, w.S.Contract.SMax), true
}

// closedShare is the revenue share the Nash bargaining solution gives the
// backer now in the closed form of §3.1(a): S = R + B, D_L = (1-phi)R - k,
// D_H from the backer's own-model capability and other stakes, alpha from
// the lab's impatience. ok is false when there is no agreement
// (S < D_L + D_H).
func (w *World) closedShare(l int) (share float64, ok bool) {
	s := &w.S
	L := &w.Labs[l]
	R := L.Revenue - L.RevBacker
	if R <= 1e-9 {
		return s.Contract.SMax, true
	}
	in := w.shareInputs(l)
	sh, ok := market.NashShare(in)
	if !ok {
		return L.Contract.RevenueShare, false
	}
	return market.ClampShare(sh, s.Contract.SMin, s.Contract.SMax), true
}

// shareInputs assembles the bargaining inputs of lab l with its backer.
func (w *World) shareInputs(l int) market.ShareInputs {
	s := &w.S
	L := &w.Labs[l]
	h := L.Backer
	R := L.Revenue - L.RevBacker
	Xb := L.ComputeSpend * L.ComputeShare[h]
	resale := w.altSpend[l*w.numCh+1+h]
	B := s.Cloud.Margin*Xb + (1-L.Contract.ReciprocalShare)*resale
	other := 0.0
	for j := range w.Labs {
		if j != l && w.Labs[j].Active && w.Labs[j].Cap.Stake(w.hsHolder(h)) > 0 {
			other = 1
		}
	}
	kOwn := w.kFront - w.Hyper[h].OwnGap
	dh := math.Max(0, math.Min(1, s.Bargaining.DHBase+0.1*(kOwn-L.KDep)+s.Bargaining.DHOtherStake*other))
	multi := 1 - L.ComputeShare[h]
	if L.Contract.ComputeExclusive {
		multi = 0
	}
	direct := 0.0
	if R > 0 {
		direct = (L.RevDirect + L.RevConsumer) / R
	}
	phi := market.Phi(s.Bargaining.Phi0, s.Bargaining.Phi1, s.Bargaining.Phi2, multi, direct)
	k := s.Bargaining.KSwitchMonths * Xb * w.Reg.Psi
	rl := market.ImpatienceRate(w.runway(l), s.Bargaining.RMin, s.Bargaining.RMax, s.Bargaining.Tau)
	alpha := market.BargainingWeight(rl, s.Bargaining.RH)
	return market.ShareInputs{R: R, B: B, DL: (1-phi)*R - k, DH: dh * B, Alpha: alpha}
}

// conflictGoldenEvals is the number of interior evaluations of the
// backer's payoff in its golden-section search over d (besides d = 0 and
// d = d_max): the bracket ends 0.618^7 ≈ 3.4% of d_max wide.
const conflictGoldenEvals = 8

// phaseConflict: quarterly best responses of backer (disparagement d on
// the continuum [0, conflict.d_max]) and lab (release lag L to the backer
// channel, a whole number of months in 0..conflict.l_max, since releases
// reach a channel in whole months) on their own net revenue from the lab's
// model less a convex cost of the action (§3.9), and the conflict index
// (phase 8). One round: the backer answers the lab's lag of last quarter,
// the lab answers the new d. The costs are in the objectives only (no
// payee, no ledger flow); the revenue disparagement loses is already in
// the backer's net revenue.
func (w *World) phaseConflict(t int) error {
	s := &w.S
	if t%3 == 0 {
		for l := range w.Labs {
			L := &w.Labs[l]
			h := L.Backer
			if !L.Active || h < 0 || L.Owner >= 0 || !w.altAvail[l*w.numCh+chDirect] || !w.altAvail[l*w.numCh+1+h] {
				if h >= 0 {
					w.Hyper[h].Disparage = 0
				}
				L.Lag = 0
				continue
			}
			lagPen := func(lag int) float64 { return s.Logit.BetaK * math.Max(0, w.kGrowth) * float64(lag) }
			// only the cells evalConflict weighs are computed
			w.maskConflictCells()
			d, lag, err := w.conflictBestResponses(l, lagPen)
			w.cellMask = nil
			if err != nil {
				return err
			}
			w.Hyper[h].Disparage, L.Lag = d, lag
		}
	}
	// conflict index: adopters exposed to d > 0 (backer's accounts) or L > 0
	ci := 0.0
	if w.adopted > 0 {
		for l := range w.Labs {
			L := &w.Labs[l]
			h := L.Backer
			if !L.Active || h < 0 || L.Owner >= 0 || !w.altAvail[l*w.numCh+chDirect] || !w.altAvail[l*w.numCh+1+h] {
				continue
			}
			d := w.Hyper[h].Disparage
			if L.Lag == 0 && d == 0 {
				continue
			}
			exposed := 0.0
			for cell := 0; cell < w.numCells; cell++ {
				n := w.cellN[cell]
				if n == 0 {
					continue
				}
				if L.Lag > 0 || (d > 0 && w.cellPrimary(cell) == h) {
					exposed += n
				}
			}
			ci = math.Max(ci, exposed/float64(w.adopted))
		}
	}
	w.conflictIdx = ci
	return nil
}

// conflictBestResponses returns the backer's disparagement d and the
// lab's release lag: d maximises the backer's net revenue from lab l's
// model less conflict.d_cost·(d/d_max)²·B0 (B0 its net revenue at d = 0)
// given the lab's current lag; the lag maximises the lab's net revenue
// less conflict.lag_cost·(L/l_max)²·N0 (N0 its net revenue at lag 0) given
// that d.
func (w *World) conflictBestResponses(l int, lagPen func(int) float64) (float64, int, error) {
	s := &w.S
	L := &w.Labs[l]
	dMax, lMax := s.Conflict.DMax, s.Conflict.LMax
	pen := lagPen(L.Lag)
	b0 := 0.0
	backer := func(d float64) (float64, error) {
		_, bn, err := w.evalConflict(l, d, pen)
		if d == 0 {
			b0 = math.Max(0, bn)
		}
		if dMax == 0 {
			return bn, err
		}
		return bn - s.Conflict.DCost*(d/dMax)*(d/dMax)*b0, err
	}
	d, _, err := maxGolden(backer, 0, dMax, conflictGoldenEvals)
	if err != nil {
		return 0, 0, err
	}
	bestL, bestV, n0 := 0, math.Inf(-1), 0.0
	for lag := 0; lag <= lMax; lag++ {
		ln, _, err := w.evalConflict(l, d, lagPen(lag))
		if err != nil {
			return 0, 0, err
		}
		if lag == 0 {
			n0 = math.Max(0, ln)
		}
		v := ln
		if lMax > 0 {
			x := float64(lag) / float64(lMax)
			v -= s.Conflict.LagCost * x * x * n0
		}
		if v > bestV+1e-15 {
			bestL, bestV = lag, v
		}
	}
	return d, bestL, nil
}

// maxGolden maximises f on [lo, hi] by golden-section search: it
// evaluates f at lo (first), hi and n interior points and returns the best
// point evaluated and its value. For a unimodal f the maximiser lies
// within 0.618^(n-1)·(hi-lo) of the point returned; a best response at a
// bound is returned exactly.
func maxGolden(f func(float64) (float64, error), lo, hi float64, n int) (x, v float64, err error) {
	x, v = lo, math.Inf(-1)
	try := func(p float64) (float64, error) {
		fp, err := f(p)
		if err != nil {
			return 0, err
		}
		if fp > v+1e-15 {
			x, v = p, fp
		}
		return fp, nil
	}
	if _, err := try(lo); err != nil {
		return 0, 0, err
	}
	if hi <= lo {
		return x, v, nil
	}
	if _, err := try(hi); err != nil {
		return 0, 0, err
	}
	if n < 2 {
		return x, v, nil
	}
	const g = 0.6180339887498949 // (√5 − 1)/2
	a, b := lo, hi
	c, d := b-g*(b-a), a+g*(b-a)
	fc, err := try(c)
	if err != nil {
		return 0, 0, err
	}
	fd, err := try(d)
	if err != nil {
		return 0, 0, err
	}
	for i := 2; i < n; i++ {
		if fc >= fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			if fc, err = try(c); err != nil {
				return 0, 0, err
			}
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			if fd, err = try(d); err != nil {
				return 0, 0, err
			}
		}
	}
	return x, v, nil
}

// evalConflict returns the lab's and the backer's net revenue from lab l's
// model (direct and backer channel) with disparagement d and a lag penalty
// on the backer channel, holding this month's buyer cells fixed.
func (w *World) evalConflict(l int, d, lagPen float64) (labNet, backerNet float64, err error) {
	w.conflictEvals++
	L := &w.Labs[l]
	h := L.Backer
	var disp [MaxLabs]float64
	disp[l] = d
	if err := w.computeCells(&disp, l, lagPen, w.evalShare, w.evalLogsum); err != nil {
		return 0, 0, fmt.Errorf("best responses of %s and its backer: %w", L.Name, err)
	}
	f := w.intensity * w.invSize
	na := w.numAlt
	aD, aR := l*w.numCh+chDirect, l*w.numCh+1+h
	var eD, eR float64
	for cell := 0; cell < w.numCells; cell++ {
		wt := w.cellW[cell] * f
		if w.spendTot == 0 {
			if cell%w.incStride != 0 {
				continue
			}
			wt = w.segPop[cell/w.incStride]
		}
		if wt == 0 {
			continue
		}
		if w.dm.on {
			// model v2: workload units buying inside, at the month's bills
			wt = w.cellW[cell] * w.dm.unitsPerW
			if w.spendTot == 0 {
				wt = w.segPop[cell/w.incStride] * w.S.Demand.PotentialBuyers
			}
			wt *= 1 - w.dm.evalOutside[cell]
			eD += wt * w.evalShare[cell*na+aD] * w.dm.bill[aD]
			eR += wt * w.evalShare[cell*na+aR] * w.dm.bill[aR]
			continue
		}
		eD += wt * w.evalShare[cell*na+aD]
		eR += wt * w.evalShare[cell*na+aR]
	}
	sh, rec := L.Contract.RevenueShare, L.Contract.ReciprocalShare
	return (1-sh)*eD + rec*eR, sh*eD + (1-rec)*eR, nil
}

// maskConflictCells sets w.cellMask to the cells evalConflict weighs
// (those with buyers; the none cells too while nobody spends, when it
// weighs them by population), so computeCells computes no other: the
// best responses are the same, at a fraction of the cost while most
// cells are empty.
func (w *World) maskConflictCells() {
	m := w.evalCells
	for cell := range m {
		m[cell] = w.cellW[cell] != 0 || (w.spendTot == 0 && cell%w.incStride == 0)
	}
	w.cellMask = m
}

// segMasked reports whether computeCells may skip segment seg: a mask is
// set and marks none of its cells.
func (w *World) segMasked(seg int) bool {
	if w.cellMask == nil {
		return false
	}
	for inc := 0; inc <= w.nLabs; inc++ {
		if w.cellMask[seg*w.incStride+inc] {
			return false
		}
	}
	return true
}
