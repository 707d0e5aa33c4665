package market

import (
	"fmt"
	"math"
)

// ComputeMarket is one month's market for compute: labs buy
// H100-equivalent GPU-hours from clouds (model-v2.md §3.1 "Clouds price
// compute and build capacity"; domain-model.md §3.4 and §3.7). Any number
// of labs and clouds; a lab×cloud matrix is a flat slice in row-major
// order, element j*Clouds+k for lab j and cloud k.
//
// Demand. Lab j's demand at the prices p_jk it faces is the logit of
// LabComputeDemand: u_jk = Alpha_j (Value_jk − p_jk), an outside option of
// utility 0, q_jk = Potential_j s_jk, over the clouds its Access row lets
// it use. Committed volumes are bought on top, at their contract price.
//
// Prices. Each cloud sets a price to each lab (compute is sold under
// bilateral contracts, so a cloud can charge its partner's rivals more
// than its partner). Cloud k maximises
//
//	π_k = Σ_j (p_jk − Cost_k) q_jk + Σ_j Stake_jk S_j + Σ_j UnitValue_jk X_j
//
// subject to its capacity, where S_j is lab j's compute surplus
// (ComputeSurplus, US$ per month) and X_j = Σ_k q_jk the lab's compute.
// The first term is the cloud's margin. The other two are its financial
// interests in labs, which model-v2 §3.1 puts in the objective "so
// integration can raise rivals' costs", in the two forms that a price can
// move. Stake_jk is a share of lab j's profit (equity, profit share:
// O'Brien–Salop); the part of that profit a compute price moves is the
// lab's compute surplus, with dS_j/dp_jk = −q_jk (Roy's identity), so a
// stake makes the cloud bear that share of its partner's compute bill and
// price it lower (a cloud's own lab, stake 1, gets compute at cost).
// UnitValue_jk is what each GPU-hour lab j obtains, from any cloud, is
// worth to cloud k: its revenue share in lab j times the lab's marginal
// revenue from compute, and, through its stakes in lab j's rivals, their
// (negative) marginal profit from lab j's compute. It is per GPU-hour the
// lab obtains rather than per GPU-hour cloud k sells it, because a lab's
// revenue and its rivals' profits depend on its compute wherever it is
// bought; it is a parameter, so the caller computes the marginal effects
// from its demand system (package market knows none). With λ the rent of
// the buyer's tier (below), the first-order condition for p_jk is
//
//	(1 − Stake_jk) − Alpha_j (1 − s_jk)(p_jk − Cost_k − λ) − Alpha_j UnitValue_jk s_j0 = 0,
//
// that is p_jk = Cost_k + λ + [(1 − Stake_jk) − Alpha_j UnitValue_jk s_j0] / (Alpha_j (1 − s_jk)):
// without interests and rents the single-product logit markup 1/(α(1 − s))
// of model-v2 §4 (B1). A negative UnitValue (the lab is a rival of the
// cloud's partner) raises the price, a positive one or a stake lowers it.
//
// Capacity. The rent is 0 while the cloud's demand fits its capacity, and
// otherwise the one at which it just fits, so every price of the cloud is
// the larger of its Bertrand–Nash price and the price that clears its
// capacity, as model-v2 §3.1 states (each price rises with the rent). With
// a single tier this is the cloud's best response subject to its capacity
// (the Lagrangian of the constraint), not Bertrand–Edgeworth: a cloud
// that priced below clearing would ration and earn less, and rationed
// demand is not assumed to spill over, which is what makes a
// pure-strategy equilibrium exist at every capacity.
//
// Priority. A cloud serves, in this order: committed volumes (take-or-pay
// contracts; pro rata if they exceed capacity), its priority buyers (labs
// with AccessPriority: its exclusive and ROFR partners), then its open
// buyers, each tier with its own rent. Priority buyers pay no scarcity
// rent while the capacity left after commitments covers them (the
// partnership guarantees their capacity: a contract term, not the cloud's
// unconstrained choice); the open buyers share what is left at the rent
// that clears it. If priority demand alone exceeds that capacity, the
// cloud is closed to open buyers and its priority buyers pay the rent
// that clears it. This is how exclusivity acts as access where capacity
// binds: a partner is served first, its rivals bear the scarcity.
//
// Units: prices, values, costs and rents in US$ per H100-equivalent
// GPU-hour; Alpha per US$ per GPU-hour; quantities and capacities in
// H100-equivalent GPU-hours per month; π and S in US$ per month.
type ComputeMarket struct {
	// Labs and Clouds are the dimensions.
	Labs, Clouds int
	// Alpha[j] > 0 is lab j's price sensitivity, per US$ per GPU-hour
	// (η of domain-model §3.7).
	Alpha []float64
	// Potential[j] >= 0 is lab j's potential compute demand, GPU-hours per
	// month: what it would buy at prices far below its value of compute.
	Potential []float64
	// Value[j*Clouds+k] is lab j's value of a GPU-hour at cloud k relative
	// to its outside option, US$ per GPU-hour (performance, credits,
	// partnership, less migration cost): finite.
	Value []float64
	// Access[j*Clouds+k] is lab j's access to cloud k (ComputeAccess builds
	// a row from contract terms); nil means open everywhere.
	Access []Access
	// Stake[j*Clouds+k] in [0,1] is cloud k's share of lab j's profit
	// (equity or profit share); nil means none. A cloud's own in-house lab
	// has stake 1 and gets compute at cost plus scarcity rent.
	Stake []float64
	// UnitValue[j*Clouds+k] is the value to cloud k of a GPU-hour that lab
	// j obtains from any cloud, US$ per GPU-hour, of either sign; nil means
	// none. The caller builds it from the demand system: for revenue
	// shares τ_ik and stakes θ_ik of cloud k in labs i,
	// UnitValue_jk = Σ_i τ_ik ∂R_i/∂X_j + Σ_{i≠j} θ_ik ∂Π_i/∂X_j, where
	// ∂Π_i/∂X_j < 0 for a rival j of lab i: this is the term by which
	// integration raises rivals' costs.
	UnitValue []float64
	// Committed[j*Clouds+k] >= 0 is lab j's committed volume at cloud k,
	// GPU-hours per month, bought at its contract price outside the price
	// game and served first; nil means none.
	Committed []float64
	// Cost[k] is cloud k's marginal cost of a GPU-hour sold, US$ per
	// GPU-hour (power, operations; capacity already built is sunk).
	Cost []float64
	// Capacity[k] >= 0 is cloud k's capacity, GPU-hours per month; +Inf
	// means unconstrained.
	Capacity []float64
}

// Validate reports whether the market's dimensions and values are in
// range; errors wrap ErrInvalidArgument and name the field and index.
func (m *ComputeMarket) Validate() error {
	J, K := m.Labs, m.Clouds
	if J < 0 || K < 0 {
		return invalid("ComputeMarket: %d labs, %d clouds", J, K)
	}
	n := J * K
	for _, f := range []struct {
		name      string
		got, want int
		optional  bool
	}{
		{"Alpha", len(m.Alpha), J, false}, {"Potential", len(m.Potential), J, false},
		{"Value", len(m.Value), n, false}, {"Access", len(m.Access), n, true},
		{"Stake", len(m.Stake), n, true}, {"UnitValue", len(m.UnitValue), n, true},
		{"Committed", len(m.Committed), n, true}, {"Cost", len(m.Cost), K, false},
		{"Capacity", len(m.Capacity), K, false},
	} {
		if f.got != f.want && !(f.optional && f.got == 0) {
			return invalid("ComputeMarket.%s has %d elements, want %d", f.name, f.got, f.want)
		}
	}
	for j := range J {
		if !(m.Alpha[j] > 0) || !finite(m.Alpha[j]) {
			return invalid("ComputeMarket.Alpha[%d] = %g, want finite > 0", j, m.Alpha[j])
		}
		if !(m.Potential[j] >= 0) || !finite(m.Potential[j]) {
			return invalid("ComputeMarket.Potential[%d] = %g, want finite >= 0", j, m.Potential[j])
		}
	}
	for i := range n {
		if !finite(m.Value[i]) {
			return invalid("ComputeMarket.Value[%d] = %g, want finite", i, m.Value[i])
		}
		if m.Access != nil && m.Access[i] > AccessBarred {
			return invalid("ComputeMarket.Access[%d] = %d, not an Access", i, m.Access[i])
		}
		if m.Stake != nil && !(m.Stake[i] >= 0 && m.Stake[i] <= 1) {
			return invalid("ComputeMarket.Stake[%d] = %g, want a fraction in [0,1]", i, m.Stake[i])
		}
		if m.UnitValue != nil && !finite(m.UnitValue[i]) {
			return invalid("ComputeMarket.UnitValue[%d] = %g, want finite", i, m.UnitValue[i])
		}
		if m.Committed != nil && (!(m.Committed[i] >= 0) || !finite(m.Committed[i])) {
			return invalid("ComputeMarket.Committed[%d] = %g, want finite >= 0", i, m.Committed[i])
		}
	}
	for k := range K {
		if !finite(m.Cost[k]) {
			return invalid("ComputeMarket.Cost[%d] = %g, want finite", k, m.Cost[k])
		}
		if !(m.Capacity[k] >= 0) {
			return invalid("ComputeMarket.Capacity[%d] = %g, want >= 0", k, m.Capacity[k])
		}
	}
	return nil
}

// ComputeSolver solves a ComputeMarket for its prices by a damped
// fixed-point iteration (see Solve). The zero value uses the defaults.
type ComputeSolver struct {
	// Tol is the convergence tolerance on the largest change of a price or
	// rent in one iteration, US$ per GPU-hour; 0 means DefaultComputeTol.
	Tol float64
	// MaxIter caps the iterations; 0 means DefaultComputeMaxIter.
	MaxIter int
	// Damping in (0,1] scales the rents' Newton steps (the prices' steps
	// are Newton steps towards best responses and are not damped: damping
	// them slows the iteration and makes it cycle more); 0 means
	// DefaultComputeDamping.
	Damping float64
	// Warm starts from the prices and rents of the last solve into the
	// same equilibrium (last month's), if it had the market's dimensions.
	Warm bool
}

// Defaults of ComputeSolver.
const (
	DefaultComputeTol     = 1e-10
	DefaultComputeMaxIter = 2000
	DefaultComputeDamping = 1.0
)

// ComputeEquilibrium is the outcome of ComputeSolver.Solve. Its slices are
// sized by Solve and reused across calls (pass the same value every month:
// after the first call Solve allocates nothing). Lab×cloud slices are
// row-major, element j*Clouds+k.
type ComputeEquilibrium struct {
	// Price is the price cloud k charges lab j, US$ per GPU-hour; +Inf
	// where the lab cannot buy there (barred, or the cloud's capacity is
	// taken by buyers served before it).
	Price []float64
	// Share is lab j's logit share of its potential at cloud k.
	Share []float64
	// Quantity is what lab j buys from cloud k at Price, GPU-hours per
	// month (committed volumes excluded).
	Quantity []float64
	// CommittedServed is the part of lab j's committed volume at cloud k
	// that the cloud serves, GPU-hours per month.
	CommittedServed []float64
	// Outside[j] is lab j's outside share s_j0.
	Outside []float64
	// Total[j] is lab j's compute from all clouds, committed included,
	// GPU-hours per month.
	Total []float64
	// Sold[k] is cloud k's sales, committed included, GPU-hours per month;
	// Sold[k] <= Capacity[k] up to rounding (1e-12 relative).
	Sold []float64
	// Rent[k] is cloud k's scarcity rent on its open buyers, US$ per
	// GPU-hour: 0 while capacity is ample, +Inf when buyers served before
	// them take the whole capacity.
	Rent []float64
	// PriorityRent[k] is the scarcity rent on its priority buyers: 0
	// unless their demand alone exceeds the capacity left after
	// commitments; +Inf if commitments take it all.
	PriorityRent []float64
	// Notional[k] is the demand cloud k would face if it charged no
	// scarcity rent, other clouds' prices held, committed volumes
	// included, GPU-hours per month: the demand signal for its capacity
	// plan (its sales are capped by capacity). A buyer shut out is counted
	// at the cloud's markup over cost at a zero share.
	Notional []float64
	// Iterations is the number of fixed-point iterations used.
	Iterations int

	labs, clouds   int
	price          []float64   // the iteration's prices (finite; Price reports +Inf where nothing can be bought)
	lamP, lamO     []float64   // rents during the iteration (finite)
	resid          []float64   // capacity left after commitments
	demP, demO     []float64   // demand by tier
	aqP, aqO       []float64   // αq summed by tier
	rsP, rsO       []rentState // step state of each rent
	varP, varO     []int       // per cloud: index of its active rent variables, or -1
	vcloud         []int       // per active rent variable: its cloud, and
	vprio          []bool      // whether it is the priority tier's
	vx, vtarget    []float64   // per variable: ln(D/R) and R
	jac            []float64   // (variables)² Jacobian of ln(D/R) in the rents
	mu, merit      float64     // Levenberg–Marquardt parameter and last Σ x²
	closed         []uint8     // per cloud: closedOpen, closedAll
	ex             []float64   // per pair: exp(u − max) scratch
	rest           []float64   // per pair: the logit denominator less the pair's own term (shifted), 1 − s = rest/den
	den, mx, o     []float64   // per lab: logit denominator, shift, and the outside term e^{−mx}
	col, colServed []float64   // per lab: a cloud's column
	kbuf           []float64   // per cloud: suffix sums of a lab's terms
	colTier        []int
}

// Cloud states in ComputeEquilibrium.closed.
const (
	closedOpen = 1 << iota // the priority rent is positive: open buyers are shut out
	closedAll              // commitments take the whole capacity
)

// size sizes every slice for J labs and K clouds and reports whether the
// dimensions were already those (so a warm start is possible).
func (e *ComputeEquilibrium) size(J, K int) bool {
	same := e.labs == J && e.clouds == K && len(e.price) == J*K
	n := J * K
	e.Price, e.Share, e.Quantity, e.price = grow(e.Price, n), grow(e.Share, n), grow(e.Quantity, n), grow(e.price, n)
	e.CommittedServed, e.ex, e.rest = grow(e.CommittedServed, n), grow(e.ex, n), grow(e.rest, n)
	e.Outside, e.Total, e.den, e.mx = grow(e.Outside, J), grow(e.Total, J), grow(e.den, J), grow(e.mx, J)
	e.o = grow(e.o, J)
	e.col, e.colServed = grow(e.col, J), grow(e.colServed, J)
	if cap(e.colTier) < J {
		e.colTier = make([]int, J)
	}
	e.colTier = e.colTier[:J]
	e.Sold, e.Rent, e.PriorityRent, e.Notional = grow(e.Sold, K), grow(e.Rent, K), grow(e.PriorityRent, K), grow(e.Notional, K)
	e.lamP, e.lamO, e.resid, e.kbuf = grow(e.lamP, K), grow(e.lamO, K), grow(e.resid, K), grow(e.kbuf, K)
	e.demP, e.demO, e.aqP, e.aqO = grow(e.demP, K), grow(e.demO, K), grow(e.aqP, K), grow(e.aqO, K)
	e.vx, e.vtarget, e.jac = grow(e.vx, 2*K), grow(e.vtarget, 6*K), grow(e.jac, 4*K*K)
	if cap(e.varP) < K {
		e.varP, e.varO, e.vcloud, e.vprio = make([]int, K), make([]int, K), make([]int, 2*K), make([]bool, 2*K)
	}
	e.varP, e.varO, e.vcloud, e.vprio = e.varP[:K], e.varO[:K], e.vcloud[:2*K], e.vprio[:2*K]
	if cap(e.rsP) < K {
		e.rsP, e.rsO = make([]rentState, K), make([]rentState, K)
	}
	e.rsP, e.rsO = e.rsP[:K], e.rsO[:K]
	if cap(e.closed) < K {
		e.closed = make([]uint8, K)
	}
	e.closed = e.closed[:K]
	e.labs, e.clouds = J, K
	return same
}

// MeanPrice is cloud k's quantity-weighted mean price over the labs that
// buy from it at Price (committed volumes excluded), US$ per GPU-hour, the
// cloud's compute price for reporting; ok is false if it sells nothing at
// Price (or k is out of range).
func (e *ComputeEquilibrium) MeanPrice(k int) (price float64, ok bool) {
	if k < 0 || k >= e.clouds {
		return 0, false
	}
	var pq, q float64
	for j := range e.labs {
		if x := e.Quantity[j*e.clouds+k]; x > 0 {
			pq += x * e.Price[j*e.clouds+k]
			q += x
		}
	}
	if !(q > 0) {
		return 0, false
	}
	return pq / q, true
}

// Solve computes the month's compute prices and allocation of m (see
// ComputeMarket for the rule) into out, which it sizes and reuses.
//
// Method. A fixed-point iteration on the prices and the tiers' rents.
// Each iteration first moves the rents of the tiers whose demand exceeds
// what they may use (or whose rent is positive) by one joint,
// Levenberg–Marquardt-regularised Newton step on x = ln(D/R), with the
// Jacobian from the logit (see rentSteps), each move bounded and damped
// by Damping. It then sweeps the labs, and within a lab its clouds in
// turn (Gauss–Seidel), moving each price by a Newton step towards the
// cloud's best response to that lab given the lab's other alternatives as
// just updated: the best response is in closed form (Lambert W), and the
// step is taken in p where the share is moderate and in the log form of
// the best response where it is large, so it stays fast at shares near 1
// (see bestResponseStep); plain markup iteration p ← ĉ + 1/(α(1 − s))
// would diverge for s > 1/2. If 300 iterations have not converged the
// iteration starts again, cold, with half the damping (again after each
// further 300). It stops when no price or rent moved by more than Tol
// (US$ per GPU-hour, default 1e-10), no cloud opened or closed to its open
// buyers, and, against a stalled step, every first-order condition and
// every binding tier's capacity holds within 1e-7 (the dimensionless
// residual, and |ln(D/R)|); quantities are then rationed by tier (Ration)
// so that sales never exceed capacity by rounding. It starts from
// p = cost + 1/α, or with Warm from out's last prices, rents and shut-out
// states.
//
// Robustness, measured (TestComputePricesManyRandomMarkets): over 60,000
// random markets of up to 16 labs and 8 clouds, harsher than the model's,
// the median solve takes 19 iterations, 99% take fewer than 100, and 3
// did not converge within 2,000 (one lab facing clouds whose capacities
// exceed its demand, where a uniform rise in all rents barely moves
// demand and the rents are nearly indeterminate). A warm start from a
// nearby month takes a few iterations.
//
// Errors: one wrapping ErrInvalidArgument for an invalid market or
// solver; one wrapping ErrNoConvergence if MaxIter (default 2000)
// iterations do not reach Tol, with out then holding the last iterate,
// its quantities rationed to capacity (usable, but not an equilibrium).
// For 16 labs x 8 clouds a cold solve takes about 0.1 ms and a warm one
// less (BenchmarkComputePrices16x8, ...Warm); it allocates nothing once
// out is sized.
func (s ComputeSolver) Solve(m *ComputeMarket, out *ComputeEquilibrium) error {
	if err := m.Validate(); err != nil {
		return err
	}
	tol, maxIter, damp := s.Tol, s.MaxIter, s.Damping
	if tol == 0 {
		tol = DefaultComputeTol
	}
	if maxIter == 0 {
		maxIter = DefaultComputeMaxIter
	}
	if damp == 0 {
		damp = DefaultComputeDamping
	}
	if !(tol > 0) || math.IsInf(tol, 1) || maxIter < 0 || !(damp > 0 && damp <= 1) {
		return invalid("ComputeSolver: Tol %g, MaxIter %d, Damping %g", tol, maxIter, damp)
	}
	J, K := m.Labs, m.Clouds
	warm := out.size(J, K) && s.Warm
	out.Iterations = 0
	if J == 0 || K == 0 {
		clear(out.Sold)
		clear(out.Rent)
		clear(out.PriorityRent)
		clear(out.Notional)
		return nil
	}

	// Committed volumes first, pro rata if they exceed capacity.
	for k := range K {
		for j := range J {
			out.col[j] = m.at(m.Committed, j, k)
		}
		left, err := Ration(m.Capacity[k], out.col, nil, out.colServed)
		if err != nil {
			return fmt.Errorf("ComputeSolver: committed volumes at cloud %d: %w", k, err)
		}
		out.resid[k] = left
		for j := range J {
			out.CommittedServed[j*K+k] = out.colServed[j]
		}
	}

	out.start(m, warm)
	converged := false
	for it := 1; it <= maxIter; it++ {
		out.Iterations = it
		if it%computeStage == 0 {
			// A stage without convergence: start again, cold, with half the
			// rents' damping (carrying on from a cycle does not help).
			damp /= 2
			out.start(m, false)
		}
		out.tierDemand(m)
		step, resid := out.rentSteps(m, damp)
		for j := range J {
			ds, dr := out.sweepLab(m, j)
			if ds > step || ds != ds {
				step = ds
			}
			if dr > resid || dr != dr {
				resid = dr
			}
		}
		if math.IsNaN(step) || math.IsNaN(resid) {
			break
		}
		// Converged: nothing moves, and (against a stalled step) every
		// first-order condition and every binding capacity holds.
		if step <= tol && resid <= residualTol {
			converged = true
			break
		}
	}
	out.finish(m)
	if !converged {
		return fmt.Errorf("ComputeSolver: %d labs x %d clouds after %d iterations (tolerance %g): %w",
			J, K, out.Iterations, tol, ErrNoConvergence)
	}
	return nil
}

// computeStage is the number of iterations after which Solve, not yet
// converged, halves its damping and carries on from where it is.
const computeStage = 300

// start sets the iteration's starting point: prices cost + 1/α and no
// rents (or, warm, the last solve's prices, rents and shut-out states
// where they are usable), the shares there, and fresh step states.
func (e *ComputeEquilibrium) start(m *ComputeMarket, warm bool) {
	J, K := m.Labs, m.Clouds
	for j := range J {
		for k := range K {
			i := j*K + k
			if !warm || !finite(e.price[i]) {
				e.price[i] = m.Cost[k] + 1/m.Alpha[j]
			}
		}
	}
	for k := range K {
		if !warm || !finite(e.lamP[k]) || e.lamP[k] < 0 {
			e.lamP[k] = 0
		}
		if !warm || !finite(e.lamO[k]) || e.lamO[k] < 0 {
			e.lamO[k] = 0
		}
		if !warm {
			e.closed[k] = 0
		}
		e.closed[k] &^= closedAll
		if !(e.resid[k] > 0) {
			e.closed[k] = closedAll
			e.lamP[k], e.lamO[k] = 0, 0
		}
		e.rsP[k], e.rsO[k] = rentState{om: 1}, rentState{om: 1}
	}
	e.shares(m)
	e.mu, e.merit = 0, math.Inf(1)
}

// residualTol bounds, at convergence, every first-order condition's
// residual (dimensionless, (1 − θ) − α(1 − s)(p − ĉ) − α w s0) and the
// log excess demand |ln(D/R)| of every binding tier.
const residualTol = 1e-7

// tierDemand sums each cloud's demand by tier at the current shares, and
// α q by tier (for the cap on a rent's rise).
func (e *ComputeEquilibrium) tierDemand(m *ComputeMarket) {
	J, K := m.Labs, m.Clouds
	for k := range K {
		e.demP[k], e.demO[k], e.aqP[k], e.aqO[k] = 0, 0, 0, 0
	}
	for j := range J {
		a, pot := m.Alpha[j], m.Potential[j]
		for k := range K {
			i := j*K + k
			q := pot * e.Share[i]
			if q == 0 {
				continue
			}
			if m.access(i) == AccessPriority {
				e.demP[k] += q
				e.aqP[k] += a * q
			} else {
				e.demO[k] += q
				e.aqO[k] += a * q
			}
		}
	}
}

// rentSteps moves the tiers' rents one step and returns the largest move
// and the largest |ln(D/R)| of an active tier: one whose demand D exceeds
// the capacity R it may use, or whose rent is positive. R is what is left
// after commitments for the priority tier, and what priority buyers leave
// for the open tier (at least 1e-12 of it, against rounding), taken as
// given (its linearisation in the rents, through priority demand, is
// scaled by 1/R and would break the structure below). While a cloud's
// priority rent is positive its priority buyers take it all and it is out
// of its open buyers' choice sets (shutOpen).
//
// The active rents take one joint Newton step on x = ln(D/R), J Δλ = −x,
// J the derivatives of the tiers' log demands in the rents through the
// lab-by-lab best-response prices (the lab's other prices held): from the
// logit, ∂q_jk/∂p_jl = −α q_jk (1 − s_jk) for l = k and α q_jk s_jl
// otherwise, times the pass-through of a rent to the price, ρ_jl =
// (1 − s_jl)/(1 − θ_jl s_jl). The cross terms matter: where two short
// clouds are close substitutes for the same labs, stepping each rent on
// its own slope converges at the rate cross/own substitution, near 1 when
// the outside option is small. −J is an M-matrix (a uniform rise of the
// rents lowers each lab's inside demand, so each lab's columns are
// diagonally dominant), so the step raises every rent when every active
// tier has excess demand. Where that uniform mode barely moves demand (a
// small outside share) J is nearly singular; the step is then regularised
// à la Levenberg–Marquardt, (J − μ diag|J|) Δλ = −x, μ doubled (from at
// least 1e-2) when Σ x² rose by more than 0.1% since the last iteration
// and cut fourfold otherwise (to 0 below 1e-4), so that noise in Σ x² (the
// prices move too) does not hold μ up. A singular system falls back to
// the diagonal. Each move is then scaled by Damping and by the rent's
// adaptive factor (rentState.factor), and kept within
// [λ/4, λ + Damping·(λ + 1/ᾱ)] (ᾱ = Σ α q / D; a rent below 1e-9/ᾱ is set
// to 0): the linearisation is poor where shares are near 1 or a tier is
// nearly shut out, and a bounded move keeps the iteration from cycling.
func (e *ComputeEquilibrium) rentSteps(m *ComputeMarket, damp float64) (step, resid float64) {
	J, K := m.Labs, m.Clouds
	n := 0
	for k := range K {
		e.varP[k], e.varO[k] = -1, -1
		if e.closed[k]&closedAll != 0 {
			continue // commitments take the whole capacity
		}
		r := e.resid[k]
		if e.demP[k] > r || e.lamP[k] > 0 {
			if e.demP[k] > 0 {
				e.varP[k], e.vcloud[n], e.vprio[n], e.vtarget[n] = n, k, true, r
				e.vx[n] = math.Log(e.demP[k] / r)
				n++
			} else {
				step = math.Max(step, 0.75*e.lamP[k])
				e.lamP[k] /= 4 // prices so high that demand underflowed: back off
			}
		} else {
			e.rsP[k].idle()
		}
		if e.closed[k]&closedOpen != 0 {
			e.rsO[k].idle() // shut out: its rent waits where it was
			continue
		}
		ro := math.Max(r-e.demP[k], 1e-12*r)
		if e.demO[k] > ro || e.lamO[k] > 0 {
			if e.demO[k] > 0 {
				e.varO[k], e.vcloud[n], e.vprio[n], e.vtarget[n] = n, k, false, ro
				e.vx[n] = math.Log(e.demO[k] / ro)
				n++
			} else {
				step = math.Max(step, 0.75*e.lamO[k])
				e.lamO[k] /= 4
			}
		} else {
			e.rsO[k].idle()
		}
	}
	if n == 0 {
		return e.shutOpen(step), 0
	}
	inv := e.vtarget[2*n : 3*n] // scratch: 1/D of each variable's tier
	merit := 0.0
	for v := range n {
		resid = math.Max(resid, math.Abs(e.vx[v]))
		inv[v] = 1 / (e.vtarget[v] * math.Exp(e.vx[v]))
		merit += e.vx[v] * e.vx[v]
	}
	if merit > 1.001*e.merit {
		e.mu = math.Max(2*e.mu, 1e-2)
	} else if e.mu /= 4; e.mu < 1e-4 {
		e.mu = 0
	}
	e.merit = merit
	jac := e.jac[:n*n]
	clear(jac)
	for j := range J {
		a, pot, den := m.Alpha[j], m.Potential[j], e.den[j]
		row := j * K
		for k := range K {
			i := row + k
			q := pot * e.Share[i]
			if q == 0 {
				continue
			}
			vk := e.pairVar(m, i, k)
			if vk < 0 {
				continue
			}
			for l := range K {
				il := row + l
				vl := e.pairVar(m, il, l)
				sl := e.Share[il]
				if vl < 0 || sl == 0 {
					continue
				}
				dq := a * q * sl // ∂q_jk/∂p_jl, l ≠ k
				if l == k {
					dq = -a * q * e.rest[i] / den
				}
				dq *= e.rest[il] / den / (1 - m.at(m.Stake, j, l)*sl) // times the pass-through of λ to p_jl
				jac[vk*n+vl] += dq * inv[vk]                          // ∂ln D/∂λ = (∂D/∂λ)/D
			}
		}
	}
	delta := e.vtarget[n : 2*n] // scratch: the right-hand side, then Δλ
	for v := range n {
		delta[v] = -e.vx[v]
		jac[v*n+v] *= 1 + e.mu // Marquardt: J − μ diag|J| (J's diagonal is negative)
	}
	if !solveDense(jac, delta, n, 1e-300) {
		for v := range n { // fall back to the diagonal (recomputed: the elimination overwrote jac)
			delta[v] = -e.vx[v] / math.Min(e.diagSlope(m, v), -1e-300)
		}
	}
	for v := range n {
		k := e.vcloud[v]
		lam, st, dem, aq := &e.lamO[k], &e.rsO[k], e.demO[k], e.aqO[k]
		if e.vprio[v] {
			lam, st, dem, aq = &e.lamP[k], &e.rsP[k], e.demP[k], e.aqP[k]
		}
		next := clamp(*lam+st.factor(e.vx[v])*damp*delta[v], *lam/4, *lam+damp*(*lam+dem/aq))
		if next < 1e-9*dem/aq {
			next = 0 // negligible: let it vanish rather than shrink by quarters
		}
		step = math.Max(step, math.Abs(next-*lam))
		*lam = next
	}
	return e.shutOpen(step), resid
}

// shutOpen shuts each cloud whose priority rent is positive to its open
// buyers, and opens the others; a change returns step +Inf (the choice
// sets changed: not converged), otherwise step.
func (e *ComputeEquilibrium) shutOpen(step float64) float64 {
	for k, c := range e.closed {
		if c&closedAll != 0 {
			continue
		}
		var st uint8
		if e.lamP[k] > 0 {
			st = closedOpen
		}
		if st != c {
			e.closed[k] = st
			step = math.Inf(1)
		}
	}
	return step
}

// diagSlope is the own derivative ∂ln D/∂λ of active rent variable v (the
// diagonal of rentSteps' Jacobian), for the fallback step.
func (e *ComputeEquilibrium) diagSlope(m *ComputeMarket, v int) float64 {
	k, K := e.vcloud[v], m.Clouds
	g, d := 0.0, 0.0
	for j := range m.Labs {
		i := j*K + k
		if e.pairVar(m, i, k) != v {
			continue
		}
		q, s := m.Potential[j]*e.Share[i], e.Share[i]
		if q == 0 {
			continue // as in the Jacobian: a lab that buys nothing here adds no slope (its terms may be 0/0)
		}
		om := e.rest[i] / e.den[j]
		g -= m.Alpha[j] * q * om * om / (1 - m.at(m.Stake, j, k)*s)
		d += q
	}
	if !(d > 0) {
		return 0
	}
	return g / d
}

// pairVar is the active rent variable pair i (cloud k) pays, or -1.
func (e *ComputeEquilibrium) pairVar(m *ComputeMarket, i, k int) int {
	switch m.access(i) {
	case AccessBarred:
		return -1
	case AccessPriority:
		return e.varP[k]
	}
	return e.varO[k]
}

// buyerCost is ĉ for pair i at cloud k: the cost plus the rent of the
// buyer's tier.
func (e *ComputeEquilibrium) buyerCost(m *ComputeMarket, i, k int) float64 {
	if m.access(i) == AccessPriority {
		return m.Cost[k] + e.lamP[k]
	}
	return m.Cost[k] + e.lamO[k]
}

// sweepLab moves lab j's prices one Gauss–Seidel sweep over its clouds,
// each step using the lab's other logit terms as already updated, then
// recomputes its shares. It returns the largest price move and the
// largest first-order-condition residual before the moves.
func (e *ComputeEquilibrium) sweepLab(m *ComputeMarket, j int) (step, resid float64) {
	K := m.Clouds
	row := j * K
	a, mx, o := m.Alpha[j], e.mx[j], e.o[j] // o: the outside option's term
	suf := e.kbuf                           // suf[k] = Σ_{l>=k} of the terms not yet updated
	acc := 0.0
	for k := K - 1; k >= 0; k-- {
		if !e.available(m, row+k, k) {
			e.ex[row+k] = 0 // e.g. a cloud just shut to open buyers
		}
		acc += e.ex[row+k]
		suf[k] = acc
	}
	if !(o+acc > minLabTerms) {
		mx, o = e.relevel(m, j, -1)
	}
	pre := 0.0 // Σ of the terms already updated
	for k := range K {
		i := row + k
		if !e.available(m, i, k) {
			continue // its term is 0
		}
		rest := o + pre
		if k+1 < K {
			rest += suf[k+1]
		}
		x, p := e.ex[i], e.price[i]
		ch := e.buyerCost(m, i, k)
		theta := m.at(m.Stake, j, k)
		den := rest + x
		foc := (1 - theta) - a*(rest/den*(p-ch)+m.at(m.UnitValue, j, k)*o/den)
		if foc < 0 {
			foc = -foc
		}
		if foc > resid || foc != foc { // (a NaN propagates)
			resid = foc
		}
		d := e.bestResponseStep(m, i, j, k, ch, x, rest, o, mx) - p
		p += d
		e.price[i] = p
		if y := a * d; y > -0.01 && y < 0.01 {
			// e^{−y} by its Taylor polynomial: exact to double precision here.
			x *= 1 - y*(1-y/2*(1-y/3*(1-y/4*(1-y/5*(1-y/6)))))
		} else {
			x = math.Exp(a*(m.Value[i]-p) - mx)
		}
		if d < 0 {
			d = -d
		}
		if d > step || d != d {
			step = d
		}
		if x > 1e200 { // shift the lab's terms before they overflow
			f := 1 / x
			mx += math.Log(x)
			o *= f
			pre *= f
			for l := range K {
				e.ex[row+l] *= f
				suf[l] *= f
			}
			x = 1
		}
		e.ex[i] = x
		pre += x
		after := 0.0 // the terms not yet updated
		if k+1 < K {
			after = suf[k+1]
		}
		if !(o+pre+after > minLabTerms) {
			// Every term has (nearly) underflowed: the prices rose by far
			// more than 1/α (α large, a rent's jump). Set the terms again
			// from the prices, shifted so that the largest is 1.
			mx, o = e.relevel(m, j, k)
			pre = 0
			for l := 0; l <= k; l++ {
				pre += e.ex[row+l]
			}
		}
	}
	e.mx[j], e.o[j] = mx, o
	e.labShares(m, j)
	return step, resid
}

// minLabTerms is the least sum of a lab's logit terms (in their shifted
// units) that sweepLab lets stand: below it the terms are set again from
// the prices (relevel), before they all underflow to 0 and the lab's
// shares become 0/0.
const minLabTerms = 1e-200

// relevel sets lab j's terms from its prices (labShift) and the suffix
// sums kbuf[l] of the terms after pair k (k = -1: all of them) for
// sweepLab, and returns the new shift and outside term.
func (e *ComputeEquilibrium) relevel(m *ComputeMarket, j, k int) (mx, o float64) {
	K := m.Clouds
	row := j * K
	e.labShift(m, j)
	acc := 0.0
	for l := K - 1; l > k; l-- {
		acc += e.ex[row+l]
		e.kbuf[l] = acc
	}
	return e.mx[j], e.o[j]
}

// bestResponseStep returns the new price of pair i (lab j, cloud k): one
// Newton step towards the cloud's exact best response to the lab given
// the lab's other alternatives and the rent. With x = e^{α(V−p)}, R the
// lab's other logit terms (outside option included) and o the outside
// term (x, rest and o in units shifted by e^{−mx}), the first-order
// condition (1 − θ) − α(1 − s)(p − ĉ) − α w s0 = 0 is
//
//	G(p) = p − ĉ − B − (1 − θ) x/(αR) = 0,   B = (1 − θ)/α − w o/R,
//
// G increasing and concave in p. Where (1 − θ)x/R <= 2 (the share is not
// large) the step is Newton's in p, −G/(1 + (1 − θ)x/R), and needs no
// logarithm. Elsewhere a step in p would creep by about 1/α per iteration
// (x is exponential in p), so it is taken in the log form: z = α(p − ĉ −
// B) solves z e^z = C, C = (1 − θ) e^{α(V − ĉ − B)}/R, the best response
// is ĉ + B + W(C)/α (W the Lambert function; the textbook logit monopoly
// price is the case R = o = 1, θ = w = 0), and the step is a Newton step
// on z + ln z = ln C (lambertWStep), nearly linear in z. A cloud's own
// lab (θ = 1) gets ĉ + B exactly.
func (e *ComputeEquilibrium) bestResponseStep(m *ComputeMarket, i, j, k int, ch, x, rest, o, mx float64) float64 {
	a, p := m.Alpha[j], e.price[i]
	if !(rest > 0) {
		return p // every other term underflowed: leave the price
	}
	theta := m.at(m.Stake, j, k)
	B := (1-theta)/a - m.at(m.UnitValue, j, k)*o/rest
	if theta >= 1 {
		return ch + B
	}
	if cx := (1 - theta) * x / rest; cx <= 2 {
		return p - (p-ch-B-cx/a)/(1+cx)
	}
	lnC := a*(m.Value[i]-ch-B) - math.Log(rest) - mx
	if theta > 0 {
		lnC += math.Log1p(-theta)
	}
	return ch + B + lambertWStep(a*(p-ch-B), lnC)/a
}

// lambertWStep is one Newton step on f(z) = z + ln z − ln C towards
// W(C), C = e^{lnC}, from z, or from lambertWStart(lnC) where z is a poor
// start: f is increasing and concave, so a step from the left of the root
// stays left (and is slow only from near 0, where it grows z by the
// factor 1 + |f|) and a step from the right stays positive while
// z < e·C. The start is z if z > 0 and either z is right of the root and
// below e·C, or left of it with z >= 1/2 or |f| <= 1.
func lambertWStep(z, lnC float64) float64 {
	if lnC < -40 {
		// W(C) = C - C² + ...: C itself to double precision (C < 5e-18),
		// 0 where C underflows (a cloud whose share is nil at any price
		// the lab would pay: the best response is ĉ + B). Newton's step
		// from lambertWStart would start at ln(1 + C) = 0 and give 0/0.
		return math.Exp(lnC)
	}
	if z > 0 {
		lz := math.Log(z)
		f := z + lz - lnC
		if (f >= 0 && lz < lnC+1) || (f < 0 && (z >= 0.5 || f >= -1)) {
			return z - f/(1+1/z)
		}
	}
	w0 := lambertWStart(lnC)
	return w0 - (w0+math.Log(w0)-lnC)/(1+1/w0)
}

// lambertWStart is a starting value for W(C), C = e^{lnC}, from which a
// Newton step on z + ln z = ln C stays positive (it lies below e·C):
// ln(1 + C) for C <= e, else the asymptotic L − ln L + ln L / L, L = ln C.
func lambertWStart(lnC float64) float64 {
	if lnC <= 1 {
		return math.Log1p(math.Exp(lnC))
	}
	l := math.Log(lnC)
	return lnC - l + l/lnC
}

// rentState is the adaptive step factor of one rent and the sign of its
// last log excess demand.
type rentState struct {
	om float64
	sg int8
}

// idle records an inactive rent (0, demand within capacity).
func (r *rentState) idle() { r.sg = 0 }

// factor returns the rent's step factor for log excess demand x: halved
// (down to 1/1024) whenever x changes sign from the last step and doubled,
// up to 1, when it does not. The rents move together, and where the
// linearisation is poor (shares near 1, a tier opening or closing) their
// full steps can overshoot together into a cycle.
func (r *rentState) factor(x float64) float64 {
	var sign int8 = 1
	if x < 0 {
		sign = -1
	}
	if r.sg != 0 && sign != r.sg {
		r.om = math.Max(r.om*0.5, 1.0/1024)
	} else {
		r.om = math.Min(1, 2*r.om)
	}
	r.sg = sign
	return r.om
}

// at returns x[j*Clouds+k], or 0 for a nil optional matrix.
func (m *ComputeMarket) at(x []float64, j, k int) float64 {
	if x == nil {
		return 0
	}
	return x[j*m.Clouds+k]
}

// access returns the access of pair i (open for a nil matrix).
func (m *ComputeMarket) access(i int) Access {
	if m.Access == nil {
		return AccessOpen
	}
	return m.Access[i]
}

// available reports whether lab×cloud pair i (cloud k) is in the lab's
// choice set: not barred, the cloud's capacity not all committed, and for
// an open buyer the cloud's priority rent 0.
func (e *ComputeEquilibrium) available(m *ComputeMarket, i, k int) bool {
	switch m.access(i) {
	case AccessBarred:
		return false
	case AccessPriority:
		return e.closed[k]&closedAll == 0
	}
	return e.closed[k] == 0
}

// shares computes every lab's logit terms and shares at the current
// prices (labShift, labShares).
func (e *ComputeEquilibrium) shares(m *ComputeMarket) {
	for j := range m.Labs {
		e.labShift(m, j)
		e.labShares(m, j)
	}
}

// labShift sets lab j's terms ex = e^{u − mx}, mx = max(0, max u) (0 for
// a pair it cannot buy).
func (e *ComputeEquilibrium) labShift(m *ComputeMarket, j int) {
	K := m.Clouds
	row := j * K
	a := m.Alpha[j]
	mx := 0.0
	for k := range K {
		i := row + k
		if e.available(m, i, k) {
			u := a * (m.Value[i] - e.price[i])
			e.ex[i] = u
			mx = math.Max(mx, u)
		}
	}
	for k := range K {
		i := row + k
		if e.available(m, i, k) {
			e.ex[i] = math.Exp(e.ex[i] - mx)
		} else {
			e.ex[i] = 0
		}
	}
	e.mx[j], e.o[j] = mx, math.Exp(-mx)
}

// labShares sets lab j's denominator, each pair's rest (the denominator
// less the pair's own term, summed from the other terms so that 1 − s =
// rest/den has no cancellation), shares and outside share from its terms.
func (e *ComputeEquilibrium) labShares(m *ComputeMarket, j int) {
	K := m.Clouds
	row := j * K
	o := e.o[j]
	suf := e.kbuf
	acc := 0.0
	for k := K - 1; k >= 0; k-- {
		acc += e.ex[row+k]
		suf[k] = acc
	}
	den := o + acc
	pre := 0.0
	for k := range K {
		i := row + k
		r := o + pre
		if k+1 < K {
			r += suf[k+1]
		}
		e.rest[i] = r
		e.Share[i] = e.ex[i] / den
		pre += e.ex[i]
	}
	e.den[j] = den
	e.Outside[j] = o / den
}

// finish computes the outputs at the final prices: shares, quantities
// rationed by tier to the capacity left after commitments, totals, sales,
// rents, prices of pairs that cannot buy (+Inf) and notional demand.
func (e *ComputeEquilibrium) finish(m *ComputeMarket) {
	J, K := m.Labs, m.Clouds
	e.shares(m)
	e.tierDemand(m)
	for k := range K {
		shut := e.closed[k] != 0
		for j := range J {
			i := j*K + k
			if shut && m.access(i) == AccessOpen {
				e.Share[i] = 0
			}
			e.Quantity[i] = m.Potential[j] * e.Share[i]
			e.col[j] = e.Quantity[i]
			e.colTier[j] = 1
			if m.access(i) == AccessPriority {
				e.colTier[j] = 0
			}
		}
		// Cannot fail: resid >= 0 and the quantities are finite and >= 0.
		_, _ = Ration(e.resid[k], e.col, e.colTier, e.colServed)
		e.Sold[k] = 0
		for j := range J {
			i := j*K + k
			e.Quantity[i] = e.colServed[j]
			e.Sold[k] += e.colServed[j] + e.CommittedServed[i]
		}
		e.Rent[k], e.PriorityRent[k] = e.lamO[k], e.lamP[k]
		if shut {
			e.Rent[k] = math.Inf(1)
		}
		if e.closed[k]&closedAll != 0 {
			e.PriorityRent[k] = math.Inf(1)
		}
	}
	for j := range J {
		e.Total[j] = 0
		for k := range K {
			i := j*K + k
			e.Total[j] += e.Quantity[i] + e.CommittedServed[i]
		}
	}
	// Notional demand: lab j's share at cloud k with the rent taken off
	// p_jk (its share at k depends on no other price of cloud k); a lab
	// shut out (by commitments or priority buyers) is counted at the
	// markup over cost of a zero share.
	for k := range K {
		e.Notional[k] = 0
		for j := range J {
			i := j*K + k
			e.Notional[k] += m.at(m.Committed, j, k)
			a, den, mx := m.Alpha[j], e.den[j], e.mx[j]
			var sh float64
			switch {
			case m.access(i) == AccessBarred:
			case e.available(m, i, k):
				rent := e.lamO[k]
				if m.access(i) == AccessPriority {
					rent = e.lamP[k]
				}
				// s = x·f / (rest + x·f), x = e^{u − mx}, f = e^{α rent}.
				if r := e.rest[i]; r > 0 {
					sh = 1 / (1 + r*math.Exp(mx-(a*(m.Value[i]-e.price[i])+a*rent)))
				} else {
					sh = 1
				}
			default:
				pt := m.Cost[k] + (1-m.at(m.Stake, j, k))/a - m.at(m.UnitValue, j, k)*e.Outside[j]
				sh = 1 / (1 + den*math.Exp(mx-a*(m.Value[i]-pt)))
			}
			e.Notional[k] += m.Potential[j] * sh
		}
	}
	for k := range K {
		shut := e.closed[k] != 0
		for j := range J {
			i := j*K + k
			e.Price[i] = e.price[i]
			if !e.available(m, i, k) || (shut && m.access(i) == AccessOpen) {
				e.Price[i] = math.Inf(1)
			}
		}
	}
}
