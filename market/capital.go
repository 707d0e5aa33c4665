package market

import "math"

// HurdleMOIC is the expected multiple on invested capital equivalent to an
// IRR hurdle irr per year over a holding period of years: (1 + irr)^years
// (x). It returns 0 for irr <= -1, years < 0 or non-finite input.
func HurdleMOIC(irr, years float64) float64 {
	if !finite(irr, years) || irr <= -1 || years < 0 {
		return 0
	}
	return math.Pow(1+irr, years)
}

// ExpectedMOIC is a participant's expected multiple on invested capital
// when it buys into a round at post-money post (US$B) of a firm whose
// post-money equity is expected to be worth exitValue (US$B) at exit, after
// the dilution expected later: exitValue/post (x; domain-model.md section
// 3.5, deal MOIC). It returns 0 for post <= 0 or non-finite input.
func ExpectedMOIC(exitValue, post float64) float64 {
	if !(post > 0) || !finite(exitValue, post) {
		return 0
	}
	return exitValue / post
}

// Position is a fund's holding in one portfolio lab.
type Position struct {
	Lab     int     // the lab, as the caller numbers them
	Cost    float64 // capital invested in the lab, at cost (US$B)
	Stake   float64 // fraction of the lab held (from the lab's cap table; Fund.Invest sets it)
	Reserve float64 // capital held back for follow-ons in this lab (US$B)
	ProRata bool    // the fund has a pro-rata right in the lab's rounds
	NoRival bool    // the fund promised this lab not to fund its rivals (a no-rival covenant)
}

// Fund is a venture fund's capital (US$B) and portfolio (domain-model.md
// section 1, VC fund; section 3.5).
//
// Accounting: PaidIn is the capital called from the limited partners;
// Invested + Fees <= PaidIn <= Committed. Dry powder is the capital not yet
// invested or spent on fees, Committed - Invested - Fees, whether or not it
// has been called; distributions are paid out to the limited partners and
// not recycled. A fund of size 0 has no dry powder.
//
// Reserves: a first investment of x in a lab holds back ReserveRatio × x
// of dry powder for follow-ons in that lab (Position.Reserve); follow-ons in
// the lab draw the reserve down. A first investment in a new lab may use
// only the dry powder not reserved; a follow-on in a portfolio lab may also
// use that lab's own reserve (see Capacity).
//
// Participation: a fund takes part in a round when it is not barred by a
// covenant (Barred), the round's price clears its hurdle (Accepts), and it
// has capacity; see AllocateRound.
//
// Priors (grade D, assumptions to calibrate): Hurdle 2.5x, about
// HurdleMOIC(0.20, 5) = 2.488, a 20%/yr gross return over a 5-year hold,
// the low end of top-quartile venture returns (20-30% net IRR,
// domain-model.md section 3.5; Kaplan and Schoar 2005); ReserveRatio 1
// (practitioners hold back 0.5-1 US$ per US$ of a first cheque);
// MaxDealShare 0.2 (limited-partnership agreements commonly cap one company
// at 10-20% of commitments).
type Fund struct {
	Committed    float64    // committed capital: the fund's size (US$B)
	PaidIn       float64    // capital called from the limited partners (US$B)
	Invested     float64    // capital invested in labs, at cost (US$B)
	Fees         float64    // management fees paid (US$B)
	Hurdle       float64    // required expected MOIC of a deal (x, > 0); HurdleMOIC converts an IRR hurdle
	ReserveRatio float64    // US$ held back for follow-ons per US$ of a first investment (>= 0)
	MaxDealShare float64    // largest fraction of Committed invested in one lab, in [0,1] (0: no limit)
	Positions    []Position // portfolio, one position per lab
}

// Validate checks that every amount is finite and non-negative, Invested +
// Fees <= PaidIn <= Committed (within 1e-9), Hurdle > 0, MaxDealShare in
// [0,1], and each position has a distinct lab and a stake in [0,1]. Errors
// wrap ErrInvalidArgument.
func (f *Fund) Validate() error {
	if !finite(f.Committed, f.PaidIn, f.Invested, f.Fees, f.Hurdle, f.ReserveRatio, f.MaxDealShare) ||
		f.Committed < 0 || f.PaidIn < 0 || f.Invested < 0 || f.Fees < 0 {
		return invalid("Fund: committed=%g paid-in=%g invested=%g fees=%g, want finite and >= 0",
			f.Committed, f.PaidIn, f.Invested, f.Fees)
	}
	if f.Invested+f.Fees > f.PaidIn+1e-9 || f.PaidIn > f.Committed+1e-9 {
		return invalid("Fund: invested %g + fees %g <= paid-in %g <= committed %g does not hold",
			f.Invested, f.Fees, f.PaidIn, f.Committed)
	}
	if !(f.Hurdle > 0) || f.ReserveRatio < 0 || f.MaxDealShare < 0 || f.MaxDealShare > 1 {
		return invalid("Fund: hurdle=%g reserve ratio=%g max deal share=%g, want hurdle > 0, ratio >= 0, share in [0,1]",
			f.Hurdle, f.ReserveRatio, f.MaxDealShare)
	}
	for i, p := range f.Positions {
		if !finite(p.Cost, p.Stake, p.Reserve) || p.Cost < 0 || p.Reserve < 0 || p.Stake < 0 || p.Stake > 1 {
			return invalid("Fund: position in lab %d: cost=%g stake=%g reserve=%g", p.Lab, p.Cost, p.Stake, p.Reserve)
		}
		for _, q := range f.Positions[:i] {
			if q.Lab == p.Lab {
				return invalid("Fund: two positions in lab %d", p.Lab)
			}
		}
	}
	return nil
}

// DryPowder is the capital the fund can still invest, Committed - Invested
// - Fees, floored at 0 (US$B).
func (f *Fund) DryPowder() float64 {
	return math.Max(0, f.Committed-f.Invested-f.Fees)
}

// Reserved is the dry powder held back for follow-ons: the sum of the
// positions' reserves, at most DryPowder (US$B).
func (f *Fund) Reserved() float64 {
	r := 0.0
	for _, p := range f.Positions {
		r += p.Reserve
	}
	return math.Min(r, f.DryPowder())
}

// PositionIndex returns the index of the fund's position in lab, or -1.
func (f *Fund) PositionIndex(lab int) int {
	for i := range f.Positions {
		if f.Positions[i].Lab == lab {
			return i
		}
	}
	return -1
}

// Capacity is the most the fund can invest in one round of lab (US$B):
// the unreserved dry powder, plus the lab's own reserve for a follow-on in
// a portfolio lab (at most DryPowder), and at most MaxDealShare × Committed
// less what the lab already cost (when MaxDealShare > 0).
func (f *Fund) Capacity(lab int) float64 {
	dp := f.DryPowder()
	free := math.Max(0, dp-f.Reserved())
	c := free
	cost := 0.0
	if k := f.PositionIndex(lab); k >= 0 {
		c = math.Min(dp, free+f.Positions[k].Reserve)
		cost = f.Positions[k].Cost
	}
	if f.MaxDealShare > 0 {
		c = math.Min(c, math.Max(0, f.MaxDealShare*f.Committed-cost))
	}
	return c
}

// Barred reports whether a no-rival covenant keeps the fund out of lab's
// rounds: the fund holds a position with NoRival in a lab other than lab
// that is among rivals (the labs that count as lab's rivals; domain-model.md
// section 3.5: OpenAI asked its October 2024 investors not to fund named
// rivals, FT).
func (f *Fund) Barred(lab int, rivals []int) bool {
	for _, p := range f.Positions {
		if !p.NoRival || p.Lab == lab {
			continue
		}
		for _, r := range rivals {
			if r == p.Lab {
				return true
			}
		}
	}
	return false
}

// Accepts reports whether a round at post-money post (US$B) of a firm with
// expected exit value exitValue (US$B) clears the fund's hurdle:
// ExpectedMOIC(exitValue, post) >= Hurdle, that is post <= exitValue/Hurdle
// (within a relative 1e-12).
func (f *Fund) Accepts(exitValue, post float64) bool {
	return acceptsPost(post, exitValue/f.Hurdle)
}

// acceptsPost: a participant whose highest acceptable post-money is maxPost
// accepts post (within a relative 1e-12, so that a price set exactly at a
// participant's limit is accepted despite rounding).
func acceptsPost(post, maxPost float64) bool {
	return post <= maxPost*(1+1e-12)
}

// Invest books an investment of amount (US$B) in lab, after which the
// fund's stake in the lab is stakeAfter (from the lab's cap table). It adds
// amount to Invested and to the position's cost, creates the position with
// a reserve of ReserveRatio × amount on a first investment or draws the
// reserve down by amount on a follow-on, and calls from the limited
// partners what the called capital does not cover: call = max(0, Invested
// + Fees - PaidIn) after the investment, added to PaidIn (US$B; the ledger
// posts it from the limited partners to the fund, and amount from the fund
// to the lab). An amount that is negative, not finite or above DryPowder
// (beyond 1e-9), or a stake outside [0,1], returns an error wrapping
// ErrInvalidArgument and changes nothing.
func (f *Fund) Invest(lab int, amount, stakeAfter float64) (call float64, err error) {
	if !finite(amount, stakeAfter) || amount < 0 || stakeAfter < 0 || stakeAfter > 1 {
		return 0, invalid("Fund.Invest: amount=%g stake=%g", amount, stakeAfter)
	}
	if amount > f.DryPowder()+1e-9 {
		return 0, invalid("Fund.Invest: amount %g above dry powder %g", amount, f.DryPowder())
	}
	f.Invested += amount
	if k := f.PositionIndex(lab); k >= 0 {
		p := &f.Positions[k]
		p.Cost += amount
		p.Reserve = math.Max(0, p.Reserve-amount)
		p.Stake = stakeAfter
	} else {
		f.Positions = append(f.Positions, Position{Lab: lab, Cost: amount, Stake: stakeAfter, Reserve: f.ReserveRatio * amount})
	}
	return f.call(), nil
}

// ChargeFees books management fees of amount (US$B) and returns the
// capital called from the limited partners to pay them (as in Invest). An
// amount that is negative, not finite or above DryPowder (beyond 1e-9)
// returns an error wrapping ErrInvalidArgument and changes nothing.
func (f *Fund) ChargeFees(amount float64) (call float64, err error) {
	if !finite(amount) || amount < 0 || amount > f.DryPowder()+1e-9 {
		return 0, invalid("Fund.ChargeFees: amount %g, dry powder %g", amount, f.DryPowder())
	}
	f.Fees += amount
	return f.call(), nil
}

func (f *Fund) call() float64 {
	c := math.Max(0, f.Invested+f.Fees-f.PaidIn)
	f.PaidIn += c
	return c
}

// InvestorPool is the other investors: the capital outside the modelled
// funds and strategic investors that can be placed in the sector's rounds
// in a month (US$B), and the rules by which it moves.
//
// Supply law (per month t): the target is
//
//	A*(t) = base(t) × climate(t) × G(t)^ReturnElasticity
//
// with base(t) the neutral-climate supply (US$B per month, a path the
// caller gives), climate(t) the funding-climate index (1 neutral) and G(t)
// the sector's trailing gross return (TrailingGross; 1 neutral). The pool
// adjusts partially toward it: what is left after the month's rounds, A',
// becomes
//
//	A(t+1) = A' + Adjust × (A*(t+1) - A')
//
// (Replenish), so under a constant target and no rounds the gap shrinks by
// the factor 1 - Adjust each month, monotonically for Adjust in (0,1].
// Rounds deplete the pool by what they take (Take).
//
// Participation: the other investors' hurdle is a valuation multiple. At a
// post-money multiple m = post/ARR they offer the whole of Available up to
// MultipleFull × Climate, nothing from MultipleNone × Climate, and the
// linear share in between (Offer): a cheaper round draws more of them, and
// a hot climate lets them pay more.
//
// Priors (grade D unless stated): Adjust 1/6 per month (a gap to the
// target halves in ln 2 / -ln(5/6) = 3.8 months); ReturnElasticity 1
// (commitments to venture capital rise with past returns: Gompers and
// Lerner 1998, Kaplan and Schoar 2005); base of the order of US$1-2B per
// month in 2023-2024, about a third of generative-AI venture funding
// (PitchBook via TechCrunch: US$29.1B in 2023, US$56B in 2024, grade B for
// the totals, D for the share open to one frontier lab's rounds);
// MultipleFull 30x and MultipleNone 60x ARR, which bracket the 23.6-43.9x
// post-money multiples of the rounds that closed (domain-model.md section
// 4.7).
type InvestorPool struct {
	Available        float64 // capital the other investors can still place this month (US$B)
	Climate          float64 // funding-climate index of the month (> 0; 1 = neutral)
	Adjust           float64 // partial-adjustment speed toward the target (per month, in (0,1])
	ReturnElasticity float64 // elasticity of the target to the trailing gross return (>= 0)
	MultipleFull     float64 // post-money multiple of ARR up to which all of Available is offered (x, at climate 1)
	MultipleNone     float64 // multiple from which nothing is offered (x, at climate 1; >= MultipleFull)
}

// Validate checks Available >= 0, Climate > 0, Adjust in (0,1],
// ReturnElasticity >= 0 and 0 < MultipleFull <= MultipleNone, all finite.
// Errors wrap ErrInvalidArgument.
func (p InvestorPool) Validate() error {
	if !finite(p.Available, p.Climate, p.Adjust, p.ReturnElasticity, p.MultipleFull, p.MultipleNone) ||
		p.Available < 0 || !(p.Climate > 0) || !(p.Adjust > 0) || p.Adjust > 1 || p.ReturnElasticity < 0 ||
		!(p.MultipleFull > 0) || p.MultipleNone < p.MultipleFull {
		return invalid("InvestorPool: available=%g climate=%g adjust=%g elasticity=%g multiples %g..%g",
			p.Available, p.Climate, p.Adjust, p.ReturnElasticity, p.MultipleFull, p.MultipleNone)
	}
	return nil
}

// TrailingGross is the sector's gross return over a trailing window: the
// value of the sector's equity now (at the last rounds' marks, US$B) less
// the primary capital raised during the window (US$B), over its value at
// the window's start (US$B), floored at 0 (a total loss). 1 is a flat
// market. It returns an error wrapping ErrInvalidArgument for valueThen <=
// 0 or negative or non-finite input.
func TrailingGross(valueNow, valueThen, raised float64) (float64, error) {
	if !finite(valueNow, valueThen, raised) || valueNow < 0 || !(valueThen > 0) || raised < 0 {
		return 0, invalid("TrailingGross: now=%g then=%g raised=%g", valueNow, valueThen, raised)
	}
	return math.Max(0, (valueNow-raised)/valueThen), nil
}

// Target is the supply the pool adjusts toward, base × climate ×
// gross^ReturnElasticity (US$B per month; see InvestorPool). base >= 0,
// climate > 0 and gross >= 0 must be finite; otherwise it returns an error
// wrapping ErrInvalidArgument.
func (p InvestorPool) Target(base, climate, gross float64) (float64, error) {
	if !finite(base, climate, gross, p.ReturnElasticity) || base < 0 || !(climate > 0) || gross < 0 || p.ReturnElasticity < 0 {
		return 0, invalid("InvestorPool.Target: base=%g climate=%g gross=%g elasticity=%g", base, climate, gross, p.ReturnElasticity)
	}
	if p.ReturnElasticity == 0 {
		return base * climate, nil
	}
	return base * climate * math.Pow(gross, p.ReturnElasticity), nil
}

// Replenish is the pool of the next month: Available moves by Adjust of
// the gap to Target(base, climate, gross), and Climate becomes climate.
// Call it once a month, after the month's rounds have taken their share
// (Take). Errors wrap ErrInvalidArgument (invalid pool or arguments).
func (p InvestorPool) Replenish(base, climate, gross float64) (InvestorPool, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	target, err := p.Target(base, climate, gross)
	if err != nil {
		return p, err
	}
	p.Available += p.Adjust * (target - p.Available)
	p.Available = math.Max(0, p.Available)
	p.Climate = climate
	return p, nil
}

// Take is the pool after a round took amount (US$B) of it. An amount that
// is negative, not finite or above Available (beyond 1e-9) returns an error
// wrapping ErrInvalidArgument.
func (p InvestorPool) Take(amount float64) (InvestorPool, error) {
	if !finite(amount) || amount < 0 || amount > p.Available+1e-9 {
		return p, invalid("InvestorPool.Take: amount %g, available %g", amount, p.Available)
	}
	p.Available = math.Max(0, p.Available-amount)
	return p, nil
}

// Offer is what the other investors offer a round at post-money post (US$B)
// of a firm with annualised revenue arr (US$B/yr): Available times the
// share w of them whose multiple hurdle the round clears, w = 1 at a
// multiple post/arr <= MultipleFull × Climate, 0 at >= MultipleNone ×
// Climate, linear in between (US$B). A firm without revenue (arr <= 0) has
// an unbounded multiple and draws no other investors.
func (p InvestorPool) Offer(post, arr float64) float64 {
	if !(arr > 0) || !(post >= 0) {
		return 0
	}
	full, none := p.MultipleFull*p.Climate*arr, p.MultipleNone*p.Climate*arr
	switch {
	case acceptsPost(post, full):
		return p.Available
	case post >= none:
		return 0
	}
	return p.Available * (none - post) / (none - full)
}

// ProRataHolder is an existing holder of the raising lab other than a
// modelled fund (a strategic investor, an employee pool, a parent) that
// has a pro-rata right and decides to exercise it.
type ProRataHolder struct {
	Stake   float64 // fraction of the lab held, in [0,1]
	Cash    float64 // most it invests in the round (US$B; +Inf: no limit)
	MaxPost float64 // highest post-money it accepts (US$B; +Inf: any)
}

// StrategicBid is what a strategic investor offers a round (decided by its
// own rule, domain-model.md section 3.5).
type StrategicBid struct {
	Amount  float64 // most it invests (US$B)
	MaxPost float64 // highest post-money it accepts (US$B; +Inf: any)
}

// RoundAsk is a lab's request for a primary round (domain-model.md section
// 3.5: size and trigger from the lab's runway, the price from the
// valuation multiple). Priors for the lab's terms (grade D): FloorPre 0.7 ×
// Pre, MinRaise 0.25 × Invest.
type RoundAsk struct {
	Lab          int     // the raising lab, as the caller numbers labs (Fund.Positions)
	Rivals       []int   // labs whose no-rival covenants keep their funds out of this round (see Fund.Barred)
	Invest       float64 // round size asked, I (US$B, > 0)
	Pre          float64 // pre-money valuation asked (US$B, > 0)
	FloorPre     float64 // lowest pre-money the lab accepts in a down round (US$B, in (0, Pre]; Pre: no down round)
	MinRaise     float64 // smallest round the lab closes (US$B, in [0, Invest]); less fails the round
	ARR          float64 // annualised revenue the other investors' multiple is taken on (US$B/yr, >= 0): trailing or expected, by the caller's valuation rule
	ExitValue    float64 // expected value at exit of the post-money equity, after later dilution (US$B, >= 0)
	MaxFundShare float64 // largest share of the round one fund takes outside its pro-rata, in [0,1] (0: no limit)
}

// RoundOutcome is how a round ended.
type RoundOutcome uint8

// Round outcomes.
const (
	RoundFull   RoundOutcome = iota + 1 // the asked amount at the asked price
	RoundShort                          // less than asked, at the asked price
	RoundDown                           // at a pre-money below the asked one (full or short)
	RoundFailed                         // nothing raised
)

// String names the outcome.
func (o RoundOutcome) String() string {
	switch o {
	case RoundFull:
		return "full"
	case RoundShort:
		return "short"
	case RoundDown:
		return "down"
	case RoundFailed:
		return "failed"
	}
	return "unknown"
}

// PayerKind says which of AllocateRound's participant lists a payer is in.
type PayerKind uint8

// Payer kinds.
const (
	PayerHolder    PayerKind = iota + 1 // holders[Index], exercising its pro-rata right
	PayerFund                           // funds[Index]
	PayerStrategic                      // bids[Index]
	PayerPool                           // the other investors (Index 0)
)

// String names the kind.
func (k PayerKind) String() string {
	switch k {
	case PayerHolder:
		return "holder"
	case PayerFund:
		return "fund"
	case PayerStrategic:
		return "strategic"
	case PayerPool:
		return "pool"
	}
	return "unknown"
}

// Payer names a participant of a round.
type Payer struct {
	Kind  PayerKind
	Index int // index into the list of its kind
}

// RoundFlow is one payment into a round: Amount (US$B, > 0) from Payer to
// the lab. ProRata marks a payment made under a pro-rata right.
type RoundFlow struct {
	Payer   Payer
	Amount  float64
	ProRata bool
}

// RoundResult is a round's outcome.
type RoundResult struct {
	Outcome   RoundOutcome
	Pre       float64     // pre-money of the round (US$B): the asked one, or lower in a down round
	Post      float64     // Pre + Raised (US$B)
	Raised    float64     // sum of Flows, in their order (US$B)
	Shortfall float64     // Invest - Raised (US$B, >= 0 up to rounding)
	PoolTaken float64     // the other investors' flow (US$B): what the pool must Take
	Flows     []RoundFlow // one flow per paying participant (a fund can pay twice: pro rata, then a follow-on), in the order pro-rata holders, pro-rata funds, funds, strategic investors, pool
}

// AllocateRound fills lab ask.Lab's round of ask.Invest = I at pre-money
// ask.Pre from its participants and returns who pays what.
//
// Participation at a pre-money p is judged at the term sheet's post-money
// P = p + I (a short round's post-money p + raised is lower, so every
// participant's expected MOIC is then at least what it accepted). In order:
//
//  1. Pro-rata: each holder in holders with P <= MaxPost, and each fund with
//     a pro-rata right in the lab (Position.ProRata) that is not Barred and
//     Accepts P, buys stake × R, at most its cash (a fund: Capacity), where R
//     is the amount the round raises, so that it keeps its stake:
//     stake(1 - R/post) + stake R/post = stake.
//  2. Funds, in the order of funds, not Barred (covenant), accepting P:
//     each takes the least of its Capacity (dry powder net of reserves,
//     concentration limit), MaxFundShare × I and what is left of I. A fund
//     with a pro-rata right in the lab bids here too, beyond its right (a
//     follow-on: a holder that values the lab above the price buys more
//     than its stake), with its Capacity less its pro-rata claim at the
//     full size, stake × I, so that the two together never exceed its
//     Capacity; its follow-on is a separate flow.
//  3. Strategic bids, in order, with P <= MaxPost: the least of Amount and
//     what is left.
//  4. Other investors: the least of pool.Offer(P, ARR) and what is left.
//
// If 1-4 leave less than I, the round is short at that price: participants
// of 2-4 gave all they could, and R solves R = X + Σ min(cash_i, stake_i R)
// over the pro-rata holders, X being what 2-4 gave (the largest root, found
// exactly by Newton steps on this concave piecewise-linear equation).
//
// Price (the down-round rule): the amount raised R(p) falls as p rises. If
// R(ask.Pre) < I, the lab looks at the floor: if R(ask.FloorPre) is larger,
// it takes the highest pre-money p* in [FloorPre, Pre] at which it raises
// R(FloorPre) (all of I if the floor fills the round): the price falls just
// as far as money comes in, and no further. Otherwise it stays at ask.Pre.
// If what it would raise is below ask.MinRaise, or zero, the round fails
// and nothing is raised. p* is found by bisection to a relative 1e-15 and
// snapped to the participant limit it sits on.
//
// Outcome: RoundFailed; RoundDown if the pre-money fell; otherwise
// RoundFull if the round raised I (within a relative 1e-12) or RoundShort.
//
// Flows are appended to dst[:0] (no allocation when cap(dst) >=
// len(holders) + 2 len(funds) + len(bids) + 1 and that sum, less 1, is at
// most 32); Raised is their sum in order,
// so they sum to Raised exactly. The caller posts each flow from its payer
// to the lab, books the round on the cap table at Post, calls Fund.Invest
// for each fund flow and pool.Take(PoolTaken). AllocateRound changes none of
// its arguments.
//
// Errors wrap ErrInvalidArgument: an invalid ask, pool, fund, holder or bid
// (negative or non-finite amounts, NaN limits), or pro-rata stakes summing
// to more than 1.
func AllocateRound(ask RoundAsk, pool InvestorPool, holders []ProRataHolder, funds []Fund, bids []StrategicBid, dst []RoundFlow) (RoundResult, error) {
	if err := validateRound(&ask, pool, holders, funds, bids); err != nil {
		return RoundResult{}, err
	}
	var buf [stackParticipants]participant
	a := allocator{invest: ask.Invest, arr: ask.ARR, pool: pool,
		parts: appendParticipants(buf[:0], &ask, holders, funds, bids)}
	I := ask.Invest
	tol := 1e-12 * I
	p := ask.Pre
	R := a.raise(p)
	if R < I-tol && ask.FloorPre < ask.Pre {
		if Rf := a.raise(ask.FloorPre); Rf > R+tol {
			p = a.highestPre(ask.FloorPre, ask.Pre, Rf-tol)
			R = a.raise(p)
		}
	}
	if !(R > 0) || R < ask.MinRaise-tol {
		return RoundResult{Outcome: RoundFailed, Pre: ask.Pre, Post: ask.Pre, Shortfall: I, Flows: dst[:0]}, nil
	}
	flows, raised, pooled := a.flows(p, dst[:0], true)
	res := RoundResult{Pre: p, Post: p + raised, Raised: raised, Shortfall: math.Max(0, I-raised), PoolTaken: pooled, Flows: flows}
	switch {
	case p < ask.Pre:
		res.Outcome = RoundDown
	case raised >= I-tol:
		res.Outcome = RoundFull
	default:
		res.Outcome = RoundShort
	}
	return res, nil
}

func validateRound(ask *RoundAsk, pool InvestorPool, holders []ProRataHolder, funds []Fund, bids []StrategicBid) error {
	if !finite(ask.Invest, ask.Pre, ask.FloorPre, ask.MinRaise, ask.ARR, ask.ExitValue, ask.MaxFundShare) ||
		!(ask.Invest > 0) || !(ask.Pre > 0) || !(ask.FloorPre > 0) || ask.FloorPre > ask.Pre ||
		ask.MinRaise < 0 || ask.MinRaise > ask.Invest || ask.ARR < 0 || ask.ExitValue < 0 ||
		ask.MaxFundShare < 0 || ask.MaxFundShare > 1 {
		return invalid("AllocateRound: ask invest=%g pre=%g floor=%g min=%g arr=%g exit=%g max fund share=%g",
			ask.Invest, ask.Pre, ask.FloorPre, ask.MinRaise, ask.ARR, ask.ExitValue, ask.MaxFundShare)
	}
	if err := pool.Validate(); err != nil {
		return err
	}
	stakes := 0.0
	for i, h := range holders {
		if !finite(h.Stake) || math.IsNaN(h.Cash) || math.IsNaN(h.MaxPost) || h.Stake < 0 || h.Stake > 1 || h.Cash < 0 || h.MaxPost < 0 {
			return invalid("AllocateRound: holder %d: stake=%g cash=%g max post=%g", i, h.Stake, h.Cash, h.MaxPost)
		}
		stakes += h.Stake
	}
	for i := range funds {
		if err := funds[i].Validate(); err != nil {
			return invalid("AllocateRound: fund %d: %w", i, err)
		}
		if k := funds[i].PositionIndex(ask.Lab); k >= 0 && funds[i].Positions[k].ProRata {
			stakes += funds[i].Positions[k].Stake
		}
	}
	if stakes > 1+1e-9 {
		return invalid("AllocateRound: pro-rata stakes sum to %g > 1", stakes)
	}
	for i, b := range bids {
		if !finite(b.Amount) || math.IsNaN(b.MaxPost) || b.Amount < 0 || b.MaxPost < 0 {
			return invalid("AllocateRound: bid %d: amount=%g max post=%g", i, b.Amount, b.MaxPost)
		}
	}
	return nil
}

// participant is one payer of a round other than the pool, with what it
// brings at any price: its highest acceptable post-money, its cash limit,
// and, for a pro-rata holder, its stake.
type participant struct {
	payer   Payer
	maxPost float64 // US$B
	cash    float64 // US$B
	stake   float64 // pro-rata holders only
	proRata bool
}

// stackParticipants is how many participants a round evaluates without
// allocating.
const stackParticipants = 32

// allocator evaluates a validated round at trial pre-moneys. The
// participants' limits do not depend on the price, so they are computed
// once: covenants, capacities, hurdles as a highest post-money.
type allocator struct {
	invest, arr float64
	pool        InvestorPool
	parts       []participant // pro-rata holders first, then the others in order
}

// appendParticipants appends the round's participants to parts: the
// pro-rata holders, the funds that exercise a pro-rata right in the lab
// (step 1), then every fund's bid in step 2 (a fund with a pro-rata right
// bids the capacity its pro-rata claim at the full round size leaves) and
// the strategic bids, in order. A barred fund takes no part at all.
func appendParticipants(parts []participant, ask *RoundAsk, holders []ProRataHolder, funds []Fund, bids []StrategicBid) []participant {
	for i, h := range holders {
		parts = append(parts, participant{payer: Payer{PayerHolder, i}, maxPost: h.MaxPost, cash: h.Cash, stake: h.Stake, proRata: true})
	}
	for f := range funds {
		F := &funds[f]
		if k := F.PositionIndex(ask.Lab); k >= 0 && F.Positions[k].ProRata && !F.Barred(ask.Lab, ask.Rivals) {
			parts = append(parts, participant{payer: Payer{PayerFund, f}, maxPost: ask.ExitValue / F.Hurdle,
				cash: F.Capacity(ask.Lab), stake: F.Positions[k].Stake, proRata: true})
		}
	}
	for f := range funds {
		F := &funds[f]
		if F.Barred(ask.Lab, ask.Rivals) {
			continue
		}
		c := F.Capacity(ask.Lab)
		if k := F.PositionIndex(ask.Lab); k >= 0 && F.Positions[k].ProRata {
			// a follow-on beyond the pro-rata right: the capacity its
			// claim at the full round size leaves
			c = math.Max(0, c-F.Positions[k].Stake*ask.Invest)
		}
		if ask.MaxFundShare > 0 {
			c = math.Min(c, ask.MaxFundShare*ask.Invest)
		}
		if c > 0 {
			parts = append(parts, participant{payer: Payer{PayerFund, f}, maxPost: ask.ExitValue / F.Hurdle, cash: c})
		}
	}
	for b, B := range bids {
		parts = append(parts, participant{payer: Payer{PayerStrategic, b}, maxPost: B.MaxPost, cash: B.Amount})
	}
	return parts
}

// claims sums the pro-rata claims min(cash, stake × R) at post-money P and
// the stake of the holders whose claim is not cash-bound (the slope of the
// claims in R, from the left).
func (a *allocator) claims(P, R float64) (sum, slope float64) {
	for i := range a.parts {
		q := &a.parts[i]
		if !q.proRata || !acceptsPost(P, q.maxPost) {
			continue
		}
		if q.stake*R <= q.cash {
			sum += q.stake * R
			slope += q.stake
		} else {
			sum += q.cash
		}
	}
	return sum, slope
}

// size is the amount R the round raises at pre-money p: I if the
// participants fill it, else the largest root of h(R) = X + claims(R) - R,
// concave and piecewise linear, negative at I, where X is what the
// participants of steps 2-4 give; Newton steps from I go down to it and
// stop on the piece that contains it.
func (a *allocator) size(p float64) float64 {
	I := a.invest
	P := p + I
	full, _ := a.claims(P, I)
	var sum float64
	X, _ := a.others(P, I-full, &sum, nil, false)
	if full+X >= I-1e-12*I {
		return I
	}
	R := I
	for range len(a.parts) + 3 {
		c, slope := a.claims(P, R)
		h := X + c - R
		if h >= -1e-12*I || slope >= 1 {
			break
		}
		R += h / (1 - slope)
	}
	return math.Max(R, X)
}

// others is what the participants of steps 2-4 give at post-money P out of
// left, in order, and the pool's part of it. It adds each amount to *acc in turn (so a running sum
// comes out as the sum of the flows in order) and appends the flows to
// *dst when write is set.
func (a *allocator) others(P, left float64, acc *float64, dst *[]RoundFlow, write bool) (total, pooled float64) {
	give := func(payer Payer, amt float64) {
		total += amt
		*acc += amt
		if write {
			*dst = append(*dst, RoundFlow{Payer: payer, Amount: amt})
		}
	}
	for i := range a.parts {
		q := &a.parts[i]
		if q.proRata || !acceptsPost(P, q.maxPost) {
			continue
		}
		if amt := math.Min(q.cash, left-total); amt > 0 {
			give(q.payer, amt)
		}
	}
	if amt := math.Min(a.pool.Offer(P, a.arr), left-total); amt > 0 {
		give(Payer{PayerPool, 0}, amt)
		pooled = amt
	}
	return total, pooled
}

// raise is the amount raised at pre-money p, summed as flows sums it.
func (a *allocator) raise(p float64) float64 {
	_, r, _ := a.flows(p, nil, false)
	return r
}

// flows computes the round at pre-money p, appending the flows to dst when
// write is set, and returns their sum in order and the pool's flow.
func (a *allocator) flows(p float64, dst []RoundFlow, write bool) (out []RoundFlow, raised, pooled float64) {
	I := a.invest
	P := p + I
	R := a.size(p)
	for i := range a.parts {
		q := &a.parts[i]
		if !q.proRata || !acceptsPost(P, q.maxPost) {
			continue
		}
		if amt := math.Min(q.cash, q.stake*R); amt > 0 {
			raised += amt
			if write {
				dst = append(dst, RoundFlow{Payer: q.payer, Amount: amt, ProRata: true})
			}
		}
	}
	// Steps 2-4 fill what the full-size claims leave (at R = I) or, in a
	// short round, give all they can: the same amounts either way.
	full, _ := a.claims(P, I)
	_, pooled = a.others(P, I-full, &raised, &dst, write)
	return dst, raised, pooled
}

// highestPre is the highest pre-money p in [floor, pre] at which the round
// raises at least target (which it does at floor and not at pre):
// bisection to a relative 1e-15, then snapped to a participant's limit
// (its highest post-money less I) if one lies in the final bracket or
// within the acceptance tolerance below it, and meets the target.
func (a *allocator) highestPre(floor, pre, target float64) float64 {
	lo, hi := floor, pre
	for range 200 {
		if hi-lo <= 1e-15*hi {
			break
		}
		mid := lo + (hi-lo)/2
		if a.raise(mid) >= target {
			lo = mid
		} else {
			hi = mid
		}
	}
	from := math.Max(floor, lo-2e-12*(lo+a.invest))
	best, snapped := lo, false
	try := func(maxPost float64) {
		t := maxPost - a.invest
		if t >= from && t <= hi && (!snapped || t > best) && a.raise(t) >= target {
			best, snapped = t, true
		}
	}
	for i := range a.parts {
		try(a.parts[i].maxPost)
	}
	try(a.pool.MultipleFull * a.pool.Climate * a.arr)
	return best
}
