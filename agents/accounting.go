package agents

import (
	"math"

	"frontiersim/market"
)

// phaseAccounting books the month's flows (phase 6): enterprise spend by
// channel, marketplace and reciprocal payouts, consumer subscriptions,
// backer-as-customer purchases, opex and cloud bills (credits first),
// leakage, revenue share and the profit waterfall, base cloud business,
// parent funding of in-house labs, and fund fees.
func (w *World) phaseAccounting(t int) error {
	s := &w.S
	g := &w.ledger
	margin := s.Cloud.Margin
	// enterprise spend
	for a, E := range w.altSpend {
		if E <= 0 {
			continue
		}
		l, ch := a/numCh, a%numCh
		L := &w.Labs[l]
		if ch == chDirect {
			g.xfer(extEnterprise, accLab(l), E)
			L.RevDirect += E
			continue
		}
		c := ch - 1
		w.cloudRev[c] += E
		if L.Owner == c {
			// in-house or acquired model on its owner's cloud: consolidated
			g.xfer(extEnterprise, accLab(l), E)
			L.RevDirect += E
			continue
		}
		g.xfer(extEnterprise, accCloud(c), E)
		if !L.Closed {
			if c < NumHyperscalers {
				w.Hyper[c].revCloud += E // hosting of open weights
			}
			g.xfer(accCloud(c), extSuppliers, (1-margin)*E)
			continue
		}
		_, isBacker := w.resaleOn(l, c, t)
		pay := (1 - s.Cloud.MarketplaceFee) * E
		if isBacker {
			pay = L.Contract.ReciprocalPayment(E)
		}
		g.xfer(accCloud(c), accLab(l), pay)
		L.RevResale += pay
		if c < NumHyperscalers {
			w.Hyper[c].revResale += E - pay
		}
	}
	// consumer subscriptions
	w.consumer(t)
	for l := range w.Labs {
		L := &w.Labs[l]
		if x := w.consS[l] * w.consumerTot; x > 0 {
			g.xfer(extConsumers, accLab(l), x)
			L.RevConsumer += x
		}
	}
	// labs' costs and contract payments
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active || l == LabMeta {
			continue
		}
		h := L.Backer
		if h >= 0 && L.Owner < 0 && t >= int(s.Contract.ResaleStart) {
			q := s.Contract.BackerPurchaseShare * (L.RevDirect + L.RevConsumer)
			g.xfer(accCloud(h), accLab(l), q)
			L.RevBacker = q
		}
		L.Revenue = L.RevDirect + L.RevResale + L.RevConsumer + L.RevBacker
		opex := (1 - s.Capability.ComputeFraction) * L.Burn
		g.xfer(accLab(l), extSuppliers, opex+L.migCost)
		for c := 0; c < NumClouds; c++ {
			bill := L.ComputeSpend * L.ComputeShare[c]
			if bill <= 0 {
				continue
			}
			w.cloudRev[c] += bill
			paid := 0.0
			if c < NumHyperscalers {
				cr := math.Min(bill, g.bal[accCredit(l, c)])
				if cr > 0 {
					g.xfer(accCredit(l, c), accCloud(c), cr)
					w.Hyper[c].revCredit += cr
					paid = cr
				}
				w.Hyper[c].revCloud += bill
				if L.investedByAny(c) {
					w.Hyper[c].partnerRev += bill
				}
			}
			g.xfer(accLab(l), accCloud(c), bill-paid)
			g.xfer(accCloud(c), extSuppliers, (1-margin)*bill)
		}
		paidShare := 0.0
		if h >= 0 && L.Owner < 0 {
			R := L.Revenue - L.RevBacker
			leak := L.leakFrac * R
			if leak > 0 {
				g.xfer(accLab(l), accCloud(h), leak)
				w.cloudRev[h] += leak
				w.Hyper[h].revCloud += leak
			}
			sp := L.Contract.RevenueSharePayment(R)
			g.xfer(accLab(l), accCloud(h), sp)
			profit := L.Revenue - L.Burn - L.migCost - sp - leak
			pp := L.Contract.ProfitPayment(profit)
			g.xfer(accLab(l), accCloud(h), pp)
			paidShare = sp + pp + leak
			w.Hyper[h].revShare += paidShare
		}
		L.SharePaid = paidShare
		L.OpCF = L.Revenue - L.Burn - L.migCost - paidShare
		// in-house labs are consolidated with their owner
		if L.Owner >= 0 {
			if b := g.bal[accLab(l)]; b < 0 {
				g.xfer(accCloud(L.Owner), accLab(l), -b)
			} else if b > 0 {
				g.xfer(accLab(l), accCloud(L.Owner), b)
			}
		}
	}
	// base cloud business
	for c := 0; c < NumClouds; c++ {
		b := w.baseRev[c]
		g.xfer(extITBuyers, accCloud(c), b)
		g.xfer(accCloud(c), extSuppliers, (1-margin)*b)
		w.cloudRev[c] += b
		if c < NumHyperscalers {
			w.Hyper[c].revCloud += b
		}
	}
	// fund management fees (2% of committed capital per year)
	for f := range w.Funds {
		F := &w.Funds[f]
		fee := math.Min(s.Finance.FeeRate/12*F.Size, math.Max(0, g.bal[accFund(f)]))
		g.xfer(accFund(f), extManagers, fee)
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
		b := s.Labs.ConsumerBrandOther
		if l == LabOpenAI {
			b = s.Labs.ConsumerBrandOpenAI
		}
		w.consV[l] = s.Logit.BetaK*L.chK[chDirect] + b
	}
	if math.IsInf(market.LogitShares(w.consV[:], w.consS[:]), -1) {
		clear(w.consS[:])
		w.consumerTot = 0
	}
}
