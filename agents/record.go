package agents

import (
	"errors"
	"fmt"
	"math"

	"frontiersim/market"
)

// phaseRecord computes the outcome metrics of §7.2 into the recorder and,
// in check mode, asserts the invariants (phase 12).
func (w *World) phaseRecord(t int) error {
	rec := w.rec
	col := &w.col
	set := func(c int, v float64) { rec.Set(t, c, v) }
	for g := range w.groupShare {
		set(col.modelShare[g], w.groupShare[g])
	}
	cloudTot := 0.0
	for _, x := range w.cloudRev {
		cloudTot += x
	}
	var cpct [MaxClouds]float64
	for c := range w.cloudRev {
		sh := 0.0
		if cloudTot > 0 {
			sh = w.cloudRev[c] / cloudTot
		}
		set(col.cloudShare[c], sh)
		cpct[c] = 100 * sh
		if c < w.nHyper {
			w.Hyper[c].CloudShare = sh
		}
	}
	var mpct [MaxLabs]float64
	for l, x := range w.modelShare {
		mpct[l] = 100 * x
	}
	set(col.hhiModel, market.HHI(mpct[:w.nLabs]))
	set(col.hhiCloud, market.HHI(cpct[:w.nClouds]))
	mhhi, err := w.mhhi()
	if err != nil {
		return err
	}
	set(col.mhhiModel, mhhi)
	set(col.spend, w.spendTot)
	set(col.adoption, float64(w.adopted)/float64(w.nBuyers))
	set(col.consumerSpend, w.consumerTot)
	pidx := 0.0
	for l, x := range w.modelShare {
		pidx += x * w.Labs[l].Price
	}
	set(col.priceIndex, pidx)
	set(col.cs, w.surplus())

	// independence and survival
	indSum, indN := 0.0, 0
	surv, front := 0, 0
	for l := range w.Labs {
		L := &w.Labs[l]
		if L.Active && L.KDep >= w.kFront-0.5 {
			front++
		}
		if L.inHouse || L.parentFunded {
			// not in the independence index: an in-house or parent-funded lab was never independent
			if L.Active && L.Owner < 0 {
				surv++
			}
			continue
		}
		switch {
		case L.Acquired:
			indN++
		case L.Active:
			indSum += w.independence(l)
			indN++
			surv++
		}
	}
	ind := 1.0
	if indN > 0 {
		ind = indSum / float64(indN)
	}
	set(col.independence, ind)
	set(col.surviving, float64(surv))
	set(col.frontierLabs, float64(front))

	if err := w.recordVC(t); err != nil {
		return err
	}
	// hyperscalers
	for h := range w.Hyper {
		H := &w.Hyper[h]
		set(col.hsCloud[h], H.revCloud)
		set(col.hsCredit[h], H.revCredit)
		set(col.hsResale[h], H.revResale)
		set(col.hsRevShare[h], H.revShare)
		stake := 0.0
		for l := range w.Labs {
			L := &w.Labs[l]
			if L.Active && L.Owner < 0 {
				stake += L.Cap.Stake(w.hsHolder(h)) * L.LastPost
			}
		}
		set(col.hsStake[h], stake)
		set(col.hsInv[h], H.invest)
		set(col.hsRet[h], H.partnerRev)
	}
	// per-lab series
	var revD, revR, revC, paid float64
	for l := range w.Labs {
		L := &w.Labs[l]
		revD += L.RevDirect
		revR += L.RevResale + L.RevBacker
		revC += L.RevConsumer
		paid += L.SharePaid
	}
	for i, l := range w.S.cast.Metrics.Labs {
		L := &w.Labs[l]
		set(col.arr[i], 12*L.Revenue)
		set(col.revDirect[i], L.RevDirect)
		set(col.revResale[i], L.RevResale+L.RevBacker)
		set(col.revConsumer[i], L.RevConsumer)
		set(col.cash[i], w.ledger.bal[w.accLab(l)])
		set(col.opcf[i], L.OpCF)
		set(col.capab[i], L.chK[chDirect])
		set(col.roundPost[i], L.roundPost)
		set(col.roundMult[i], L.roundMult)
		cs, ns := 0.0, 0.0
		if L.Backer >= 0 {
			cs, ns = L.Contract.RevenueShare, L.NashS
		}
		set(col.contractShare[i], cs)
		set(col.nashShare[i], ns)
		eff := 0.0
		if R := L.Revenue - L.RevBacker; R > 0 {
			eff = L.SharePaid / R
		}
		set(col.effShare[i], eff)
		bc := 0.0
		if p := w.partner(l); p >= 0 && L.Owner < 0 {
			bc = L.ComputeShare[p]
		}
		set(col.backerCompute[i], bc)
	}
	set(col.labRevDirect, revD)
	set(col.labRevResale, revR)
	set(col.labRevConsumer, revC)
	set(col.revSharePaid, paid)
	set(col.conflict, w.conflictIdx)
	for i, l := range w.S.cast.Metrics.BackerLabs {
		d, lag := 0.0, 0.0
		if h := w.Labs[l].Backer; h >= 0 {
			d, lag = w.Hyper[h].Disparage, float64(w.Labs[l].Lag)
		}
		set(col.conflictD[i], d)
		set(col.conflictL[i], lag)
	}
	set(col.lagEvents, float64(w.lagEvents))
	set(col.frontierK, w.kFront)
	set(col.rounds, float64(w.nRounds))
	set(col.strategic, w.strategicM)
	set(col.renegotiations, float64(w.renegotiations))
	set(col.acquisitions, float64(w.acquisitions))
	set(col.acquihires, float64(w.acquihires))
	set(col.blocked, float64(w.blocked))
	set(col.govBlocked, float64(w.govBlocked))
	set(col.exits, float64(w.exits))
	for i, l := range w.S.cast.Metrics.Labs {
		set(col.affinity[i], w.affinityGap(l))
	}
	set(col.tieLift, w.tieLift())
	for i, l := range w.S.cast.Metrics.BackerLabs {
		set(col.backerPurchases[i], w.Labs[l].RevBacker)
	}
	set(col.climate, w.climate)
	if w.check {
		return w.checkInvariants(t)
	}
	return nil
}

// recordVC computes pooled fund returns.
func (w *World) recordVC(t int) error {
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
	col := &w.col
	w.rec.Set(t, col.vcMOIC, market.MOIC(inv, dist, nav))
	w.rec.Set(t, col.vcTVPI, market.TVPI(dist, nav-carry, paidIn))
	w.rec.Set(t, col.vcDPI, market.DPI(dist, paidIn))
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
	w.rec.Set(t, col.vcIRR, w.vcIRR)
	return nil
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
		if cell/w.incStride/w.segStride == p {
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
			tie := (cell / w.incStride / 2) % (w.nFunds + 1)
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
	if err := checkShares("model shares", w.modelShare); err != nil {
		return err
	}
	if err := checkShares("model group shares", w.groupShare); err != nil {
		return err
	}
	var cs [MaxClouds]float64
	for c := 0; c < w.nClouds; c++ {
		cs[c] = w.rec.Get(t, w.col.cloudShare[c])
	}
	if err := checkShares("cloud shares", cs[:w.nClouds]); err != nil {
		return err
	}
	na := w.numAlt
	for cell := 0; cell < w.numCells; cell++ {
		if w.cellW[cell] == 0 {
			continue
		}
		if err := checkShares("workload shares", w.cellShare[cell*na:(cell+1)*na]); err != nil {
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
			return fmt.Errorf("metric %s = %g", w.specs[c].Name, v)
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
