package market

import "math"

// CapabilityValue is the lab's objective as a function of its capability
// index k at the end of the month: value is the present value (US$B, up to
// an additive constant) of the profits capability k earns over the lab's
// planning horizon, discounted at its rate; marginal is dV/dk (US$B per
// capability unit), V_K in the notation of model-v2 §3.1. The demand system
// implements it (a function of the lab's k holding the rivals' capability
// and prices fixed); LinearCapabilityValue is the constant-V_K case.
// It must return finite numbers for every finite k.
type CapabilityValue func(k float64) (value, marginal float64)

// LinearCapabilityValue is the CapabilityValue of an objective linear in
// capability: V(k) = perUnit*k, V'(k) = perUnit (US$B per capability unit).
// With profit per month rising by pi_K per capability unit for H months
// discounted at r per month, perUnit = pi_K * AnnuityFactor(H, r).
func LinearCapabilityValue(perUnit float64) CapabilityValue {
	return func(k float64) (float64, float64) { return perUnit * k, perUnit }
}

// AnnuityFactor is the present value of 1 per month paid at the end of
// months 1..H, discounted at r per month (domain model §0: delta =
// exp(-r)):
//
//	sum_{s=1..H} exp(-r*s) = (1 - exp(-r*H)) / (exp(r) - 1),
//
// and H at r = 0 (the formula is used for non-integer H too). It converts a
// monthly profit gain per capability unit into V_K. H and r must be finite
// and non-negative; otherwise it returns an error wrapping
// ErrInvalidArgument.
func AnnuityFactor(horizonMonths, ratePerMonth float64) (float64, error) {
	if !finite(horizonMonths, ratePerMonth) || horizonMonths < 0 || ratePerMonth < 0 {
		return 0, invalid("AnnuityFactor: horizon=%g months, rate=%g per month, want both finite and >= 0", horizonMonths, ratePerMonth)
	}
	if ratePerMonth == 0 {
		return horizonMonths, nil
	}
	return -math.Expm1(-ratePerMonth*horizonMonths) / math.Expm1(ratePerMonth), nil
}

// ShadowCostOfCash is a lab's shadow cost of cash mu (per US$ of cash,
// dimensionless): what a dollar held is worth to the lab beyond the dollar.
// It is the cost of the next round's money, roundCost, while the runway is
// at least targetMonths, and rises linearly to muMax as the runway falls to
// zero:
//
//	mu = roundCost + (muMax - roundCost) * max(0, 1 - runway/target).
//
// roundCost is the cost per dollar raised beyond the dollar (RoundCost: a
// round priced below what the existing holders think the firm is worth
// costs them that discount on every dollar); muMax is the value beyond the
// dollar of cash to a lab about to run out (it pays for a forced round, a
// down round or failure). A cash-flow-positive lab (runway +Inf, see
// Runway) has mu = roundCost. Suggested priors (grade D, assumptions):
// target 18 months (the lower end of the 18-24 months of burn a round is
// sized for, domain model §3.5), roundCost 0 to 0.2, muMax 1 (at zero
// runway a dollar is worth two).
//
// runwayMonths must be >= 0 or +Inf, targetMonths finite and > 0, and
// 0 <= roundCost <= muMax finite; otherwise it returns an error wrapping
// ErrInvalidArgument.
func ShadowCostOfCash(runwayMonths, targetMonths, roundCost, muMax float64) (float64, error) {
	if math.IsNaN(runwayMonths) || runwayMonths < 0 || !finite(targetMonths, roundCost, muMax) ||
		!(targetMonths > 0) || roundCost < 0 || muMax < roundCost {
		return 0, invalid("ShadowCostOfCash: runway=%g target=%g roundCost=%g muMax=%g, want runway >= 0, target > 0, 0 <= roundCost <= muMax",
			runwayMonths, targetMonths, roundCost, muMax)
	}
	short := math.Max(0, 1-runwayMonths/targetMonths) // 0 at runway +Inf
	return roundCost + (muMax-roundCost)*short, nil
}

// RoundCost is the cost per dollar raised, beyond the dollar, of a primary
// round at pre-money valuation preMoney (US$B) when the existing holders
// value the firm at insiderValue (US$B, before the round's cash). The
// holders keep Pre/(Pre+I) of a firm worth insiderValue + I, so at the
// margin (I -> 0) a dollar raised changes their wealth by
// 1 - insiderValue/Pre: the dollar costs them insiderValue/Pre, and
//
//	RoundCost = max(0, insiderValue/preMoney - 1)
//
// (0 for a fairly priced round; a round priced above the insiders' value
// costs nothing, not less than nothing, because the lab could always hold
// the cash). preMoney must be finite and > 0 and insiderValue finite and
// >= 0; otherwise it returns an error wrapping ErrInvalidArgument.
func RoundCost(insiderValue, preMoney float64) (float64, error) {
	if !finite(insiderValue, preMoney) || insiderValue < 0 || !(preMoney > 0) {
		return 0, invalid("RoundCost: insider value=%g pre-money=%g, want >= 0 and > 0", insiderValue, preMoney)
	}
	return math.Max(0, insiderValue/preMoney-1), nil
}

// TrainingInputs is a lab's state for its monthly training-compute decision.
// Money is in US$B.
type TrainingInputs struct {
	// Capability is K0, the capability index before this month's purchase,
	// at this month's algorithmic multiplier (finite).
	Capability float64
	// CumulativeFLOP is C, the cumulative training compute before this
	// month's purchase (FLOP, physical, > 0). A lab without compute has no
	// capability index (CapabilityIndex is -Inf); give it a seed stock.
	CumulativeFLOP float64
	// FLOPPerBUSD is F, the training FLOP that US$1B buys this month on
	// the training cloud at its price (> 0; see FLOPPerBUSD).
	FLOPPerBUSD float64
	// Kappa is the capability units per 10x of compute (> 0; default 1).
	Kappa float64
	// Mu is the shadow cost of cash (>= 0; see ShadowCostOfCash).
	Mu float64
	// Cash is the lab's cash (finite; a negative balance funds nothing).
	Cash float64
	// Owed is cash already owed this month for other commitments (other
	// opex, inference compute for the demand served, minimums on other
	// contracts): it cannot fund training (>= 0).
	Owed float64
	// Credits are the unspent cloud credits usable on the training cloud
	// (>= 0; 0 when the lab trains elsewhere than on the crediting cloud).
	Credits float64
	// Committed is the take-or-pay minimum on training compute this month
	// (>= 0): owed whatever the lab uses, so the floor of the spend.
	Committed float64
}

func (in *TrainingInputs) validate(fn string) error {
	if !finite(in.Capability, in.CumulativeFLOP, in.FLOPPerBUSD, in.Kappa, in.Mu, in.Cash, in.Owed, in.Credits, in.Committed) ||
		!(in.CumulativeFLOP > 0) || !(in.FLOPPerBUSD > 0) || !(in.Kappa > 0) ||
		in.Mu < 0 || in.Owed < 0 || in.Credits < 0 || in.Committed < 0 {
		return invalid("%s: K0=%g C=%g FLOP F=%g FLOP/US$B kappa=%g mu=%g cash=%g owed=%g credits=%g committed=%g, "+
			"want finite, C, F, kappa > 0 and mu, owed, credits, committed >= 0",
			fn, in.Capability, in.CumulativeFLOP, in.FLOPPerBUSD, in.Kappa, in.Mu, in.Cash, in.Owed, in.Credits, in.Committed)
	}
	return nil
}

// TrainingConstraint names what decided a training-compute spend.
type TrainingConstraint int

const (
	// BindNone: an interior optimum, the marginal value of a dollar equals
	// its marginal cost (1 on credits, 1 + mu on cash).
	BindNone TrainingConstraint = iota
	// BindCredits: the spend uses up the credits exactly; the marginal
	// value lies between 1 and 1 + mu.
	BindCredits
	// BindFloor: the spend is at its floor, the take-or-pay minimum (0
	// without commitments); the marginal value is at most the cost of the
	// next dollar.
	BindFloor
	// BindFunds: the spend is all the lab can pay, max(0, Cash - Owed) +
	// Credits; the marginal value is at least the cost of the last dollar.
	BindFunds
	// BindShortfall: the take-or-pay minimum exceeds what the lab can pay;
	// it spends all it can and TrainingDecision.Shortfall is the rest.
	BindShortfall
)

// String is the constraint's name as the model records it.
func (c TrainingConstraint) String() string {
	switch c {
	case BindNone:
		return "none"
	case BindCredits:
		return "credits"
	case BindFloor:
		return "floor"
	case BindFunds:
		return "funds"
	case BindShortfall:
		return "shortfall"
	}
	return "unknown"
}

// TrainingDecision is the outcome of the training-compute rule. Money is in
// US$B this month.
type TrainingDecision struct {
	Spend       float64 // X, the training-compute spend
	FromCredits float64 // the part paid with credits, min(Spend, Credits)
	FromCash    float64 // the part paid with cash, Spend - FromCredits
	FLOP        float64 // the compute bought, Spend * FLOPPerBUSD
	Capability  float64 // K after the purchase, K0 + kappa*log10(1 + F*X/C)
	// MarginalValue is V'(K)*dK/dX at Spend: objective gained per US$
	// spent (dimensionless). It equals the marginal cost at an interior
	// optimum and shows how tight a binding constraint is.
	MarginalValue float64
	Binding       TrainingConstraint
	Shortfall     float64 // the take-or-pay minimum not covered (BindShortfall only)
}

// trainingBounds returns the floor L, the credit kink Ck (where cash starts
// to pay) and the cap U of the spend.
func trainingBounds(in *TrainingInputs) (lo, kink, hi float64) {
	lo = in.Committed
	kink = math.Max(in.Committed, in.Credits)
	hi = math.Max(0, in.Cash-in.Owed) + in.Credits
	return lo, kink, hi
}

// marginalCost is the cost to the objective of the next dollar above x.
func marginalCost(in *TrainingInputs, x, lo, kink float64) float64 {
	switch {
	case x < lo:
		return 0
	case x < kink:
		return 1
	}
	return 1 + in.Mu
}

// finish fills the decision at spend x with the given constraint.
func finish(in *TrainingInputs, x, vkAtK float64, bind TrainingConstraint, shortfall float64) TrainingDecision {
	ratio := in.FLOPPerBUSD * x / in.CumulativeFLOP
	fromCredits := math.Min(x, in.Credits)
	return TrainingDecision{
		Spend:         x,
		FromCredits:   fromCredits,
		FromCash:      x - fromCredits,
		FLOP:          x * in.FLOPPerBUSD,
		Capability:    in.Capability + in.Kappa*math.Log1p(ratio)/math.Ln10,
		MarginalValue: vkAtK * in.Kappa / (math.Ln10 * (in.CumulativeFLOP/in.FLOPPerBUSD + x)),
		Binding:       bind,
		Shortfall:     shortfall,
	}
}

// classify names the constraint at spend x in [lo, hi] given the marginal
// value mv there: the floor, the cap and the credit kink are recognised
// exactly (the solvers return them as such); anything else is interior.
func classify(in *TrainingInputs, x, mv, lo, kink, hi float64) TrainingConstraint {
	switch {
	case x == lo && x == hi:
		// both bounds: the funds bind if the lab would like to spend more
		if mv > marginalCost(in, x, lo, kink) {
			return BindFunds
		}
		return BindFloor
	case x == hi:
		return BindFunds
	case x == lo:
		return BindFloor
	case x == kink:
		return BindCredits
	}
	return BindNone
}

// TrainingSpendLinear is the training-compute rule of TrainingSpend (the
// objective, costs and bounds are stated there) in closed form for an
// objective linear in capability, V(K) = vk*K, with vk = V_K the value of a
// capability unit (US$B per unit; for a monthly profit gain pi_K per unit,
// vk = pi_K * AnnuityFactor(H, r)). The marginal value
// vk*kappa*F/(ln10*(C + F*X)) then falls in X and the marginal cost steps
// up (0, 1, 1 + mu), so the objective is concave and its maximiser on
// [M, U] is the unconstrained one clamped to the bounds. The first-order
// condition at cost c gives
//
//	C + F*X = kappa*vk*F/(c*ln10)   <=>   X(c) = kappa*vk/(c*ln10) - C/F:
//
// the lab buys compute up to a target stock proportional to vk*F/c and
// spends only its floor once its compute passes the target. With
// x1 = X(1) (credits), x2 = X(1 + mu) (cash) and Ck = max(M, Credits) the
// spend at which cash starts to pay,
//
//	X* = M        if x1 <= M  (or vk <= 0)
//	X* = x1       if M < x1 <= Ck
//	X* = Ck       if x2 <= Ck < x1
//	X* = x2       if x2 > Ck
//
// and the spend is min(X*, U). If M > U it returns the shortfall case. vk
// must be finite and the inputs valid (see TrainingInputs); otherwise it
// returns an error wrapping ErrInvalidArgument. It allocates nothing.
func TrainingSpendLinear(in TrainingInputs, vk float64) (TrainingDecision, error) {
	if err := in.validate("TrainingSpendLinear"); err != nil {
		return TrainingDecision{}, err
	}
	if !finite(vk) {
		return TrainingDecision{}, invalid("TrainingSpendLinear: V_K=%g, want finite", vk)
	}
	lo, kink, hi := trainingBounds(&in)
	if lo > hi {
		return finish(&in, hi, vk, BindShortfall, lo-hi), nil
	}
	x := lo
	if vk > 0 {
		stock := in.CumulativeFLOP / in.FLOPPerBUSD // C/F, US$B
		x1 := in.Kappa*vk/math.Ln10 - stock
		x2 := in.Kappa*vk/((1+in.Mu)*math.Ln10) - stock
		switch {
		case x1 <= lo:
			x = lo
		case x1 <= kink:
			x = x1
		case x2 <= kink:
			x = kink
		default:
			x = x2
		}
	}
	x = math.Min(x, hi)
	d := finish(&in, x, vk, BindNone, 0)
	d.Binding = classify(&in, x, d.MarginalValue, lo, kink, hi)
	return d, nil
}

// trainingGrid is the number of grid intervals per cost segment of the
// general solver.
const trainingGrid = 32

// trainingTol is the general solver's tolerance on s = ln(1 + F*X/C): the
// compute after the purchase is exact to a relative 1e-12.
const trainingTol = 1e-12

// TrainingSpend is a closed-model lab's monthly training-compute rule
// (model-v2 §3.1, domain model §3.4). Money is in US$B.
//
// The lab's objective. A lab maximises its valuation, not one month's
// profit: the present value over a planning horizon of H months, discounted
// at r per month, of the profits its capability earns, minus what it pays
// for compute, with cash valued at 1 + mu per dollar (mu >= 0, the shadow
// cost of cash, see ShadowCostOfCash). Cumulative compute never
// depreciates, so a month's purchase raises capability in every later
// month; holding the rest of the path fixed (the lab decides again next
// month), the month's problem is
//
//	max_X  W(X) = V(K(X)) - Cost(X),      M <= X <= U,
//
// with X the training-compute spend this month and
//
//	K(X) = K0 + kappa*log10(1 + F*X/C)
//
// the capability index after the purchase (K = kappa*log10(C_cum*A(t)/C_ref)
// + eta with C_cum = C + F*X; C is the cumulative training compute before
// the purchase in FLOP, F the FLOP that US$1B buys on the training cloud at
// this month's price, K0 the index before the purchase at this month's
// algorithmic multiplier A(t); A, C_ref and eta shift K0 only and leave
// dK/dX unchanged). V(k) is the lab's valuation at capability k
// (CapabilityValue, from the demand system). Because V includes H months
// of future profit, the month's spend can exceed the month's revenue:
// deliberate losses (SF12) are an ordinary outcome when capability pays
// over a long horizon.
//
// Cost(X) charges each dollar at its marginal cost to the objective. The
// spend is paid from credits first, then from cash:
//
//   - the first M dollars (the take-or-pay minimum, Committed) are owed
//     whether or not the compute is used: marginal cost 0, so the lab uses
//     at least M;
//   - dollars above M paid with credits (Credits, usable only on the
//     crediting cloud) cost 1: a credit is worth its face value in compute
//     on that cloud, and spending it shortens no runway;
//   - dollars paid with cash cost 1 + mu.
//
// The cap is U = max(0, Cash - Owed) + Credits: the cash net of what is
// already owed this month for other commitments, plus the credits. The
// first-order condition of an interior optimum is
//
//	V'(K) * dK/dX = c,   dK/dX = kappa*F / (ln10 * (C + F*X)),
//
// with c = 1 on the credit segment [M, Ck] and c = 1 + mu on the cash
// segment [Ck, U], Ck = max(M, Credits). With V linear the objective is
// concave and the condition has the closed form of TrainingSpendLinear.
//
// The solver. V need not be concave (a logit share of a market is convex
// below a rival's capability), so the rule compares local maxima. In the
// variable s = ln(1 + F*X/C), in which K is linear (K = K0 + kappa*s/ln10),
//
//	dW/ds = V'(K)*kappa/ln10 - c*(C/F)*exp(s).
//
// Each cost segment is scanned on 32 equal steps of s; every sign change of
// dW/ds from + to - is refined by Brent's method to |ds| <= 1e-12 (the
// compute after the purchase exact to a relative 1e-12), and the best of
// these local maxima and the points M, Ck and U is chosen (the first of M,
// Ck, U, then the interior maxima, on ties). It finds the global maximum
// whenever dW/ds changes sign at most once within a grid step, which holds
// when V' varies on a scale of capability wider than
// kappa*ln(1 + F*U/C)/(32*ln10). With V linear it agrees with
// TrainingSpendLinear.
//
// The inputs must be valid (see TrainingInputs) and v non-nil and finite on
// the searched range; otherwise it returns an error wrapping
// ErrInvalidArgument. It allocates nothing; v is called about 70 times
// plus about 10 per local maximum (a few microseconds per decision for a
// logit-share value, against about 0.1 for TrainingSpendLinear).
func TrainingSpend(in TrainingInputs, v CapabilityValue) (TrainingDecision, error) {
	if err := in.validate("TrainingSpend"); err != nil {
		return TrainingDecision{}, err
	}
	if v == nil {
		return TrainingDecision{}, invalid("TrainingSpend: nil capability value")
	}
	lo, kink, hi := trainingBounds(&in)
	stock := in.CumulativeFLOP / in.FLOPPerBUSD // C/F, US$B
	sOf := func(x float64) float64 { return math.Log1p(x / stock) }
	xOf := func(s float64) float64 { return stock * math.Expm1(s) }
	kOf := func(s float64) float64 { return in.Capability + in.Kappa*s/math.Ln10 }
	// cost of spend x beyond the floor (the floor is owed in any case)
	cost := func(x float64) float64 {
		return math.Max(0, math.Min(x, kink)-lo) + (1+in.Mu)*math.Max(0, x-math.Max(kink, lo))
	}
	bad := false
	objective := func(x float64) (w, marginal float64) {
		val, m := v(kOf(sOf(x)))
		if !finite(val, m) {
			bad = true
			return math.Inf(-1), 0
		}
		return val - cost(x), m
	}
	if lo > hi {
		_, m := objective(hi)
		if bad {
			return TrainingDecision{}, invalid("TrainingSpend: capability value not finite at K=%g", kOf(sOf(hi)))
		}
		return finish(&in, hi, m, BindShortfall, lo-hi), nil
	}

	bestX := lo
	bestW, bestM := objective(lo)
	consider := func(x float64) {
		if w, m := objective(x); w > bestW {
			bestX, bestW, bestM = x, w, m
		}
	}
	if kink > lo && kink < hi {
		consider(kink)
	}
	if hi > lo {
		consider(hi)
	}
	// interior local maxima of each segment
	for seg := range 2 {
		a, b, c := lo, math.Min(kink, hi), 1.0
		if seg == 1 {
			a, b, c = math.Max(lo, kink), hi, 1+in.Mu
		}
		if !(b > a) {
			continue
		}
		dW := func(s float64) float64 {
			_, m := v(kOf(s))
			if !finite(m) {
				bad = true
				return 0
			}
			return m*in.Kappa/math.Ln10 - c*stock*math.Exp(s)
		}
		sa, sb := sOf(a), sOf(b)
		step := (sb - sa) / trainingGrid
		s0, g0 := sa, dW(sa)
		for i := 1; i <= trainingGrid; i++ {
			s1 := sa + float64(i)*step
			if i == trainingGrid {
				s1 = sb
			}
			g1 := dW(s1)
			if g0 > 0 && g1 <= 0 {
				s := s1
				if g1 < 0 {
					s = brent(dW, s0, s1, g0, g1, trainingTol)
				}
				if x := xOf(s); x > a && x < b {
					consider(x)
				}
			}
			s0, g0 = s1, g1
		}
	}
	if bad {
		return TrainingDecision{}, invalid("TrainingSpend: capability value not finite between K=%g and K=%g", kOf(sOf(lo)), kOf(sOf(hi)))
	}
	d := finish(&in, bestX, bestM, BindNone, 0)
	d.Binding = classify(&in, bestX, d.MarginalValue, lo, kink, hi)
	return d, nil
}

// OwnerFunding is the state for the training budget of a parent-funded or
// in-house lab, whose owner pays for its compute. Money is in US$B.
type OwnerFunding struct {
	// Capability, CumulativeFLOP, FLOPPerBUSD and Kappa are as in
	// TrainingInputs. FLOPPerBUSD is at the price the owner pays: the
	// market price, or for an in-house lab on its owner's cloud the
	// internal transfer price (the cloud's cost, or the market price when
	// its capacity binds, its opportunity cost).
	Capability, CumulativeFLOP, FLOPPerBUSD, Kappa float64
	// Mu is the owner's shadow cost of cash: 0 for an owner whose cash is
	// not scarce (the default), or its financing premium.
	Mu float64
	// Envelope is the most the owner lets the lab spend on training this
	// month (finite, >= 0), e.g. its AI capex budget net of other uses.
	Envelope float64
	// Committed is the take-or-pay minimum on the lab's training compute.
	Committed float64
}

func (o *OwnerFunding) inputs() TrainingInputs {
	return TrainingInputs{Capability: o.Capability, CumulativeFLOP: o.CumulativeFLOP, FLOPPerBUSD: o.FLOPPerBUSD,
		Kappa: o.Kappa, Mu: o.Mu, Cash: o.Envelope, Committed: o.Committed}
}

func (o *OwnerFunding) validate(fn string) error {
	if !finite(o.Envelope) || o.Envelope < 0 {
		return invalid("%s: envelope=%g, want finite and >= 0", fn, o.Envelope)
	}
	return nil
}

// OwnerValuePerUnit is an owner's value of a capability unit of its lab,
// V_K (US$B per unit): the monthly gain per unit in the owner's cloud
// pull-through (margin on the workloads the model draws to the owner's
// cloud, pullThrough, US$B per month per unit) and in its own-model profit
// (API and products, modelProfit, US$B per month per unit), over the
// owner's horizon H months discounted at its cost of capital r per month:
//
//	V_K = (pullThrough + modelProfit) * AnnuityFactor(H, r).
//
// The gains come from the demand system. Inputs must be finite, H and r
// >= 0; otherwise it returns an error wrapping ErrInvalidArgument.
func OwnerValuePerUnit(pullThrough, modelProfit, horizonMonths, ratePerMonth float64) (float64, error) {
	if !finite(pullThrough, modelProfit) {
		return 0, invalid("OwnerValuePerUnit: pull-through=%g model profit=%g, want finite", pullThrough, modelProfit)
	}
	a, err := AnnuityFactor(horizonMonths, ratePerMonth)
	if err != nil {
		return 0, err
	}
	return (pullThrough + modelProfit) * a, nil
}

// OwnerTrainingBudget is the training budget of a parent-funded or in-house
// lab by its owner's decision rule, stated as the lab's rule is: the owner
// maximises its own valuation, v(K(X)) - (1 + mu_owner)*X over its
// envelope, where v is the owner's value of the lab's capability (cloud
// pull-through plus own-model profit over the owner's horizon at its cost
// of capital, e.g. LinearCapabilityValue(OwnerValuePerUnit(...))) and
// mu_owner its shadow cost of cash (0 by default). The lab has no credits
// and no cash of its own: the budget is TrainingSpend with Cash = Envelope,
// so BindFunds means the owner's envelope binds. Errors as TrainingSpend.
func OwnerTrainingBudget(o OwnerFunding, v CapabilityValue) (TrainingDecision, error) {
	if err := o.validate("OwnerTrainingBudget"); err != nil {
		return TrainingDecision{}, err
	}
	return TrainingSpend(o.inputs(), v)
}

// OwnerTrainingBudgetLinear is OwnerTrainingBudget in closed form for an
// owner's value linear in capability, vk = V_K (see OwnerValuePerUnit and
// TrainingSpendLinear): X = min(Envelope, max(M, kappa*vk/((1+mu)*ln10) -
// C/F)). Errors as TrainingSpendLinear.
func OwnerTrainingBudgetLinear(o OwnerFunding, vk float64) (TrainingDecision, error) {
	if err := o.validate("OwnerTrainingBudgetLinear"); err != nil {
		return TrainingDecision{}, err
	}
	return TrainingSpendLinear(o.inputs(), vk)
}

// FLOPPerBUSD is the training compute (FLOP) that US$1B buys at a compute
// price of pricePerGPUHour US$ per H100-equivalent GPU-hour, when one such
// GPU-hour delivers flopPerGPUHour FLOP of training (peak FLOP/s x
// utilisation x 3600; an H100 SXM's dense BF16 peak is about 989 TFLOP/s,
// so at 40% model FLOP utilisation about 1.4e18 FLOP per GPU-hour):
//
//	F = 1e9 * flopPerGPUHour / pricePerGPUHour.
//
// Both must be finite and > 0; otherwise it returns an error wrapping
// ErrInvalidArgument.
func FLOPPerBUSD(flopPerGPUHour, pricePerGPUHour float64) (float64, error) {
	if !finite(flopPerGPUHour, pricePerGPUHour) || !(flopPerGPUHour > 0) || !(pricePerGPUHour > 0) {
		return 0, invalid("FLOPPerBUSD: FLOP per GPU-hour=%g price=%g US$ per GPU-hour, want both finite and > 0", flopPerGPUHour, pricePerGPUHour)
	}
	return 1e9 * flopPerGPUHour / pricePerGPUHour, nil
}
