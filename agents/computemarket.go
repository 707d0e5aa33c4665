package agents

import (
	"errors"
	"fmt"
	"math"

	"frontiersim/market"
)

// The compute market of endogenous mode (model-v2.md §3.1 "Clouds price
// compute and build capacity", "Exclusivity is access"; docs/ODD.md,
// "The compute market"). Each month, before the labs buy:
//
//  1. every cloud's capacity (H100-equivalent GPU-hours per month) moves
//     by the supply-line rule (market.SupplyLine, lead time
//     cloud.lead_time) on last month's notional demand, and the cloud pays
//     the capex of its order (order x cloud.unit_capex) to its suppliers;
//  2. every lab's compute demand is the GPU-hours its training rule wants
//     at the price it expects (last month's price paid) plus last month's
//     inference GPU-hours, as a logit over the clouds its contract lets it
//     use (market.ComputeAccess: an exclusive backer only, with priority;
//     ROFR: priority at the holder; policy.ban_exclusive removes both; an
//     in-house lab buys from its owner);
//  3. the clouds' prices to each lab are market.ComputeSolver's
//     equilibrium (Bertrand–Nash with the clouds' stakes and revenue
//     shares, or the rent that clears capacity, by priority tier),
//     warm-started from last month's; if it does not converge the failure
//     is counted (compute_price_failures) and last month's prices are used
//     with the quantities rationed by tier (market.Ration);
//  4. a lab's training GPU-hours are its share of what it obtains, at most
//     its rule's budget at the price it pays; FLOP per US$ is FLOP per
//     GPU-hour over that price.

// computeMarket is the state of the compute market of endogenous mode.
type computeMarket struct {
	rule     market.SupplyLine
	capSt    []market.CapacityState // by cloud
	notional []float64              // by cloud: last month's notional demand (the supply line's signal)
	capex    []float64              // by cloud: this month's capex (US$B)
	sold     []float64              // by cloud: this month's sales (GPU-hours)
	meanP    []float64              // by cloud: this month's quantity-weighted price (US$ per GPU-hour, 0 if it sold nothing)
	m        market.ComputeMarket
	eq       market.ComputeEquilibrium
	price    []float64 // lab x cloud: the prices paid this month (+Inf where the lab cannot buy)
	qty      []float64 // lab x cloud: GPU-hours bought this month
	last     []float64 // lab x cloud: last month's prices (the fallback)
	haveLast bool
	want     []float64 // by lab: GPU-hours wanted at the expected price (training + inference)
	trainW   []float64 // by lab: of which training
	budget   []float64 // by lab: the rule's training budget (US$B)
	creditP  []float64 // lab x cloud: the price a credit tranche was placed at (credits.go)
	col      []float64 // scratch: a cloud's column of requests
	served   []float64 // scratch: served
	tier     []int     // scratch: tiers
	fails    int       // price-solver failures this month
	flopGPUh float64   // FLOP per GPU-hour this month
	u, z     []float64 // by lab: this month's breakthrough draws
}

func (w *World) newComputeMarket() {
	J, K := w.nLabs, w.nClouds
	c := &w.cm
	c.capSt = make([]market.CapacityState, K)
	for k := range c.capSt {
		c.capSt[k].Pipeline = make([]float64, 0, 64)
	}
	c.notional, c.capex, c.sold, c.meanP = make([]float64, K), make([]float64, K), make([]float64, K), make([]float64, K)
	c.m = market.ComputeMarket{Labs: J, Clouds: K, Alpha: make([]float64, J), Potential: make([]float64, J),
		Value: make([]float64, J*K), Access: make([]market.Access, J*K), Stake: make([]float64, J*K),
		UnitValue: make([]float64, J*K), Cost: make([]float64, K), Capacity: make([]float64, K)}
	c.price, c.qty, c.last = make([]float64, J*K), make([]float64, J*K), make([]float64, J*K)
	c.want, c.trainW, c.budget = make([]float64, J), make([]float64, J), make([]float64, J)
	c.col, c.served, c.tier = make([]float64, J), make([]float64, J), make([]int, J)
	c.u, c.z = make([]float64, J), make([]float64, J)
}

// resetComputeMarket sets every cloud's capacity to the steady state of the
// supply-line rule for its starting capacity (cloud.gpu_capacity0 x its
// capacity_factor) growing at cloud.capacity_growth, and forgets last
// month's prices.
func (w *World) resetComputeMarket() error {
	s := &w.S
	c := &w.cm
	c.rule = market.DefaultSupplyLine()
	c.rule.LeadTime = s.Cloud.LeadTime
	growth := math.Log(s.Cloud.CapacityGrowth) / 12
	for k := range c.capSt {
		k0 := s.Cloud.GPUCapacity0 * s.cast.Clouds[k].CapacityFactor
		d := k0 / (1 + c.rule.Reserve)
		st, err := c.rule.SteadyCapacity(d, growth)
		if err != nil {
			return fmt.Errorf("agents: starting capacity of cloud %s: %w", s.cast.Clouds[k].Name, err)
		}
		pipe := append(c.capSt[k].Pipeline[:0], st.Pipeline...)
		c.capSt[k] = st
		c.capSt[k].Pipeline = pipe
		c.notional[k] = d
		c.m.Cost[k] = s.Cloud.RunningCost * s.cast.Clouds[k].PriceFactor
	}
	clear(c.capex)
	clear(c.sold)
	clear(c.meanP)
	c.haveLast = false
	c.fails = 0
	clear(c.want)
	clear(c.trainW)
	clear(c.budget)
	clear(c.price)
	clear(c.qty)
	clear(c.last)
	c.eq = market.ComputeEquilibrium{}
	return nil
}

// flopPerGPUHour is the FLOP of an H100-equivalent GPU-hour of month t's
// hardware: what capability.log10_flop_per_busd buys at
// inference.gpu_hour_price, growing with hardware price-performance
// (drift.gpu_perf_per_year, domain-model §3.4). At a compute price of
// inference.gpu_hour_price FLOP per US$ is then model v1's path.
func (w *World) flopPerGPUHour(t int) float64 {
	s := &w.S
	return math.Pow(10, s.Capability.Log10FlopPerBUSD) * 1e-9 * s.Inference.GPUHourPrice *
		math.Pow(s.Drift.GPUPerfPerYear, float64(t)/12)
}

// hardwareFactor is the hardware price-performance of month t relative to
// inference.anchor_month: the FLOP of a GPU-hour grow by it, so the
// GPU-hours a workload unit needs fall by it.
func (w *World) hardwareFactor(t int) float64 {
	s := &w.S
	return math.Pow(s.Drift.GPUPerfPerYear, (float64(t)-s.Inference.AnchorMonth)/12)
}

// expectedPrice is the compute price lab l expects this month (US$ per
// GPU-hour): what it paid last month, else the mean price of last month's
// market, else the clouds' mean cost plus the logit markup 1/alpha.
func (w *World) expectedPrice(l int) float64 {
	if p := w.Labs[l].pricePaid; p > 0 {
		return p
	}
	c := &w.cm
	var pq, q float64
	for k := range c.sold {
		pq += c.meanP[k] * c.sold[k]
		if c.meanP[k] > 0 {
			q += c.sold[k]
		}
	}
	if q > 0 {
		return pq / q
	}
	mc := 0.0
	for k := range c.m.Cost {
		mc += c.m.Cost[k]
	}
	return mc/float64(len(c.m.Cost)) + 1/w.S.Compute.PriceSensitivity
}

// labFlopPerB is the FLOP per US$B lab l's training rule counts on this
// month: model v1's path in replay mode; in endogenous mode FLOP per
// GPU-hour over the price it expects.
func (w *World) labFlopPerB(l int) float64 {
	if w.S.Mode.Replay {
		return w.flopPerB
	}
	return w.cm.flopGPUh * 1e9 / w.expectedPrice(l)
}

// buysCompute reports whether lab l buys compute in this market.
func (L *Lab) buysCompute() bool { return L.Active && !L.parentFunded }

// capacityStep moves every cloud's capacity by the supply-line rule and
// books its capex (phase 2, before the labs buy).
func (w *World) capacityStep() error {
	s := &w.S
	c := &w.cm
	unit := s.Cloud.UnitCapex * 1e-9 // US$B per GPU-hour-per-month of capacity
	for k := range c.capSt {
		f, err := c.rule.Step(&c.capSt[k], c.notional[k], unit)
		if err != nil {
			return fmt.Errorf("agents: capacity of cloud %s: %w", s.cast.Clouds[k].Name, err)
		}
		c.capex[k] = f.Capex
		w.ledger.xfer(w.accCloud(k), extSuppliers, f.Capex)
		c.m.Capacity[k] = c.capSt[k].Capacity
	}
	return nil
}

// buildDemand fills the compute market's lab rows: access from the lab's
// contract, the value of a GPU-hour at each cloud (the price the lab
// expects plus compute.gpu_hour_value, so that the logit is the lab's
// demand curve around its plan; plus credits, less migration and backer leakage, converted from utils at
// compute.price_sensitivity), the clouds' stakes in the lab (cap tables; an
// owner 1; times the cloud's strategic_pricing weight, so a non-strategic
// hyperscaler counts none of a lab it does not own) and unit values (likewise
// weighted: the backer's revenue share of the lab's
// marginal revenue from a GPU-hour, taken to be the price the lab expects
// for its training share: a lab buys training compute until a dollar of it
// is worth about a dollar to it), and the potential that puts the lab's
// demand at its expected prices at what it wants.
func (w *World) buildDemand() error {
	s := &w.S
	c := &w.cm
	K := w.nClouds
	alpha := s.Compute.PriceSensitivity
	for j := range w.Labs {
		L := &w.Labs[j]
		c.m.Alpha[j] = alpha
		row := j * K
		acc := c.m.Access[row : row+K]
		val := c.m.Value[row : row+K]
		stk := c.m.Stake[row : row+K]
		uv := c.m.UnitValue[row : row+K]
		v := w.expectedPrice(j) + s.Compute.GPUHourValue
		for k := range K {
			val[k], stk[k], uv[k] = v, 0, 0
		}
		c.m.Potential[j] = 0
		if !L.buysCompute() {
			clear(acc)
			w.creditTranches(j, 0, acc)
			continue
		}
		var err error
		switch {
		case L.Owner >= 0:
			err = market.ComputeAccess(L.Owner, true, false, acc)
		case L.Backer >= 0 && !w.Reg.BanCompute && (L.Contract.ComputeExclusive || L.Contract.ROFR):
			err = market.ComputeAccess(L.Backer, L.Contract.ComputeExclusive, L.Contract.ROFR, acc)
		default:
			err = market.ComputeAccess(-1, false, false, acc)
		}
		if err != nil {
			return fmt.Errorf("agents: compute access of %s: %w", L.Name, err)
		}
		G := c.want[j]
		cr := w.creditTranches(j, G, acc) // credits first (credits.go)
		psi := w.Reg.Psi
		for k := range K {
			if k < w.nHyper && w.creditsLeft(j, k) {
				val[k] += s.Cloud.CreditAttraction / alpha
			}
			if L.ComputeShare[k] < 0.01 {
				val[k] -= s.Cloud.KMig * psi / alpha
			}
			if k == L.Owner {
				stk[k] = 1
			} else if k < w.nHyper && L.Cap != nil {
				stk[k] = s.cast.Clouds[k].StrategicPricing * math.Min(1, math.Max(0, L.Cap.Stake(w.hsHolder(k))))
			}
		}
		if h := L.Backer; h >= 0 && L.Owner < 0 && G > 0 {
			val[h] -= math.Min(v, L.leakFrac*L.prevRevenue*1e9/G)
			uv[h] = s.cast.Clouds[h].StrategicPricing * L.Contract.RevenueShare * w.expectedPrice(j) * c.trainW[j] / G
		}
		w.computeRemedies(j, acc, stk, uv)
		if G <= 0 {
			continue
		}
		// the outside share at the prices the lab expects (last month's)
		pr := c.price[row : row+K]
		if !c.haveLast {
			p := w.expectedPrice(j)
			for k := range K {
				pr[k] = p
			}
		} else {
			copy(pr, c.last[row:row+K])
		}
		_, s0, err := market.LabComputeDemand(alpha, 1, val, pr, acc, c.qty[row:row+K])
		if err != nil {
			return fmt.Errorf("agents: compute demand of %s: %w", L.Name, err)
		}
		c.m.Potential[j] = (G - cr) / math.Max(1-s0, 1e-3)
	}
	return nil
}

// solveCompute solves the month's compute prices into c.price and c.qty;
// on ErrNoConvergence it counts the failure and uses last month's prices
// with the demand there rationed by tier (never silently).
func (w *World) solveCompute() error {
	c := &w.cm
	K := w.nClouds
	err := market.ComputeSolver{Warm: true}.Solve(&c.m, &c.eq)
	switch {
	case err == nil:
		copy(c.price, c.eq.Price)
		copy(c.qty, c.eq.Quantity)
		copy(c.notional, c.eq.Notional)
		w.addCreditServed(c.eq.CommittedServed)
		return nil
	case !errors.Is(err, market.ErrNoConvergence):
		return fmt.Errorf("agents: compute prices at month %d: %w", w.t, err)
	}
	c.fails++
	if !c.haveLast {
		// no prices yet: the solver's last iterate, rationed to capacity
		copy(c.price, c.eq.Price)
		copy(c.qty, c.eq.Quantity)
		copy(c.notional, c.eq.Notional)
		w.addCreditServed(c.eq.CommittedServed)
		return nil
	}
	copy(c.price, c.last)
	for j := range w.Labs {
		row := j * K
		if _, _, err := market.LabComputeDemand(c.m.Alpha[j], c.m.Potential[j], c.m.Value[row:row+K], c.price[row:row+K],
			c.m.Access[row:row+K], c.qty[row:row+K]); err != nil {
			return fmt.Errorf("agents: compute demand of %s at last month's prices: %w", w.Labs[j].Name, err)
		}
	}
	for k := range K {
		c.notional[k] = 0
		for j := range w.Labs {
			c.col[j] = c.qty[j*K+k]
			c.notional[k] += c.col[j]
			c.tier[j] = 1
			if c.m.Access[j*K+k] == market.AccessPriority {
				c.tier[j] = 0
			}
		}
		left := c.m.Capacity[k] // less the credit tranches, served first
		for j := range w.Labs {
			left -= c.eq.CommittedServed[j*K+k]
		}
		if _, err := market.Ration(math.Max(0, left), c.col, c.tier, c.served); err != nil {
			return fmt.Errorf("agents: rationing at cloud %s: %w", w.S.cast.Clouds[k].Name, err)
		}
		for j := range w.Labs {
			c.qty[j*K+k] = c.served[j]
		}
	}
	w.addCreditServed(c.eq.CommittedServed)
	return nil
}

// computeMarket runs the month's compute market (steps 1-3 above) after
// the labs' training rules have set c.want, c.trainW and c.budget, and
// applies it to every lab that buys (step 4): compute shares (by bill),
// the price paid, training GPU-hours, spend and FLOP, migration cost.
func (w *World) computeMarket(t int) error {
	s := &w.S
	c := &w.cm
	K := w.nClouds
	if err := w.buildDemand(); err != nil {
		return err
	}
	if err := w.solveCompute(); err != nil {
		return err
	}
	// The supply line's signal: the notional demand, at most what the labs
	// that may buy at the cloud plan to buy (their potential scales with
	// the plan at the price they expect, so under scarcity the demand at a
	// price without rent would count a potential the shortage inflated).
	for k := range K {
		plan := 0.0
		for j := range w.Labs {
			if c.m.Access[j*K+k] != market.AccessBarred {
				plan += c.want[j]
			}
		}
		c.notional[k] = math.Min(c.notional[k], plan)
	}
	clear(c.sold)
	clear(c.meanP)
	for j := range w.Labs {
		L := &w.Labs[j]
		if !L.buysCompute() {
			continue
		}
		row := j * K
		var q, bill float64
		for k := range K {
			if x := c.qty[row+k]; x > 0 {
				q += x
				bill += x * c.price[row+k]
				c.sold[k] += x
				c.meanP[k] += x * c.price[row+k]
			}
		}
		var wt [MaxClouds]float64
		if q > 0 {
			for k := range K {
				if x := c.qty[row+k]; x > 0 {
					wt[k] = x * c.price[row+k] / bill
				}
			}
		} else {
			// nothing bought: the shares and prices it would buy at
			den, sq := 0.0, 0.0
			for k := range K {
				if sh := c.eq.Share[row+k]; sh > 0 && !math.IsInf(c.price[row+k], 1) {
					den += sh * c.price[row+k]
					sq += sh
				}
			}
			if den > 0 {
				for k := range K {
					if sh := c.eq.Share[row+k]; sh > 0 && !math.IsInf(c.price[row+k], 1) {
						wt[k] = sh * c.price[row+k] / den
					}
				}
				bill, q = den, sq
			}
		}
		if q > 0 && bill > 0 {
			L.pricePaid = bill / q
			old := L.ComputeShare
			L.ComputeShare = wt
			moved := 0.0
			for k := range K {
				if old[k] < 0.01 && wt[k] > old[k] {
					moved += wt[k] - old[k]
				}
			}
			// training: its share of what the lab obtains, within the
			// rule's budget at the price paid
			g := 0.0
			if c.want[j] > 0 {
				g = math.Min(q*c.trainW[j]/c.want[j], c.budget[j]*1e9/L.pricePaid)
			}
			L.ComputeSpend = w.cashCapped(j, g*L.pricePaid*1e-9, &wt, s.Cloud.KMig*w.Reg.Psi*moved)
			g = L.ComputeSpend * 1e9 / L.pricePaid
			L.TrainFLOP = g * c.flopGPUh
			L.migCost = s.Cloud.KMig * w.Reg.Psi * moved * L.ComputeSpend
		} else {
			L.ComputeSpend, L.TrainFLOP, L.migCost = 0, 0, 0
		}
		if L.parentFunded {
			L.ComputeSpend = 0
		}
	}
	for k := range K {
		if c.sold[k] > 0 {
			c.meanP[k] /= c.sold[k]
		}
	}
	copy(c.last, c.price)
	c.haveLast = true
	_ = t
	return nil
}

// cashCapped is the largest training spend up to x (US$B) that lab l can
// pay this month: its bills at the clouds in shares wt (training plus last
// month's inference GPU-hours at this month's price), less the credits it
// holds at each, plus the other opex that goes with them
// ((1 - f)/f of the compute bill) and the migration cost (mig per dollar
// of training spend), within its cash. Credits are usable
// only at the crediting cloud, so a lab whose rule counted on credits but
// whose compute the market spreads over other clouds buys less; an owned
// lab is consolidated with its owner and is not capped.
func (w *World) cashCapped(l int, x float64, wt *[MaxClouds]float64, mig float64) float64 {
	L := &w.Labs[l]
	if L.Owner >= 0 || x <= 0 {
		return math.Max(0, x)
	}
	g := &w.ledger
	f := w.S.Capability.ComputeFraction
	inf := L.infGPUh * L.pricePaid * 1e-9
	cash := g.bal[w.accLab(l)]
	outlay := func(x float64) float64 {
		o := (1-f)/f*(x+inf) + mig*x
		for k := range w.nClouds {
			b := (x + inf) * wt[k]
			if k < w.nHyper {
				b -= g.bal[w.accCredit(l, k)]
			}
			o += math.Max(0, b)
		}
		return o
	}
	if outlay(x) <= cash {
		return x
	}
	if outlay(0) >= cash {
		return 0
	}
	lo, hi := 0.0, x
	for range 40 {
		mid := (lo + hi) / 2
		if outlay(mid) <= cash {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// computePrice is the quantity-weighted mean compute price of all clouds
// this month (US$ per GPU-hour; 0 if nothing was sold).
func (w *World) computePrice() float64 {
	c := &w.cm
	var pq, q float64
	for k := range c.sold {
		pq += c.meanP[k] * c.sold[k]
		q += c.sold[k]
	}
	if q > 0 {
		return pq / q
	}
	return 0
}

// utilisation is cloud k's sales over its capacity this month.
func (w *World) utilisation(k int) float64 {
	if cp := w.cm.capSt[k].Capacity; cp > 0 {
		return w.cm.sold[k] / cp
	}
	return 0
}
