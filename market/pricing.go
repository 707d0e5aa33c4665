package market

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrNoEquilibrium reports a pricing game whose solver did not reach a
// Bertrand–Nash equilibrium: the first-order-condition residual stayed
// above the tolerance within the iteration cap. The error text gives the
// iterations and the residual reached; the equilibrium argument then holds
// the prices with the smallest residual found, and its Residual field says
// how far they are from one.
var ErrNoEquilibrium = errors.New("market: no price equilibrium found")

// NoFirm, as a payer or payee of a RevenueWedge or UnitFee, is someone
// outside the pricing game (a tax authority, a compute provider, a holder
// that does not set prices): the money leaves or enters the game, and no
// price setter internalises it.
const NoFirm = -1

// Default solver settings of Pricer.
const (
	// DefaultPricingTol is the default tolerance on the first-order-
	// condition residual relative to price (the acceptance criterion of
	// the model is 1e-6; the default leaves four orders of margin).
	DefaultPricingTol = 1e-10
	// DefaultPricingMaxIter is the default iteration cap (evaluations of
	// the fixed-point map).
	DefaultPricingMaxIter = 1000
)

// DemandCell is one group of buyers with common utilities: a buyer segment
// (and, where the caller splits it so, the buyers of one incumbent or one
// primary cloud). A buyer of cell c choosing product j gets utility
//
//	U_cj = Quality[j] - BetaP*p_j + eps_cj,   U_c0 = eps_c0 (outside good),
//
// with eps generalised extreme value (nested logit over the products'
// nests, the outside good alone in a nest of its own).
type DemandCell struct {
	// Weight is the cell's potential demand, in units of workload (e.g.
	// size-weighted buyers, each buying its month's workload unit from one
	// alternative or the outside good). Weights are >= 0 and not all 0;
	// with weights summing to 1 quantities are shares of potential demand.
	Weight float64
	// BetaP is the price coefficient in utils per US$ (> 0).
	BetaP float64
	// Quality[j] is everything in product j's mean utility but the price
	// (utils); -Inf marks a product not available to this cell. Length J.
	Quality []float64
}

// RevenueWedge is an ad valorem payment of Rate × p_j × q_j, a share of
// product j's revenue, from j's owner to Payee: a revenue share on a lab's
// revenue from j, or a reciprocal share on a cloud's resale revenue of j.
// A contract on several products is one wedge per product.
//
// A total cap on a contract's payments acts as follows: the wedge applies
// while cumulative payments are below the cap, and past it the marginal
// wedge is 0. At the pricing stage that is the flag CapReached, which the
// caller (who keeps the cumulative payments) sets once they reach the cap;
// a wedge with CapReached set neither enters any objective nor pays. A
// period in which the cap is crossed is priced with the wedge on; the
// caller pays the part up to the cap.
type RevenueWedge struct {
	Product    int     // j, in [0, J)
	Rate       float64 // tau in [0, 1); the rates on one product sum to less than 1
	Payee      int     // a firm in [0, F) other than j's owner, or NoFirm
	CapReached bool    // the contract's total cap is reached: marginal wedge 0
}

// UnitFee is a payment of Amount US$ per unit of product j sold, from Payer
// to Payee (firms in [0, F) or NoFirm, not both the same): a wholesale fee a
// reseller pays the model's lab, a serving charge, a subsidy.
type UnitFee struct {
	Product int
	Amount  float64 // US$ per unit; finite, any sign
	Payer   int
	Payee   int
}

// ProfitInterest says that Holder's objective includes Share × Firm's
// profit (O'Brien–Salop): an equity stake, a profit share, a waterfall
// tranche. Firm's profit here is its cash flow from the game: its revenue,
// less the costs it bears, the wedges and fees it pays, plus those it
// receives. Holder and Firm differ; several entries for one pair add up.
// Whether the holder's income is also paid out of Firm's profit (a
// contractual profit share) or is only a claim on its value (equity) does
// not change Firm's prices, since scaling Firm's own objective does not
// move its first-order conditions; Profits reports cash flows before it.
type ProfitInterest struct {
	Holder int
	Firm   int
	Share  float64 // kappa in [0, 1]
}

// PricingProblem is a multi-product Bertrand–Nash pricing game under
// nested logit (multinomial logit when Lambda is empty) with an outside good
// of utility 0 and prices in absolute US$. J products, each priced by one
// of F firms (its Owner); each product sits in one nest. The slices are the
// caller's and are only read: a bargaining layer mutates fees, rates and
// availability between calls and re-solves.
type PricingProblem struct {
	// Cells are the buyer groups whose demands add up (one cell is plain
	// nested logit; several are a finite mixture). At least one.
	Cells []DemandCell
	// Cost[j] is product j's marginal cost, US$ per unit (finite), borne by
	// CostBearer[j].
	Cost []float64
	// Owner[j] is the firm that sets p_j and receives its revenue, in [0, F).
	Owner []int
	// Firms is F, the number of firms.
	Firms int
	// Nest[j] is product j's nest, in [0, len(Lambda)); nil when Lambda is
	// empty.
	Nest []int
	// Lambda[g] is nest g's dissimilarity parameter in (0, 1] (1 is
	// multinomial logit within the nest). Empty: every product is in one
	// nest of lambda 1, i.e. multinomial logit.
	Lambda []float64
	// CostBearer[j] is the firm that pays j's marginal cost (e.g. a lab that
	// serves the units a cloud resells); nil: the owner.
	CostBearer []int
	// Available[j] false withdraws product j from every cell (a
	// disagreement in bargaining, a product not launched); nil: all
	// available.
	Available []bool
	// Wedges, Fees and Interests are the financial interests.
	Wedges    []RevenueWedge
	Fees      []UnitFee
	Interests []ProfitInterest
}

// ObjectiveWeights is the general form of every firm's objective in a
// pricing game. Firm f maximises
//
//	Pi_f(p) = sum_j (R_fj p_j - K_fj) q_j(p),
//
// over its own products' prices, where q_j = sum_c w_c s_cj is product j's
// quantity (units of potential demand), R_fj (dimensionless) is the weight
// of j's revenue in f's objective and K_fj (US$ per unit) the cost per unit
// of j that f counts. Firm f's cash flow (its profit) has the same form with
// weights rho_fj and k_fj:
//
//	rho_fj = 1[Owner(j)=f] (1 - sum of active wedge rates on j)
//	         + sum of active wedge rates on j paid to f,
//	k_fj   = 1[CostBearer(j)=f] c_j + sum of fees on j paid by f
//	         - sum of fees on j paid to f,
//
// and its objective adds the profit interests it holds (O'Brien–Salop):
// R_fj = rho_fj + sum_g kappa_fg rho_gj, K_fj = k_fj + sum_g kappa_fg k_gj.
// So (a) a wedge tau that f pays on j is R_fj = 1 - tau; (b) a payee that
// internalises it has R_hj = tau; (c) a profit share kappa_fg adds kappa_fg
// times g's weights to f's; (d) a wedge past its cap adds nothing.
//
// Revenue and UnitCost are F×J, row-major (firm f, product j at f*J + j).
type ObjectiveWeights struct {
	Firms, Products int
	Revenue         []float64 // R_fj
	UnitCost        []float64 // K_fj, US$ per unit
}

// At returns R_fj and K_fj.
func (w *ObjectiveWeights) At(f, j int) (revenue, unitCost float64) {
	i := f*w.Products + j
	return w.Revenue[i], w.UnitCost[i]
}

func (w *ObjectiveWeights) resize(F, J int) {
	w.Firms, w.Products = F, J
	w.Revenue = grow(w.Revenue, F*J)
	w.UnitCost = grow(w.UnitCost, F*J)
	clear(w.Revenue)
	clear(w.UnitCost)
}

// PriceEquilibrium is what a Pricer writes: the prices and everything a
// caller needs at them. Its slices grow on first use and are reused, so a
// PriceEquilibrium kept across calls makes repeated solves allocation-free.
type PriceEquilibrium struct {
	// Prices[j], US$ per unit. A withdrawn product keeps its start price.
	Prices []float64
	// Quantity[j] = sum_c w_c s_cj, units of potential demand (shares when
	// the cell weights sum to 1); 0 for a withdrawn product.
	Quantity []float64
	// Outside = sum_c w_c s_c0, the outside good's quantity.
	Outside float64
	// CellShares[c*J + j] is s_cj, the share of cell c's potential demand
	// buying product j; CellOutside[c] its outside share.
	CellShares  []float64
	CellOutside []float64
	// CellSurplus[c] = w_c logsum_c / betaP_c, US$: cell c's consumer
	// surplus (up to an additive constant: report differences), with
	// logsum_c = ln(1 + sum_g exp(lambda_g IV_cg)) the nested-logit log-sum
	// including the outside good. ConsumerSurplus is their sum.
	CellSurplus     []float64
	ConsumerSurplus float64
	// Profits[f] is firm f's cash flow, US$: sum_j (rho_fj p_j - k_fj) q_j
	// (see ObjectiveWeights), before profit interests are paid out.
	Profits []float64
	// Objectives[f] is the value firm f maximises, US$: sum_j (R_fj p_j -
	// K_fj) q_j.
	Objectives []float64
	// Elasticity[j] is the own-price elasticity of q_j,
	// (p_j/q_j) dq_j/dp_j = -(p_j/q_j) sum_c w_c betaP_c s_cj
	// (1/lambda - (1/lambda - 1) s_cj|g - s_cj); 0 for a withdrawn product.
	Elasticity []float64
	// Spend = sum_j p_j q_j, US$ (what buyers pay); Costs = sum_j c_j q_j;
	// OutsidePayments = wedges and fees paid to NoFirm less fees paid by
	// NoFirm. Money is conserved: Spend = sum_f Profits[f] + Costs +
	// OutsidePayments.
	Spend, Costs, OutsidePayments float64
	// Residual is max_k |p_k - T_k(p)| / |p_k| over available products,
	// where T is the fixed-point map of Pricer.Solve: the first-order-
	// condition residual in price units relative to price.
	Residual float64
	// Iterations is the number of evaluations of the fixed-point map;
	// Damping the step factor in use at the end (1: the undamped ζ
	// iteration converged; less: the damped fallback was needed).
	Iterations int
	Damping    float64
	// Starts is the number of starting points tried (1: the first one
	// sufficed; see Pricer.Solve).
	Starts int
}

func (eq *PriceEquilibrium) resize(C, F, J int) {
	eq.Prices = grow(eq.Prices, J)
	eq.Quantity = grow(eq.Quantity, J)
	eq.CellShares = grow(eq.CellShares, C*J)
	eq.CellOutside = grow(eq.CellOutside, C)
	eq.CellSurplus = grow(eq.CellSurplus, C)
	eq.Profits = grow(eq.Profits, F)
	eq.Objectives = grow(eq.Objectives, F)
	eq.Elasticity = grow(eq.Elasticity, J)
}

// grow returns s with length n, reusing its storage when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// growMemo returns the argument and value slices of a memo with n slots,
// reusing their storage (a slot's argument and value stay a valid pair
// whatever slot it becomes); new slots hold NaN arguments, which match
// nothing.
func growMemo(in, out []float64, n int) ([]float64, []float64) {
	if cap(in) >= n && cap(out) >= n {
		return in[:n], out[:n]
	}
	in, out = make([]float64, n), make([]float64, n)
	for i := range in {
		in[i] = math.NaN()
	}
	return in, out
}

// memo returns f(x) from slot i of the memo (in, out), computing it when
// the slot's argument is not x.
func memo(in, out []float64, i int, x float64, f func(float64) float64) float64 {
	if in[i] == x {
		return out[i]
	}
	y := f(x)
	in[i], out[i] = x, y
	return y
}

// Pricer solves pricing games. Its zero value is ready to use, with the
// default tolerance and iteration cap; it keeps its buffers across calls,
// so repeated solves of problems of the same size allocate nothing. A
// Pricer is not safe for concurrent use: use one per goroutine.
type Pricer struct {
	// Tol is the tolerance on the residual relative to price (0: the
	// default DefaultPricingTol). Must not be negative.
	Tol float64
	// MaxIter caps the evaluations of the fixed-point map (0: the default
	// DefaultPricingMaxIter). Must not be negative.
	MaxIter int
	// NoAcceleration turns off the SQUAREM extrapolation of the fixed-point
	// iteration (the plain ζ iteration; same equilibrium, about twice the
	// evaluations).
	NoAcceleration bool

	cash, obj ObjectiveWeights
	avail     []bool
	nest      []int
	lambda    []float64 // per product: lambda of its nest
	nlam      []float64 // per nest, with a 1 for the default nest
	cond      []float64 // C×J conditional shares s_cj|g
	share     []float64 // C×J shares s_cj
	nshare    []float64 // C×G nest shares s_cg
	nmax      []float64 // C×G scratch: max of v/lambda, then IV
	outside   []float64 // C
	logsum    []float64 // C
	p, next   []float64 // J: current prices, T(p)
	best      []float64 // J: prices with the smallest residual of this start
	gbest     []float64 // J: prices with the smallest residual of the solve
	num, den  []float64 // J accumulators of the ζ map
	p0, p2    []float64 // J: the SQUAREM cycle's start and second iterate
	step0     []float64 // J: the plain iteration's last step T(p) - p
	// supMargin[i] is m_fj = R_fj p_j - K_fj of support entry i (product
	// j = support[i] of firm f), supNest[i] its nest; ownR[k] and
	// ownCfg[k] are product k's owner's revenue weight on it and the index
	// of its owner's nest sum in a cell's cfg (findSupport)
	supMargin, ownR []float64
	supNest, ownCfg []int
	live            []int // the available products, in order (findSupport)
	// support[supOff[f]:supOff[f+1]] are the products j, in order, with
	// R_fj or K_fj not 0: elsewhere m_fj is ±0 at any finite price, and a
	// term cond × ±0 leaves the sums of step as they are, bit for bit
	support, supOff []int
	cfg             []float64 // C×F×G: sum_{j in g} s_cj|g m_fj
	af              []float64 // C×F: sum_j s_cj m_fj
	owns            []bool    // F: the firm owns an available product
	// memos of shares' exponentials and logarithms, one slot per call
	// site (cell x product, cell x nest, cell): the last argument and its
	// value, so an evaluation that moves some utilities recomputes only
	// theirs (the values are bit for bit those of a fresh computation)
	expIn, expOut   []float64 // C×J
	powIn, powOut   []float64 // C×G: the nest sum to the power lambda_g (this setup's lambdas)
	nexpIn, nexpOut []float64 // C×G: exp(lambda_g mx_g - top)
	cellIn, cellOut []float64 // C×2: exp(-top), ln of the cell's sum
	// the price factors of shares (priceFactors): up to C groups of J,
	// group b of price coefficient gBeta[b] (ngroups in use at pr.p,
	// gOK[b] whether its factors are usable)
	pexpIn, pexpOut []float64
	gBeta           []float64
	gOK             []bool
	ngroups         int
	// the quality factors of shares (factoredCell): qf (C×J) and mq
	// (C×G) of cell c valid while qfOK[c] (set by its first evaluation
	// after a setup, cleared by setup and Requote)
	qf, mq []float64
	qfOK   []bool
	// qlist[c*J:c*J+qn[c]] are the products with a quality factor in
	// cell c (available, in its reach), as of qfOK[c]
	qlist, qn []int
	availQF   []bool // J: the available products the quality factors are of
	// cellsFixed, set by NashInNash for its solves after a Solve's first,
	// says that prob.Cells is the slice of the last setup (cells0, ncells
	// cells) with the same contents: setup keeps what it derived from the
	// cells alone (twins, reach, the cells' validation, the quality
	// factors while the available products are the same)
	cellsFixed bool
	cells0     *DemandCell
	ncells     int
	reach      []bool          // J: a cell of the last setup can reach the product
	prepared   *PricingProblem // the problem of the last setup
	// twin[c] is an earlier cell with cell c's BetaP and qualities at the
	// last setup (-1: none), whose shares shares copies into c's while
	// they stay equal (equal inputs, equal shares, bit for bit)
	twin    []int
	cellKey []uint64  // C: setup's cellKey of each cell (scratch of setup)
	copied  []bool    // C: shares copied cell c's from its twin at pr.p
	qty     []float64 // J: RequoteObjective's quantities
	noTwins bool      // tests: every cell's shares computed, none copied
	// merged is set during solve's iterations: a twin cell (twin >= 0) is
	// then not evaluated at all, and its root (an earlier cell without
	// twin) enters the fixed-point map's sums with the weight of its whole
	// family, mergedW (the sums are linear in a cell's weight, so this is
	// the map of the unmerged cells up to rounding; TestTwinCellsMerged).
	// Before it fills an equilibrium, solve clears merged and copies the
	// twins' shares (twinShares). Owner: solve; the weights are those of
	// the problem at solve's start (a solve does not change them).
	merged   bool
	mergedW  []float64 // C: a root's family weight; 0 for a twin (also ShiftObjective's, of its call)
	noMerged bool      // tests: solve evaluates every cell at its own weight
	// tests: shares takes every cell's exponentials whole (exactCell),
	// none factored
	noFactored bool
	lamRatio   []float64 // J: (1 - lambda_k)/lambda_k
	// quoted says that the shares are those of the last Evaluate or
	// Requote of the prepared problem (ShiftObjective's base); setup,
	// requoteShares and solve clear it
	quoted              bool
	shiftMoved          []bool    // J: ShiftObjective's moved products
	shiftF, shiftSig    []float64 // G: exp(x/lambda_g); the moved products' conditional share
	shiftRest, shiftRho []float64 // G: the others'; the nest's sum relative to the base's
	shiftPG             []float64 // G: the nest's unnormalised share after the move
	// shiftIn, shiftOut memo ShiftObjective's s_g rho_g^lambda_g per cell
	// and nest (C×G) by rho_g: a nest the move does not reach (no moved
	// product with a share there) has the same rho_g in every call on one
	// base, and so the same value, bit for bit. Owner: ShiftObjective;
	// shiftNew (set with quoted by Evaluate, Quote and Requote: a new base,
	// new s_g) empties every slot before the next call reads one.
	shiftIn, shiftOut []float64
	shiftNew          bool

	// Anderson acceleration's history (anderson): andersonDepth+1 slots of
	// steps and images, an iterates stored so far in this run of it, aRes
	// the residual at its last step
	aF, aG     []float64 // slots of f_i = T(x_i) - x_i and g_i = T(x_i)
	aD         []float64 // andersonDepth×J: the differences of successive f
	aW         []float64 // J: 1/p², the weights of the least squares
	an         int
	aRes       float64
	noAnderson bool // tests: the SQUAREM cycles of the solver before

	// State of the iteration.
	res               float64 // residual at p
	ok                bool    // the map could be evaluated at p
	it, sinceBest     int     // evaluations; evaluations since a new best
	bestRes, gbestRes float64 // residuals at best and gbest
}

// Solve finds the Bertrand–Nash equilibrium of prob and writes it into eq.
// start, if not nil, is the first starting point (length J; it may be
// eq.Prices, to warm-start from the last solution). The built-in starting
// points, tried after it or from the first if start is nil, put every
// product at p_k = (K_fk + m R_fk/betaH)/R_fk with betaH the weighted
// harmonic mean of the cells' betaP and m = 1, 1/2, 3 (a one-product logit
// markup at a small share, then a low and a high one).
//
// # First-order conditions
//
// With the objective of ObjectiveWeights and m_fj = R_fj p_j - K_fj (the
// margin of j counted by f), firm f's condition for each product k it owns
// is
//
//	dPi_f/dp_k = R_fk q_k + sum_j (dq_j/dp_k) m_fj = 0.
//
// Under nested logit with an outside good, with s_j|g product j's share
// within its nest g and s_g the nest's share, cell c's share derivatives
// are
//
//	ds_cj/dp_k = -betaP_c s_cj (1[j=k]/lambda_g
//	             + (1 - 1/lambda_g) s_ck|g 1[g(j)=g(k)] - s_ck),
//
// which Morrow and Skerlos (2011) split as dq/dp = Λ - Γ with the diagonal
// Λ_kk = -sum_c w_c betaP_c s_ck / lambda_k and Γ the rest. The condition
// then reads Λ_kk m_fk = Σ_j Γ_jk m_fj - R_fk q_k, i.e.
//
//	p_k = T_k(p) = (K_fk + ζ_k(p)) / R_fk,
//	ζ_k = Λ_kk⁻¹ (Σ_j Γ_jk m_fj - R_fk q_k),
//
// which is the Morrow–Skerlos fixed point p = c + ζ(p) generalised to the
// weights: it is that when R_fk = 1 and K_fk = c_k on own products and 0
// elsewhere. Summing the nested-logit Γ by nest, with C_cfg = sum_{j in g}
// s_cj|g m_fj and A_cf = sum_j s_cj m_fj,
//
//	ζ_k = lambda_k (Σ_c w_c betaP_c s_ck ((1-lambda_k)/lambda_k C_cfg(k) + A_cf)
//	      + R_fk q_k) / Σ_c w_c betaP_c s_ck,
//
// which is (1-lambda) C + lambda A + lambda R/betaP for one cell: O(F·J)
// per cell and iteration, never a J×J Jacobian. A fixed point of T is a
// zero of every firm's gradient, since dPi_f/dp_k = Λ_kk R_fk (p_k -
// T_k(p)) and Λ_kk R_fk < 0; Residual is therefore the first-order-
// condition residual in price units, and FOCResidual computes the same from
// the full Jacobian as a check. For one-product firms without interests it
// gives p - c = 1/(betaP (1 - s)) (multinomial logit), p = c/(1 - tau) +
// 1/(betaP (1 - s)) with a wedge tau, and under multinomial logit a firm's
// common markup 1/(betaP (1 - Σ_own s)).
//
// # Iteration
//
// From each starting point the solver iterates T, accelerated by Anderson
// mixing of the last andersonDepth steps (Walker and Ni 2011; it replaced
// SQUAREM, Varadhan and Roland 2008, which needed about a quarter more
// evaluations: TestAndersonAgreesWithSquarem) unless NoAcceleration is set,
// in which case
// it is p ← p + ω (T(p) - p) with ω = 1/2 once successive steps keep
// pointing in opposite directions. Whenever the residual makes no new best
// in 50 evaluations (a cycle, a divergence, a stall), or the demand cannot
// be evaluated (an overflow, a product priced out of every cell), it
// returns to the best prices of this start and halves ω, iterating without
// acceleration (the damped fallback); when that has failed at ω = 1/4 it
// moves to the next starting point (the last one keeps halving). It stops
// when every available product has |p_k - T_k(p)| <= Tol |p_k|; eq then
// holds that p. After MaxIter evaluations in all without that, eq holds
// the best prices found and Solve returns an error wrapping
// ErrNoEquilibrium (never a silent result). Invalid problems return an
// error wrapping ErrInvalidArgument before any iteration.
//
// # What a solution is
//
// A fixed point of T is a zero of every firm's gradient. It is a
// Bertrand–Nash equilibrium when each firm's objective is quasi-concave in
// its own prices, as it is for one demand cell under multinomial and
// nested logit without interests (Gallego and Wang 2014). With several
// cells whose betaP differ a lot and strong nesting (lambda <= 0.2), a
// firm's objective can have two local maxima (a high price for the
// price-insensitive cell, a low one for the others): a pure-strategy
// equilibrium may then not exist (Solve reports ErrNoEquilibrium), Solve
// may fail to find one that exists, and a zero of the gradients need not
// be an equilibrium. In random games of 2–3 products and two cells with
// betaP ratios up to 20, about 1 solve in 10,000 with lambda in [0.1, 1]
// reported ErrNoEquilibrium (half of them games whose best responses
// cycle), none with lambda in [0.7, 1].
//
// Allocation: none once the Pricer's and eq's buffers have the problem's
// size (apart from the error values of failures).
func (pr *Pricer) Solve(prob *PricingProblem, start []float64, eq *PriceEquilibrium) error {
	if err := pr.setup(prob, -1); err != nil {
		return err
	}
	return pr.solve(prob, start, eq)
}

// SolveWithout is Solve with product j withdrawn in addition to those that
// prob.Available withdraws (prob is not modified): the disagreement point
// of a bargain over j, with the other products' prices re-solved.
func (pr *Pricer) SolveWithout(prob *PricingProblem, j int, start []float64, eq *PriceEquilibrium) error {
	if j < 0 || j >= len(prob.Owner) {
		return invalid("Pricer.SolveWithout: product %d outside [0,%d)", j, len(prob.Owner))
	}
	if err := pr.setup(prob, j); err != nil {
		return err
	}
	return pr.solve(prob, start, eq)
}

// SolveWeights is Solve with firms' objectives given directly as weights
// (for objectives the interests of PricingProblem do not express, such as
// control-weighted O'Brien–Salop objectives): prob supplies demand, costs,
// ownership and the cash flows (Profits); obj, of size F×J, replaces the
// objectives built from prob's interests. Each owner's revenue weight on
// its own available products must be positive and every weight finite.
func (pr *Pricer) SolveWeights(prob *PricingProblem, obj *ObjectiveWeights, start []float64, eq *PriceEquilibrium) error {
	if err := pr.setup(prob, -1); err != nil {
		return err
	}
	F, J := prob.Firms, len(prob.Owner)
	if obj == nil || obj.Firms != F || obj.Products != J || len(obj.Revenue) != F*J || len(obj.UnitCost) != F*J {
		return invalid("Pricer.SolveWeights: weights must be %d firms × %d products", F, J)
	}
	for i := range obj.Revenue {
		if !finite(obj.Revenue[i], obj.UnitCost[i]) {
			return invalid("Pricer.SolveWeights: weight of firm %d on product %d is not finite", i/J, i%J)
		}
	}
	for k, f := range prob.Owner {
		if pr.avail[k] && !(obj.Revenue[f*J+k] > 0) {
			return invalid("Pricer.SolveWeights: firm %d's revenue weight on its product %d is %g, want > 0", f, k, obj.Revenue[f*J+k])
		}
	}
	copy(pr.obj.Revenue, obj.Revenue)
	copy(pr.obj.UnitCost, obj.UnitCost)
	pr.findSupport(prob)
	return pr.solve(prob, start, eq)
}

// Evaluate writes into eq the demand, surplus, profits, objectives and
// residual of prob at the given prices (length J), without solving: the
// payoffs of a candidate in a bargaining layer, or a check. Iterations is 0.
func (pr *Pricer) Evaluate(prob *PricingProblem, prices []float64, eq *PriceEquilibrium) error {
	if err := pr.setup(prob, -1); err != nil {
		return err
	}
	J := len(prob.Owner)
	if len(prices) != J {
		return invalid("Pricer.Evaluate: len(prices)=%d, want %d", len(prices), J)
	}
	for j, x := range prices {
		if !finite(x) {
			return invalid("Pricer.Evaluate: price %d is %g", j, x)
		}
	}
	copy(pr.p, prices)
	res, ok := pr.step(prob)
	if !ok {
		return invalid("Pricer.Evaluate: demand overflows at these prices")
	}
	pr.fill(prob, eq, res, 0, 1, 0)
	pr.quoted, pr.shiftNew = true, true
	return nil
}

// Quote is Evaluate without the first-order-condition residual
// (eq.Residual is NaN): Requote of a problem it first prepares, so it
// skips the fixed-point map, and errs where Requote does (not where only
// the map would overflow). It is a base for ShiftObjective, as Evaluate is.
func (pr *Pricer) Quote(prob *PricingProblem, prices []float64, eq *PriceEquilibrium) error {
	if err := pr.setup(prob, -1); err != nil {
		return err
	}
	return pr.Requote(prob, prices, eq)
}

// Requote is Evaluate at new cell qualities or weights of the problem of
// the Pricer's last call, without the first-order-condition residual
// (eq.Residual is NaN): the payoffs of finite differences in quality.
// prob must be that problem, changed since only in its cells' Quality
// (finite where they were finite) and Weight; Requote does not validate it
// or build its weights again, and reports ErrInvalidArgument for another
// problem or a failed last call. It recomputes only the exponentials of
// the utilities that moved, so payoffs cost a fraction of Evaluate's. It
// errs, as Evaluate does, where the demand overflows or an available
// product has no demand in any cell (not where only the fixed-point map
// would overflow: it does not compute it).
func (pr *Pricer) Requote(prob *PricingProblem, prices []float64, eq *PriceEquilibrium) error {
	if err := pr.requoteShares(prob, prices); err != nil {
		return err
	}
	pr.fill(prob, eq, math.NaN(), 0, 1, 0)
	pr.quoted, pr.shiftNew = true, true
	return nil
}

// requoteShares is Requote up to its fill: the checks and the shares at
// prices.
func (pr *Pricer) requoteShares(prob *PricingProblem, prices []float64) error {
	pr.quoted = false
	J := len(prob.Owner)
	if prob != pr.prepared || len(pr.p) != J || len(pr.share) != len(prob.Cells)*J {
		return invalid("Pricer.Requote: not the problem of the last call")
	}
	if len(prices) != J {
		return invalid("Pricer.Requote: len(prices)=%d, want %d", len(prices), J)
	}
	for j, x := range prices {
		if !finite(x) {
			return invalid("Pricer.Requote: price %d is %g", j, x)
		}
	}
	for c := range prob.Cells {
		if w := prob.Cells[c].Weight; !(w >= 0) || !finite(w) {
			return invalid("Pricer.Requote: cell %d weight %g, want finite >= 0", c, w)
		}
	}
	copy(pr.p, prices)
	if !pr.shares(prob, true) {
		return invalid("Pricer.Requote: demand overflows at these prices")
	}
	// the fixed-point map's own failure (step): no demand anywhere
	for k := range J {
		if !pr.avail[k] {
			continue
		}
		den := 0.0
		for c := range prob.Cells {
			cell := &prob.Cells[c]
			den += cell.Weight * cell.BetaP * pr.share[c*J+k]
		}
		if den == 0 {
			return invalid("Pricer.Requote: demand overflows at these prices")
		}
	}
	return nil
}

// RequoteObjective is firm f's objective (eq.Objectives[f]) of Requote
// at the same arguments, bit for bit, without writing an equilibrium: the
// payoff of a finite difference for one firm (what Requote's fill adds
// besides, the other firms' payoffs, elasticities and surplus, is most of
// its cost). It errs where Requote does, and for f outside [0, F).
func (pr *Pricer) RequoteObjective(prob *PricingProblem, prices []float64, f int) (float64, error) {
	if err := pr.requoteShares(prob, prices); err != nil {
		return 0, err
	}
	J, C := len(prob.Owner), len(prob.Cells)
	if f < 0 || f >= prob.Firms {
		return 0, invalid("Pricer.RequoteObjective: firm %d outside [0,%d)", f, prob.Firms)
	}
	// the quantities and the objective as fill sums them
	q := pr.qty[:J]
	clear(q)
	for c := range C {
		w := prob.Cells[c].Weight
		s := pr.share[c*J : (c+1)*J]
		for j := range J {
			q[j] += w * s[j]
		}
	}
	var obj float64
	for j := range J {
		if q[j] == 0 {
			continue
		}
		i := f*J + j
		obj += (pr.obj.Revenue[i]*pr.p[j] - pr.obj.UnitCost[i]) * q[j]
	}
	return obj, nil
}

// ShiftObjective is firm f's objective at the prices of the Pricer's last
// Evaluate or Requote of prob (which it needs: ErrInvalidArgument
// otherwise) after the qualities of the products in moved rise by x in
// every cell: RequoteObjective of the moved problem, in closed form from
// that call's shares, and without changing the Pricer's state or prob. In
// nest g of a cell, with sigma the moved products' conditional share and
// rest the others' (summed, not 1 - sigma), the nest's sum becomes rho =
// rest + F sigma times the base's, F = exp(x/lambda_g), so its share
// becomes proportional to P(g) rho^lambda_g (the outside good's stays
// proportional to its own), and a product's conditional share is its base
// share (times F if it moved) over rho. Mathematically RequoteObjective's
// value, equal to it up to rounding (TestShiftObjectiveIsRequote), with two
// logarithm-exponential pairs per nest and cell instead of a nested logit
// per cell, and none for a cell that the base copied from its twin (the
// twin counts its weight). It errs where a nest's sum or share leaves the finite
// positives (an overflowing shift), for x not finite, and for a product or
// f out of range.
func (pr *Pricer) ShiftObjective(prob *PricingProblem, moved []int, x float64, f int) (float64, error) {
	J, C, G := len(prob.Owner), len(prob.Cells), len(pr.nlam)
	if !pr.quoted || prob != pr.prepared || len(pr.share) != C*J {
		return 0, invalid("Pricer.ShiftObjective: not the problem of the last Evaluate or Requote")
	}
	if f < 0 || f >= prob.Firms {
		return 0, invalid("Pricer.ShiftObjective: firm %d outside [0,%d)", f, prob.Firms)
	}
	if !finite(x) {
		return 0, invalid("Pricer.ShiftObjective: shift %g", x)
	}
	pr.shiftMoved = grow(pr.shiftMoved, J)
	mv := pr.shiftMoved
	clear(mv)
	for _, j := range moved {
		if j < 0 || j >= J {
			return 0, invalid("Pricer.ShiftObjective: product %d outside [0,%d)", j, J)
		}
		mv[j] = true
	}
	pr.shiftF, pr.shiftSig = grow(pr.shiftF, G), grow(pr.shiftSig, G)
	pr.shiftRest, pr.shiftRho, pr.shiftPG = grow(pr.shiftRest, G), grow(pr.shiftRho, G), grow(pr.shiftPG, G)
	F, sig, rest, rho, pg := pr.shiftF, pr.shiftSig, pr.shiftRest, pr.shiftRho, pr.shiftPG
	if pr.shiftNew || len(pr.shiftIn) != C*G {
		// a new base: its nest shares differ, so no slot holds
		pr.shiftIn, pr.shiftOut = growMemo(pr.shiftIn, pr.shiftOut, C*G)
		for i := range pr.shiftIn {
			pr.shiftIn[i] = math.NaN()
		}
		pr.shiftNew = false
	}
	for g := range G {
		F[g] = math.Exp(x / pr.nlam[g])
	}
	sup := pr.support[pr.supOff[f]:pr.supOff[f+1]]
	q := pr.qty[:J]
	clear(q)
	// a cell whose shares the base copied from its twin has that twin's
	// moved shares too: the twin counts it in its weight (mergedW)
	fw := pr.mergedW[:C]
	for c := range C {
		fw[c] = 0
		if !pr.copied[c] {
			fw[c] = prob.Cells[c].Weight
		}
	}
	for c := range C {
		if pr.copied[c] {
			fw[pr.twin[c]] += prob.Cells[c].Weight
		}
	}
	for c := range C {
		w := fw[c]
		if w == 0 {
			continue // a twin, or its terms in q are ±0
		}
		cond := pr.cond[c*J : (c+1)*J]
		ns := pr.nshare[c*G : (c+1)*G]
		clear(sig)
		clear(rest)
		for j, s := range cond {
			if mv[j] {
				sig[pr.nest[j]] += s
			} else {
				rest[pr.nest[j]] += s
			}
		}
		den := pr.outside[c]
		for g := range G {
			pg[g] = 0
			if ns[g] == 0 {
				continue // a nest without demand keeps none
			}
			r := rest[g] + F[g]*sig[g]
			rho[g] = r
			if i := c*G + g; pr.shiftIn[i] == r {
				pg[g] = pr.shiftOut[i] // a nest the move leaves as it was (its sigma 0)
			} else {
				pg[g] = ns[g] * math.Pow(r, pr.nlam[g]) // a square root at lambda 1/2
				pr.shiftIn[i], pr.shiftOut[i] = r, pg[g]
			}
			if !(r > 0) || !(pg[g] > 0) || math.IsInf(pg[g], 1) {
				return 0, invalid("Pricer.ShiftObjective: nest %d of cell %d overflows at shift %g", g, c, x)
			}
			den += pg[g]
		}
		if math.IsInf(den, 1) {
			return 0, invalid("Pricer.ShiftObjective: cell %d overflows at shift %g", c, x)
		}
		for _, j := range sup {
			if cond[j] == 0 {
				continue
			}
			g := pr.nest[j]
			s := cond[j] / rho[g] * (pg[g] / den)
			if mv[j] {
				s *= F[g]
			}
			q[j] += w * s
		}
	}
	var obj float64
	for _, j := range sup {
		if q[j] == 0 {
			continue
		}
		i := f*J + j
		obj += (pr.obj.Revenue[i]*pr.p[j] - pr.obj.UnitCost[i]) * q[j]
	}
	return obj, nil
}

// FOCResidual writes into out[k] (length J) the first-order-condition
// residual of prob at prices for product k in price units,
// (dPi_f/dp_k) / (Λ_kk R_fk) with f = Owner(k) and the gradient from the
// full J×J share Jacobian (not the ζ map Solve uses), and returns
// max_k |out[k]|/|p_k| over available products; withdrawn products get 0.
// It is the check of Solve's result (check mode), O(C·J²).
func (pr *Pricer) FOCResidual(prob *PricingProblem, prices, out []float64) (float64, error) {
	if err := pr.setup(prob, -1); err != nil {
		return 0, err
	}
	J := len(prob.Owner)
	if len(prices) != J || len(out) < J {
		return 0, invalid("FOCResidual: len(prices)=%d, len(out)=%d, want %d", len(prices), len(out), J)
	}
	for j, x := range prices {
		if !finite(x) {
			return 0, invalid("FOCResidual: price %d is %g", j, x)
		}
	}
	copy(pr.p, prices)
	if !pr.shares(prob, false) {
		return 0, invalid("FOCResidual: demand overflows at these prices")
	}
	C := len(prob.Cells)
	R, K := pr.obj.Revenue, pr.obj.UnitCost
	worst := 0.0
	for k := range J {
		out[k] = 0
		if !pr.avail[k] {
			continue
		}
		f := prob.Owner[k]
		var grad, diag float64
		for c := range C {
			cell := &prob.Cells[c]
			s := pr.share[c*J : (c+1)*J]
			cond := pr.cond[c*J : (c+1)*J]
			b, w := cell.BetaP, cell.Weight
			grad += w * R[f*J+k] * s[k]
			for j := range J {
				if s[j] == 0 {
					continue
				}
				d := -s[k]
				if pr.nest[j] == pr.nest[k] {
					d += (1 - 1/pr.lambda[k]) * cond[k]
				}
				if j == k {
					d += 1 / pr.lambda[k]
				}
				grad += w * (-b * s[j] * d) * (R[f*J+j]*pr.p[j] - K[f*J+j])
			}
			diag -= w * b * s[k] / pr.lambda[k]
		}
		if diag == 0 {
			continue // no demand anywhere: no condition
		}
		out[k] = grad / (diag * R[f*J+k])
		if r := math.Abs(out[k]) / math.Max(math.Abs(pr.p[k]), tiny); r > worst {
			worst = r
		}
	}
	return worst, nil
}

// tiny floors |p| in the relative residual.
const tiny = 1e-12

// stallIter is the number of iterations without a new smallest residual
// after which Solve returns to the best prices and halves its step. The
// residual of the undamped iteration is not monotone (a product with a
// small share can jump before settling), so the trigger is a stall, not a
// single rise.
const stallIter = 50

// Weights validates prob and writes firms' cash-flow weights (rho, k) into
// cash and their objective weights (R, K) into obj, as ObjectiveWeights
// defines them. Buffers are reused. Errors wrap ErrInvalidArgument.
func (prob *PricingProblem) Weights(cash, obj *ObjectiveWeights) error {
	return prob.weights(cash, obj, false)
}

// weights is Weights, without validating the cells again when cellsValid
// (a setup with cellsFixed).
func (prob *PricingProblem) weights(cash, obj *ObjectiveWeights, cellsValid bool) error {
	if err := prob.validateAll(!cellsValid); err != nil {
		return err
	}
	F, J := prob.Firms, len(prob.Owner)
	cash.resize(F, J)
	obj.resize(F, J)
	for j, f := range prob.Owner {
		cash.Revenue[f*J+j] += 1
		b := f
		if prob.CostBearer != nil {
			b = prob.CostBearer[j]
		}
		cash.UnitCost[b*J+j] += prob.Cost[j]
	}
	for _, w := range prob.Wedges {
		if w.CapReached || w.Rate == 0 {
			continue
		}
		j := w.Product
		cash.Revenue[prob.Owner[j]*J+j] -= w.Rate
		if w.Payee != NoFirm {
			cash.Revenue[w.Payee*J+j] += w.Rate
		}
	}
	for _, u := range prob.Fees {
		j := u.Product
		if u.Payer != NoFirm {
			cash.UnitCost[u.Payer*J+j] += u.Amount
		}
		if u.Payee != NoFirm {
			cash.UnitCost[u.Payee*J+j] -= u.Amount
		}
	}
	copy(obj.Revenue, cash.Revenue)
	copy(obj.UnitCost, cash.UnitCost)
	for _, in := range prob.Interests {
		h, g := in.Holder*J, in.Firm*J
		for j := range J {
			obj.Revenue[h+j] += in.Share * cash.Revenue[g+j]
			obj.UnitCost[h+j] += in.Share * cash.UnitCost[g+j]
		}
	}
	return nil
}

// validate checks prob against the documented domains.
func (prob *PricingProblem) validate() error { return prob.validateAll(true) }

// validateAll is validate, the demand cells included when cells is true.
func (prob *PricingProblem) validateAll(cells bool) error {
	if prob == nil {
		return invalid("PricingProblem: nil")
	}
	J, F, G := len(prob.Owner), prob.Firms, len(prob.Lambda)
	if F < 0 || (J > 0 && F == 0) {
		return invalid("PricingProblem: Firms=%d with %d products", F, J)
	}
	if len(prob.Cost) != J {
		return invalid("PricingProblem: len(Cost)=%d, want len(Owner)=%d", len(prob.Cost), J)
	}
	if len(prob.Cells) == 0 {
		return invalid("PricingProblem: no demand cells")
	}
	total := 0.0
	for c := range prob.Cells {
		if !cells {
			total = 1
			break
		}
		cell := &prob.Cells[c]
		if !(cell.Weight >= 0) || !finite(cell.Weight) {
			return invalid("PricingProblem: cell %d weight %g, want finite >= 0", c, cell.Weight)
		}
		if !(cell.BetaP > 0) || !finite(cell.BetaP) {
			return invalid("PricingProblem: cell %d BetaP %g, want finite > 0 (utils per US$)", c, cell.BetaP)
		}
		if len(cell.Quality) != J {
			return invalid("PricingProblem: cell %d has %d qualities, want %d", c, len(cell.Quality), J)
		}
		for j, a := range cell.Quality {
			if math.IsNaN(a) || math.IsInf(a, 1) {
				return invalid("PricingProblem: cell %d quality of product %d is %g", c, j, a)
			}
		}
		total += cell.Weight
	}
	if !(total > 0) {
		return invalid("PricingProblem: cell weights sum to %g, want > 0", total)
	}
	for g, l := range prob.Lambda {
		if !(l > 0 && l <= 1) {
			return invalid("PricingProblem: Lambda[%d]=%g outside (0,1]", g, l)
		}
	}
	switch {
	case G == 0 && prob.Nest != nil:
		return invalid("PricingProblem: Nest given without Lambda")
	case G > 0 && len(prob.Nest) != J:
		return invalid("PricingProblem: len(Nest)=%d, want %d", len(prob.Nest), J)
	}
	for j := range J {
		if !finite(prob.Cost[j]) {
			return invalid("PricingProblem: Cost[%d]=%g", j, prob.Cost[j])
		}
		if f := prob.Owner[j]; f < 0 || f >= F {
			return invalid("PricingProblem: Owner[%d]=%d outside [0,%d)", j, f, F)
		}
		if G > 0 {
			if g := prob.Nest[j]; g < 0 || g >= G {
				return invalid("PricingProblem: Nest[%d]=%d outside [0,%d)", j, g, G)
			}
		}
	}
	if prob.CostBearer != nil {
		if len(prob.CostBearer) != J {
			return invalid("PricingProblem: len(CostBearer)=%d, want %d", len(prob.CostBearer), J)
		}
		for j, b := range prob.CostBearer {
			if b < 0 || b >= F {
				return invalid("PricingProblem: CostBearer[%d]=%d outside [0,%d)", j, b, F)
			}
		}
	}
	if prob.Available != nil && len(prob.Available) != J {
		return invalid("PricingProblem: len(Available)=%d, want %d", len(prob.Available), J)
	}
	firm := func(f int) bool { return f == NoFirm || (f >= 0 && f < F) }
	for i, w := range prob.Wedges {
		if w.Product < 0 || w.Product >= J {
			return invalid("PricingProblem: wedge %d on product %d outside [0,%d)", i, w.Product, J)
		}
		if !(w.Rate >= 0 && w.Rate < 1) {
			return invalid("PricingProblem: wedge %d rate %g outside [0,1)", i, w.Rate)
		}
		if !firm(w.Payee) || w.Payee == prob.Owner[w.Product] {
			return invalid("PricingProblem: wedge %d payee %d: want another firm than the payer %d, or NoFirm", i, w.Payee, prob.Owner[w.Product])
		}
	}
	for j := range J {
		sum := 0.0
		for _, w := range prob.Wedges {
			if w.Product == j && !w.CapReached {
				sum += w.Rate
			}
		}
		if sum >= 1 {
			return invalid("PricingProblem: active wedge rates on product %d sum to %g, want < 1", j, sum)
		}
	}
	for i, u := range prob.Fees {
		if u.Product < 0 || u.Product >= J {
			return invalid("PricingProblem: fee %d on product %d outside [0,%d)", i, u.Product, J)
		}
		if !finite(u.Amount) {
			return invalid("PricingProblem: fee %d amount %g", i, u.Amount)
		}
		if !firm(u.Payer) || !firm(u.Payee) || u.Payer == u.Payee {
			return invalid("PricingProblem: fee %d from %d to %d: want two different firms or NoFirm", i, u.Payer, u.Payee)
		}
	}
	for i, in := range prob.Interests {
		if in.Holder < 0 || in.Holder >= F || in.Firm < 0 || in.Firm >= F || in.Holder == in.Firm {
			return invalid("PricingProblem: interest %d of firm %d in firm %d: want two different firms in [0,%d)", i, in.Holder, in.Firm, F)
		}
		if !(in.Share >= 0 && in.Share <= 1) {
			return invalid("PricingProblem: interest %d share %g outside [0,1]", i, in.Share)
		}
	}
	return nil
}

// setup validates the solver settings and prob, builds the weights and
// sizes the buffers for prob, with product without (if >= 0) withdrawn too.
// A product whose quality is -Inf in every cell counts as withdrawn.
func (pr *Pricer) setup(prob *PricingProblem, without int) error {
	pr.prepared = nil
	pr.quoted = false
	if math.IsNaN(pr.Tol) || pr.Tol < 0 || math.IsInf(pr.Tol, 0) || pr.MaxIter < 0 {
		return invalid("Pricer: Tol=%g, MaxIter=%d, want Tol >= 0 finite and MaxIter >= 0", pr.Tol, pr.MaxIter)
	}
	// the cells of the last setup, unchanged (cellsFixed): what setup
	// derives from them alone is kept
	fixed := pr.cellsFixed && len(prob.Cells) > 0 && &prob.Cells[0] == pr.cells0 &&
		len(prob.Cells) == pr.ncells && len(pr.reach) == len(prob.Owner)
	pr.cells0 = nil
	if err := prob.weights(&pr.cash, &pr.obj, fixed); err != nil {
		return err
	}
	J, F, C := len(prob.Owner), prob.Firms, len(prob.Cells)
	G := max(len(prob.Lambda), 1)
	pr.avail = grow(pr.avail, J)
	pr.nest = grow(pr.nest, J)
	pr.lambda = grow(pr.lambda, J)
	pr.nlam = grow(pr.nlam, G)
	pr.cond = grow(pr.cond, C*J)
	pr.share = grow(pr.share, C*J)
	pr.nshare = grow(pr.nshare, C*G)
	pr.nmax = grow(pr.nmax, C*G)
	pr.outside = grow(pr.outside, C)
	pr.logsum = grow(pr.logsum, C)
	pr.p = grow(pr.p, J)
	pr.next = grow(pr.next, J)
	pr.best = grow(pr.best, J)
	pr.gbest = grow(pr.gbest, J)
	pr.p0 = grow(pr.p0, J)
	pr.p2 = grow(pr.p2, J)
	pr.step0 = grow(pr.step0, J)
	pr.num = grow(pr.num, J)
	pr.den = grow(pr.den, J)
	pr.cfg = grow(pr.cfg, C*F*G)
	pr.af = grow(pr.af, C*F)
	pr.owns = grow(pr.owns, F)
	pr.expIn, pr.expOut = growMemo(pr.expIn, pr.expOut, C*J)
	// the powers' memo holds ns^lambda of this setup's lambdas only
	pr.powIn, pr.powOut = growMemo(pr.powIn, pr.powOut, C*G)
	if !fixed {
		for i := range pr.powIn {
			pr.powIn[i] = math.NaN()
		}
	}
	pr.nexpIn, pr.nexpOut = growMemo(pr.nexpIn, pr.nexpOut, C*G)
	pr.cellIn, pr.cellOut = growMemo(pr.cellIn, pr.cellOut, 2*C)
	pr.pexpIn, pr.pexpOut = growMemo(pr.pexpIn, pr.pexpOut, C*J)
	pr.gBeta = grow(pr.gBeta, C)
	pr.gOK = grow(pr.gOK, C)
	pr.qf = grow(pr.qf, C*J)
	pr.mq = grow(pr.mq, C*G)
	pr.qfOK = grow(pr.qfOK, C)
	pr.qlist = grow(pr.qlist, C*J)
	pr.qn = grow(pr.qn, C)
	pr.prepared = prob
	pr.twin = grow(pr.twin, C)
	pr.copied = grow(pr.copied, C)
	pr.qty = grow(pr.qty, J)
	pr.mergedW = grow(pr.mergedW, C)
	pr.lamRatio = grow(pr.lamRatio, J)
	pr.cellKey = grow(pr.cellKey, C)
	pr.reach = grow(pr.reach, J)
	if !fixed {
		for c := range prob.Cells {
			pr.cellKey[c] = cellKey(&prob.Cells[c])
		}
		for c := range prob.Cells {
			pr.twin[c] = -1
			for t := range c {
				if pr.twin[t] < 0 && !pr.noTwins && pr.cellKey[t] == pr.cellKey[c] && sameCell(&prob.Cells[c], &prob.Cells[t]) {
					pr.twin[c] = t
					break
				}
			}
		}
		for j := range J {
			pr.reach[j] = false
			for c := range prob.Cells {
				if !math.IsInf(prob.Cells[c].Quality[j], -1) {
					pr.reach[j] = true
					break
				}
			}
		}
	}
	if len(prob.Lambda) == 0 {
		pr.nlam[0] = 1
	} else {
		copy(pr.nlam, prob.Lambda)
	}
	for j := range J {
		pr.avail[j] = (prob.Available == nil || prob.Available[j]) && pr.reach[j]
		g := 0
		if len(prob.Lambda) > 0 {
			g = prob.Nest[j]
		}
		pr.nest[j] = g
		pr.lambda[j] = pr.nlam[g]
		pr.lamRatio[j] = (1 - pr.lambda[j]) / pr.lambda[j]
	}
	if without >= 0 && without < J {
		pr.avail[without] = false
	}
	// the quality factors of shares hold while the cells and the
	// available products are those they were computed for
	pr.availQF = grow(pr.availQF, J)
	if !fixed || !slices.Equal(pr.avail, pr.availQF) {
		clear(pr.qfOK)
		copy(pr.availQF, pr.avail)
	}
	pr.findSupport(prob)
	pr.cells0, pr.ncells = &prob.Cells[0], C
	return nil
}

// solve runs the iteration of Solve on the prepared buffers and weights.
func (pr *Pricer) solve(prob *PricingProblem, start []float64, eq *PriceEquilibrium) error {
	J := len(prob.Owner)
	tol := pr.Tol
	if tol == 0 {
		tol = DefaultPricingTol
	}
	maxIter := pr.MaxIter
	if maxIter == 0 {
		maxIter = DefaultPricingMaxIter
	}
	if start != nil {
		if len(start) != J {
			return invalid("Pricer.Solve: len(start)=%d, want %d", len(start), J)
		}
		for j, x := range start {
			if !finite(x) {
				return invalid("Pricer.Solve: start price %d is %g", j, x)
			}
		}
	}
	starts := startMarkups
	if start != nil {
		starts++
	}
	pr.mergeTwins(prob)
	pr.quoted = false
	defer func() { pr.merged = false }()
	pr.it, pr.gbestRes = 0, math.Inf(1)
	omega := 1.0
	tried := 0
	for s := 0; s < starts && pr.it < maxIter; s++ {
		tried++
		if start != nil && s == 0 {
			copy(pr.p, start) // start may alias eq.Prices
		} else {
			r := s
			if start != nil {
				r--
			}
			pr.ruleStart(prob, startMarkup(r))
		}
		pr.bestRes, pr.sinceBest = math.Inf(1), 0
		omega = 1
		osc := 0 // successive opposite steps of the plain iteration
		clear(pr.step0)
		pr.an = 0
		pr.eval(prob)
		if !pr.ok && start != nil && s == 0 {
			return invalid("Pricer.Solve: demand overflows at the start prices")
		}
		for pr.it < maxIter || (pr.ok && pr.res <= tol) {
			if pr.ok && pr.res <= tol {
				pr.twinShares(prob)
				pr.fill(prob, eq, pr.res, pr.it, omega, s+1)
				return nil
			}
			if !pr.ok || pr.sinceBest >= stallIter {
				if omega <= 0.25 && s+1 < starts || math.IsInf(pr.bestRes, 1) {
					break // restart from the next start
				}
				// The damped fallback: back to the best prices, a shorter
				// step.
				omega /= 2
				copy(pr.p, pr.best)
				pr.sinceBest = 0
				pr.an = 0
				pr.eval(prob)
				continue
			}
			if omega == 1 && !pr.NoAcceleration && pr.it+2 <= maxIter {
				if pr.noAnderson {
					pr.squarem(prob)
				} else {
					pr.anderson(prob)
				}
				continue
			}
			// An oscillating iteration (successive steps pointing in
			// opposite directions, an eigenvalue of the map near -1) gets a
			// half step.
			var dot, dd, pp float64
			for k := range J {
				if pr.avail[k] {
					d := pr.next[k] - pr.p[k]
					dot += d * pr.step0[k]
					dd += d * d
					pp += pr.step0[k] * pr.step0[k]
					pr.step0[k] = d
				}
			}
			if dot < -0.5*math.Sqrt(dd*pp) {
				osc++
			} else {
				osc = 0
			}
			if osc >= 5 && omega == 1 {
				omega, osc = 0.5, 0
			}
			for k := range J {
				if pr.avail[k] {
					pr.p[k] += omega * pr.step0[k]
				}
			}
			pr.eval(prob)
		}
	}
	res := math.Inf(1)
	pr.merged = false
	if !math.IsInf(pr.gbestRes, 1) {
		copy(pr.p, pr.gbest)
		if r, ok := pr.step(prob); ok {
			res = r
		}
	}
	if math.IsInf(res, 1) {
		return fmt.Errorf("%w: Pricer.Solve: demand overflows at every start", ErrNoEquilibrium)
	}
	pr.fill(prob, eq, res, pr.it, omega, tried)
	return fmt.Errorf("%w: after %d iterations the first-order residual is %.3g of price (tolerance %.3g)", ErrNoEquilibrium, pr.it, res, tol)
}

// mergeTwins sets merged and each cell's family weight (mergedW): a root
// cell's own weight plus those of its twins, in the order of the cells; 0
// for a twin. Without twins (noTwins) or with noMerged every cell keeps its
// weight and merged stays false.
func (pr *Pricer) mergeTwins(prob *PricingProblem) {
	pr.merged = false
	if pr.noMerged {
		return
	}
	for c := range prob.Cells {
		pr.mergedW[c] = 0
		if t := pr.twin[c]; t >= 0 {
			pr.merged = true
		} else {
			pr.mergedW[c] = prob.Cells[c].Weight
		}
	}
	if !pr.merged {
		return
	}
	for c := range prob.Cells {
		if t := pr.twin[c]; t >= 0 {
			pr.mergedW[t] += prob.Cells[c].Weight
		}
	}
}

// twinShares leaves merged and copies each twin's shares from its root
// (computed at pr.p), as shares does for a twin: the state fill reads.
func (pr *Pricer) twinShares(prob *PricingProblem) {
	if !pr.merged {
		return
	}
	pr.merged = false
	J, G := len(prob.Owner), len(pr.nlam)
	for c := range prob.Cells {
		t := pr.twin[c]
		if t < 0 {
			continue
		}
		pr.copied[c] = true
		copy(pr.cond[c*J:(c+1)*J], pr.cond[t*J:(t+1)*J])
		copy(pr.share[c*J:(c+1)*J], pr.share[t*J:(t+1)*J])
		copy(pr.nshare[c*G:(c+1)*G], pr.nshare[t*G:(t+1)*G])
		pr.outside[c], pr.logsum[c] = pr.outside[t], pr.logsum[t]
	}
}

// startMarkups is the number of built-in starting points of Solve.
const startMarkups = 3

// startMarkup is the markup of Solve's i-th built-in starting point, in
// units of 1/betaH (the weighted harmonic mean of the cells' betaP): first
// a one-product logit markup at a small share, then a low and a high one.
func startMarkup(i int) float64 {
	switch i {
	case 0:
		return 1
	case 1:
		return 0.5
	default:
		return 3
	}
}

// ruleStart sets pr.p to p_k = (K_fk + m R_fk / betaH) / R_fk, the price at
// which owner f earns a markup of m/betaH per unit of its own weight.
func (pr *Pricer) ruleStart(prob *PricingProblem, m float64) {
	var w, h float64
	for c := range prob.Cells {
		w += prob.Cells[c].Weight
		h += prob.Cells[c].Weight / prob.Cells[c].BetaP
	}
	mu := m * h / w
	for k, f := range prob.Owner {
		R, K := pr.obj.At(f, k)
		if R > 0 {
			pr.p[k] = (K + mu*R) / R
		} else {
			pr.p[k] = prob.Cost[k]
		}
	}
}

// eval evaluates the map at pr.p (step), counts the evaluation and keeps
// the prices with the smallest residual of this start in pr.best and of
// the whole solve in pr.gbest.
func (pr *Pricer) eval(prob *PricingProblem) {
	pr.res, pr.ok = pr.step(prob)
	pr.it++
	if pr.ok && pr.res < pr.bestRes {
		pr.bestRes, pr.sinceBest = pr.res, 0
		copy(pr.best, pr.p)
		if pr.res < pr.gbestRes {
			pr.gbestRes = pr.res
			copy(pr.gbest, pr.p)
		}
	} else {
		pr.sinceBest++
	}
}

// squarem does one SQUAREM cycle (Varadhan and Roland 2008, scheme S3)
// from the evaluated pr.p = p0: p1 = T(p0), p2 = T(p1), r = p1 - p0,
// v = p2 - 2 p1 + p0, alpha = -|r|/|v|, and the extrapolation
// p' = p0 - 2 alpha r + alpha² v, which is kept if its residual is below
// p0's and replaced by p2 otherwise. For a linear map with eigenvalue mu
// the error becomes (1 - alpha (mu - 1))² times p0's, which alpha = -1/|mu
// - 1| sets to 0: alpha < -1 extrapolates a slow monotone approach (mu
// near 1), alpha > -1 damps an oscillation (mu near -1), so alpha is not
// clamped to <= -1 as it is for EM maps. It leaves pr.p evaluated, after two
// or three evaluations.
func (pr *Pricer) squarem(prob *PricingProblem) {
	J := len(prob.Owner)
	res0 := pr.res
	copy(pr.p0, pr.p)
	copy(pr.p, pr.next) // p1
	pr.eval(prob)
	if !pr.ok || pr.res == 0 {
		return
	}
	copy(pr.p2, pr.next)
	var rr, vv float64
	for k := range J {
		if !pr.avail[k] {
			continue
		}
		r := pr.p[k] - pr.p0[k]
		v := pr.p2[k] - 2*pr.p[k] + pr.p0[k]
		rr += r * r
		vv += v * v
	}
	if !(vv > 0) {
		copy(pr.p, pr.p2)
		pr.eval(prob)
		return
	}
	alpha := -math.Sqrt(rr / vv)
	for k := range J {
		if pr.avail[k] {
			p1 := pr.p[k]
			pr.p[k] = pr.p0[k] - 2*alpha*(p1-pr.p0[k]) + alpha*alpha*(pr.p2[k]-2*p1+pr.p0[k])
		}
	}
	pr.eval(prob)
	if pr.ok && pr.res < res0 {
		return
	}
	copy(pr.p, pr.p2)
	pr.eval(prob)
}

// andersonDepth is the number of past steps anderson mixes.
const andersonDepth = 6

// anderson does one step of Anderson acceleration (type II, Walker and Ni
// 2011) of depth andersonDepth from the evaluated pr.p: with x_i the last
// iterates, g_i = T(x_i) and f_i = g_i - x_i, it solves the least squares
// min |f_k - ΔF γ| over the differences of successive f (each product's
// term divided by p², the units of the residual, relative to price) and
// moves to
// g_k - ΔG γ, which is T's fixed point when T is affine on the span of the
// last steps. The first step of a history, a singular system or a step
// that did not lower the residual (the history is then restarted) is the
// plain step g_k. It leaves pr.p evaluated, after one evaluation.
func (pr *Pricer) anderson(prob *PricingProblem) {
	J := len(prob.Owner)
	const slots = andersonDepth + 1
	pr.aF = grow(pr.aF, slots*J)
	pr.aG = grow(pr.aG, slots*J)
	pr.aD = grow(pr.aD, andersonDepth*J)
	if pr.an > 0 && !(pr.res < pr.aRes) {
		pr.an = 0 // the last step did not help: start afresh from here
	}
	pr.aRes = pr.res
	cur := pr.an % slots
	f := pr.aF[cur*J : (cur+1)*J]
	for q := range J {
		f[q] = pr.next[q] - pr.p[q]
	}
	copy(pr.aG[cur*J:(cur+1)*J], pr.next)
	pr.an++
	k := min(pr.an, slots) - 1 // differences
	var a [andersonDepth * andersonDepth]float64
	var b, gam [andersonDepth]float64
	var his, los [andersonDepth]int // column i: slot his[i] minus slot los[i]
	for i := range k {
		his[i] = ((cur-k+i+1)%slots + slots) % slots
		los[i] = ((cur-k+i)%slots + slots) % slots
	}
	ok := k > 0
	pr.aW = grow(pr.aW, J)
	for q := range J {
		x := math.Max(math.Abs(pr.p[q]), tiny)
		pr.aW[q] = 1 / (x * x)
	}
	live, w := pr.live, pr.aW[:J]
	if ok {
		for i := range k {
			d, hi, lo := pr.aD[i*J:(i+1)*J], pr.aF[his[i]*J:(his[i]+1)*J], pr.aF[los[i]*J:(los[i]+1)*J]
			for q := range J {
				d[q] = hi[q] - lo[q]
			}
		}
		for i := range k {
			di := pr.aD[i*J : (i+1)*J]
			for j := range k {
				if j < i {
					a[i*k+j] = a[j*k+i]
					continue
				}
				dj := pr.aD[j*J : (j+1)*J]
				var d float64
				for _, q := range live {
					d += di[q] * dj[q] * w[q]
				}
				a[i*k+j] = d
			}
			var d float64
			for _, q := range live {
				d += di[q] * f[q] * w[q]
			}
			b[i] = d
		}
		ok = solveAnderson(a[:k*k], b[:k], gam[:k], k)
	}
	if ok {
		for _, q := range live {
			x := pr.next[q]
			for i := range k {
				x -= gam[i] * (pr.aG[his[i]*J+q] - pr.aG[los[i]*J+q])
			}
			if !finite(x) {
				ok = false
				break
			}
			pr.p0[q] = x
		}
	}
	if ok {
		for _, q := range live {
			pr.p[q] = pr.p0[q]
		}
	} else {
		copy(pr.p, pr.next)
	}
	pr.eval(prob)
}

// solveAnderson solves the k×k system a x = b (a symmetric, row-major) by
// Gaussian elimination with partial pivoting (solveDense; b is left as it
// is); false when a pivot is below 1e-14 of the largest diagonal entry (a
// singular system).
func solveAnderson(a, b, x []float64, k int) bool {
	scale := 0.0
	for i := range k {
		scale = math.Max(scale, math.Abs(a[i*k+i]))
	}
	if !(scale > 0) || math.IsInf(scale, 1) {
		return false
	}
	copy(x[:k], b[:k])
	return solveDense(a, x, k, 1e-14*scale)
}

// shares evaluates every cell's nested-logit shares at pr.p into cond,
// share, nshare, outside and logsum. It reports false if a utility
// overflows (a price of huge magnitude). moved says that the cells'
// qualities may have moved since the setup (Requote): a twin's are then
// compared again before its shares are copied; otherwise they are those
// setup compared.
func (pr *Pricer) shares(prob *PricingProblem, moved bool) bool {
	J := len(prob.Owner)
	G := len(pr.nlam)
	pr.ngroups = 0
	for c := range prob.Cells {
		cell := &prob.Cells[c]
		cond := pr.cond[c*J : (c+1)*J]
		share := pr.share[c*J : (c+1)*J]
		ns := pr.nshare[c*G : (c+1)*G]
		mx := pr.nmax[c*G : (c+1)*G]
		expIn, expOut := pr.expIn[c*J:(c+1)*J], pr.expOut[c*J:(c+1)*J]
		powIn, powOut := pr.powIn[c*G:(c+1)*G], pr.powOut[c*G:(c+1)*G]
		nexpIn, nexpOut := pr.nexpIn[c*G:(c+1)*G], pr.nexpOut[c*G:(c+1)*G]
		pr.copied[c] = false
		if pr.merged && pr.twin[c] >= 0 {
			continue // merged into its root (mergedW): not read
		}
		if t := pr.twin[c]; t >= 0 && (!moved || sameCell(cell, &prob.Cells[t])) {
			// the shares of an equal cell (computed above)
			pr.copied[c] = true
			copy(cond, pr.cond[t*J:(t+1)*J])
			copy(share, pr.share[t*J:(t+1)*J])
			copy(ns, pr.nshare[t*G:(t+1)*G])
			pr.outside[c], pr.logsum[c] = pr.outside[t], pr.logsum[t]
			continue
		}
		// cond[j] becomes exp(v_j/lambda_j - mx[g]) and mx[g] the
		// maximum it is taken from (factored, else exact), ns[g] their sum
		ok, exact := false, true
		var list []int // with the factored path's cached factors: the products with any
		if b := pr.priceFactors(prob, cell.BetaP); b >= 0 && !pr.noFactored {
			list, ok, exact = pr.factoredCell(c, moved, cell, cond, mx, ns, expIn, expOut, pr.pexpOut[b*J:(b+1)*J])
		}
		if exact {
			if ok = pr.exactCell(cell, cond, mx, ns, expIn, expOut); !ok {
				return false
			}
		} else if !ok {
			return false
		}
		// The nests' inclusive values are IV_g = mx[g] + ln ns[g], and
		// the cell's terms exp(lambda_g IV_g - top) are taken as
		// exp(lambda_g mx[g] - top) ns[g]^lambda_g, top the largest of 0
		// (the outside good's utility) and the lambda_g mx[g]: the first
		// factor moves with mx only (with the qualities, on the factored
		// path), the second is a square root at lambda_g = 1/2
		// (math.Pow's special case), no logarithm per nest.
		top := 0.0
		for g := range mx {
			if ns[g] == 0 {
				continue
			}
			if u := pr.nlam[g] * mx[g]; u > top {
				top = u
			}
		}
		// mx[g] becomes 1/S_g, ns[g] first exp(lambda_g IV_g - top), then
		// the nest share exp(lambda_g IV_g - logsum).
		e0 := memo(pr.cellIn, pr.cellOut, 2*c, -top, math.Exp)
		sum := e0
		for g := range mx {
			if ns[g] > 0 {
				inv := 1 / ns[g]
				pw := powIn[g] // ns[g]^lambda_g, memoised
				if pw != ns[g] {
					powIn[g], powOut[g] = ns[g], math.Pow(ns[g], pr.nlam[g])
				}
				ns[g] = memo(nexpIn, nexpOut, g, pr.nlam[g]*mx[g]-top, math.Exp) * powOut[g]
				mx[g] = inv
				sum += ns[g]
			}
		}
		ls := top + memo(pr.cellIn, pr.cellOut, 2*c+1, sum, math.Log)
		inv := 1 / sum
		for g := range ns {
			ns[g] *= inv
		}
		if list != nil && !exact {
			// the other products' cond and share stay 0
			for _, j := range list {
				g := pr.nest[j]
				cond[j] *= mx[g]
				share[j] = cond[j] * ns[g]
			}
		} else {
			for j := range J {
				if cond[j] == 0 {
					share[j] = 0
					continue
				}
				g := pr.nest[j]
				cond[j] *= mx[g]
				share[j] = cond[j] * ns[g]
			}
		}
		pr.outside[c] = e0 * inv
		pr.logsum[c] = ls
	}
	return true
}

// exactCell writes into cond the exponentials exp(v_j/lambda_j - mx[g])
// of the cell's utilities v_j = q_j - betaP p_j at pr.p (0 for a product
// not available or out of the cell's reach), into mx[g] their nest's
// largest v_j/lambda_j and into ns[g] their sum; false if a utility
// overflows. The memo (expIn, expOut) is the cell's.
func (pr *Pricer) exactCell(cell *DemandCell, cond, mx, ns, expIn, expOut []float64) bool {
	J := len(cond)
	for g := range mx {
		mx[g] = math.Inf(-1)
		ns[g] = 0
	}
	// cond[j] first holds v_j/lambda.
	for j := range J {
		if !pr.avail[j] || math.IsInf(cell.Quality[j], -1) {
			cond[j] = math.Inf(-1)
			continue
		}
		y := (cell.Quality[j] - cell.BetaP*pr.p[j]) / pr.lambda[j]
		if math.IsNaN(y) || math.IsInf(y, 0) {
			return false
		}
		cond[j] = y
		if g := pr.nest[j]; y > mx[g] {
			mx[g] = y
		}
	}
	for j := range J {
		g := pr.nest[j]
		if math.IsInf(cond[j], -1) {
			cond[j] = 0
			continue
		}
		e := memo(expIn, expOut, j, cond[j]-mx[g], math.Exp)
		cond[j] = e
		ns[g] += e
	}
	return true
}

// priceFactors returns the index b of the price factors
// pexpOut[b*J:(b+1)*J] = exp(-betaP p_j/lambda_j) at pr.p of the price
// coefficient betaP, computing them on its first use since the last
// resetFactors (the cells of a choice problem share a few price
// coefficients, so the exponentials of the prices are taken once per
// coefficient rather than once per cell), or -1 when a factor is not a
// finite positive number (a price of large magnitude: the exact path).
// A product not available has factor 0.
func (pr *Pricer) priceFactors(prob *PricingProblem, betaP float64) int {
	J := len(prob.Owner)
	for b := range pr.ngroups {
		if pr.gBeta[b] == betaP {
			if !pr.gOK[b] {
				return -1
			}
			return b
		}
	}
	b := pr.ngroups
	if b >= len(pr.gBeta) {
		return -1
	}
	pr.ngroups++
	pr.gBeta[b], pr.gOK[b] = betaP, true
	in, out := pr.pexpIn[b*J:(b+1)*J], pr.pexpOut[b*J:(b+1)*J]
	for j := range J {
		if !pr.avail[j] {
			out[j] = 0
			in[j] = math.NaN() // the slot's memo holds no argument
			continue
		}
		e := memo(in, out, j, -betaP*pr.p[j]/pr.lambda[j], math.Exp)
		if !(e > 0) || math.IsInf(e, 1) {
			pr.gOK[b] = false
			return -1
		}
	}
	return b
}

// factoredCell is exactCell with each exponential factored into a
// quality part qf_j = exp(q_j/lambda_j - mq_g), mq_g the nest's largest
// q_j/lambda_j, and the price part pexp[j] = exp(-betaP p_j/lambda_j),
// shared by the cells with the cell's betaP. The quality parts move with
// qualities only: they are computed once per setup for cell c (memoised
// besides) and reused while the qualities are those setup saw (moved
// false). cond[j] is then exp(v_j/lambda_j - mq_g) and mx[g] is mq_g, a
// shift of the exact path's (both give the same conditional shares and
// inclusive values up to rounding). It reports ok = false if a quality
// overflows, and exact = true when it cannot keep the precision of the
// exact path (a product's factor product underflows to 0, or a nest's sum
// is below 1e-290): the caller then runs exactCell. With the factors
// cached it writes only the products that have one and returns their list
// (the others' cond and share are 0 since the pass that computed them,
// which writes every product and returns nil).
func (pr *Pricer) factoredCell(c int, moved bool, cell *DemandCell, cond, mx, ns, expIn, expOut, pexp []float64) (list []int, ok, exact bool) {
	J, G := len(cond), len(mx)
	qf, mq := pr.qf[c*J:(c+1)*J], pr.mq[c*G:(c+1)*G]
	// the factors computed anew (after a setup, or with moved
	// qualities): every product's cond written, the caller's pass writes
	// every share
	full := moved || !pr.qfOK[c]
	if full {
		pr.qfOK[c] = false
		for g := range mq {
			mq[g] = math.Inf(-1)
		}
		for j := range J {
			if !pr.avail[j] || math.IsInf(cell.Quality[j], -1) {
				qf[j] = math.Inf(-1)
				continue
			}
			y := cell.Quality[j] / pr.lambda[j]
			if math.IsNaN(y) || math.IsInf(y, 0) {
				return nil, false, false
			}
			qf[j] = y
			if g := pr.nest[j]; y > mq[g] {
				mq[g] = y
			}
		}
		n := 0
		for j := range J {
			if math.IsInf(qf[j], -1) {
				qf[j] = 0
				continue
			}
			qf[j] = memo(expIn, expOut, j, qf[j]-mq[pr.nest[j]], math.Exp)
			if !(qf[j] > 0) {
				return nil, true, true // a quality factor underflows
			}
			pr.qlist[c*J+n] = j
			n++
		}
		pr.qn[c] = n
		pr.qfOK[c] = !moved
		clear(cond)
	}
	// the products with a quality factor; the others' cond and share are
	// 0 since the full pass that listed them
	list = pr.qlist[c*J : c*J+pr.qn[c]]
	copy(mx, mq)
	clear(ns)
	for _, j := range list {
		e := qf[j] * pexp[j]
		if !(e > 0) || math.IsInf(e, 0) {
			return nil, true, true
		}
		cond[j] = e
		ns[pr.nest[j]] += e
	}
	for g := range ns {
		if ns[g] != 0 && !(ns[g] >= 1e-290) {
			return nil, true, true
		}
	}
	if full {
		return nil, true, false
	}
	return list, true, false
}

// findSupport lists each firm's available products with a weight in its
// objective (support, supOff) from pr.obj (a product withdrawn has no
// demand: its terms in every sum over the support are ±0), with their
// nests (supNest), and each
// product's owner's revenue weight on it (ownR) and the index f*G+nest of
// its owner's nest sum (ownCfg), for step. It needs pr.nest.
func (pr *Pricer) findSupport(prob *PricingProblem) {
	J, F, G := len(prob.Owner), prob.Firms, len(pr.nlam)
	pr.supOff = grow(pr.supOff, F+1)
	pr.support = grow(pr.support, F*J)[:0]
	pr.supNest = grow(pr.supNest, F*J)[:0]
	for f := range F {
		pr.supOff[f] = len(pr.support)
		for j := range J {
			if pr.avail[j] && (pr.obj.Revenue[f*J+j] != 0 || pr.obj.UnitCost[f*J+j] != 0) {
				pr.support = append(pr.support, j)
				pr.supNest = append(pr.supNest, pr.nest[j])
			}
		}
	}
	pr.supOff[F] = len(pr.support)
	pr.live = grow(pr.live, J)[:0]
	for k := range J {
		if pr.avail[k] {
			pr.live = append(pr.live, k)
		}
	}
	pr.supMargin = grow(pr.supMargin, len(pr.support))
	pr.ownR = grow(pr.ownR, J)
	pr.ownCfg = grow(pr.ownCfg, J)
	for k, f := range prob.Owner {
		pr.ownR[k] = pr.obj.Revenue[f*J+k]
		pr.ownCfg[k] = f*G + pr.nest[k]
	}
}

// cellKey hashes a cell's price coefficient and qualities so that cells
// sameCell finds equal have equal keys (-0 and +0 hash alike: x+0 is +0 for
// either): setup compares two cells in full only when their keys agree.
func cellKey(c *DemandCell) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037) ^ uint64(len(c.Quality))
	h = (h ^ math.Float64bits(c.BetaP+0)) * prime
	for _, q := range c.Quality {
		h = (h ^ math.Float64bits(q+0)) * prime
	}
	return h
}

// sameCell reports whether cells a and b have the same price coefficient
// and qualities (their weights may differ): then their shares are the same
// at any prices.
func sameCell(a, b *DemandCell) bool {
	if a.BetaP != b.BetaP || len(a.Quality) != len(b.Quality) {
		return false
	}
	for j, q := range a.Quality {
		if q != b.Quality[j] {
			return false
		}
	}
	return true
}

// step evaluates the demand at pr.p and the fixed-point map T(p) into
// pr.next, and returns the residual max_k |p_k - T_k| / |p_k|. It reports
// false when the demand or the map cannot be evaluated.
func (pr *Pricer) step(prob *PricingProblem) (float64, bool) {
	if !pr.shares(prob, false) {
		return 0, false
	}
	J, F, G := len(prob.Owner), prob.Firms, len(pr.nlam)
	R, K := pr.obj.Revenue, pr.obj.UnitCost
	clear(pr.owns)
	for k, f := range prob.Owner {
		if pr.avail[k] {
			pr.owns[f] = true
		}
	}
	// m_fj = R_fj p_j - K_fj, the margins each price setter counts, in
	// the order of its support.
	sup, supNest, mS := pr.support, pr.supNest, pr.supMargin
	for f := range F {
		if !pr.owns[f] {
			continue
		}
		for i := pr.supOff[f]; i < pr.supOff[f+1]; i++ {
			j := sup[i]
			mS[i] = R[f*J+j]*pr.p[j] - K[f*J+j]
		}
	}
	clear(pr.num)
	clear(pr.den)
	for c := range prob.Cells {
		cell := &prob.Cells[c]
		wc := cell.Weight
		if pr.merged {
			if wc = pr.mergedW[c]; wc == 0 {
				// a twin, merged into its root, or a family of weight 0,
				// whose terms in num and den are all ±0
				continue
			}
		}
		cond := pr.cond[c*J : (c+1)*J]
		share := pr.share[c*J : (c+1)*J]
		ns := pr.nshare[c*G : (c+1)*G]
		cfg, af := pr.cfg[c*F*G:(c+1)*F*G], pr.af[c*F:(c+1)*F]
		if pr.copied[c] {
			// a twin's shares, hence its sums (computed above)
			t := pr.twin[c]
			cfg, af = pr.cfg[t*F*G:(t+1)*F*G], pr.af[t*F:(t+1)*F]
		} else {
			clear(cfg)
			for f := range F {
				if !pr.owns[f] {
					continue
				}
				cf := cfg[f*G : (f+1)*G]
				for i := pr.supOff[f]; i < pr.supOff[f+1]; i++ {
					cf[supNest[i]] += cond[sup[i]] * mS[i]
				}
				a := 0.0
				for g := range G {
					a += ns[g] * cf[g]
				}
				af[f] = a
			}
		}
		wb := wc * cell.BetaP
		num, den, lamRatio, ownCfg, ownR, owner := pr.num[:J], pr.den[:J], pr.lamRatio[:J], pr.ownCfg[:J], pr.ownR[:J], prob.Owner[:J]
		for _, k := range pr.live {
			if share[k] == 0 {
				continue
			}
			x := wb * share[k]
			num[k] += x*(lamRatio[k]*cfg[ownCfg[k]]+af[owner[k]]) + wc*ownR[k]*share[k]
			den[k] += x
		}
	}
	worst := 0.0
	for k, f := range prob.Owner {
		if !pr.avail[k] {
			pr.next[k] = pr.p[k]
			continue
		}
		if pr.den[k] == 0 {
			return 0, false // no demand anywhere (a price far out)
		}
		zeta := pr.lambda[k] * pr.num[k] / pr.den[k]
		rk := R[f*J+k]
		t := (K[f*J+k] + zeta) / rk
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return 0, false
		}
		pr.next[k] = t
		if r := math.Abs(pr.p[k]-t) / math.Max(math.Abs(pr.p[k]), tiny); r > worst {
			worst = r
		}
	}
	return worst, true
}

// fill writes the state at pr.p (after step) into eq.
func (pr *Pricer) fill(prob *PricingProblem, eq *PriceEquilibrium, res float64, it int, omega float64, starts int) {
	J, F, C := len(prob.Owner), prob.Firms, len(prob.Cells)
	eq.resize(C, F, J)
	copy(eq.Prices, pr.p)
	copy(eq.CellShares, pr.share[:C*J])
	copy(eq.CellOutside, pr.outside[:C])
	clear(eq.Quantity)
	clear(eq.Elasticity)
	eq.Outside, eq.ConsumerSurplus = 0, 0
	// the sums over the available products only (the others' shares are
	// 0: their terms are ±0)
	for c := range C {
		cell := &prob.Cells[c]
		s := pr.share[c*J : (c+1)*J]
		cond := pr.cond[c*J : (c+1)*J]
		for _, j := range pr.live {
			eq.Quantity[j] += cell.Weight * s[j]
			l := pr.lambda[j]
			// dq_j/dp_j, accumulated in Elasticity for now.
			eq.Elasticity[j] -= cell.Weight * cell.BetaP * s[j] * (1/l - (1/l-1)*cond[j] - s[j])
		}
		eq.Outside += cell.Weight * pr.outside[c]
		eq.CellSurplus[c] = cell.Weight * pr.logsum[c] / cell.BetaP
		eq.ConsumerSurplus += eq.CellSurplus[c]
	}
	eq.Spend, eq.Costs = 0, 0
	for j := range J {
		q := eq.Quantity[j]
		if q > 0 {
			eq.Elasticity[j] *= pr.p[j] / q
		} else {
			eq.Elasticity[j] = 0
		}
		eq.Spend += pr.p[j] * q
		eq.Costs += prob.Cost[j] * q
	}
	for f := range F {
		var cash, obj float64
		for j := range J {
			q := eq.Quantity[j]
			if q == 0 {
				continue
			}
			i := f*J + j
			cash += (pr.cash.Revenue[i]*pr.p[j] - pr.cash.UnitCost[i]) * q
			obj += (pr.obj.Revenue[i]*pr.p[j] - pr.obj.UnitCost[i]) * q
		}
		eq.Profits[f], eq.Objectives[f] = cash, obj
	}
	eq.OutsidePayments = 0
	for _, w := range prob.Wedges {
		if w.Payee == NoFirm && !w.CapReached {
			eq.OutsidePayments += w.Rate * pr.p[w.Product] * eq.Quantity[w.Product]
		}
	}
	for _, u := range prob.Fees {
		if u.Payee == NoFirm {
			eq.OutsidePayments += u.Amount * eq.Quantity[u.Product]
		}
		if u.Payer == NoFirm {
			eq.OutsidePayments -= u.Amount * eq.Quantity[u.Product]
		}
	}
	eq.Residual, eq.Iterations, eq.Damping, eq.Starts = res, it, omega, starts
}
