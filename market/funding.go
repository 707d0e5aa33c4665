package market

import (
	"math"
	"slices"
)

// Round is a primary funding round: Invest new money ($B) at post-money
// valuation Post ($B).
type Round struct {
	Invest, Post float64
}

// Validate reports whether 0 <= Invest <= Post, both finite, Post > 0.
func (r Round) Validate() error {
	if !finite(r.Invest, r.Post) || r.Invest < 0 || !(r.Post > 0) || r.Invest > r.Post {
		return invalid("Round: invest=%g post=%g, want 0 <= invest <= post, post > 0", r.Invest, r.Post)
	}
	return nil
}

// Pre is the pre-money valuation Post - Invest ($B).
func (r Round) Pre() float64 { return r.Post - r.Invest }

// NewStake is the new investor's fraction Invest/Post; 0 for an invalid
// round (see Validate).
func (r Round) NewStake() float64 {
	if r.Validate() != nil {
		return 0
	}
	return r.Invest / r.Post
}

// Retain is the factor every existing holder's stake is multiplied by,
// Pre/Post = 1 - Invest/Post; 1 for an invalid round.
func (r Round) Retain() float64 { return 1 - r.NewStake() }

// RevenueMultiple is a valuation as a multiple of revenue or ARR; 0 when
// revenue <= 0 or an argument is not finite.
func RevenueMultiple(valuation, revenue float64) float64 {
	if !(revenue > 0) || !finite(valuation, revenue) {
		return 0
	}
	return valuation / revenue
}

// Holding is one holder's fractional stake in a cap table.
type Holding struct {
	Holder string
	Stake  float64
}

// CapTable is a firm's ownership: fractional stakes by holder, summing to
// 1. Holders keep their order of first appearance, so iteration and sums
// are deterministic. The zero value is an empty table; build one with
// NewCapTable.
type CapTable struct {
	h []Holding
}

// NewCapTable returns a cap table with the given holdings. Stakes must be
// finite and non-negative, holders distinct, and the stakes must sum to 1
// within 1e-9; otherwise it returns an error wrapping ErrInvalidArgument.
func NewCapTable(h ...Holding) (*CapTable, error) {
	sum := 0.0
	for i, x := range h {
		if !finite(x.Stake) || x.Stake < 0 {
			return nil, invalid("NewCapTable: stake of %q = %g", x.Holder, x.Stake)
		}
		for _, y := range h[:i] {
			if y.Holder == x.Holder {
				return nil, invalid("NewCapTable: holder %q listed twice", x.Holder)
			}
		}
		sum += x.Stake
	}
	if math.Abs(sum-1) > 1e-9 {
		return nil, invalid("NewCapTable: stakes sum to %g, want 1", sum)
	}
	return &CapTable{h: slices.Clone(h)}, nil
}

func (c *CapTable) index(holder string) int {
	for i, x := range c.h {
		if x.Holder == holder {
			return i
		}
	}
	return -1
}

// Stake is holder's fraction (0 if it holds nothing).
func (c *CapTable) Stake(holder string) float64 {
	if i := c.index(holder); i >= 0 {
		return c.h[i].Stake
	}
	return 0
}

// Holdings returns a copy of the holdings in order of first appearance.
func (c *CapTable) Holdings() []Holding { return slices.Clone(c.h) }

// Len is the number of holders.
func (c *CapTable) Len() int { return len(c.h) }

// Sum is the total of all stakes (1 up to rounding for a valid table).
func (c *CapTable) Sum() float64 {
	s := 0.0
	for _, x := range c.h {
		s += x.Stake
	}
	return s
}

// Issue books primary round r bought by investor: every existing stake is
// multiplied by r.Retain() and investor gains r.NewStake() (on top of any
// stake it already holds, as with a pro-rata participation). An invalid
// round returns an error wrapping ErrInvalidArgument and changes nothing.
func (c *CapTable) Issue(r Round, investor string) error {
	if err := r.Validate(); err != nil {
		return err
	}
	keep := r.Retain()
	for i := range c.h {
		c.h[i].Stake *= keep
	}
	if i := c.index(investor); i >= 0 {
		c.h[i].Stake += r.NewStake()
	} else {
		c.h = append(c.h, Holding{Holder: investor, Stake: r.NewStake()})
	}
	return nil
}

// Allocation is one investor's amount ($B) in a syndicated round.
type Allocation struct {
	Investor string
	Amount   float64
}

// IssueSyndicate books a primary round at post-money post ($B) bought by
// several investors at once (a lead plus pro-rata participants): the round
// raises the sum of the amounts, every existing stake is multiplied by
// 1 - raised/post, and each investor gains Amount/post. Amounts must be
// finite and non-negative and the round valid (see Round.Validate);
// otherwise it returns an error wrapping ErrInvalidArgument and changes
// nothing.
func (c *CapTable) IssueSyndicate(post float64, allocs ...Allocation) error {
	raised := 0.0
	for _, a := range allocs {
		if !finite(a.Amount) || a.Amount < 0 {
			return invalid("CapTable.IssueSyndicate: amount of %q = %g", a.Investor, a.Amount)
		}
		raised += a.Amount
	}
	r := Round{Invest: raised, Post: post}
	if err := r.Validate(); err != nil {
		return err
	}
	keep := r.Retain()
	for i := range c.h {
		c.h[i].Stake *= keep
	}
	for _, a := range allocs {
		stake := a.Amount / post
		if i := c.index(a.Investor); i >= 0 {
			c.h[i].Stake += stake
		} else {
			c.h = append(c.h, Holding{Holder: a.Investor, Stake: stake})
		}
	}
	return nil
}

// ProRata is the amount ($B) a holder must invest in round r to keep its
// stake: stake x r.Invest.
func (c *CapTable) ProRata(holder string, r Round) float64 {
	return c.Stake(holder) * r.Invest
}

// Transfer moves stake (a fraction of the firm) from one holder to another,
// as in a tender offer or secondary sale: nobody is diluted. It returns an
// error wrapping ErrInvalidArgument if stake is negative or not finite,
// from == to, or from holds less than stake (beyond 1e-12).
func (c *CapTable) Transfer(from, to string, stake float64) error {
	if !finite(stake) || stake < 0 || from == to {
		return invalid("CapTable.Transfer: stake=%g from %q to %q", stake, from, to)
	}
	i := c.index(from)
	if i < 0 || c.h[i].Stake < stake-1e-12 {
		return invalid("CapTable.Transfer: %q holds %g < %g", from, c.Stake(from), stake)
	}
	c.h[i].Stake = math.Max(0, c.h[i].Stake-stake)
	if j := c.index(to); j >= 0 {
		c.h[j].Stake += stake
	} else {
		c.h = append(c.h, Holding{Holder: to, Stake: stake})
	}
	return nil
}

// DilutionFactor is the product of Retain over rounds: what a stake that
// takes part in none of them keeps.
func DilutionFactor(rounds ...Round) float64 {
	f := 1.0
	for _, r := range rounds {
		f *= r.Retain()
	}
	return f
}

// MOIC is the multiple on invested capital (proceeds + mark)/invested, with
// proceeds the cash returned and mark the paper value of what is still held
// (stake x last post-money). invested <= 0 or non-finite input returns 0.
func MOIC(invested, proceeds, mark float64) float64 {
	if !(invested > 0) || !finite(invested, proceeds, mark) {
		return 0
	}
	return (proceeds + mark) / invested
}

// TVPI is a fund's total value to paid-in, (distributions + NAV)/paidIn;
// paidIn <= 0 or non-finite input returns 0.
func TVPI(distributions, nav, paidIn float64) float64 {
	if !(paidIn > 0) || !finite(distributions, nav, paidIn) {
		return 0
	}
	return (distributions + nav) / paidIn
}

// DPI is a fund's distributions to paid-in; paidIn <= 0 or non-finite input
// returns 0.
func DPI(distributions, paidIn float64) float64 {
	if !(paidIn > 0) || !finite(distributions, paidIn) {
		return 0
	}
	return distributions / paidIn
}

// IRR is the internal rate of return per period of flows[t] at t = 0, 1, ...
// (capital calls negative, distributions and terminal NAV positive): the r
// > -1 solving sum_t flows[t]/(1+r)^t = 0. See IRRDated for the method.
func IRR(flows []float64) (float64, error) {
	return irr(flows, nil)
}

// IRRDated is the annual internal rate of return of flows[i] occurring at
// times[i] years (any real times, e.g. months/12). It brackets a sign change
// of the net present value on a grid in ln(1+r) for rates from -99.9999% to
// 10^6 (per unit of time), walking outwards from r = 0 so that it finds the
// root closest to 0 when there are several (non-conventional flows can have
// several IRRs), and refines the bracket with Brent's method to about
// 1e-12. The NPV is evaluated in scaled form so that no power overflows.
//
// Errors: ErrInvalidArgument (wrapped) for mismatched lengths or
// non-finite values; ErrNoIRR (wrapped) when the flows are not of both
// signs or the NPV never changes sign.
func IRRDated(flows []float64, times []float64) (float64, error) {
	if len(times) != len(flows) {
		return 0, invalid("IRRDated: %d flows but %d times", len(flows), len(times))
	}
	return irr(flows, times)
}

func irr(flows, times []float64) (float64, error) {
	var neg, pos bool
	for i, f := range flows {
		if !finite(f) {
			return 0, invalid("IRR: flow %d is %g", i, f)
		}
		if times != nil && !finite(times[i]) {
			return 0, invalid("IRR: time %d is %g", i, times[i])
		}
		neg = neg || f < 0
		pos = pos || f > 0
	}
	if !neg || !pos {
		return 0, errNoIRR("flows need both signs")
	}
	at := func(i int) float64 {
		if times == nil {
			return float64(i)
		}
		return times[i]
	}
	// g(z) has the sign of NPV at rate r = e^z - 1: sum_i f_i e^{-z t_i}
	// scaled by e^{-max exponent}, continuous in z.
	g := func(z float64) float64 {
		m := math.Inf(-1)
		for i := range flows {
			m = math.Max(m, -z*at(i))
		}
		s := 0.0
		for i, f := range flows {
			s += f * math.Exp(-z*at(i)-m)
		}
		return s
	}
	// Walk outwards from r = 0 in steps of z = ln(1+r), alternately up and
	// down, so the first bracket found is the one closest to r = 0.
	const (
		zLo  = -13.815510557964274 // ln(1e-6): r = -99.9999%
		zHi  = 13.815510557964274  // ln(1e6)
		step = 0.01
	)
	g0 := g(0)
	if g0 == 0 {
		return 0, nil
	}
	var bestA, bestB, gA, gB float64
	found := false
	upZ, upG, downZ, downG := 0.0, g0, 0.0, g0
	for k := 1; !found && (upZ < zHi || downZ > zLo); k++ {
		if upZ < zHi {
			z := math.Min(float64(k)*step, zHi)
			gz := g(z)
			if gz == 0 || (gz < 0) != (upG < 0) {
				bestA, bestB, gA, gB, found = upZ, z, upG, gz, true
			}
			upZ, upG = z, gz
		}
		if !found && downZ > zLo {
			z := math.Max(-float64(k)*step, zLo)
			gz := g(z)
			if gz == 0 || (gz < 0) != (downG < 0) {
				bestA, bestB, gA, gB, found = z, downZ, gz, downG, true
			}
			downZ, downG = z, gz
		}
	}
	if !found {
		return 0, errNoIRR("net present value has no sign change for rates in (-99.9999%, 1e6)")
	}
	if gA == 0 {
		return math.Expm1(bestA), nil
	}
	if gB == 0 {
		return math.Expm1(bestB), nil
	}
	z := brent(g, bestA, bestB, gA, gB, 1e-14)
	return math.Expm1(z), nil
}

func errNoIRR(why string) error {
	return &noIRRError{why: why}
}

type noIRRError struct{ why string }

func (e *noIRRError) Error() string { return ErrNoIRR.Error() + ": " + e.why }
func (e *noIRRError) Unwrap() error { return ErrNoIRR }

// brent finds a root of f in [a, b] given fa = f(a), fb = f(b) of opposite
// signs (Brent 1973, as in Numerical Recipes zbrent).
func brent(f func(float64) float64, a, b, fa, fb, tol float64) float64 {
	c, fc := b, fb
	var d, e float64
	for range 200 {
		if (fb > 0) == (fc > 0) {
			c, fc = a, fa
			d = b - a
			e = d
		}
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tol1 := 2*2.220446049250313e-16*math.Abs(b) + 0.5*tol
		xm := 0.5 * (c - b)
		if math.Abs(xm) <= tol1 || fb == 0 {
			return b
		}
		if math.Abs(e) >= tol1 && math.Abs(fa) > math.Abs(fb) {
			s := fb / fa
			var p, q float64
			if a == c {
				p = 2 * xm * s
				q = 1 - s
			} else {
				q = fa / fc
				r := fb / fc
				p = s * (2*xm*q*(q-r) - (b-a)*(r-1))
				q = (q - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			}
			p = math.Abs(p)
			if 2*p < math.Min(3*xm*q-math.Abs(tol1*q), math.Abs(e*q)) {
				e = d
				d = p / q
			} else {
				d = xm
				e = d
			}
		} else {
			d = xm
			e = d
		}
		a, fa = b, fb
		if math.Abs(d) > tol1 {
			b += d
		} else {
			b += math.Copysign(tol1, xm)
		}
		fb = f(b)
	}
	return b
}
