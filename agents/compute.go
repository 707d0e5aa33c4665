package agents

import (
	"fmt"
	"math"

	"frontiersim/market"
)

// capabilityDemand is the demand system as a lab's compute rule sees it:
// the seam that part 2's demand system (outside good, absolute prices,
// Bertrand-Nash pricing) replaces. Its one method returns lab l's
// expected monthly revenue and the monthly gain in its profit per unit of
// capability, pi_K (US$B per month per K unit), from the state of demand
// at the start of month t; the compute rule turns pi_K into V_K over the
// lab's planning horizon (AnnuityFactor). It reads the world and changes
// nothing.
type capabilityDemand interface {
	capabilityGain(w *World, l int) (expectedRevenue, perUnit float64)
	// gainNetOfServing reports whether perUnit already counts the cost
	// of serving the demand it adds (a gain in profit); if not, the rule
	// multiplies it by the lab's serving margin (servingMargin).
	gainNetOfServing() bool
}

// logitDemand is the model-v1 demand system seen through the seam.
//
// Choice (choice.go) gives buyer i the utility beta_K K_l + (terms that do
// not depend on l's capability) for each of lab l's alternatives, so in the
// multinomial-logit limit (lambda = 1, no incumbency term) raising K_l by
// dK raises all of l's alternatives alike and its share s_l of the spend
// by ds_l = beta_K s_l (1 - s_l) dK: revenue R_l = s_l M rises by
//
//	pi_K = dR_l/dK = beta_K (1 - s_l) R_l   (US$B per month per K unit).
//
// The nested logit's nests and the switching cost make the true
// derivative smaller (only new and reviewing buyers respond in a month),
// and the rule counts revenue, not profit (the inference cost is left out):
// both are the approximations part 2 removes.
//
// Expected share and revenue. s_l is the lab's share of potential demand
// by the logit on capability and brand with an outside good of utility 0
// (model-v2 §3.2: shares are of potential demand),
// exp(beta_K K_l + xi_l) / (1 + sum_j exp(beta_K K_j + xi_j)) over the
// active labs, with K_j the capability of each closed lab's training run
// before this month's purchase and each open-weight lab's last capability.
// Without the outside good a lab alone in its market would have s = 1 and
// gain nothing from capability. The outside good's utility is the
// normalisation 0, not a path. Expected revenue is the larger of the lab's revenue last
// month and s_l times the potential market, the spend per adopter this
// month (buyers.spend_per_adopter on its growth path) with every buyer
// adopted: what the lab's share earns once the market it competes for has
// adopted. No calendar date enters: a pre-revenue lab trains on the market
// it can win, so it trains from its founding month (a rule on realised
// revenue alone would leave a world without revenue training nothing
// forever, since revenue needs capability above the demand gate).
type logitDemand struct{}

// gainNetOfServing: model v1's demand counts revenue.
func (logitDemand) gainNetOfServing() bool { return false }

func (logitDemand) capabilityGain(w *World, l int) (float64, float64) {
	s := w.expShare[l]
	r := math.Max(w.Labs[l].prevRevenue, s*w.intensity)
	return r, w.S.Logit.BetaK * (1 - s) * r
}

// expectedShares sets w.expShare: the labs' logit shares on capability and
// brand at the start of the month (see logitDemand).
func (w *World) expectedShares() {
	s := &w.S
	n := w.nLabs
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active {
			w.expV[l] = math.Inf(-1)
			continue
		}
		k := L.KTrain
		if L.Closed {
			k = w.capabilityNow(l)
		}
		w.expV[l] = s.Logit.BetaK*k + L.Brand
	}
	w.expV[n] = 0 // the outside good
	market.LogitShares(w.expV[:n+1], w.expShare[:n+1])
}

// capabilityNow is closed lab l's capability index before this month's
// purchase, at this month's algorithmic multiplier.
func (w *World) capabilityNow(l int) float64 {
	s := &w.S
	L := &w.Labs[l]
	return s.Capability.Kappa*(L.Log10C+math.Log10(w.algo)-s.Capability.Log10CRef) + L.Eta
}

// mainCloud is the cloud with the largest share of lab l's compute.
func (L *Lab) mainCloud(nc int) int {
	best := 0
	for c := 1; c < nc; c++ {
		if L.ComputeShare[c] > L.ComputeShare[best] {
			best = c
		}
	}
	return best
}

// trainingRule sets lab l's training compute this month in endogenous mode
// and returns the FLOP it buys (docs/ODD.md, "Compute and capital"):
//
//   - an independent lab (closed or open weights) by market.TrainingSpendLinear:
//     it maximises its valuation V(K) - cost, V_K = pi_K x AnnuityFactor(H,
//     r) from the demand seam (0 for an open-weight lab, whose capability
//     follows the frontier), mu by market.ShadowCostOfCash on its runway;
//     credits are those it holds on its main compute cloud, owed is this
//     month's other opex and last month's inference bill, the floor is
//     its take-or-pay minimums not met by inference (committedTraining);
//   - an in-house lab by market.OwnerTrainingBudgetLinear: its owner's V_K
//     (own-model profit pi_K over the same horizon; no pull-through term, its
//     compute is its owner's own capacity), mu 0, an envelope of
//     compute.owner_envelope_share x the owner's last cloud revenue;
//   - a closed parent-funded lab by the same owner rule with the envelope
//     compute.parent_envelope, paid outside the market (no ledger flow).
//
// It also records the round plan of an independent lab: the gap to its
// target compute stock and the recurring monthly spend at today's V_K.
func (w *World) trainingRule(l int) (float64, error) {
	s := &w.S
	L := &w.Labs[l]
	g := &w.ledger
	// Other opex (staff, data, overheads) is (1 - f)/f of the month's
	// compute bill, f = capability.compute_fraction, so a dollar of the
	// lab's programme buys f dollars of compute: the rule decides the
	// programme P at f FLOP-dollars per dollar, and training spend is f P.
	f := s.Capability.ComputeFraction
	fF := f * w.labFlopPerB(l)
	vk := 0.0
	if L.Closed {
		// The lab values the profit a unit of capability adds. Model v1's
		// seam gives the revenue it adds, which the rule nets of the
		// inference cost of serving it (the workload grows with the
		// revenue at the lab's price, each unit costing
		// market.InferenceCost); model v2's seam gives the gain in the
		// owner's objective, already net of that cost.
		_, perUnit := w.demand.capabilityGain(w, l)
		a, err := market.AnnuityFactor(s.Compute.HorizonMonths, s.Compute.DiscountRate)
		if err != nil {
			return 0, err
		}
		m := 1.0
		if !w.demand.gainNetOfServing() {
			if m, err = w.servingMargin(l, w.t); err != nil {
				return 0, err
			}
		}
		vk = perUnit * m * a
	}
	kappa := s.Capability.Kappa
	cum := math.Pow(10, L.Log10C)
	if !(cum > 0) || math.IsInf(cum, 0) {
		return 0, fmt.Errorf("training rule of %s: cumulative compute 10^%g FLOP", L.Name, L.Log10C)
	}
	k0 := w.capabilityNow(l)
	plan := L.planRecurring // last month's plan: the burn the runway is measured at
	L.planGap, L.planRecurring = 0, 0
	if L.Owner >= 0 || L.parentFunded {
		env := s.Compute.ParentEnvelope
		if L.Owner >= 0 {
			env = s.Compute.OwnerEnvelopeShare * w.Hyper[L.Owner].prevCloud
		}
		d, err := market.OwnerTrainingBudgetLinear(market.OwnerFunding{Capability: k0, CumulativeFLOP: cum,
			FLOPPerBUSD: fF, Kappa: kappa, Envelope: math.Max(0, env)}, vk)
		if err != nil {
			return 0, fmt.Errorf("owner's training budget of %s: %w", L.Name, err)
		}
		L.ComputeSpend, L.binding = f*d.Spend, d.Binding
		if L.parentFunded {
			L.ComputeSpend = 0 // bought outside the market
		}
		return d.FLOP, nil
	}
	cash := g.bal[w.accLab(l)]
	// The runway is measured at the burn of the lab's plan (last month's
	// recurring spend: what holds its compute stock at the target, with
	// inference and other opex), not at last month's burn: training is
	// lumpy, and a runway on the lab's own last purchase would make mu
	// flicker between its floor and its cap month to month (a heavy month
	// shortens the runway, the next month buys nothing, and so on). Before
	// its first plan, last month's burn.
	burn := L.Burn
	if plan > 0 {
		burn = plan
	}
	// Credits count as far as they pay the plan's compute within the
	// runway (labRunway), not as cash.
	mu, err := market.ShadowCostOfCash(w.labRunway(l, burn, L.prevRevenue),
		s.Compute.RunwayTarget, s.Compute.RoundCost, s.Compute.MuMax)
	if err != nil {
		return 0, fmt.Errorf("shadow cost of cash of %s: %w", L.Name, err)
	}
	L.mu = mu
	usable := 0.0
	if c := L.mainCloud(w.nClouds); c < w.nHyper {
		usable = math.Max(0, g.bal[w.accCredit(l, c)])
	}
	// owed: this month's inference bill with its opex, estimated by last
	// month's (the demand served is known after choice)
	owed := L.lastInference / f
	// the lab holds back the worst-case migration cost of the month's
	// compute (all of it moved to clouds it does not use: k_mig psi per
	// compute dollar, allocateCompute), so spending to its cap never leaves
	// it short
	spendable := owed + math.Max(0, cash-owed)/(1+s.Cloud.KMig*w.Reg.Psi*f)
	// the take-or-pay floor: the minimums not met by inference, in
	// programme dollars (a compute dollar is f of them)
	floor := w.committedTraining(l, w.t) / f
	in := market.TrainingInputs{Capability: k0, CumulativeFLOP: cum, FLOPPerBUSD: fF, Kappa: kappa,
		Mu: mu, Cash: math.Min(cash, spendable), Owed: owed, Credits: usable, Committed: floor}
	d, err := market.TrainingSpendLinear(in, vk)
	if err != nil {
		return 0, fmt.Errorf("training rule of %s: %w", L.Name, err)
	}
	L.ComputeSpend, L.binding = f*d.Spend, d.Binding
	switch d.Binding {
	case market.BindFunds, market.BindShortfall:
		w.cashBound++
	case market.BindCredits:
		w.creditBound++
	}
	// The plan a round finances (programme dollars), at today's V_K and
	// the round's cost of money: the target stock (US$B at this month's price,
	// kappa V_K / ((1 + round cost) ln 10), TrainingSpendLinear's first-order
	// condition), the gap to it, and the recurring spend that holds the stock
	// at the target as hardware gets cheaper (target x ln(GPU FLOP per $
	// growth per year)/12) plus other opex and inference.
	target := math.Max(0, kappa*vk/((1+s.Compute.RoundCost)*math.Ln10))
	L.planGap = math.Max(0, target-cum/fF)
	L.planRecurring = target*math.Log(s.Drift.GPUPerfPerYear)/12 + owed
	return d.FLOP, nil
}

// inferenceBill is lab l's inference compute bill this month (US$B) in
// endogenous mode: the workload it serves, in Mtok of fixed-capability workload (the revenue of
// every unit it serves over its API price: direct, consumer, backer
// purchases, and resold units, which the lab serves; an open-weight lab
// serves its direct API only, clouds host the rest), times
// market.InferenceCost at the price it pays in this month's compute market
// (computemarket.go), paid to its compute clouds in their shares of its
// bill. It records the GPU-hours served: next month's inference demand in
// the compute market.
func (w *World) inferenceBill(l, t int) (float64, error) {
	L := &w.Labs[l]
	L.infGPUh = 0
	if !(L.Price > 0) {
		return 0, nil
	}
	served := L.RevConsumer + L.RevBacker + w.altSpend[l*w.numCh+chDirect]
	if L.Closed {
		for ch := 1; ch < w.numCh; ch++ {
			served += w.altSpend[l*w.numCh+ch]
		}
	}
	if served <= 0 {
		return 0, nil
	}
	ic := w.inferenceCompute()
	cost, err := w.inferenceUnitCost(l, t)
	if err != nil {
		return 0, err
	}
	hw := w.hardwareFactor(t)
	if gh, err := ic.GPUHours(float64(t)); err == nil {
		L.infGPUh = served * 1e9 / L.Price * gh / hw
	}
	// served is US$B of spend at L.Price US$ per Mtok: served*1e9/L.Price
	// Mtok at cost US$ per Mtok is served*cost/L.Price US$B.
	return served * cost / L.Price, nil
}

// inferenceCompute is the world's inference compute per workload unit
// (inference.*; domain-model §3.4).
func (w *World) inferenceCompute() market.InferenceCompute {
	s := &w.S
	return market.InferenceCompute{GPUHoursPerUnit: s.Inference.GPUHoursPerMtok, AnchorMonth: s.Inference.AnchorMonth,
		EfficiencyPerYear: s.Inference.EfficiencyPerYear, WorkloadGrowthPerYear: 1}
}

// inferenceUnitCost is lab l's marginal cost of serving a workload unit
// in month t (US$ per Mtok): market.InferenceCost at the compute price it
// pays this month (expectedPrice); a GPU-hour of month t's hardware does
// hardwareFactor(t) times the work of one at the anchor month.
func (w *World) inferenceUnitCost(l, t int) (float64, error) {
	price := w.expectedPrice(l)
	cost, err := market.InferenceCost(w.inferenceCompute(), float64(t), price/w.hardwareFactor(t))
	if err != nil {
		return 0, fmt.Errorf("inference cost of %s: %w", w.Labs[l].Name, err)
	}
	return cost, nil
}

// servingMargin is the profit in a dollar of lab l's revenue at the
// margin in month t: 1 - inferenceUnitCost / the lab's API price (its
// last price; before it has one, w.costPath, the cost-based floor of API
// prices), in [0, 1]. The training rule multiplies the demand seam's
// revenue gain by it, so V_K counts profit, not revenue.
func (w *World) servingMargin(l, t int) (float64, error) {
	p := w.Labs[l].Price
	if !(p > 0) {
		p = w.costPath
	}
	if !(p > 0) {
		return 1, nil
	}
	c, err := w.inferenceUnitCost(l, t)
	if err != nil {
		return 0, err
	}
	return math.Max(0, math.Min(1, 1-c/p)), nil
}

// commit adds lab l's take-or-pay commitment that comes with hyperscaler
// h's strategic investment of amt (US$B) in month t (endogenous mode):
// compute.take_or_pay x amt to spend on h's compute by month t +
// compute.take_or_pay_months (a later investment adds to what is left and
// extends the end).
func (w *World) commit(l, h int, amt float64, t int) {
	s := &w.S
	if s.Mode.Replay || !(s.Compute.TakeOrPay > 0) || !(amt > 0) {
		return
	}
	L := &w.Labs[l]
	L.commitLeft[h] += s.Compute.TakeOrPay * amt
	L.commitEnd[h] = max(L.commitEnd[h], t+int(math.Ceil(s.Compute.TakeOrPayMonths)))
}

// commitMinimum is lab l's take-or-pay minimum at hyperscaler h in month t
// (US$B): what is left of its commitment over the months left to its end,
// all of it in its last month (or after).
func (w *World) commitMinimum(l, h, t int) float64 {
	L := &w.Labs[l]
	if !(L.commitLeft[h] > 0) {
		return 0
	}
	return L.commitLeft[h] / float64(max(1, L.commitEnd[h]-t))
}

// committedTraining is the floor that lab l's take-or-pay minimums put on
// its training compute spend this month (US$B): the minimums at every
// hyperscaler less the inference bill expected to count against them
// (last month's, in its shares), at least 0.
func (w *World) committedTraining(l, t int) float64 {
	L := &w.Labs[l]
	x := 0.0
	for h := 0; h < w.nHyper; h++ {
		if m := w.commitMinimum(l, h, t); m > 0 {
			x += math.Max(0, m-L.lastInference*L.ComputeShare[h])
		}
	}
	return x
}

// takeOrPay settles lab l's take-or-pay commitments in month t, after its
// compute bills (accounting): the bill at each hyperscaler with a
// commitment counts against this month's minimum, the part of the minimum
// the bill does not cover is charged to the lab and paid to the
// hyperscaler (from credits there first, then cash: a ledger flow), and
// the commitment left falls by the larger of the two. It returns the
// charges (US$B), which the caller adds to the lab's burn.
func (w *World) takeOrPay(l, t int, compute float64) float64 {
	L := &w.Labs[l]
	g := &w.ledger
	charged := 0.0
	for h := 0; h < w.nHyper; h++ {
		L.commitDue[h], L.commitPaid[h] = 0, 0
		m := w.commitMinimum(l, h, t)
		if !(m > 0) {
			continue
		}
		bill := compute * L.ComputeShare[h]
		short := math.Max(0, m-bill)
		if short > 0 {
			cr := math.Min(short, math.Max(0, g.bal[w.accCredit(l, h)]))
			if cr > 0 {
				g.xfer(w.accCredit(l, h), w.accCloud(h), cr)
				w.Hyper[h].revCredit += cr
			}
			g.xfer(w.accLab(l), w.accCloud(h), short-cr)
			w.cloudRev[h] += short
			w.Hyper[h].revCloud += short
			charged += short
		}
		L.commitDue[h], L.commitPaid[h] = m, bill+short
		L.commitLeft[h] = math.Max(0, L.commitLeft[h]-math.Max(bill, m))
		if L.commitLeft[h] < 1e-12 {
			L.commitLeft[h] = 0
		}
	}
	return charged
}
