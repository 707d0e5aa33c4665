package agents

import (
	"fmt"
	"math"

	"frontiersim/market"
)

// never is a month index beyond any horizon.
const never = 1 << 30

// phaseFinance: scheduled events (replay), strategic hyperscaler
// investments (endogenous), primary rounds of labs with short runway with
// backer, VC (pro-rata, covenants) and other-investor participation, and
// survival burn cuts (phase 9).
func (w *World) phaseFinance(t int) error {
	s := &w.S
	replay := s.Mode.Replay
	if replay {
		if err := w.applyEvents(t); err != nil {
			return err
		}
	} else if err := w.strategicRule(t); err != nil {
		return err
	}
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active || L.Owner >= 0 || L.parentFunded {
			continue
		}
		// Endogenous mode: a lab raises when its cash no longer covers its
		// planned net spend over the trigger horizon (compute is committed
		// ahead on the burn path, revenue planned flat), so a lab whose
		// compute plan grows raises on a cadence even while revenue grows
		// (OpenAI-like: 2019, 2021, Jan 2023, Oct 2024, Mar 2025). Replay:
		// emergency rounds only, on the current runway.
		trigger := s.Finance.RunwayTrigger
		rw := 0.0
		if replay {
			trigger = math.Min(trigger, 3)
			rw = w.runway(l)
		} else {
			rw = w.plannedRunway(l, trigger)
		}
		if rw < trigger && (t-L.LastRound >= int(s.Finance.MinInterval) || w.ledger.bal[w.accLab(l)] < L.Burn) {
			if err := w.raise(l, t, replay); err != nil {
				return err
			}
		}
		if L.cut == 1 && w.runway(l) < s.Labs.CutBurnRunway {
			L.cut = 0.5
		}
	}
	return nil
}

// runway is the lab's months of cash (including unspent credits) at the
// current net burn.
func (w *World) runway(l int) float64 {
	L := &w.Labs[l]
	cash := w.ledger.bal[w.accLab(l)]
	for h := 0; h < w.nHyper; h++ {
		cash += w.ledger.bal[w.accCredit(l, h)]
	}
	return market.Runway(cash, L.Burn, L.Revenue)
}

// plannedRunway is the number of months the lab's cash (including unspent
// credits) covers its planned net spend: burn growing at the lab's burn
// growth (compute commitments follow the plan), revenue held at its current
// level. It returns horizon+1 when the cash lasts beyond horizon months.
func (w *World) plannedRunway(l int, horizon float64) float64 {
	L := &w.Labs[l]
	cash := w.ledger.bal[w.accLab(l)]
	for h := 0; h < w.nHyper; h++ {
		cash += w.ledger.bal[w.accCredit(l, h)]
	}
	if cash <= 0 {
		return 0
	}
	b := L.Burn
	spent := 0.0
	n := int(math.Ceil(horizon))
	for k := 1; k <= n; k++ {
		b *= L.burnGrowth
		net := b - L.Revenue
		if net <= 0 {
			continue
		}
		if spent+net > cash {
			return float64(k-1) + (cash-spent)/net
		}
		spent += net
	}
	return horizon + 1
}

// prospects: investors fund a lab within InvestGap of the frontier or one
// whose revenue grows.
func (w *World) prospects(l int) bool {
	L := &w.Labs[l]
	return w.t-L.Founded < 24 || L.KDep >= w.kFront-w.S.Finance.InvestGap
}

// partner is the lab's main hyperscaler: its exclusive backer, else its
// largest hyperscaler shareholder, else -1.
func (w *World) partner(l int) int {
	L := &w.Labs[l]
	if L.Backer >= 0 {
		return L.Backer
	}
	if L.Owner >= 0 {
		return L.Owner
	}
	best, bs := -1, 0.0
	for h := 0; h < w.nHyper; h++ {
		if st := L.Cap.Stake(w.hsHolder(h)); st > bs {
			best, bs = h, st
		}
	}
	return best
}

// raise runs a primary round for lab l.
func (w *World) raise(l, t int, replay bool) error {
	s := &w.S
	L := &w.Labs[l]
	need := L.Burn*math.Pow(L.burnGrowth, 6) - L.Revenue
	need = math.Max(need, 0.1*L.Burn)
	months := s.Finance.RoundMonthsMin + (s.Finance.RoundMonthsMax-s.Finance.RoundMonthsMin)*w.rFund.Float64()
	I := need * months
	arr := 12 * L.Revenue
	M := s.Finance.MultipleMedian * w.climate * math.Exp(s.Finance.MultipleSigma*w.rVal.NormFloat64())
	post := math.Max(M*arr, math.Max(I/s.Finance.MaxNewStake, L.LastPost*s.Finance.StepUpMin))
	// first partnership of a capped-profit lab: hyperscalers compete
	if L.Backer < 0 && L.Gov == GovCappedProfit && !replay && L.investedBy == [MaxClouds]float64{} {
		if h := w.partnerAuction(l); h >= 0 {
			w.formContract(l, h, false)
			return w.strategicInvest(l, h, I, post, t, true)
		}
	}
	n := 0
	raised := 0.0
	if h := L.Backer; h >= 0 && L.Owner < 0 {
		amt := w.stakeCapped(l, h, s.Finance.BackerTake*I, post)
		if amt > 0 {
			w.allocs[n] = market.Allocation{Investor: w.hsHolder(h), Amount: amt}
			n++
			raised += amt
		}
	}
	ok := w.prospects(l)
	if ok {
		leader := w.leader()
		for f := range w.Funds {
			if w.covenantBlocks(f, l) {
				continue
			}
			amt := math.Min(s.Finance.FundMaxFrac*I, math.Max(0, w.ledger.bal[w.accFund(f)]))
			amt = math.Min(amt, I-raised)
			if amt < 1e-6 {
				continue
			}
			w.allocs[n] = market.Allocation{Investor: w.fundHolder(f), Amount: amt}
			n++
			raised += amt
			if l == leader && s.Finance.Covenants && !w.Reg.BanCovenants && t >= firstMonth {
				w.Funds[f].Covenant[l] = true
			}
		}
		if rest := I - raised; rest > 1e-9 {
			w.allocs[n] = market.Allocation{Investor: w.holders[w.holderOthers], Amount: rest}
			n++
			raised += rest
		}
	}
	if raised <= 0 {
		return nil
	}
	return w.book(l, t, post, w.allocs[:n], true)
}

// book issues the round and moves the money. A priced round is a primary
// round of the lab: it sets the round's post-money and multiple (metrics
// round_post_*, round_multiple_*), the lab's round date and the round
// count. A strategic investment outside a round (priced false) is a
// convertible note (Amazon's US$1.25B note, Google's convertible note,
// §5.3): it is booked on the cap table at its implied valuation, which
// marks the stakes, but it is not a priced primary round.
func (w *World) book(l, t int, post float64, allocs []market.Allocation, priced bool) error {
	L := &w.Labs[l]
	s := &w.S
	g := &w.ledger
	if err := L.Cap.IssueSyndicate(post, allocs...); err != nil {
		return fmt.Errorf("round of %s at post-money %g: %w", L.Name, post, err)
	}
	for _, a := range allocs {
		switch h := w.holderIndex(a.Investor); {
		case h >= holderH0 && h < w.holderF0:
			hh := h - holderH0
			cs := s.Finance.CreditShare
			g.xfer(w.accCloud(hh), w.accLab(l), (1-cs)*a.Amount)
			g.xfer(w.accCloud(hh), w.accCredit(l, hh), cs*a.Amount)
			L.investedBy[hh] += a.Amount
			L.lastInvest[hh] = t
			w.Hyper[hh].invest += a.Amount
			w.strategicM += a.Amount
			if a.Amount >= s.Finance.ShockMin && (L.Backer == hh || w.partner(l) == hh) {
				w.Hyper[hh].lastBigInv = t
			}
		case h >= w.holderF0 && h < w.holderOthers:
			f := h - w.holderF0
			g.xfer(w.accFund(f), w.accLab(l), a.Amount)
			F := &w.Funds[f]
			F.Invested += a.Amount
			F.invM += a.Amount
		default:
			g.xfer(extOthers, w.accLab(l), a.Amount)
		}
	}
	L.LastPost = post
	L.cut = 1
	if !priced {
		return nil
	}
	L.LastRound = t
	L.roundPost = post
	L.roundMult = market.RevenueMultiple(post, 12*L.Revenue)
	w.nRounds++
	return nil
}

func (w *World) holderIndex(name string) int {
	for i, n := range w.holders {
		if n == name {
			return i
		}
	}
	return w.holderOthers
}

// leader is the lab with the largest enterprise share.
func (w *World) leader() int {
	best, bs := -1, -1.0
	for l, x := range w.modelShare {
		if x > bs {
			best, bs = l, x
		}
	}
	return best
}

// covenantBlocks: fund f promised a lab not to fund its rivals.
func (w *World) covenantBlocks(f, l int) bool {
	if w.Reg.BanCovenants {
		return false
	}
	for j := range w.Labs {
		if w.Funds[f].Covenant[j] && j != l && w.Labs[j].Active && w.Labs[l].Closed {
			return true
		}
	}
	return false
}

// stakeCapped limits a hyperscaler's investment so its stake stays at or
// below the merger-control threshold (when that lever is on).
func (w *World) stakeCapped(l, h int, amt, post float64) float64 {
	if !w.Reg.MergerControl || amt <= 0 {
		return amt
	}
	st := w.Labs[l].Cap.Stake(w.hsHolder(h))
	th := w.Reg.StakeThreshold
	if st >= th {
		w.blocked++
		return 0
	}
	// st(1 - a/post) + a/post <= th  =>  a <= post (th - st)/(1 - st)
	maxAmt := post * (th - st) / (1 - st)
	if amt > maxAmt {
		w.blocked++
		return maxAmt
	}
	return amt
}

// partnerAuction picks the hyperscaler that values an exclusive partnership
// most: the one whose own models lag most (plus noise from "funding").
func (w *World) partnerAuction(l int) int {
	best, bv := -1, w.S.Finance.AuctionThreshold
	for h := 0; h < w.nHyper; h++ {
		v := w.Hyper[h].OwnGap + w.S.Finance.AuctionNoise*w.rFund.NormFloat64()
		for j := range w.Labs {
			if j != l && w.Labs[j].Backer == h {
				v = math.Inf(-1) // one exclusive partner per hyperscaler
			}
		}
		if v > bv {
			best, bv = h, v
		}
	}
	return best
}

// formContract creates the exclusive backer contract of lab l with h.
func (w *World) formContract(l, h int, replay bool) {
	s := &w.S
	L := &w.Labs[l]
	L.Backer = h
	L.Contract = market.BackerContract{
		RevenueShare: s.Contract.RevenueShare0, ReciprocalShare: s.Contract.Reciprocal,
		ProfitShareBefore: s.Contract.ProfitBefore, ProfitShareAfter: s.Contract.ProfitAfter,
		RecoupAmount: s.Contract.Recoup, ComputeExclusive: !w.Reg.BanCompute, ROFR: !w.Reg.BanCompute,
		APIExclusive: !w.Reg.BanAPI, IPLicenceExpiry: s.Contract.IPLicenceUntil,
	}
	L.trig = market.TriggerState{}
	L.exclUntil, L.rofrUntil = s.Contract.ExclusiveUntil, s.Contract.ROFRUntil
	if replay {
		L.exclUntil, L.rofrUntil = never, never
	}
	w.applyCap(l)
}

// strategicInvest books hyperscaler h's investment of amt in lab l at post.
func (w *World) strategicInvest(l, h int, amt, post float64, t int, priced bool) error {
	amt = w.stakeCapped(l, h, amt, post)
	if amt < 1e-6 {
		return nil
	}
	post = math.Max(post, amt)
	w.allocs[0] = market.Allocation{Investor: w.hsHolder(h), Amount: amt}
	return w.book(l, t, post, w.allocs[:1], priced)
}

// strategicRule: a hyperscaler invests in a rival lab when its threat (the
// enterprise share of labs partnered with rival hyperscalers, scaled by
// market size, plus a rival's recent big investment) exceeds a threshold
// (§3.5, SF2).
func (w *World) strategicRule(t int) error {
	s := &w.S
	scale := math.Min(1, w.spendTot/0.1)
	for h := 0; h < w.nHyper; h++ {
		u := w.rStrategic.Float64()
		last := -1000
		for l := range w.Labs {
			last = max(last, w.Labs[l].lastInvest[h])
		}
		if t-last < 12 {
			continue
		}
		threat := 0.0
		for l := range w.Labs {
			p := w.partner(l)
			if !w.Labs[l].Active {
				continue
			}
			if p >= 0 && p != h {
				threat += w.modelShare[l] * scale
			}
			if w.Labs[l].Owner == h {
				threat -= w.modelShare[l] * scale
			}
		}
		for r := 0; r < w.nHyper; r++ {
			if r != h && t-w.Hyper[r].lastBigInv <= 12 {
				threat += s.Finance.ShockThreat
			}
		}
		pr := 1 - math.Exp(-s.Finance.ThreatLambda*math.Max(0, threat-s.Finance.ThreatTheta))
		if u >= pr {
			continue
		}
		target, tk := -1, math.Inf(-1)
		for l := range w.Labs {
			L := &w.Labs[l]
			if !L.Active || !L.Closed || L.Owner >= 0 || (L.Backer >= 0 && L.Backer != h) || !w.prospects(l) {
				continue
			}
			if L.Backer == h {
				continue // its partner is funded through rounds
			}
			if L.KDep > tk {
				target, tk = l, L.KDep
			}
		}
		if target < 0 {
			continue
		}
		L := &w.Labs[target]
		val := math.Max(L.LastPost, s.Finance.MultipleMedian*w.climate*12*L.Revenue)
		amt := math.Min(s.Finance.StrategicMax, math.Max(s.Finance.StrategicMin, s.Finance.StrategicFrac*val))
		post := math.Max(val+amt, amt/s.Finance.MaxNewStake)
		if err := w.strategicInvest(target, h, amt, post, t, false); err != nil {
			return err
		}
	}
	return nil
}

// applyEvents injects the scheduled events of month t (replay mode).
func (w *World) applyEvents(t int) error {
	for _, e := range w.events {
		if e.Month != t {
			continue
		}
		L := &w.Labs[e.Lab]
		if !L.Active || L.Owner >= 0 {
			continue
		}
		switch e.Kind {
		case EventStrategic:
			if L.Backer < 0 && w.partnership(e.Lab) == e.Investor {
				w.formContract(e.Lab, e.Investor, true)
			}
			if err := w.strategicInvest(e.Lab, e.Investor, e.Amount, e.Post, t, false); err != nil {
				return fmt.Errorf("event %q: %w", e.Note, err)
			}
		case EventRound:
			if err := w.eventRound(e.Lab, t, e.Amount, e.Post); err != nil {
				return fmt.Errorf("event %q: %w", e.Note, err)
			}
		case EventExclusivityEnd:
			L.exclUntil = t
			L.Contract.ComputeExclusive = false
		case EventROFREnd:
			L.exclUntil = min(L.exclUntil, t)
			L.rofrUntil = t
			L.Contract.ComputeExclusive, L.Contract.ROFR = false, false
		}
	}
	return nil
}

// partnership is the hyperscaler of lab l's declared replay partnership, or -1.
func (w *World) partnership(l int) int {
	for _, p := range w.S.cast.Partnerships {
		if p.Lab == l {
			return p.Cloud
		}
	}
	return -1
}

// eventRound books a scheduled VC-led round: funds by the participation
// rule, the rest other investors.
func (w *World) eventRound(l, t int, I, post float64) error {
	s := &w.S
	n := 0
	raised := 0.0
	for f := range w.Funds {
		if w.covenantBlocks(f, l) {
			continue
		}
		amt := math.Min(s.Finance.FundMaxFrac*I, math.Max(0, w.ledger.bal[w.accFund(f)]))
		if amt < 1e-6 {
			continue
		}
		w.allocs[n] = market.Allocation{Investor: w.fundHolder(f), Amount: amt}
		n++
		raised += amt
	}
	if rest := I - raised; rest > 1e-9 {
		w.allocs[n] = market.Allocation{Investor: w.holders[w.holderOthers], Amount: rest}
		n++
	}
	return w.book(l, t, post, w.allocs[:n], true)
}
