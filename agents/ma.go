package agents

import (
	"fmt"
	"math"

	"frontiersim/market"
)

// phaseMA: acquisition and acqui-hire attempts by hyperscalers, with a
// hazard rising in channel conflict and dependence; governance barriers,
// merger control and the antitrust screen can block them (phase 10).
func (w *World) phaseMA(t int) error {
	s := &w.S
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
			if _, err := w.attempt(l, h, t, u2); err != nil {
				return err
			}
		}
	}
	return nil
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
		return true, w.acquire(l, h)
	}
	w.acquihire(l, h)
	return true, nil
}

// ownShare is hyperscaler h's enterprise model share through labs it owns.
func (w *World) ownShare(h int) float64 {
	x := 0.0
	for l := range w.Labs {
		if w.Labs[l].Owner == h {
			x += w.modelShare[l]
		}
	}
	return x
}

// screen applies the horizontal structural screen of the regime to the
// merger of hyperscaler h (its owned labs) with lab l; true = presumption.
func (w *World) screen(l, h int) (bool, error) {
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
		return false, fmt.Errorf("merger screen of %s and %s: %w", w.Labs[l].Name, w.Hyper[h].Name, err)
	}
	return r.Presumption, nil
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

// acquire: h buys lab l at the last post-money plus a premium; the lab
// becomes in-house.
func (w *World) acquire(l, h int) error {
	s := &w.S
	L := &w.Labs[l]
	price := math.Max(L.LastPost, 0.1) * (1 + s.Acquisition.Premium)
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
