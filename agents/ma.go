package agents

import (
	"fmt"
	"math"

	"frontiersim/market"
)

// phaseMA: acquisition and acqui-hire attempts by hyperscalers, with a
// hazard rising in channel conflict and dependence; governance barriers,
// merger control and the antitrust screen can block them (phase 10). In
// endogenous mode an attempt is a valued decision (valuedAttempt); replay
// mode keeps model v1's reduced form (attempt). The stake-divestiture
// remedy runs first and the month's positions are classified last.
func (w *World) phaseMA(t int) error {
	s := &w.S
	if err := w.ctl.err; err != nil {
		return err
	}
	if err := w.runDivestiture(); err != nil {
		return err
	}
	for h := 0; h < w.nHyper; h++ {
		for l := range w.Labs {
			// two fixed draws per pair and month (common random numbers)
			u1, u2 := w.rAcq.Float64(), w.rAcq.Float64()
			L := &w.Labs[l]
			if !L.Active || L.Owner >= 0 || L.parentFunded {
				continue
			}
			ci := 0.0
			if L.Backer == h {
				ci = w.conflictIdx
			}
			own := w.ownShare(h)
			risk := math.Min(1, market.DeltaHHI(100*own, 100*w.modelShare[l])/100)
			lam := s.Acquisition.Lambda0 * math.Exp(s.Acquisition.Theta1*ci+s.Acquisition.Theta2*(1-w.independence(l))-s.Acquisition.Theta3*risk)
			if u1 >= 1-math.Exp(-lam) {
				continue
			}
			if !s.Mode.Replay {
				if err := w.valuedAttempt(l, h, u2); err != nil {
					return err
				}
				continue
			}
			if _, err := w.attempt(l, h, t, u2); err != nil {
				return err
			}
		}
	}
	// one draw per hyperscaler and month: the rebuttal draw of its stake
	// reviews next month (drawn whether or not a review runs)
	for h := 0; h < w.nHyper; h++ {
		w.ctl.stakeU[h] = w.rAcq.Float64()
	}
	return w.classifyControl()
}

// dealFlows are the monthly profit flows (US$B/month) a deal's valuation
// reads, at this month's prices and quantities.
type dealFlows struct {
	// buyer and target are the standalone profits: the buyer's gross
	// margin on its cloud revenue (cloud.margin x revenue); the target's
	// revenue net of the revenue share it pays and of its inference bill
	// and the other opex that follows it (inference / compute fraction).
	// Training compute and its opex are left out on both sides: investment
	// the merged firm would continue.
	buyer, target float64
	// synergy is merged - buyer - target: the revenue share and leakage no
	// longer paid to a rival backer, the margin of the compute the target
	// buys from other clouds (price there minus the buyer's own cost) on
	// what the buyer's spare capacity can serve, minus the value of the
	// compute it cannot (an owned lab buys from its owner only), and
	// minus the target's margin on the sales an owned lab loses (its direct
	// and rival-cloud channels close; of their spend the merged firm
	// recaptures its channel's share of the remaining spend, the logit's
	// diversion at fixed prices).
	synergy float64
	// licence is what a licence to the target's model and its team earn the
	// buyer: the target's enterprise sales, times the buyer channel's share
	// of the remaining spend, at the target's margin.
	licence float64
}

// dealProfits computes the flows of a deal of hyperscaler h for lab l from
// what the month's phases computed (revenue by channel, the revenue share,
// inference bills, the compute market's prices and quantities). It is the
// one place a deal's profits come from: a demand system with a pricing
// solver replaces the fixed-price diversion here by the merged firm's
// re-solved prices.
func (w *World) dealProfits(l, h int) dealFlows {
	s := &w.S
	L := &w.Labs[l]
	nch := w.numCh
	var f dealFlows
	f.buyer = s.Cloud.Margin * w.cloudRev[h]
	opex := L.InferenceCost / s.Capability.ComputeFraction
	f.target = L.Revenue - L.SharePaid - opex
	margin := 0.0
	if L.Revenue > 0 {
		margin = math.Min(1, math.Max(0, 1-opex/L.Revenue))
	}
	var closed, keep, total float64
	for ch := range nch {
		e := w.altSpend[l*nch+ch]
		total += e
		if ch == 1+h {
			keep += e
		} else {
			closed += e
		}
	}
	for j := range w.Labs {
		if j != l && w.Labs[j].Owner == h {
			keep += w.altSpend[j*nch+1+h]
		}
	}
	divert := 0.0
	if rest := w.spendTot - closed; rest > 0 {
		divert = math.Min(1, keep/rest)
	}
	onH := w.altSpend[l*nch+1+h]
	recH := w.resaleRate(l, h, false) * onH // what the lab is paid for it (agreements.go)
	if L.Backer == h {
		recH = L.Contract.ReciprocalPayment(onH)
	}
	lostSales := math.Max(0, L.RevDirect+L.RevResale-recH)
	f.synergy = -lostSales * (1 - divert) * margin
	if L.Backer >= 0 && L.Backer != h {
		f.synergy += L.SharePaid
	}
	if K := w.nClouds; len(w.cm.qty) == w.nLabs*K && len(w.cm.m.Capacity) == K {
		var other, margin float64
		for k := range K {
			if q := w.cm.qty[l*K+k]; k != h && q > 0 {
				other += q
				margin += q * (w.cm.price[l*K+k] - w.cm.m.Cost[h])
			}
		}
		if other > 0 {
			// an owned lab buys from its owner only: what the owner's spare
			// capacity takes saves the margin, the rest is lost to the lab
			// at its value of a GPU-hour above the price (compute.gpu_hour_value)
			moved := math.Min(other, math.Max(0, w.cm.m.Capacity[h]-w.cm.sold[h]))
			f.synergy += (margin*moved/other - (other-moved)*s.Compute.GPUHourValue) / 1e9
		}
	}
	f.licence = total * divert * margin
	return f
}

// dealValue is a deal's valuation on one basis (US$B): the flows of
// dealProfits discounted over acquisition.horizon_months at the buyer's
// rate (market.AnnuityFactor), the target's including its cash;
// liquidation is the target's cash (0 if negative), also what its holders
// keep after a licence-and-hire deal.
type dealValue struct {
	buyer, target, merged, withTeam, liquidation float64
}

func (w *World) dealValues(l, h int) (dealValue, error) {
	s := &w.S
	f := w.dealProfits(l, h)
	a, err := market.AnnuityFactor(s.Acquisition.HorizonMonths, s.Acquisition.DiscountRate)
	if err != nil {
		return dealValue{}, fmt.Errorf("valuation of %s for %s: %w", w.Labs[l].Name, w.Hyper[h].Name, err)
	}
	cash := w.ledger.bal[w.accLab(l)]
	v := dealValue{buyer: a * f.buyer, target: cash + a*f.target, liquidation: math.Max(0, cash)}
	v.merged = v.buyer + v.target + a*f.synergy
	v.withTeam = v.buyer + a*f.licence
	return v, nil
}

// valuedAttempt is an acquisition attempt of lab l by hyperscaler h in
// endogenous mode (model-v2.md §3.4): the buyer values buying the lab
// (market.ValueAcquisition: bid iff the gain exceeds the price, price =
// the target's outside option + acquisition.target_weight x the gain; a
// capped-profit or PBC target refuses) and, against a weak lab
// (market.WeaknessRule: runway below acquisition.acquihire_runway and
// capability acquisition.weak_gap behind the frontier), licence and hire
// (market.ValueLicenceHire, which no governance bars), takes the route
// that leaves it more, and the deal goes to review (reviewDeal); u is the
// rebuttal draw.
func (w *World) valuedAttempt(l, h int, u float64) error {
	s := &w.S
	L := &w.Labs[l]
	v, err := w.dealValues(l, h)
	if err != nil {
		return err
	}
	allow := L.Gov != GovCappedProfit && L.Gov != GovPBC
	acq, err := market.ValueAcquisition(market.AcquisitionValues{Buyer: v.buyer, Target: v.target, Merged: v.merged,
		Liquidation: v.liquidation, RemedyCost: s.Acquisition.DealCost}, s.Acquisition.TargetWeight, allow)
	if err != nil {
		return fmt.Errorf("acquisition of %s by %s: %w", L.Name, w.Hyper[h].Name, err)
	}
	weak := market.WeaknessRule{MaxRunwayMonths: s.Acquisition.AcquiHireRunway, MinCapabilityGap: s.Acquisition.WeakGap}.Weak(w.runway(l), L.KDep, w.kFront)
	lh, err := market.ValueLicenceHire(market.LicenceHireValues{Buyer: v.buyer, WithTeam: v.withTeam, Target: v.target,
		Liquidation: v.liquidation, Residual: v.liquidation, HiringCost: s.Acquisition.HireCost}, weak, s.Acquisition.TargetWeight, true)
	if err != nil {
		return fmt.Errorf("licence and hire of %s by %s: %w", L.Name, w.Hyper[h].Name, err)
	}
	licence := lh.Bid && (!acq.Bid || lh.BuyerNet > acq.BuyerNet)
	if !licence && !acq.Bid {
		return nil
	}
	w.ctl.bids++
	if licence {
		if !lh.Accepted {
			w.ctl.refused++
			return nil
		}
		blocked, err := w.reviewDeal(dealLicence, l, h, 0, lh.Outlay, u)
		if err != nil || blocked {
			return err
		}
		w.licenceHire(l, h, lh.Fee, s.Acquisition.HireCost)
		return nil
	}
	if !acq.Accepted {
		w.ctl.refused++
		w.govBlocked++
		return nil
	}
	blocked, err := w.reviewDeal(dealAcquisition, l, h, 1, acq.Price, u)
	if err != nil || blocked {
		return err
	}
	if L.KDep < w.kFront-0.5 {
		w.ctl.nonFrontier++
	}
	return w.acquire(l, h, acq.Price)
}

// attempt runs one acquisition attempt of lab l by hyperscaler h; u is the
// rebuttal draw. It reports whether the deal closed.
func (w *World) attempt(l, h, t int, u float64) (bool, error) {
	s := &w.S
	L := &w.Labs[l]
	if L.Gov == GovCappedProfit || L.Gov == GovPBC {
		w.govBlocked++
		return false, nil
	}
	quasi := w.runway(l) < s.Acquisition.AcquiHireRunway
	if w.Reg.MergerControl {
		w.blocked++ // vertical acquisitions and quasi-mergers are covered
		return false, nil
	}
	if !quasi {
		presumption, err := w.screen(l, h)
		if err != nil {
			return false, err
		}
		if presumption && u >= w.Reg.PRebut {
			w.blocked++
			return false, nil
		}
		return true, w.acquire(l, h, math.Max(L.LastPost, 0.1)*(1+s.Acquisition.Premium))
	}
	w.acquihire(l, h)
	return true, nil
}

// ownShare is hyperscaler h's enterprise model share through labs it owns
// and its own models.
func (w *World) ownShare(h int) float64 {
	x := w.ownModelShare[h]
	for l := range w.Labs {
		if w.Labs[l].Owner == h {
			x += w.modelShare[l]
		}
	}
	return x
}

// screen applies the horizontal structural screen of the regime to the
// merger of hyperscaler h (its owned labs and own models) with lab l; true =
// presumption.
func (w *World) screen(l, h int) (bool, error) {
	r, err := w.horizontalScreen(l, h)
	return r.Presumption, err
}

// horizontalScreen is the screen's result: firms are the labs no cloud owns
// and each hyperscaler (its owned labs and own models).
func (w *World) horizontalScreen(l, h int) (market.ScreenResult, error) {
	n := 0
	hi, li := -1, -1
	for j := range w.Labs {
		if w.Labs[j].Owner >= 0 {
			continue
		}
		if j == l {
			li = n
		}
		w.shPct[n] = 100 * w.modelShare[j]
		n++
	}
	for g := 0; g < w.nHyper; g++ {
		if g == h {
			hi = n
		}
		w.shPct[n] = 100 * w.ownShare(g)
		n++
	}
	r, err := market.MergerScreen(w.shPct[:n], hi, li, w.Reg.Regime)
	if err != nil {
		return market.ScreenResult{}, fmt.Errorf("merger screen of %s and %s: %w", w.Labs[l].Name, w.Hyper[h].Name, err)
	}
	return r, nil
}

// payHolders pays amount for the whole lab from account from to its
// holders pro rata (the payer's own stake excluded) and returns the total paid.
func (w *World) payHolders(l, from, payer int, amount float64) {
	L := &w.Labs[l]
	for i, name := range w.holders {
		st := L.Cap.Stake(name)
		if st <= 0 || i == payer {
			continue
		}
		amt := amount * st
		var to int
		switch {
		case i == holderFounders:
			to = extFounders
		case i >= holderH0 && i < w.holderF0:
			to = w.accCloud(i - holderH0)
		case i >= w.holderF0 && i < w.holderOthers:
			f := i - w.holderF0
			to = w.accFund(f)
			w.Funds[f].Dist += amt
			w.Funds[f].distM += amt
		default:
			to = extOthers
		}
		w.ledger.xfer(from, to, amt)
	}
}

// acquire: h buys lab l at price (for the whole lab; holders other than h
// are paid pro rata); the lab becomes h's.
func (w *World) acquire(l, h int, price float64) error {
	L := &w.Labs[l]
	w.payHolders(l, w.accCloud(h), holderH0+h, price)
	buyer := w.hsHolder(h)
	for i, name := range w.holders {
		if st := L.Cap.Stake(name); st > 0 && i != holderH0+h {
			if err := L.Cap.Transfer(name, buyer, st); err != nil {
				return fmt.Errorf("acquisition of %s by %s: %w", L.Name, buyer, err)
			}
		}
	}
	if L.Backer >= 0 {
		w.endPartnership(l)
	}
	L.Owner = h
	L.Acquired = true
	L.Gov = GovInHouse
	w.acquisitions++
	return nil
}

// acquihire: h licenses the model and hires the team; the lab winds down
// and distributes its cash; h's own models close the gap.
func (w *World) acquihire(l, h int) {
	L := &w.Labs[l]
	fee := 0.5 * math.Max(L.LastPost, 0.1)
	w.ledger.xfer(w.accCloud(h), w.accLab(l), fee)
	if gap := w.kFront - L.KDep + 0.3; gap < w.Hyper[h].OwnGap {
		w.Hyper[h].OwnGap = math.Max(0, gap)
	}
	w.liquidate(l)
	w.acquihires++
	w.ctl.quasi++
}

// licenceHire: h takes a non-exclusive licence to lab l's model for fee
// (paid to the lab) and hires its team (hire, paid to the team); the lab
// winds down and distributes its cash; h's own models close the gap.
func (w *World) licenceHire(l, h int, fee, hire float64) {
	L := &w.Labs[l]
	w.ledger.xfer(w.accCloud(h), w.accLab(l), fee)
	w.ledger.xfer(w.accCloud(h), extFounders, hire)
	if gap := w.kFront - L.KDep + 0.3; gap < w.Hyper[h].OwnGap {
		w.Hyper[h].OwnGap = math.Max(0, gap)
	}
	w.liquidate(l)
	w.acquihires++
	w.ctl.quasi++
}

// liquidate closes lab l: unspent credits return to their issuers, a cash
// deficit is written off by suppliers (creditors), remaining cash goes to
// the holders pro rata.
func (w *World) liquidate(l int) {
	L := &w.Labs[l]
	g := &w.ledger
	for h := 0; h < w.nHyper; h++ {
		if cr := g.bal[w.accCredit(l, h)]; cr > 0 {
			g.xfer(w.accCredit(l, h), w.accCloud(h), cr)
		}
	}
	if b := g.bal[w.accLab(l)]; b < 0 {
		g.xfer(extSuppliers, w.accLab(l), -b)
	} else if b > 0 {
		w.payHolders(l, w.accLab(l), -1, b)
	}
	if L.Backer >= 0 {
		w.endPartnership(l)
	}
	L.Active = false
	L.Exited = true
}

// phaseExit: independent labs that ran out of cash exit (phase 11).
func (w *World) phaseExit(t int) error {
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active || L.Owner >= 0 || L.parentFunded {
			continue
		}
		if w.ledger.bal[w.accLab(l)] < 0 {
			w.liquidate(l)
			w.exits++
		}
	}
	return nil
}

// independence is 1 - max_h [0.4 stake + 0.4 compute share + 0.2 min(1, s/0.5)] (§7.2).
func (w *World) independence(l int) float64 {
	L := &w.Labs[l]
	worst := 0.0
	for h := 0; h < w.nHyper; h++ {
		st := L.Cap.Stake(w.hsHolder(h))
		sh := 0.0
		if L.Backer == h {
			sh = L.Contract.RevenueShare
		}
		x := 0.4*st + 0.4*L.ComputeShare[h] + 0.2*math.Min(1, sh/0.5)
		worst = math.Max(worst, x)
	}
	return 1 - worst
}
