package market

import (
	"fmt"
	"math"
)

// AgreementTerm is the instrument a bilateral agreement between a lab and a
// cloud bargains over.
type AgreementTerm uint8

const (
	// TermUnitFee: the cloud pays the lab Value US$ per unit of the
	// agreement's product it sells (a wholesale fee; reference case N1).
	TermUnitFee AgreementTerm = iota
	// TermReciprocalShare: the cloud pays the lab the share Value of its
	// revenue from the agreement's product (a reciprocal share on resale
	// revenue; reference case N2). Value is in [0, 1).
	TermReciprocalShare
	// TermRevenueShare: the lab pays the cloud the share Value of all of
	// its revenue in the game: the revenue of the products it owns and
	// the fees and revenue wedges paid to it (by this cloud, other clouds
	// and the problem's fixed interests), gross of the costs it bears. A
	// reciprocal share or fee the cloud pays the lab on Product, when the
	// contract has one, is one of the problem's fixed interests. The
	// share ends with the agreement. Value is in [0, 1); a lab pays a
	// revenue share under one agreement at most.
	TermRevenueShare
)

// Server says who serves the units of an agreement's Product, and so pays
// their marginal cost (inference): it decides whether a share of the
// cloud's revenue distorts the cloud's price (model-v2.md §4, N2).
type Server uint8

const (
	// ServerAsProblem: the pricing problem's CostBearer of Product (its
	// owner, the cloud, when CostBearer is nil).
	ServerAsProblem Server = iota
	// ServerLab: the lab serves the resold units (N1).
	ServerLab
	// ServerCloud: the cloud serves them on its own capacity (N2).
	ServerCloud
)

// String returns the term's name.
func (t AgreementTerm) String() string {
	switch t {
	case TermUnitFee:
		return "UnitFee"
	case TermReciprocalShare:
		return "ReciprocalShare"
	case TermRevenueShare:
		return "RevenueShare"
	}
	return "AgreementTerm(?)"
}

// Agreement is one bilateral agreement of a Nash-in-Nash bargain: the lab
// lets the cloud resell its model as Product (owned and priced by the
// cloud), against a term that the pair bargains over. Who serves the
// resold units, and so pays their marginal cost, is declared by Server
// (the lab in N1, the cloud in N2).
type Agreement struct {
	// Lab and Cloud are firms of the pricing problem, different; Cloud
	// owns Product.
	Lab, Cloud int
	// Product is the cloud's resale of the lab's model, withdrawn when
	// the pair does not agree. One agreement per product.
	Product int
	// Term is the instrument; Value its starting value (a warm start from
	// the last bargain; a value outside [Lo, Hi] or at which the pair has
	// no gain from trade starts from a scan of the range).
	Term  AgreementTerm
	Value float64
	// Server serves Product's units and pays their cost; it overrides
	// the problem's CostBearer of Product unless ServerAsProblem.
	Server Server
	// Lo < Hi bound the term (finite; for a reciprocal share 0 <= Lo and
	// Hi < 1).
	Lo, Hi float64
	// Alpha is the lab's bargaining weight, in (0, 1); the cloud's is
	// 1 - Alpha.
	Alpha float64
	// LabOutside and CloudOutside are what each side gets outside the
	// pricing game when this agreement fails (an alternative partner, a
	// use of the capacity elsewhere), US$, added to the payoffs of the
	// game without the agreement to make the disagreement payoffs. 0 in
	// N1 and N2.
	LabOutside, CloudOutside float64
}

// Default settings of NashInNash.
const (
	// DefaultNashTol is the default tolerance on the largest change of a
	// term over a Gauss–Seidel sweep, relative to 1 + |term|.
	DefaultNashTol = 1e-7
	// DefaultNashMaxSweeps is the default cap on Gauss–Seidel sweeps.
	DefaultNashMaxSweeps = 50
	// DefaultNashGridPoints is the default number of points of the scan of
	// a term's range (ends included) when a pair has no usable start.
	DefaultNashGridPoints = 33
	// DefaultNashPricingTol is the default tolerance of the price
	// equilibria solved at each candidate term: tighter than the Pricer's
	// default, since the bargain maximises a function of the profits and
	// its maximiser is accurate to about the square root of their error.
	DefaultNashPricingTol = 1e-13
)

// NashInNash solves Nash-in-Nash bargains (Horn and Wolinsky 1988;
// Collard-Wexler, Gowrisankaran and Lee 2019) over a set of lab × cloud
// agreements whose terms feed a Bertrand–Nash pricing game. Its zero value
// is ready to use with the defaults; it keeps its buffers across calls,
// so repeated solves of problems of the same size allocate nothing. Not
// safe for concurrent use.
type NashInNash struct {
	// Tol is the tolerance on term changes per sweep (0: DefaultNashTol);
	// MaxSweeps the sweep cap (0: DefaultNashMaxSweeps); GridPoints the
	// points of a range scan, at least 3 (0: DefaultNashGridPoints);
	// PricingTol the Pricer's tolerance (0: DefaultNashPricingTol).
	Tol        float64
	MaxSweeps  int
	GridPoints int
	PricingTol float64
	// Start, if not nil, is a warm start of the first price equilibrium
	// (one price per product, e.g. the prices in force); nil: the Pricer's
	// built-in starts. Only read.
	Start []float64
	// Settled, if true, skips in a sweep after the first the bargain of a
	// pair whose other terms have each moved by at most Tol (relative to
	// 1 + term, the convergence measure) since its last bargain: under the
	// contraction that Gauss–Seidel convergence assumes, its term would
	// move by less than Tol, so the sweep's convergence test is unchanged
	// up to the tolerance. It skips too a pair with a measured response:
	// when its last bargain (after the first sweep) moved its term by d
	// while the others' terms had moved by D in all since the bargain
	// before, and 4 (d/D) D' <= Tol for the others' moves D' since (its
	// predicted move, with a margin of 4). Its disagreement point is
	// re-solved at the final terms (the result's payoffs stay exact).
	Settled bool

	pr     Pricer
	work   PricingProblem
	fees   []UnitFee
	wedges []RevenueWedge
	slot   []int  // per agreement: its index in fees or wedges
	fee    []bool // per agreement: its term is a unit fee (else a wedge)
	bearer []int  // J: the cost bearers, with the agreements' servers
	// With a revenue-share agreement the working fees and wedges are
	// rebuilt from prob's and the terms at every change (rebuild).
	base     *PricingProblem
	val      []float64 // per agreement: its term now
	off      int       // a revenue-share agreement suspended (its disagreement point), or -1
	revShare bool
	step     []float64 // per agreement: the initial bracketing step
	start    []float64 // J: warm-start prices
	trial    PriceEquilibrium
	// Equilibria kept to avoid solving a problem twice: cur is the
	// equilibrium of the working problem at the terms n.val (valid while
	// curOK); best the best point of the pair's search so far (term
	// bestT, objective bestF, valid while bestOK).
	cur, best     PriceEquilibrium
	curOK, bestOK bool
	bestT, bestF  float64
	// dTerms[i*A:(i+1)*A] are the terms (n.val) at agreement i's last
	// disagreement solve (into res.Without[i]), dOK[i] whether there was
	// one: the solve depends on the other agreements' terms only.
	dTerms []float64
	dOK    []bool
	// The pair being bargained and its disagreement payoffs; gL, gC the
	// pair's gains at the last term valued.
	pair   int
	dL, dC float64
	gL, gC float64
	evals  int
	iters  int       // price-map evaluations of the solves so far
	gridF  []float64 // a scan's values
	// wOK[i]: res.Without[i] holds agreement i's disagreement equilibrium
	// of this solve, solved when the equilibrium prices at the terms then
	// were wBase[i*J:(i+1)*J] (solveWithout)
	wOK   []bool
	wBase []float64
	// slope[i] is agreement i's last move per unit of the others' moves
	// before it (both relative to 1 + term), -1 when unknown (Settled)
	slope   []float64
	noSlope bool      // tests: Settled skips only pairs whose others moved by at most Tol
	pred    []float64 // J: a predicted warm start (predict)
	// the candidates of the pair's bargain in progress (a ring of
	// maxCandidates; ncand the number kept so far)
	cands []candidate
	ncand int
	// the agreements of the solve in progress
	agreements []Agreement
}

// NashInNashResult is what NashInNash.Solve writes. Its slices grow on
// first use and are reused.
type NashInNashResult struct {
	// Terms[i] is agreement i's bargained term.
	Terms []float64
	// Agreed is the price equilibrium at Terms with every agreement in
	// force.
	Agreed PriceEquilibrium
	// Without[i] is the price equilibrium without agreement i (its
	// product withdrawn, the other terms at Terms).
	Without []PriceEquilibrium
	// LabPayoff[i], CloudPayoff[i] are agreement i's lab's and cloud's
	// payoffs at Agreed; LabDisagreement[i], CloudDisagreement[i] theirs
	// at Without[i] plus the outside payoffs. US$.
	LabPayoff, CloudPayoff             []float64
	LabDisagreement, CloudDisagreement []float64
	// Sweeps is the number of Gauss–Seidel sweeps, Change the largest
	// relative term change of the last one, Evaluations the number of
	// price equilibria solved and Iterations the evaluations of the
	// pricing game's fixed-point map they took (PriceEquilibrium.Iterations).
	Sweeps      int
	Change      float64
	Evaluations int
	Iterations  int
	// Failed is the index of the agreement whose bargain failed (the
	// error wraps ErrNoAgreement), or -1.
	Failed int
}

func (r *NashInNashResult) resize(n int) {
	r.Terms = grow(r.Terms, n)
	r.Without = grow(r.Without, n)
	r.LabPayoff = grow(r.LabPayoff, n)
	r.CloudPayoff = grow(r.CloudPayoff, n)
	r.LabDisagreement = grow(r.LabDisagreement, n)
	r.CloudDisagreement = grow(r.CloudDisagreement, n)
}

// Solve bargains every agreement's term and writes the outcome into res.
// prob is the pricing game without the agreements' terms (its fees and
// wedges are the other, fixed interests); it is only read.
//
// # The bargain
//
// Agreement i between lab L and cloud C chooses its term t_i to maximise
// the Nash product
//
//	(π_L(t_i, t_-i) - d_L)^α (π_C(t_i, t_-i) - d_C)^(1-α),
//
// the other terms t_-i held fixed (Horn and Wolinsky 1988; the
// Nash-in-Nash of Collard-Wexler, Gowrisankaran and Lee 2019). A payoff
// π_f is firm f's objective in the price equilibrium (its cash flow, plus
// the profit interests it holds; PriceEquilibrium.Objectives). Terms are
// set before prices: at each candidate term the prices re-solve (Pricer),
// and the Nash product itself is maximised, not the transferable-utility
// split of NashSplit, since a term is not a lump-sum transfer (it moves
// prices, and the surplus with them). The disagreement payoffs d are the
// pair's payoffs in the equilibrium with Product withdrawn and the other
// prices re-solved (Pricer.SolveWithout), the other terms held fixed, plus
// LabOutside and CloudOutside; a revenue share (TermRevenueShare) ends
// with its agreement, so the pair's disagreement point has the lab keep all
// its revenue. Payoffs are the game's flows (per period);
// multiplying either side's gains by a positive factor (an annuity over the
// contract's duration) multiplies the Nash product by a constant and leaves
// the terms unchanged, so the caller scales only the payoffs it reports.
//
// The maximiser works on the logarithm α ln(π_L - d_L) + (1-α) ln(π_C -
// d_C), which is -Inf where either gain is not positive. From the start
// value (if inside [Lo, Hi] with both gains positive) it brackets a maximum
// by stepping and doubling (Numerical Recipes' mnbrak, clamped to the
// range); from a start inside the range at which one side has no gain, it
// brackets the maximum of the smaller gain first and, if both gain there,
// the Nash product from that point; otherwise (no usable start) it scans
// GridPoints equally spaced terms and brackets the best one by its
// neighbours. Brent's method (golden section with parabolic steps, the
// bracket's ends its first points; Brent 1973) then locates the maximum
// to a tenth of Tol. No price equilibrium is solved twice: the one at the
// terms in force is kept, and a pair whose other terms have not changed
// since its last bargain keeps its term and disagreement point. If no scanned term gives both sides a positive
// gain, the largest smaller gain min(π_L - d_L, π_C - d_C) is maximised the
// same way; when it is not positive either, the pair has no term at which
// both gain from agreeing: its surplus is below its disagreement payoffs,
// the partnership fails, res.Failed names it and the error wraps
// ErrNoAgreement (res then holds the terms reached, with Agreed and the
// payoffs not filled).
//
// # The fixed point
//
// The pairs bargain in turn, each against the others' latest terms
// (Gauss–Seidel), until a sweep changes no term by more than Tol (1 +
// |t|); then Agreed, Without and the payoffs are solved at the final
// terms. After MaxSweeps sweeps without that, res holds the last terms and
// their equilibria and the error wraps ErrNoConvergence. A failed price
// solve returns an error wrapping ErrNoEquilibrium; invalid input one
// wrapping ErrInvalidArgument.
//
// The solution is a Nash-in-Nash equilibrium of the terms in the range
// given: each pair's term maximises its Nash product given the others'
// (checked against a brute-force grid in the tests). Unimodality of each
// Nash product in its term is assumed for warm starts (a local maximum
// from the start is taken); the scan of a cold start looks for the global
// one at the grid's resolution.
//
// Allocation: none once the solver's and res's buffers have the problem's
// size (apart from the error values of failures).
func (n *NashInNash) Solve(prob *PricingProblem, agreements []Agreement, res *NashInNashResult) error {
	if err := n.setup(prob, agreements); err != nil {
		return err
	}
	A := len(agreements)
	res.resize(A)
	res.Failed, res.Sweeps, res.Change = -1, 0, 0
	n.evals, n.iters = 0, 0
	n.curOK, n.bestOK = false, false
	n.dTerms = grow(n.dTerms, A*A)
	n.dOK = grow(n.dOK, A)
	clear(n.dOK)
	n.wOK = grow(n.wOK, A)
	clear(n.wOK)
	n.slope = grow(n.slope, A)
	for i := range n.slope {
		n.slope[i] = -1
	}
	for i, a := range agreements {
		res.Terms[i] = a.Value
		n.step[i] = (a.Hi - a.Lo) / float64(n.gridPoints()-1)
		if !(a.Value >= a.Lo && a.Value <= a.Hi) {
			n.setTerm(i, a.Lo) // a feasible placeholder for the first solves
		}
	}
	// Warm prices: the equilibrium at the start terms.
	var start []float64
	if len(n.Start) == len(prob.Owner) {
		start = n.Start
	}
	// a warm start the demand cannot take: the built-in starts
	if err := n.solveOr(-1, start, nil, &n.trial); err != nil {
		return err
	}
	copy(n.start, n.trial.Prices)
	n.cur, n.trial = n.trial, n.cur
	n.curOK = true
	tol := n.tol()
	maxSweeps := n.MaxSweeps
	if maxSweeps == 0 {
		maxSweeps = DefaultNashMaxSweeps
	}
	converged := false
	for res.Sweeps < maxSweeps && !converged {
		res.Sweeps++
		change := 0.0
		for i := range agreements {
			if n.sameOthers(i) {
				// the pair's bargain has the inputs of its last one: the
				// same term (its disagreement point in res.Without[i])
				continue
			}
			moved := n.othersMoved(i) // since its last bargain, or -1
			if n.Settled && res.Sweeps > 1 && n.othersWithin(i, tol) {
				continue // settled: its term would move by less than tol
			}
			if n.Settled && !n.noSlope && res.Sweeps > 1 && n.slope[i] >= 0 && moved >= 0 && 4*n.slope[i]*moved <= tol {
				continue // settled: its response to the others' moves is below tol
			}
			t0 := res.Terms[i]
			if res.Sweeps == 1 {
				t0 = n.siblingStart(agreements, i, res)
			}
			t, err := n.bargain(agreements, i, t0, res)
			if err != nil {
				res.Failed = i
				res.Change = change
				res.Evaluations, res.Iterations = n.evals, n.iters
				return err
			}
			d := math.Abs(t-res.Terms[i]) / (1 + math.Abs(t))
			change = max(change, d)
			// its response to the others' moves since its last bargain
			// (unknown in the first sweep, whose move is from the term in
			// force)
			n.slope[i] = -1
			if res.Sweeps > 1 && moved > 0 {
				n.slope[i] = d / moved
			}
			// The next bracket of this pair: a few times its last move.
			// A first sweep's move is from the term in force, not a move
			// of the fixed point's iteration, whose next ones are far
			// smaller: the smallest bracket, widened by doubling if need be.
			mv := math.Abs(t - res.Terms[i])
			if res.Sweeps == 1 {
				mv = 0
			}
			n.step[i] = clamp(4*mv, 10*tol*(1+math.Abs(t)), (agreements[i].Hi-agreements[i].Lo)/float64(n.gridPoints()-1))
			res.Terms[i] = t
			n.setTerm(i, t)
			if n.bestOK && t == n.bestT {
				// the working problem is the search's best point
				n.cur, n.best = n.best, n.cur
				n.curOK, n.bestOK = true, false
			}
		}
		res.Change = change
		converged = change <= tol
	}
	if err := n.fill(agreements, res); err != nil {
		return err
	}
	res.Evaluations, res.Iterations = n.evals, n.iters
	if !converged {
		return fmt.Errorf("%w: Nash-in-Nash: after %d sweeps the largest term change is %.3g (tolerance %.3g)", ErrNoConvergence, res.Sweeps, res.Change, tol)
	}
	return nil
}

// siblingStart is the start of agreement i's bargain in the first sweep:
// its term in force moved by the mean move of the agreements bargained
// before it in this sweep with the same lab and kind of term (siblings:
// the state that moved their terms, such as the lab's demand, moves its
// too), kept inside its range; its term in force when it has no sibling
// or that term is outside its range (a start to scan from).
func (n *NashInNash) siblingStart(agreements []Agreement, i int, res *NashInNashResult) float64 {
	a := &agreements[i]
	t := res.Terms[i]
	if !(t >= a.Lo && t <= a.Hi) {
		return t
	}
	sum, k := 0.0, 0
	for j := range i {
		b := &agreements[j]
		if b.Lab == a.Lab && b.Term == a.Term && b.Value >= b.Lo && b.Value <= b.Hi {
			sum += res.Terms[j] - b.Value
			k++
		}
	}
	if k == 0 {
		return t
	}
	return clamp(t+sum/float64(k), a.Lo, a.Hi)
}

// tol is the tolerance on term changes (Tol, or DefaultNashTol).
func (n *NashInNash) tol() float64 {
	if n.Tol == 0 {
		return DefaultNashTol
	}
	return n.Tol
}

func (n *NashInNash) gridPoints() int {
	if n.GridPoints == 0 {
		return DefaultNashGridPoints
	}
	return n.GridPoints
}

// setup validates the settings and agreements and builds the working
// problem: prob's fees and wedges, then one contract per agreement.
func (n *NashInNash) setup(prob *PricingProblem, agreements []Agreement) error {
	if !(n.Tol >= 0) || math.IsInf(n.Tol, 0) || n.MaxSweeps < 0 || !(n.PricingTol >= 0) || math.IsInf(n.PricingTol, 0) || (n.GridPoints != 0 && n.GridPoints < 3) {
		return invalid("NashInNash: Tol=%g, MaxSweeps=%d, GridPoints=%d, PricingTol=%g: want Tol, PricingTol >= 0 finite, MaxSweeps >= 0, GridPoints 0 or >= 3", n.Tol, n.MaxSweeps, n.GridPoints, n.PricingTol)
	}
	if prob == nil {
		return invalid("NashInNash.Solve: nil problem")
	}
	if err := prob.validate(); err != nil {
		return err
	}
	if len(agreements) == 0 {
		return invalid("NashInNash.Solve: no agreements")
	}
	J, F := len(prob.Owner), prob.Firms
	for i, a := range agreements {
		switch {
		case a.Lab < 0 || a.Lab >= F || a.Cloud < 0 || a.Cloud >= F || a.Lab == a.Cloud:
			return invalid("NashInNash.Solve: agreement %d between firms %d and %d: want two different firms in [0,%d)", i, a.Lab, a.Cloud, F)
		case a.Product < 0 || a.Product >= J || prob.Owner[a.Product] != a.Cloud:
			return invalid("NashInNash.Solve: agreement %d: product %d is not the cloud %d's", i, a.Product, a.Cloud)
		case prob.Available != nil && !prob.Available[a.Product]:
			return invalid("NashInNash.Solve: agreement %d: product %d is withdrawn", i, a.Product)
		case a.Term != TermUnitFee && a.Term != TermReciprocalShare && a.Term != TermRevenueShare:
			return invalid("NashInNash.Solve: agreement %d: unknown term %d", i, a.Term)
		case !finite(a.Lo, a.Hi, a.Value, a.LabOutside, a.CloudOutside) || !(a.Lo < a.Hi):
			return invalid("NashInNash.Solve: agreement %d: range [%g,%g], value %g, outside payoffs %g, %g: want finite, Lo < Hi", i, a.Lo, a.Hi, a.Value, a.LabOutside, a.CloudOutside)
		case a.Server > ServerCloud:
			return invalid("NashInNash.Solve: agreement %d: unknown server %d", i, a.Server)
		case (a.Term == TermReciprocalShare || a.Term == TermRevenueShare) && (a.Lo < 0 || a.Hi >= 1):
			return invalid("NashInNash.Solve: agreement %d: share range [%g,%g] outside [0,1)", i, a.Lo, a.Hi)
		case !(a.Alpha > 0 && a.Alpha < 1):
			return invalid("NashInNash.Solve: agreement %d: bargaining weight %g outside (0,1)", i, a.Alpha)
		}
		for k := range i {
			if agreements[k].Product == a.Product {
				return invalid("NashInNash.Solve: agreements %d and %d both on product %d", k, i, a.Product)
			}
			if a.Term == TermRevenueShare && agreements[k].Term == TermRevenueShare && agreements[k].Lab == a.Lab {
				return invalid("NashInNash.Solve: agreements %d and %d: lab %d pays two revenue shares", k, i, a.Lab)
			}
		}
	}
	n.work = *prob
	n.base = prob
	n.pr.cellsFixed = false // prob's cells may have changed since the last Solve
	n.off = -1
	n.revShare = false
	n.val = grow(n.val, len(agreements))
	n.bearer = grow(n.bearer, J)
	for j := range J {
		n.bearer[j] = prob.Owner[j]
		if prob.CostBearer != nil {
			n.bearer[j] = prob.CostBearer[j]
		}
	}
	for i, a := range agreements {
		n.val[i] = a.Value
		switch a.Server {
		case ServerLab:
			n.bearer[a.Product] = a.Lab
		case ServerCloud:
			n.bearer[a.Product] = a.Cloud
		}
		n.revShare = n.revShare || a.Term == TermRevenueShare
	}
	n.work.CostBearer = n.bearer
	n.fees = append(n.fees[:0], prob.Fees...)
	n.wedges = append(n.wedges[:0], prob.Wedges...)
	n.slot = grow(n.slot, len(agreements))
	n.fee = grow(n.fee, len(agreements))
	n.step = grow(n.step, len(agreements))
	for i, a := range agreements {
		n.fee[i] = a.Term == TermUnitFee
		switch a.Term {
		case TermUnitFee:
			n.slot[i] = len(n.fees)
			n.fees = append(n.fees, UnitFee{Product: a.Product, Amount: a.Value, Payer: a.Cloud, Payee: a.Lab})
		case TermReciprocalShare:
			n.slot[i] = len(n.wedges)
			n.wedges = append(n.wedges, RevenueWedge{Product: a.Product, Rate: a.Value, Payee: a.Lab})
		}
	}
	n.work.Fees, n.work.Wedges = n.fees, n.wedges
	n.agreements = agreements
	if n.revShare {
		n.rebuild()
	}
	n.start = grow(n.start, J)
	n.pr.Tol = n.PricingTol
	if n.pr.Tol == 0 {
		n.pr.Tol = DefaultNashPricingTol
	}
	return nil
}

// setTerm writes agreement i's term into the working problem.
func (n *NashInNash) setTerm(i int, t float64) {
	if t != n.val[i] {
		n.curOK = false
	}
	n.val[i] = t
	if n.revShare {
		n.rebuild()
		return
	}
	if n.fee[i] {
		n.fees[n.slot[i]].Amount = t
	} else {
		n.wedges[n.slot[i]].Rate = t
	}
}

// solveAt solves the working problem's equilibrium, with product without
// withdrawn if it is >= 0, from start (nil: the built-in starts).
func (n *NashInNash) solveAt(without int, start []float64, eq *PriceEquilibrium) error {
	n.evals++
	var err error
	if without >= 0 {
		err = n.pr.SolveWithout(&n.work, without, start, eq)
	} else {
		err = n.pr.Solve(&n.work, start, eq)
	}
	// the working problem's cells are prob's, which the solve only reads:
	// the Pricer's next setups keep what it derived from them
	n.pr.cellsFixed = true
	n.iters += eq.Iterations
	if err != nil {
		return fmt.Errorf("Nash-in-Nash: pricing at the candidate terms: %w", err)
	}
	return nil
}

// solveOr is solveAt from start and, if that fails and fallback is another
// start (nil: the Pricer's built-in starts), solveAt from fallback.
func (n *NashInNash) solveOr(without int, start, fallback []float64, eq *PriceEquilibrium) error {
	err := n.solveAt(without, start, eq)
	if err != nil && start != nil && (fallback == nil || &start[0] != &fallback[0]) {
		err = n.solveAt(without, fallback, eq)
	}
	return err
}

// The objectives the term search maximises.
const (
	logNashProduct = iota // alpha ln(gain_L) + (1-alpha) ln(gain_C), -Inf unless both gains > 0
	smallerGain           // min(gain_L, gain_C)
)

// value is the objective of kind at term t of the pair n.pair, whose
// disagreement payoffs are n.dL and n.dC; the agreed prices there become
// the next warm start.
//
// A term valued before in the pair's bargain (the other terms unchanged)
// is not solved again: its payoffs and prices are the candidate's kept
// (n.cands), unless it would become the search's best point, whose
// equilibrium is kept whole. A new candidate's prices start from those of
// the nearest candidate valued so far (the closest term, not the last).
func (n *NashInNash) value(a *Agreement, kind int, t float64) (float64, error) {
	n.setTerm(n.pair, t)
	if k := n.known(t); k >= 0 && !n.curOK {
		c := &n.cands[k]
		gL, gC := c.labObj-n.dL, c.cloudObj-n.dC
		f := nashObjective(a, kind, gL, gC)
		if kind == smallerGain || (n.bestOK && !(f > n.bestF)) {
			copy(n.start, c.prices)
			n.gL, n.gC = gL, gC
			return f, nil
		}
	}
	eq := &n.cur
	if !n.curOK {
		start, fallback := n.predict(t)
		// a predicted start the demand cannot take (prices off the line
		// far enough for every share to vanish): the nearest candidate's
		// prices
		if err := n.solveOr(-1, start, fallback, &n.trial); err != nil {
			return 0, fmt.Errorf("agreement %d at term %g: %w", n.pair, t, err)
		}
		n.cur, n.trial = n.trial, n.cur
		n.curOK = true
	}
	copy(n.start, eq.Prices)
	n.keep(t, eq, a)
	gL := eq.Objectives[a.Lab] - n.dL
	gC := eq.Objectives[a.Cloud] - n.dC
	n.gL, n.gC = gL, gC
	f := nashObjective(a, kind, gL, gC)
	if kind == smallerGain {
		return f, nil
	}
	if !n.bestOK || f > n.bestF {
		// keep the best point's equilibrium (a copy: cur stays valid)
		copyEquilibrium(&n.best, eq)
		n.bestOK, n.bestT, n.bestF = true, t, f
	}
	return f, nil
}

// nashObjective is the objective of kind at the gains gL, gC.
func nashObjective(a *Agreement, kind int, gL, gC float64) float64 {
	if kind == smallerGain {
		return min(gL, gC)
	}
	if gL > 0 && gC > 0 {
		return a.Alpha*math.Log(gL) + (1-a.Alpha)*math.Log(gC)
	}
	return math.Inf(-1)
}

// candidate is a term valued in the bargain in progress: the pair's
// objectives (payoffs) and the prices of its equilibrium.
type candidate struct {
	t                float64
	labObj, cloudObj float64
	prices           []float64
}

// maxCandidates is the number of candidates a bargain keeps (the latest).
const maxCandidates = 16

// known returns the index of the kept candidate at term t, or -1. A
// term within rounding (1e-12 relative to 1 + |t|) of a candidate's is the
// candidate: a bracket's step out and back (x + h - h) lands there.
func (n *NashInNash) known(t float64) int {
	for k := range min(n.ncand, maxCandidates) {
		if math.Abs(n.cands[k].t-t) <= 1e-12*(1+math.Abs(t)) {
			return k
		}
	}
	return -1
}

// nearest returns the index of the kept candidate whose term is closest
// to t (the latest of equally close ones), or -1.
func (n *NashInNash) nearest(t float64) int {
	best, bd := -1, math.Inf(1)
	m := min(n.ncand, maxCandidates)
	for i := range m {
		// from the latest back
		k := (n.ncand - 1 - i) % maxCandidates
		if d := math.Abs(n.cands[k].t - t); d < bd {
			best, bd = k, d
		}
	}
	return best
}

// predict returns the warm start of a price solve at term t: the prices of
// the kept candidate nearest to t, moved along the line through the
// second nearest one's (the equilibrium prices are smooth in the term, so
// the line's error is second order in the distance) when t lies within
// twice their distance of the nearest, or along the parabola through a
// third candidate too (third order) when the next nearest lies within
// twice the larger of the second's distance to t and to the nearest; when
// every price moved stays positive; else the nearest candidate's prices;
// with no candidate kept, n.start. nearest is the nearest candidate's
// prices (n.start without one), a start to fall back on.
func (n *NashInNash) predict(t float64) (start, nearest []float64) {
	k1 := n.nearest(t)
	if k1 < 0 {
		return n.start, n.start
	}
	c1 := &n.cands[k1]
	k2, d2 := -1, math.Inf(1)
	for k := range min(n.ncand, maxCandidates) {
		if d := math.Abs(n.cands[k].t - t); n.cands[k].t != c1.t && d < d2 {
			k2, d2 = k, d
		}
	}
	if k2 < 0 {
		return c1.prices, c1.prices
	}
	c2 := &n.cands[k2]
	r := (t - c1.t) / (c2.t - c1.t)
	if !(math.Abs(r) <= 2) {
		return c1.prices, c1.prices
	}
	// a third candidate within the same reach: the parabola through the
	// three (error third order in the distance)
	k3, d3 := -1, math.Inf(1)
	for k := range min(n.ncand, maxCandidates) {
		ck := n.cands[k].t
		if d := math.Abs(ck - t); ck != c1.t && ck != c2.t && d < d3 {
			k3, d3 = k, d
		}
	}
	var w1, w2, w3 float64
	var c3 *candidate
	if k3 >= 0 && d3 <= 2*math.Max(d2, math.Abs(c2.t-c1.t)) {
		c3 = &n.cands[k3]
		t1, t2, t3 := c1.t, c2.t, c3.t
		w1 = (t - t2) * (t - t3) / ((t1 - t2) * (t1 - t3))
		w2 = (t - t1) * (t - t3) / ((t2 - t1) * (t2 - t3))
		w3 = (t - t1) * (t - t2) / ((t3 - t1) * (t3 - t2))
	}
	n.pred = grow(n.pred, len(c1.prices))
	for j, p1 := range c1.prices {
		p2 := c2.prices[j]
		if p2 == p1 && (c3 == nil || c3.prices[j] == p1) {
			n.pred[j] = p1 // a price the term does not move (or a withdrawn product's)
			continue
		}
		p := p1 + r*(p2-p1)
		if c3 != nil {
			p = w1*p1 + w2*p2 + w3*c3.prices[j]
		}
		if !(p > 0) || math.IsInf(p, 0) {
			return c1.prices, c1.prices
		}
		n.pred[j] = p
	}
	return n.pred, c1.prices
}

// keep records the candidate t with equilibrium eq of agreement a, over
// the oldest when maxCandidates are kept.
func (n *NashInNash) keep(t float64, eq *PriceEquilibrium, a *Agreement) {
	if n.cands == nil {
		n.cands = make([]candidate, maxCandidates)
	}
	if n.known(t) >= 0 {
		return
	}
	c := &n.cands[n.ncand%maxCandidates]
	c.t, c.labObj, c.cloudObj = t, eq.Objectives[a.Lab], eq.Objectives[a.Cloud]
	c.prices = append(c.prices[:0], eq.Prices...)
	n.ncand++
}

// copyEquilibrium copies src into dst, reusing dst's buffers.
func copyEquilibrium(dst, src *PriceEquilibrium) {
	p, q, cs, co, su, pr, ob, el := dst.Prices, dst.Quantity, dst.CellShares, dst.CellOutside, dst.CellSurplus, dst.Profits, dst.Objectives, dst.Elasticity
	*dst = *src
	dst.Prices = append(p[:0], src.Prices...)
	dst.Quantity = append(q[:0], src.Quantity...)
	dst.CellShares = append(cs[:0], src.CellShares...)
	dst.CellOutside = append(co[:0], src.CellOutside...)
	dst.CellSurplus = append(su[:0], src.CellSurplus...)
	dst.Profits = append(pr[:0], src.Profits...)
	dst.Objectives = append(ob[:0], src.Objectives...)
	dst.Elasticity = append(el[:0], src.Elasticity...)
}

// sameOthers reports whether agreement i has had a disagreement solve and
// every other agreement's term is the one it had then.
func (n *NashInNash) sameOthers(i int) bool {
	if !n.dOK[i] {
		return false
	}
	A := len(n.val)
	for k, v := range n.dTerms[i*A : (i+1)*A] {
		if k != i && v != n.val[k] {
			return false
		}
	}
	return true
}

// othersMoved is the sum of the other agreements' term moves (relative to
// 1 + term) since agreement i's last disagreement solve, or -1 if it has
// had none.
func (n *NashInNash) othersMoved(i int) float64 {
	if !n.dOK[i] {
		return -1
	}
	A := len(n.val)
	sum := 0.0
	for k, v := range n.dTerms[i*A : (i+1)*A] {
		if k != i {
			sum += math.Abs(v-n.val[k]) / (1 + math.Abs(n.val[k]))
		}
	}
	return sum
}

// othersWithin reports whether agreement i has had a disagreement solve
// and every other agreement's term has moved by at most tol (relative to
// 1 + term) since.
func (n *NashInNash) othersWithin(i int, tol float64) bool {
	if !n.dOK[i] {
		return false
	}
	A := len(n.val)
	for k, v := range n.dTerms[i*A : (i+1)*A] {
		if k != i && math.Abs(v-n.val[k])/(1+math.Abs(n.val[k])) > tol {
			return false
		}
	}
	return true
}

// bargain returns agreement i's term maximising its Nash product, the
// other terms as in the working problem, from the start t0.
func (n *NashInNash) bargain(agreements []Agreement, i int, t0 float64, res *NashInNashResult) (float64, error) {
	a := &agreements[i]
	n.pair = i
	n.bestOK = false
	n.ncand = 0 // the candidates of the last bargain had other terms
	// The disagreement point: the product withdrawn (and a revenue share
	// of the agreement ended), the other prices re-solved, the other terms
	// held fixed.
	A := len(n.val)
	curOK := n.curOK
	var agreed []float64 // the equilibrium prices at the terms now, if known
	if curOK {
		agreed = n.cur.Prices
	}
	n.wOK[i] = n.wOK[i] && n.othersWithin(i, 10*n.tol())
	n.dOK[i] = false
	n.suspend(i)
	err := n.solveWithout(i, a.Product, agreed, n.start, res)
	n.suspend(-1)
	n.curOK = curOK // suspend and restore leave the working problem as it was
	if err != nil {
		return 0, fmt.Errorf("agreement %d without its product: %w", i, err)
	}
	copy(n.dTerms[i*A:(i+1)*A], n.val)
	n.dOK[i] = true
	n.dL = res.Without[i].Objectives[a.Lab] + a.LabOutside
	n.dC = res.Without[i].Objectives[a.Cloud] + a.CloudOutside

	x, fx := t0, math.Inf(-1)
	if t0 >= a.Lo && t0 <= a.Hi {
		var err error
		if fx, err = n.value(a, logNashProduct, t0); err != nil {
			return 0, err
		}
	}
	var b bracketed
	switch {
	case !math.IsInf(fx, -1):
		b, err = n.bracket(a, logNashProduct, x, fx, n.step[i])
	case t0 >= a.Lo && t0 <= a.Hi:
		// a warm start at which one side no longer gains: from it, the
		// local maximum of the smaller gain; where both gain there, the
		// Nash product's bracket from that point, else the scan of the
		// range (which decides whether any term has gains for both)
		b, err = n.localStart(a, t0, n.step[i])
	default:
		b, err = n.scan(a)
	}
	if err != nil {
		return 0, err
	}
	x, _, err = n.brentMax(a, logNashProduct, b)
	return x, err
}

// bracketed is a bracket of a maximum: lo <= x <= hi, the objective fx at
// x no lower than flo at lo and fhi at hi (or x at an end of the range,
// where lo or hi is x).
type bracketed struct {
	lo, flo, hi, fhi, x, fx float64
}

// localStart brackets the Nash product's maximum near a warm start t0
// at which one side has no gain: it brackets the maximum of the smaller
// gain from t0 (steps of h), and if both sides gain at that bracket's
// best point, brackets the Nash product from it; otherwise it scans the
// range.
func (n *NashInNash) localStart(a *Agreement, t0, h float64) (bracketed, error) {
	m0 := min(n.gL, n.gC) // value(t0) was the last valued
	b, err := n.bracket(a, smallerGain, t0, m0, h)
	if err != nil {
		return bracketed{}, err
	}
	if !(b.fx > 0) {
		return n.scan(a)
	}
	fx, err := n.value(a, logNashProduct, b.x)
	if err != nil {
		return bracketed{}, err
	}
	if w := max(b.x-b.lo, b.hi-b.x) / 2; w > 0 {
		h = w
	}
	return n.bracket(a, logNashProduct, b.x, fx, h)
}

// scan evaluates the Nash product on a grid over the range and brackets
// its best point; when no grid point gives both sides a gain, it maximises
// the smaller gain and fails with ErrNoAgreement if that is not positive.
func (n *NashInNash) scan(a *Agreement) (bracketed, error) {
	G := n.gridPoints()
	h := (a.Hi - a.Lo) / float64(G-1)
	at := func(k int) float64 {
		if k >= G-1 {
			return a.Hi
		}
		return a.Lo + float64(k)*h
	}
	n.gridF = grow(n.gridF, 2*G)
	fs, ms := n.gridF[:G], n.gridF[G:]
	best, bestF := 0, math.Inf(-1)
	bestM, bestMV := 0, math.Inf(-1)
	for k := range G {
		f, err := n.value(a, logNashProduct, at(k))
		if err != nil {
			return bracketed{}, err
		}
		fs[k] = f
		if f > bestF {
			best, bestF = k, f
		}
		m := min(n.gL, n.gC)
		ms[k] = m
		if m > bestMV {
			bestM, bestMV = k, m
		}
	}
	around := func(v []float64, k int) bracketed {
		kl, kh := max(k-1, 0), min(k+1, G-1)
		return bracketed{lo: at(kl), flo: v[kl], hi: at(kh), fhi: v[kh], x: at(k), fx: v[k]}
	}
	if !math.IsInf(bestF, -1) {
		return around(fs, best), nil
	}
	// No grid point with gains on both sides: is there any term?
	xm, m, err := n.brentMax(a, smallerGain, around(ms, bestM))
	if err != nil {
		return bracketed{}, err
	}
	if !(m > 0) {
		return bracketed{}, fmt.Errorf("%w: Nash-in-Nash: agreement %d (lab %d, cloud %d): at best (term %.6g) the smaller gain from agreeing is %.3g; disagreement payoffs %.6g, %.6g",
			ErrNoAgreement, n.pair, a.Lab, a.Cloud, xm, m, n.dL, n.dC)
	}
	fx, err := n.value(a, logNashProduct, xm)
	if err != nil {
		return bracketed{}, err
	}
	return n.bracket(a, logNashProduct, xm, fx, h/4)
}

// bracket brackets a maximum of the objective from x (value fx) by steps
// of h doubling downhill-away (Numerical Recipes' mnbrak, clamped to the
// range): it returns lo <= x <= hi with the objective at x no lower than
// at lo and hi (or x at an end of the range), with the values at lo and hi.
func (n *NashInNash) bracket(a *Agreement, kind int, x, fx, h float64) (b bracketed, err error) {
	lo, hi := max(a.Lo, x-h), min(a.Hi, x+h)
	flo, fhi := fx, fx
	if lo < x {
		if flo, err = n.value(a, kind, lo); err != nil {
			return
		}
	}
	if hi > x {
		if fhi, err = n.value(a, kind, hi); err != nil {
			return
		}
	}
	switch {
	case fhi > fx && fhi >= flo:
		for fhi > fx && x < a.Hi {
			lo, flo, x, fx = x, fx, hi, fhi
			h *= 2
			hi = min(a.Hi, x+h)
			if hi == x {
				fhi = fx
				break
			}
			if fhi, err = n.value(a, kind, hi); err != nil {
				return
			}
		}
	case flo > fx:
		for flo > fx && x > a.Lo {
			hi, fhi, x, fx = x, fx, lo, flo
			h *= 2
			lo = max(a.Lo, x-h)
			if lo == x {
				flo = fx
				break
			}
			if flo, err = n.value(a, kind, lo); err != nil {
				return
			}
		}
	}
	return bracketed{lo: lo, flo: flo, hi: hi, fhi: fhi, x: x, fx: fx}, nil
}

// brentMax maximises the objective over the bracket [b.lo, b.hi] from
// b.x (value b.fx) by Brent's method (golden section with parabolic
// interpolation; Brent 1973, as in Numerical Recipes' brent), to Tol/10
// relative to 1 + |x|. The bracket's ends, where their values are finite,
// are the method's first two other points (w and v), so its first step
// can be the parabola through the bracket rather than a golden section.
// The objective may be -Inf; a parabolic step through such a value falls
// back to a golden-section step.
func (n *NashInNash) brentMax(a *Agreement, kind int, b bracketed) (float64, float64, error) {
	lo, hi, x, fx := b.lo, b.hi, b.x, b.fx
	const cgold = 0.3819660112501051 // (3 - sqrt 5)/2
	xtol := n.tol() / 10
	// Minimise g = -objective.
	gx := -fx
	w, v, gw, gv := x, x, gx, gx
	var d, e float64
	// seed w (the better end) and v from the bracket's ends
	type pt struct{ t, g float64 }
	var ends [2]pt
	ne := 0
	if lo < x && !math.IsInf(b.flo, 0) && !math.IsNaN(b.flo) {
		ends[ne] = pt{lo, -b.flo}
		ne++
	}
	if hi > x && !math.IsInf(b.fhi, 0) && !math.IsNaN(b.fhi) {
		ends[ne] = pt{hi, -b.fhi}
		ne++
	}
	if ne == 2 && ends[1].g < ends[0].g {
		ends[0], ends[1] = ends[1], ends[0]
	}
	if ne > 0 && !math.IsInf(gx, 0) {
		w, gw = ends[0].t, ends[0].g
		v, gv = w, gw
		if ne == 2 {
			v, gv = ends[1].t, ends[1].g
		}
		e = hi - lo // allow a parabolic first step
	}
	for range 200 {
		xm := 0.5 * (lo + hi)
		tol1 := xtol * (1 + math.Abs(x))
		tol2 := 2 * tol1
		if math.Abs(x-xm) <= tol2-0.5*(hi-lo) {
			break
		}
		golden := true
		if math.Abs(e) > tol1 {
			r := (x - w) * (gx - gv)
			q := (x - v) * (gx - gw)
			p := (x-v)*q - (x-w)*r
			q = 2 * (q - r)
			if q > 0 {
				p = -p
			}
			q = math.Abs(q)
			etemp := e
			e = d
			if math.Abs(p) < math.Abs(0.5*q*etemp) && p > q*(lo-x) && p < q*(hi-x) {
				golden = false
				d = p / q
				if u := x + d; u-lo < tol2 || hi-u < tol2 {
					d = math.Copysign(tol1, xm-x)
				}
			}
		}
		if golden {
			if x >= xm {
				e = lo - x
			} else {
				e = hi - x
			}
			d = cgold * e
		}
		u := x + d
		if math.Abs(d) < tol1 {
			u = x + math.Copysign(tol1, d)
		}
		fu, err := n.value(a, kind, u)
		if err != nil {
			return 0, 0, err
		}
		gu := -fu
		if gu <= gx {
			if u >= x {
				lo = x
			} else {
				hi = x
			}
			v, gv = w, gw
			w, gw = x, gx
			x, gx = u, gu
		} else {
			if u < x {
				lo = u
			} else {
				hi = u
			}
			if gu <= gw || w == x {
				v, gv = w, gw
				w, gw = u, gu
			} else if gu <= gv || v == x || v == w {
				v, gv = u, gu
			}
		}
	}
	return x, -gx, nil
}

// solveWithout solves agreement i's disagreement equilibrium (product j
// withdrawn) into res.Without[i]. agreed, if not nil, are the equilibrium
// prices at the terms now. Its warm start: when this solve has solved i's
// disagreement before with the equilibrium prices then known (wOK[i],
// which the caller clears unless every other term has moved by at most
// 10 Tol since: the prediction is first order in their moves), those
// disagreement prices moved as the equilibrium prices have moved since,
// where every price moved stays positive; else def. A predicted start
// the demand cannot take falls back to def.
func (n *NashInNash) solveWithout(i, j int, agreed, def []float64, res *NashInNashResult) error {
	J := len(def)
	n.wBase = grow(n.wBase, len(n.val)*J)
	base := n.wBase[i*J : (i+1)*J]
	start := def
	if agreed != nil && n.wOK[i] {
		n.pred = grow(n.pred, J)
		start = n.pred
		for k, p := range res.Without[i].Prices {
			x := p
			if agreed[k] != base[k] {
				x += agreed[k] - base[k]
			}
			if x != p && (!(x > 0) || math.IsInf(x, 0)) {
				start = def
				break
			}
			n.pred[k] = x
		}
	}
	n.wOK[i] = false
	err := n.solveOr(j, start, def, &res.Without[i])
	if err == nil && agreed != nil {
		copy(base, agreed)
		n.wOK[i] = true
	}
	return err
}

// fill solves the equilibria and payoffs at res.Terms.
func (n *NashInNash) fill(agreements []Agreement, res *NashInNashResult) error {
	for i, t := range res.Terms {
		n.setTerm(i, t)
	}
	if n.curOK {
		// solved already: the working problem is at res.Terms
		n.cur, res.Agreed = res.Agreed, n.cur
		n.curOK = false
	} else if err := n.solveAt(-1, n.start, &res.Agreed); err != nil {
		return err
	}
	for i := range agreements {
		a := &agreements[i]
		if !n.sameOthers(i) {
			n.wOK[i] = n.wOK[i] && n.othersWithin(i, 10*n.tol())
			n.suspend(i)
			err := n.solveWithout(i, a.Product, res.Agreed.Prices, res.Agreed.Prices, res)
			n.suspend(-1)
			if err != nil {
				return fmt.Errorf("agreement %d without its product: %w", i, err)
			}
		}
		res.LabPayoff[i] = res.Agreed.Objectives[a.Lab]
		res.CloudPayoff[i] = res.Agreed.Objectives[a.Cloud]
		res.LabDisagreement[i] = res.Without[i].Objectives[a.Lab] + a.LabOutside
		res.CloudDisagreement[i] = res.Without[i].Objectives[a.Cloud] + a.CloudOutside
	}
	return nil
}

// rebuild writes the working fees and wedges from the problem's and the
// agreements' terms (n.val), then applies each revenue share in force: lab
// L paying share s to cloud C pays C a wedge s on every product L owns,
// passes on s of every wedge paid to L (the wedge to L becomes τ(1-s), one
// of τs goes to C, so their sum on the product is unchanged) and pays C s
// of every fee paid to L (a fee of s·w from L to C). A revenue-share
// agreement suspended for its disagreement point (n.off) pays nothing.
// Allocation-free once the buffers have grown.
func (n *NashInNash) rebuild() {
	prob := n.base
	n.fees = append(n.fees[:0], prob.Fees...)
	n.wedges = append(n.wedges[:0], prob.Wedges...)
	for i, a := range n.agreements {
		switch a.Term {
		case TermUnitFee:
			n.fees = append(n.fees, UnitFee{Product: a.Product, Amount: n.val[i], Payer: a.Cloud, Payee: a.Lab})
		case TermReciprocalShare:
			n.wedges = append(n.wedges, RevenueWedge{Product: a.Product, Rate: n.val[i], Payee: a.Lab})
		}
	}
	for i, a := range n.agreements {
		if a.Term != TermRevenueShare || i == n.off {
			continue
		}
		s := n.val[i]
		for k, nw := 0, len(n.wedges); k < nw; k++ {
			if e := n.wedges[k]; e.Payee == a.Lab {
				n.wedges[k].Rate = e.Rate * (1 - s)
				if prob.Owner[e.Product] != a.Cloud { // the owner keeps its part
					n.wedges = append(n.wedges, RevenueWedge{Product: e.Product, Rate: e.Rate * s, Payee: a.Cloud, CapReached: e.CapReached})
				}
			}
		}
		for j, o := range prob.Owner {
			if o == a.Lab {
				n.wedges = append(n.wedges, RevenueWedge{Product: j, Rate: s, Payee: a.Cloud})
			}
		}
		for k, nf := 0, len(n.fees); k < nf; k++ {
			if f := n.fees[k]; f.Payee == a.Lab {
				n.fees = append(n.fees, UnitFee{Product: f.Product, Amount: f.Amount * s, Payer: a.Lab, Payee: a.Cloud})
			}
		}
	}
	n.work.Fees, n.work.Wedges = n.fees, n.wedges
}

// suspend sets the revenue-share agreement i (if it is one) aside for the
// disagreement point, or, with i < 0, restores every agreement.
func (n *NashInNash) suspend(i int) {
	if !n.revShare {
		return
	}
	n.off = -1
	if i >= 0 && n.agreements[i].Term == TermRevenueShare {
		n.off = i
	}
	n.rebuild()
}
