package agents

import (
	"math"

	"frontiersim/market"
)

// phaseDrift: exogenous drift (phase 1): lab founding, algorithmic
// efficiency, GPU price-performance, the price path, funding climate,
// cloud capacity and base cloud revenue, spend intensity.
func (w *World) phaseDrift(t int) error {
	s := &w.S
	for f := range w.Funds {
		if t == s.cast.Funds[f].Vintage {
			w.ledger.xfer(extLPs, w.accFund(f), w.ledger.initial[w.accFund(f)])
		}
	}
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active && !L.Exited && !L.Acquired && t >= L.Founded {
			L.Active = true
			w.ledger.xfer(extParents, w.accLab(l), w.ledger.initial[w.accLab(l)])
			L.LastRound = t
		}
		L.RevDirect, L.RevResale, L.RevConsumer, L.RevBacker = 0, 0, 0, 0
		L.SharePaid, L.roundPost, L.roundMult, L.OpCF, L.servingFee = 0, 0, 0, 0, 0
		L.TrainFLOP, L.InferenceCost, L.raisedM, L.shortfallM = 0, 0, 0, 0
		if !s.Mode.Replay {
			L.ComputeSpend = 0
		}
		L.prevRevenue = L.Revenue
		L.Revenue = 0
	}
	for h := range w.Hyper {
		H := &w.Hyper[h]
		H.prevCloud = H.revCloud
		H.revCloud, H.revCredit, H.revResale, H.revShare, H.invest, H.partnerRev, H.revOwn = 0, 0, 0, 0, 0, 0, 0
	}
	for f := range w.Funds {
		F := &w.Funds[f]
		F.invM, F.feeM, F.distM = 0, 0, 0
	}
	w.nRounds = 0
	w.raisedTot, w.shortfallTot, w.roundsFailed, w.cashBound, w.creditBound = 0, 0, 0, 0, 0
	w.strategicM = 0
	w.ledger.entOut = 0

	tm := float64(t)
	w.algo = market.AlgorithmicMultiplier(tm, s.Drift.AlgoHalvingMonths)
	w.flopPerB = math.Pow(10, s.Capability.Log10FlopPerBUSD) * math.Pow(s.Drift.GPUPerfPerYear, tm/12)
	w.costPath = market.PriceAt(s.Drift.PriceAnchor, s.Drift.PriceDeclinePerYear, tm-float64(s.Drift.PriceAnchorMonth))
	w.logClimate = s.Drift.ClimateRho*w.logClimate + s.Drift.ClimateSigma*w.rShock.NormFloat64()
	w.climate = math.Exp(w.logClimate)
	// a "rest" cloud's base share is 1 minus the declared ones
	rest := 1.0
	for c := range s.cast.Clouds {
		if !s.cast.Clouds[c].BaseRest {
			rest -= s.cast.Clouds[c].BaseShare
		}
	}
	for c := range w.capacity {
		cl := &s.cast.Clouds[c]
		w.capacity[c] = s.Cloud.Capacity0 * math.Pow(s.Cloud.CapacityGrowth, tm/12)
		w.capacity[c] *= cl.CapacityFactor
		share := cl.BaseShare
		if cl.BaseRest {
			share = rest
		}
		w.baseRev[c] = s.Cloud.BaseRevenue * share * math.Pow(cl.Growth, tm/12)
		w.cloudRev[c] = 0
	}
	w.intensity = s.Buyers.SpendPerAdopter * math.Pow(s.Buyers.SpendGrowthPerYear, (tm-firstMonth)/12)
	return nil
}

// phaseCompute: the labs' training compute (endogenous mode: the compute
// rule of compute.go; replay: model v1's share of the declared burn path),
// procurement under exclusivity, ROFR or free allocation; capability
// growth; breakthroughs; model releases per channel (phase 2).
func (w *World) phaseCompute(t int) error {
	s := &w.S
	replay := s.Mode.Replay
	cm := &w.cm
	if !replay {
		w.expectedShares()
		cm.flopGPUh = w.flopPerGPUHour(t)
		cm.fails = 0
		clear(cm.want)
		clear(cm.trainW)
		clear(cm.budget)
		if err := w.capacityStep(); err != nil {
			return err
		}
	}
	for l := range w.Labs {
		L := &w.Labs[l]
		// fixed draws per lab slot and month keep common random numbers
		u, z := w.rBreak.Float64(), w.rBreak.NormFloat64()
		if !L.Active {
			continue
		}
		if !replay {
			// model v2: the compute rule, then the compute market
			cm.u[l], cm.z[l] = u, z
			flop, err := w.trainingRule(l)
			if err != nil {
				return err
			}
			if !L.buysCompute() {
				if L.Closed {
					L.TrainFLOP = flop // bought outside the market
				}
				continue
			}
			g := flop / cm.flopGPUh
			cm.want[l], cm.trainW[l], cm.budget[l] = g+L.infGPUh, g, L.ComputeSpend
			continue
		}
		// model v1: burn on the lab's declared path, compute a share of it
		if L.parentFunded {
			continue // its parent pays: no purchases in this market
		}
		L.Burn = L.burn0 * math.Pow(L.burnGrowth, float64(t-L.Founded)) * L.cut
		L.ComputeSpend = s.Capability.ComputeFraction * L.Burn
		flop := L.ComputeSpend * w.flopPerB
		L.TrainFLOP = flop
		w.allocateCompute(l, t)
		w.growCapability(l, u, z)
	}
	if !replay {
		if err := w.computeMarket(t); err != nil {
			return err
		}
		for l := range w.Labs {
			if L := &w.Labs[l]; L.Active && (L.buysCompute() || L.Closed) {
				w.growCapability(l, cm.u[l], cm.z[l])
			}
		}
	}
	// open-weight labs follow the frontier with a lag
	lagK := w.frontierLagged(t, s.Capability.OpenWeightLagMonths)
	for l := range w.Labs {
		if L := &w.Labs[l]; !L.Closed {
			L.KTrain = lagK - L.openWeightGap
		}
	}
	kf := math.Inf(-1)
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active {
			continue
		}
		w.release(l, t)
		if L.Closed && L.KDep > kf {
			kf = L.KDep
		}
	}
	if math.IsInf(kf, -1) {
		kf = 0
	}
	w.kFront = kf
	w.kFrontHist[t] = kf
	if t >= 12 {
		w.kGrowth = (kf - w.kFrontHist[t-12]) / 12
	} else if t > 0 {
		w.kGrowth = (kf - w.kFrontHist[0]) / float64(t)
	}
	w.gate = 0.5 * math.Erfc(-(kf-s.Capability.KStar)/(s.Capability.KSigma*math.Sqrt2))
	return nil
}

// growCapability adds closed lab l's training compute of the month to its
// cumulative compute, with a breakthrough when u < the month's
// breakthrough probability (u, z the lab's draws of the month).
func (w *World) growCapability(l int, u, z float64) {
	s := &w.S
	L := &w.Labs[l]
	if !L.Closed {
		return
	}
	if u < 1-math.Exp(-s.Capability.BreakthroughRate) {
		L.Eta += math.Max(0, s.Capability.BreakthroughMean+s.Capability.BreakthroughSD*z)
	}
	L.Log10C = math.Log10(math.Pow(10, L.Log10C) + L.TrainFLOP)
	L.KTrain = s.Capability.Kappa*(L.Log10C+math.Log10(w.algo)-s.Capability.Log10CRef) + L.Eta
}

// frontierLagged is the frontier capability lag months ago (linear
// interpolation; before month 0 the month-0 value).
func (w *World) frontierLagged(t int, lag float64) float64 {
	x := float64(t) - lag
	if x <= 0 {
		if t == 0 {
			// no history yet: the best closed training run of this month
			k, found := 0.0, false
			for l := range w.Labs {
				if L := &w.Labs[l]; L.Active && L.Closed && (!found || L.KTrain > k) {
					k, found = L.KTrain, true
				}
			}
			return k
		}
		return w.kFrontHist[0]
	}
	i := int(x)
	if i >= t-1 {
		return w.kFrontHist[t-1]
	}
	f := x - float64(i)
	return w.kFrontHist[i]*(1-f) + w.kFrontHist[i+1]*f
}

// release deploys a new model when the training run is ReleaseStep ahead
// (closed labs) or continuously (open weights), and moves pending releases
// into channels: direct at once, the backer channel after the lab's chosen
// lag L, marketplaces after cloud.marketplace_lag.
func (w *World) release(l, t int) {
	s := &w.S
	L := &w.Labs[l]
	first := L.KDep == 0 && L.chK == [maxCh]float64{}
	if first || !L.Closed || L.KTrain-L.KDep >= s.Capability.ReleaseStep {
		L.KDep = L.KTrain
		for ch := 0; ch < w.numCh; ch++ {
			lag := 0
			lagged := false
			if ch != chDirect && L.Closed && !first {
				c := ch - 1
				if c == L.Backer && L.Owner < 0 {
					lag = L.Lag
					lagged = lag > 0
				} else if c != L.Owner {
					lag = int(s.Cloud.MarketplaceLag)
				}
			}
			if lag == 0 {
				L.chK[ch] = L.KDep
				L.pendT[ch] = -1
			} else {
				L.pendK[ch], L.pendT[ch], L.pendLagged[ch] = L.KDep, t+lag, lagged
			}
		}
	}
	for ch := 0; ch < w.numCh; ch++ {
		if L.pendT[ch] >= 0 && t >= L.pendT[ch] {
			L.chK[ch] = L.pendK[ch]
			L.pendT[ch] = -1
			if L.pendLagged[ch] {
				w.lagEvents++
				L.pendLagged[ch] = false
			}
		}
	}
}

// allocateCompute sets the lab's compute shares across clouds (§3.7).
func (w *World) allocateCompute(l, t int) {
	s := &w.S
	L := &w.Labs[l]
	X := L.ComputeSpend
	nc := w.nClouds
	var target [MaxClouds]float64
	owner := L.Owner
	excl := L.Backer >= 0 && L.Contract.ComputeExclusive && !w.Reg.BanCompute
	rofr := L.Backer >= 0 && L.Contract.ROFR && !w.Reg.BanCompute
	switch {
	case owner >= 0:
		target[owner] = 1
	case excl:
		target[L.Backer] = 1
	default:
		var util [MaxClouds]float64
		var capShare [MaxClouds]float64
		psi := w.Reg.Psi
		for c := 0; c < nc; c++ {
			price := s.cast.Clouds[c].PriceFactor
			if c == L.Backer && X > 0 {
				price += L.leakFrac * L.prevRevenue / X
			}
			u := -s.Cloud.Eta * price
			if c < w.nHyper && w.ledger.bal[w.accCredit(l, c)] > 1e-12 {
				u += s.Cloud.CreditAttraction
			}
			if L.ComputeShare[c] < 0.01 {
				u -= s.Cloud.KMig * psi
			}
			util[c] = u
			capShare[c] = 1
			if X > 0 {
				capShare[c] = w.capacity[c] * s.Cloud.LabCapacityFrac / X
			}
		}
		first := -1
		take := 0.0
		if rofr {
			first = L.Backer
			take = math.Min(1, capShare[first])
			target[first] = take
		}
		w.waterfill(&util, &capShare, first, 1-take, &target)
	}
	old := L.ComputeShare
	if owner >= 0 || excl || t == L.Founded {
		L.ComputeShare = target
	} else {
		a := s.Cloud.AdjustRate
		sum := 0.0
		for c := 0; c < nc; c++ {
			L.ComputeShare[c] += a * (target[c] - L.ComputeShare[c])
			sum += L.ComputeShare[c]
		}
		for c := 0; c < nc; c++ {
			L.ComputeShare[c] /= sum
		}
	}
	moved := 0.0
	for c := 0; c < nc; c++ {
		if old[c] < 0.01 && L.ComputeShare[c] > old[c] {
			moved += L.ComputeShare[c] - old[c]
		}
	}
	L.migCost = s.Cloud.KMig * w.Reg.Psi * moved * X
}

// waterfill allocates mass over clouds (excluding skip) in proportion to
// exp(util) subject to per-cloud caps; what no cloud can take goes to the
// fringe (capacity limits are soft at the margin).
func (w *World) waterfill(util, caps *[MaxClouds]float64, skip int, mass float64, out *[MaxClouds]float64) {
	if mass <= 0 {
		return
	}
	nc := w.nClouds
	var fixed [MaxClouds]bool
	if skip >= 0 {
		fixed[skip] = true
	}
	left := mass
	for iter := 0; iter < nc && left > 1e-15; iter++ {
		m := math.Inf(-1)
		for c := 0; c < nc; c++ {
			if !fixed[c] && util[c] > m {
				m = util[c]
			}
		}
		if math.IsInf(m, -1) {
			break
		}
		sum := 0.0
		var e [MaxClouds]float64
		for c := 0; c < nc; c++ {
			if !fixed[c] {
				e[c] = math.Exp(util[c] - m)
				sum += e[c]
			}
		}
		over := false
		for c := 0; c < nc; c++ {
			if fixed[c] {
				continue
			}
			x := left * e[c] / sum
			if out[c]+x > caps[c] {
				over = true
			}
		}
		if !over {
			for c := 0; c < nc; c++ {
				if !fixed[c] {
					out[c] += left * e[c] / sum
				}
			}
			left = 0
			break
		}
		// fill the binding clouds to their caps and re-allocate the rest
		for c := 0; c < nc; c++ {
			if fixed[c] {
				continue
			}
			x := left * e[c] / sum
			if out[c]+x > caps[c] {
				room := math.Max(0, caps[c]-out[c])
				out[c] += room
				fixed[c] = true
			}
		}
		total := 0.0
		for c := 0; c < nc; c++ {
			total += out[c]
		}
		left = math.Max(0, 1-total)
		if skip >= 0 {
			// mass excludes the ROFR holder's take, already in out
			left = math.Max(0, 1-total)
		}
	}
	if left > 1e-15 {
		// capacity exhausted everywhere: the fringe absorbs it
		out[w.overflowCloud()] += left
	}
}

// phasePrices: labs set API prices (phase 3). Endogenous mode: every firm
// prices its products in the Bertrand–Nash game of pricing.go. Replay mode
// (model v1): a logit markup on last month's share over the cost path.
func (w *World) phasePrices(t int) error {
	if w.dm.on {
		return w.phasePricesV2(t) // model v2: Bertrand–Nash on the demand system (pricing.go)
	}
	s := &w.S
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Closed {
			L.Price = w.costPath * s.Labs.OpenWeightPriceFactor
			continue
		}
		sh := math.Min(s.Prices.MarkupShareCap, w.modelShare[l])
		mu := 1 + 1/(s.Logit.BetaP*(1-sh))
		mu = math.Max(s.Prices.MarkupMin, math.Min(s.Prices.MarkupMax, mu))
		L.Price = w.costPath * mu
	}
	// market-average price: last month's spend weights, or the simple mean
	sum, wsum := 0.0, 0.0
	for l := range w.Labs {
		if !w.Labs[l].Active {
			continue
		}
		wt := w.modelShare[l]
		if w.spendTot == 0 {
			wt = 1
		}
		sum += wt * w.Labs[l].Price
		wsum += wt
	}
	if wsum > 0 {
		w.priceBar = sum / wsum
	} else {
		w.priceBar = w.costPath * 2
	}
	return nil
}

// overflowCloud takes compute no cloud has capacity for: the first fringe
// cloud, else the last cloud.
func (w *World) overflowCloud() int {
	if w.nHyper < w.nClouds {
		return w.nHyper // hyperscalers come first
	}
	return w.nClouds - 1
}
