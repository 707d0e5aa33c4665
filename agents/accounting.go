package agents

import (
	"math"

	"frontiersim/market"
)

// phaseAccounting books the month's flows (phase 6): enterprise spend by
// channel, marketplace and reciprocal payouts, consumer subscriptions,
// backer-as-customer purchases, opex and cloud bills (training and, in
// endogenous mode, inference compute; credits first),
// leakage, revenue share and the profit waterfall, base cloud business,
// parent funding of in-house labs, and fund fees.
func (w *World) phaseAccounting(t int) error {
	s := &w.S
	g := &w.ledger
	margin := s.Cloud.Margin
	// enterprise spend
	for a, E := range w.altSpend[:w.numAlt] {
		if E <= 0 {
			continue
		}
		if a >= w.ownAlt0 {
			// a hyperscaler's own model: its cloud sells and serves it,
			// paying its running cost of inference to its suppliers
			c := w.ownCloud[a-w.ownAlt0]
			w.cloudRev[c] += E
			g.xfer(extEnterprise, w.accCloud(c), E)
			g.xfer(w.accCloud(c), extSuppliers, w.dm.qty[a]*w.pg.cost[a]*1e-3)
			w.Hyper[c].revOwn += E
			continue
		}
		l, ch := a/w.numCh, a%w.numCh
		L := &w.Labs[l]
		if ch == chDirect {
			g.xfer(extEnterprise, w.accLab(l), E)
			L.RevDirect += E
			continue
		}
		c := ch - 1
		w.cloudRev[c] += E
		if L.Owner == c {
			// in-house or acquired model on its owner's cloud: consolidated
			g.xfer(extEnterprise, w.accLab(l), E)
			L.RevDirect += E
			continue
		}
		g.xfer(extEnterprise, w.accCloud(c), E)
		if !L.Closed {
			if c < w.nHyper {
				w.Hyper[c].revCloud += E // hosting of open weights
			}
			g.xfer(w.accCloud(c), extSuppliers, (1-margin)*E)
			continue
		}
		_, isBacker := w.resaleOn(l, c, t)
		pay := w.resaleRate(l, c, false) * E
		if isBacker {
			pay = L.Contract.ReciprocalPayment(E)
		}
		if fee := w.resaleFee(l, c, isBacker); fee > 0 {
			// a per-unit-fee agreement: the cloud pays the fee on every
			// unit it resells; the lab serves them at its own cost
			pay += w.dm.qty[a] * fee * 1e-3
		} else if w.dm.on && !(w.unitFees() && !isBacker) {
			// model v2: the reseller reimburses the lab's serving cost (pricing.go)
			fee := w.dm.qty[a] * w.pg.cost[a] * 1e-3
			pay += fee
			L.servingFee += fee
		}
		g.xfer(w.accCloud(c), w.accLab(l), pay)
		L.RevResale += pay
		if c < w.nHyper {
			w.Hyper[c].revResale += E - pay
		}
	}
	// consumer subscriptions
	w.consumer(t)
	for l := range w.Labs {
		L := &w.Labs[l]
		if x := w.consS[l] * w.consumerTot; x > 0 {
			g.xfer(extConsumers, w.accLab(l), x)
			L.RevConsumer += x
		}
	}
	// labs' costs and contract payments
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active || L.parentFunded {
			continue
		}
		h := L.Backer
		if h >= 0 && L.Owner < 0 {
			q := w.backerPurchase(l, t) // the declared token path at the contract price (backers.go)
			g.xfer(w.accCloud(h), w.accLab(l), q)
			L.RevBacker = q
		}
		L.Revenue = L.RevDirect + L.RevResale + L.RevConsumer + L.RevBacker
		compute := L.ComputeSpend
		opex := (1 - s.Capability.ComputeFraction) * L.Burn
		if !s.Mode.Replay {
			// model v2: burn is the result, compute (training + inference for
			// the demand served) plus other opex
			inf, err := w.inferenceBill(l, t)
			if err != nil {
				return err
			}
			L.InferenceCost = inf
			compute += inf
			f := s.Capability.ComputeFraction
			L.otherOpex = (1 - f) / f * compute
			opex = L.otherOpex
			L.Burn = compute + opex
			L.lastCompute, L.lastInference = compute, inf
		}
		g.xfer(w.accLab(l), extSuppliers, opex+L.migCost)
		for c := 0; c < w.nClouds; c++ {
			bill := compute * L.ComputeShare[c]
			if bill <= 0 {
				continue
			}
			w.cloudRev[c] += bill
			paid := 0.0
			if c < w.nHyper {
				cr := math.Min(bill, g.bal[w.accCredit(l, c)])
				if cr > 0 {
					g.xfer(w.accCredit(l, c), w.accCloud(c), cr)
					w.Hyper[c].revCredit += cr
					paid = cr
				}
				w.Hyper[c].revCloud += bill
				if L.investedByAny(c) {
					w.Hyper[c].partnerRev += bill
				}
			}
			g.xfer(w.accLab(l), w.accCloud(c), bill-paid)
			g.xfer(w.accCloud(c), extSuppliers, w.computeCost(l, c, bill))
		}
		if !s.Mode.Replay {
			L.Burn += w.takeOrPay(l, t, compute) // take-or-pay charges (compute.go)
		}
		paidShare := 0.0
		if h >= 0 && L.Owner < 0 {
			R := L.Revenue - L.RevBacker - L.servingFee
			leak := L.leakFrac * R
			if leak > 0 {
				g.xfer(w.accLab(l), w.accCloud(h), leak)
				w.cloudRev[h] += leak
				w.Hyper[h].revCloud += leak
			}
			sp := L.Contract.RevenueSharePayment(R)
			g.xfer(w.accLab(l), w.accCloud(h), sp)
			profit := L.Revenue - L.Burn - L.migCost - sp - leak
			pp := L.Contract.ProfitPayment(profit)
			g.xfer(w.accLab(l), w.accCloud(h), pp)
			paidShare = sp + pp + leak
			w.Hyper[h].revShare += paidShare
		}
		L.SharePaid = paidShare
		L.OpCF = L.Revenue - L.Burn - L.migCost - paidShare
		// in-house labs are consolidated with their owner
		if L.Owner >= 0 {
			if b := g.bal[w.accLab(l)]; b < 0 {
				g.xfer(w.accCloud(L.Owner), w.accLab(l), -b)
			} else if b > 0 {
				g.xfer(w.accLab(l), w.accCloud(L.Owner), b)
			}
		}
	}
	// base cloud business
	for c := 0; c < w.nClouds; c++ {
		b := w.baseRev[c]
		g.xfer(extITBuyers, w.accCloud(c), b)
		g.xfer(w.accCloud(c), extSuppliers, (1-margin)*b)
		w.cloudRev[c] += b
		if c < w.nHyper {
			w.Hyper[c].revCloud += b
		}
	}
	// fund management fees (2% of committed capital per year)
	for f := range w.Funds {
		F := &w.Funds[f]
		fee := math.Min(s.Finance.FeeRate/12*F.Size, math.Max(0, g.bal[w.accFund(f)]))
		g.xfer(w.accFund(f), extManagers, fee)
		F.Fees += fee
		F.feeM += fee
	}
	return nil
}

// investedByAny reports whether hyperscaler h has invested in the lab.
func (L *Lab) investedByAny(h int) bool { return L.investedBy[h] > 0 || L.Owner == h }

// consumer sets the consumer subscription market and lab shares (MNL on
// capability and consumer brand over labs with a consumer app).
func (w *World) consumer(t int) {
	s := &w.S
	w.consumerTot = s.Consumer.Base * math.Pow(s.Consumer.GrowthPerYear, float64(t-firstMonth)/12) * w.gate
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active || !L.consumerApp || L.KDep == 0 {
			w.consV[l] = math.Inf(-1)
			continue
		}
		w.consV[l] = s.Logit.BetaK*L.chK[chDirect] + s.cast.Labs[l].ConsumerBrand
	}
	n := w.nLabs
	if math.IsInf(market.LogitShares(w.consV[:n], w.consS[:n]), -1) {
		clear(w.consS[:n])
		w.consumerTot = 0
	}
}

// computeCost is what cloud c pays its suppliers for lab l's compute bill
// of the month: in endogenous mode its running cost per GPU-hour
// (cloud.running_cost x its price_factor) times the GPU-hours billed at the
// price it charges the lab; in replay mode (1 - cloud.margin) of the bill.
func (w *World) computeCost(l, c int, bill float64) float64 {
	if w.S.Mode.Replay {
		return (1 - w.S.Cloud.Margin) * bill
	}
	p := w.cm.price[l*w.nClouds+c]
	if !(p > 0) || math.IsInf(p, 1) {
		p = w.Labs[l].pricePaid
	}
	if !(p > 0) {
		return 0
	}
	return w.cm.m.Cost[c] * bill / p
}
