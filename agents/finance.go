package agents

import (
	"fmt"
	"math"

	"frontiersim/market"
)

// never is a month index beyond any horizon.
const never = 1 << 30

// phaseFinance: scheduled events (replay), strategic hyperscaler
// investments (endogenous), primary rounds: in endogenous mode of labs
// whose cash no longer covers the compute rule's plan, filled from finite
// capital (raiseFinite); in replay mode model v1's emergency rounds with
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
		due := t-L.LastRound >= int(s.Finance.MinInterval) || w.ledger.bal[w.accLab(l)] < L.Burn
		if !replay {
			// model v2: the plan of the compute rule, finite capital
			if due && w.planShort(l, trigger) {
				if err := w.raiseFinite(l, t); err != nil {
					return err
				}
			}
			continue
		}
		trigger = math.Min(trigger, 3)
		if w.runway(l) < trigger && due {
			if err := w.raise(l, t, replay); err != nil {
				return err
			}
		}
		if L.cut == 1 && w.runway(l) < s.Labs.CutBurnRunway {
			L.cut = 0.5
		}
	}
	w.decideSteering() // the funds' portfolio steering for next month (backers.go)
	if !replay {
		return w.replenishPool(t)
	}
	return nil
}

// runway is the lab's runway (months) at its current burn and revenue,
// its credits counted only as far as they pay its compute (labRunway).
func (w *World) runway(l int) float64 {
	L := &w.Labs[l]
	return w.labRunway(l, L.Burn, L.Revenue)
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
		L.capitalRaised += a.Amount
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
	// replay: the world file's events end exclusivity and the ROFR
	// (applyEvents); endogenous mode: the agreement set is chosen
	// (exclusivity.go), no calendar
	L.exclUntil, L.rofrUntil = never, never
	if !replay && !w.Reg.BanCompute {
		L.Contract.ComputeExclusive, L.Contract.ROFR = false, false
		L.exclPaid, L.exclPrefer = 0, 0
		if err := w.reviewAgreementSet(l, w.t, true); err != nil && w.exclErr == nil {
			w.exclErr = err // returned by the next contract phase
		}
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
	w.commit(l, h, amt, t) // a take-or-pay commitment comes with it (compute.take_or_pay)
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
		case EventRestructuring:
			if err := w.restructure(e.Lab, t, e.Governance); err != nil {
				return fmt.Errorf("event %q: %w", e.Note, err)
			}
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

// planShort reports whether independent lab l's cash and the credits its
// plan can spend (plannedCredits: at each hyperscaler at most trigger
// months of last month's bill there) no longer cover the compute rule's
// plan over trigger months: the gap to its target compute stock plus
// trigger months of recurring spend net of revenue (revenue held at this
// month's level: compute is committed ahead, revenue is not). Credits it
// cannot spend within the window do not count.
func (w *World) planShort(l int, trigger float64) bool {
	L := &w.Labs[l]
	cash := w.ledger.bal[w.accLab(l)] + w.plannedCredits(l, trigger)
	net := L.planRecurring - L.Revenue
	need := L.planGap + trigger*math.Max(0, net)
	return need > 0 && cash < need
}

// raiseFinite runs a primary round of lab l in endogenous mode from finite
// capital (model-v2 §3.1; docs/ODD.md, "Compute and capital"). The round
// asks for the compute rule's plan, I = gap to the target compute stock +
// U(finance.round_months_min, _max) months of recurring spend net of
// revenue (at least a tenth of the recurring spend), at the v1 price
// (post-money max(M x ARR, I/max_new_stake, step_up_min x last post)), and
// market.AllocateRound fills it from the funds (pro-rata in their
// portfolio labs, dry powder net of reserves, hurdle, no-rival
// covenants), the backer's bid and the finite pool of other investors. A capped-profit lab's first round is still the partnership
// auction. A round can close short, down or fail.
//
// The round in AllocateRound's order: no pro-rata holders other than the
// funds (hyperscalers other than the backer invest by the strategic rule,
// as convertible notes); the funds; the backer's strategic bid of
// finance.backer_take x I at any price (within the merger-control stake
// limit); the pool.
func (w *World) raiseFinite(l, t int) error {
	s := &w.S
	L := &w.Labs[l]
	months := s.Finance.RoundMonthsMin + (s.Finance.RoundMonthsMax-s.Finance.RoundMonthsMin)*w.rFund.Float64()
	net := math.Max(L.planRecurring-L.Revenue, 0.1*L.planRecurring)
	I := L.planGap + months*net
	arr := 12 * L.Revenue
	M := s.Finance.MultipleMedian * w.climate * math.Exp(s.Finance.MultipleSigma*w.rVal.NormFloat64())
	if !(I > 1e-6) {
		return nil
	}
	post := math.Max(M*arr, math.Max(I/s.Finance.MaxNewStake, L.LastPost*s.Finance.StepUpMin))
	if w.beyondLimit(l, I) {
		// the capital need exceeds the governance's limit: restructure
		// first (governance.go)
		if err := w.restructure(l, t, GovForProfit); err != nil {
			return err
		}
	}
	if L.Backer < 0 && L.Gov == GovCappedProfit && L.investedBy == [MaxClouds]float64{} {
		if h := w.partnerAuction(l); h >= 0 {
			w.formContract(l, h, false)
			return w.strategicInvest(l, h, I, post, t, true)
		}
	}
	pre := post - I
	// Investors value the lab by its expected revenue, the demand seam's
	// (capability-implied: its logit share of the market it competes
	// for, or its revenue if larger), not its trailing revenue: the funds
	// through the exit value at their hurdle, the other investors through
	// their multiple of the expected annual revenue, so a promising
	// pre-revenue lab can raise.
	expRev, _ := w.demand.capabilityGain(w, l)
	fwd := 12 * math.Max(L.Revenue, expRev)
	exit := s.Capital.ExitGrowth * s.Finance.MultipleMedian * w.climate * fwd
	ask := market.RoundAsk{Lab: l, Rivals: w.roundRivals(l), Invest: I, Pre: pre, FloorPre: s.Capital.FloorPre * pre,
		MinRaise: s.Capital.MinRaise * I, ARR: fwd, ExitValue: exit, MaxFundShare: s.Finance.FundMaxFrac}
	bids := w.bids[:0]
	if h := L.Backer; h >= 0 && L.Owner < 0 {
		// the backer bids finance.backer_take of the round at any price
		if amt := w.stakeCapped(l, h, s.Finance.BackerTake*I, post); amt > 0 {
			bids = append(bids, market.StrategicBid{Amount: amt, MaxPost: math.Inf(1)})
		}
	}
	funds := w.mFunds[:0]
	pool := w.pool
	if w.prospects(l) {
		funds = w.marketFunds(t)
	} else {
		pool.Available = 0 // investors refuse a lab too far behind the frontier
	}
	res, err := market.AllocateRound(ask, pool, nil, funds, bids, w.flows[:0])
	if err != nil {
		return fmt.Errorf("round of %s: %w", L.Name, err)
	}
	w.flows = res.Flows[:0]
	L.shortfallM += res.Shortfall
	w.shortfallTot += res.Shortfall
	if res.Outcome == market.RoundFailed {
		w.roundsFailed++
		return nil
	}
	leader := w.leader()
	covenant := l == leader && s.Finance.Covenants && !w.Reg.BanCovenants && L.RevDirect+L.RevResale > 0
	n := 0
	for _, fl := range res.Flows {
		name := w.holders[w.holderOthers]
		switch fl.Payer.Kind {
		case market.PayerStrategic:
			name = w.hsHolder(L.Backer)
		case market.PayerFund:
			f := fl.Payer.Index
			name = w.fundHolder(f)
			F := &w.Funds[f]
			if F.cost[l] == 0 {
				F.reserve[l] = s.Capital.FundReserveRatio * fl.Amount
			} else {
				F.reserve[l] = math.Max(0, F.reserve[l]-fl.Amount)
			}
			F.cost[l] += fl.Amount
			if covenant {
				F.Covenant[l] = true
			}
		}
		// a fund that follows on beyond its pro-rata right pays twice:
		// one allocation on the cap table
		k := 0
		for k < n && w.allocs[k].Investor != name {
			k++
		}
		if k < n {
			w.allocs[k].Amount += fl.Amount
			continue
		}
		w.allocs[n] = market.Allocation{Investor: name, Amount: fl.Amount}
		n++
	}
	if w.pool, err = w.pool.Take(res.PoolTaken); err != nil {
		return fmt.Errorf("round of %s: %w", L.Name, err)
	}
	L.raisedM += res.Raised
	w.raisedTot += res.Raised
	return w.book(l, t, res.Post, w.allocs[:n], true)
}

// roundRivals are the labs whose no-rival covenants keep their funds out
// of lab l's round: every other active lab when l sells a closed model
// (model v1's covenantBlocks), none otherwise.
func (w *World) roundRivals(l int) []int {
	r := w.rivals[:0]
	if !w.Labs[l].Closed {
		return r
	}
	for j := range w.Labs {
		if j != l && w.Labs[j].Active {
			r = append(r, j)
		}
	}
	return r
}

// marketFunds fills the scratch market.Fund of every fund at month t: its
// committed capital once its vintage has come (0 before: no dry powder),
// all of it paid in at the vintage (the ledger books it then), what it has
// invested and paid in fees, the finance priors, and one position per
// portfolio lab with a pro-rata right, its reserve, and the no-rival
// covenant it gave that lab (void under policy.ban_covenants, lapsed when
// the lab is no longer active).
func (w *World) marketFunds(t int) []market.Fund {
	s := &w.S
	for f := range w.Funds {
		F := &w.Funds[f]
		m := &w.mFunds[f]
		committed := F.Size
		if t < s.cast.Funds[f].Vintage {
			committed = 0
		}
		pos := m.Positions[:0]
		for j := range w.Labs {
			if F.cost[j] <= 0 {
				continue
			}
			pos = append(pos, market.Position{Lab: j, Cost: F.cost[j], Stake: w.Labs[j].Cap.Stake(w.fundHolder(f)),
				Reserve: F.reserve[j], ProRata: true, NoRival: F.Covenant[j] && !w.Reg.BanCovenants && w.Labs[j].Active})
		}
		*m = market.Fund{Committed: committed, PaidIn: committed, Invested: math.Min(F.Invested, committed),
			Fees: math.Min(F.Fees, math.Max(0, committed-F.Invested)), Hurdle: s.Capital.FundHurdle,
			ReserveRatio: s.Capital.FundReserveRatio, MaxDealShare: s.Capital.FundMaxDealShare, Positions: pos}
	}
	return w.mFunds
}

// replenishPool records the month's sector value and primary capital and
// moves the other investors' pool toward its target, capital.pool_base x
// the funding climate x the sector's trailing 12-month gross return
// (market.TrailingGross of the independent labs' equity at their last
// post-money, net of the primary capital raised in the window; 1 before
// twelve months of history or without a sector value a year ago).
func (w *World) replenishPool(t int) error {
	s := &w.S
	v := 0.0
	for l := range w.Labs {
		if L := &w.Labs[l]; L.Active && L.Owner < 0 && !L.parentFunded {
			v += L.LastPost
		}
	}
	w.sectorValue[t] = v
	w.raisedHist[t] = w.raisedTot
	gross := 1.0
	if t >= 12 && w.sectorValue[t-12] > 0 {
		raised := 0.0
		for k := t - 11; k <= t; k++ {
			raised += w.raisedHist[k]
		}
		var err error
		if gross, err = market.TrailingGross(v, w.sectorValue[t-12], raised); err != nil {
			return fmt.Errorf("other investors' return: %w", err)
		}
	}
	var err error
	if w.pool, err = w.pool.Replenish(s.Capital.PoolBase, w.climate, gross); err != nil {
		return fmt.Errorf("other investors' pool: %w", err)
	}
	return nil
}
