package market

import (
	"math"
	"strings"
)

// NashOutcome is the result of a two-player bargain over a transferable
// surplus. U1 and U2 are the players' payoffs (same unit as the surplus).
// When Agreement is false the payoffs are what each player gets without an
// agreement (documented per function).
type NashOutcome struct {
	U1, U2    float64
	Agreement bool
}

// NashSplit is the generalised (asymmetric) Nash bargaining solution with
// disagreement point (d1, d2) and bargaining weight alpha for player 1
// (domain model §3.1(a)):
//
//	u1 = d1 + alpha(S - d1 - d2),  u2 = d2 + (1-alpha)(S - d1 - d2).
//
// Agreement requires S >= d1 + d2; otherwise the outcome has Agreement false
// and the disagreement payoffs (d1, d2). It returns an error wrapping
// ErrInvalidArgument if alpha is outside [0,1] or any input is NaN or
// infinite.
func NashSplit(S, d1, d2, alpha float64) (NashOutcome, error) {
	if !finite(S, d1, d2, alpha) {
		return NashOutcome{}, invalid("NashSplit: non-finite input (S=%g d1=%g d2=%g alpha=%g)", S, d1, d2, alpha)
	}
	if alpha < 0 || alpha > 1 {
		return NashOutcome{}, invalid("NashSplit: alpha=%g outside [0,1]", alpha)
	}
	gain := S - d1 - d2
	if gain < 0 {
		return NashOutcome{U1: d1, U2: d2}, nil
	}
	u1 := d1 + alpha*gain
	return NashOutcome{U1: u1, U2: S - u1, Agreement: true}, nil
}

// OutsideOptionMode selects how outside options enter a Nash bargain.
type OutsideOptionMode int

const (
	// Constraint treats outside options as constraints on the split of the
	// surplus around the impasse (inside-option) point d: the outside option
	// principle of Binmore, Rubinstein & Wolinsky (1986). It is the default
	// and the right model for renegotiating a running contract.
	Constraint OutsideOptionMode = iota
	// ThreatPoint uses the outside options as the disagreement point
	// (d_i = w_i, "split the difference"; Sutton 1986).
	ThreatPoint
)

// String returns the mode's name.
func (m OutsideOptionMode) String() string {
	switch m {
	case Constraint:
		return "Constraint"
	case ThreatPoint:
		return "ThreatPoint"
	}
	return "OutsideOptionMode(?)"
}

// NashWithOutsideOptions bargains over surplus S with impasse payoffs
// (d1, d2), outside options (w1, w2) and weight alpha for player 1
// (domain model §3.1(b)).
//
// Constraint mode: start from the Nash split around (d1, d2); if a player's
// payoff falls below its outside option it gets exactly the outside option
// and the other the rest. There is no agreement when w1 + w2 > S or
// S < d1 + d2; each player then gets max(d_i, w_i).
//
// ThreatPoint mode: NashSplit(S, w1, w2, alpha); without agreement each
// player gets its outside option.
//
// It returns an error wrapping ErrInvalidArgument for non-finite inputs,
// alpha outside [0,1] or an unknown mode.
func NashWithOutsideOptions(S, d1, d2, w1, w2, alpha float64, mode OutsideOptionMode) (NashOutcome, error) {
	if !finite(S, d1, d2, w1, w2, alpha) {
		return NashOutcome{}, invalid("NashWithOutsideOptions: non-finite input")
	}
	if alpha < 0 || alpha > 1 {
		return NashOutcome{}, invalid("NashWithOutsideOptions: alpha=%g outside [0,1]", alpha)
	}
	switch mode {
	case ThreatPoint:
		return NashSplit(S, w1, w2, alpha)
	case Constraint:
		if w1+w2 > S || S < d1+d2 {
			return NashOutcome{U1: math.Max(d1, w1), U2: math.Max(d2, w2)}, nil
		}
		u1 := d1 + alpha*(S-d1-d2)
		u2 := S - u1
		switch {
		case u1 < w1:
			u1, u2 = w1, S-w1
		case u2 < w2:
			u1, u2 = S-w2, w2
		}
		return NashOutcome{U1: u1, U2: u2, Agreement: true}, nil
	}
	return NashOutcome{}, invalid("NashWithOutsideOptions: unknown mode %d", int(mode))
}

// RubinsteinShares is the unique subgame-perfect split of a pie of size 1 in
// Rubinstein's (1982) alternating-offers game with player 1 proposing first:
//
//	x1 = (1-delta2)/(1-delta1*delta2),  x2 = 1 - x1.
//
// Discount factors are per offer interval and must lie in the open interval
// (0,1); otherwise it returns an error wrapping ErrInvalidArgument.
func RubinsteinShares(delta1, delta2 float64) (x1, x2 float64, err error) {
	if !(delta1 > 0 && delta1 < 1) || !(delta2 > 0 && delta2 < 1) {
		return 0, 0, invalid("RubinsteinShares: discount factors (%g, %g) must lie in (0,1)", delta1, delta2)
	}
	x1 = (1 - delta2) / (1 - delta1*delta2)
	return x1, 1 - x1, nil
}

// RubinsteinContinuous is the Rubinstein split with discount factors
// delta_i = exp(-r_i * interval): r1, r2 are discount rates per unit time
// (e.g. per month) and interval is the time between offers in that unit.
// It is computed with expm1 so it stays accurate as the interval shrinks;
// interval == 0 returns the limit r2/(r1+r2), the Nash split with
// alpha = r2/(r1+r2) (Binmore, Rubinstein & Wolinsky 1986).
//
// Rates must be >= 0 and not both zero, the interval >= 0 and all finite;
// otherwise it returns an error wrapping ErrInvalidArgument.
func RubinsteinContinuous(r1, r2, interval float64) (x1, x2 float64, err error) {
	if !finite(r1, r2, interval) || r1 < 0 || r2 < 0 || r1+r2 == 0 || interval < 0 {
		return 0, 0, invalid("RubinsteinContinuous: need r1, r2 >= 0 not both 0 and interval >= 0 (got %g, %g, %g)", r1, r2, interval)
	}
	if interval == 0 {
		x1 = r2 / (r1 + r2)
		return x1, 1 - x1, nil
	}
	x1 = math.Expm1(-r2*interval) / math.Expm1(-(r1+r2)*interval)
	return x1, 1 - x1, nil
}

// RubinsteinOutsideOption is the alternating-offers split with a common
// discount factor delta in (0,1) when the responder (player 2) may quit
// with outside option b, in units of the pie (Osborne & Rubinstein 1990
// §3.12): x2 = max(b, delta/(1+delta)), x1 = 1 - x2.
//
// If b > 1 player 2 quits: it returns ErrNoAgreement with x2 = b, x1 = 0.
// delta outside (0,1) or NaN b returns an error wrapping ErrInvalidArgument.
func RubinsteinOutsideOption(delta, b float64) (x1, x2 float64, err error) {
	if !(delta > 0 && delta < 1) || math.IsNaN(b) {
		return 0, 0, invalid("RubinsteinOutsideOption: delta=%g must lie in (0,1), b=%g must not be NaN", delta, b)
	}
	if b > 1 {
		return 0, b, ErrNoAgreement
	}
	x2 = math.Max(b, delta/(1+delta))
	return 1 - x2, x2, nil
}

// ImpatienceRate is the lab's discount rate per month as a function of its
// cash runway (domain model §3.1(d)):
//
//	r_L = rMin + (rMax - rMin) * exp(-runwayMonths/tau).
//
// A runway of +Inf (cash-flow positive) gives rMin; a negative or NaN runway
// is treated as 0 (no cash: most impatient) and gives rMax. If tau <= 0 or
// NaN the decay is a step: rMax at zero runway, rMin otherwise.
func ImpatienceRate(runwayMonths, rMin, rMax, tau float64) float64 {
	if math.IsNaN(runwayMonths) || runwayMonths < 0 {
		runwayMonths = 0
	}
	if math.IsInf(runwayMonths, 1) {
		return rMin
	}
	if !(tau > 0) {
		if runwayMonths == 0 {
			return rMax
		}
		return rMin
	}
	return rMin + (rMax-rMin)*math.Exp(-runwayMonths/tau)
}

// Runway is the number of months the cash lasts at the current net burn:
// cash / (burn - revenue), all flows per month. It is +Inf when
// revenue >= burn (cash-flow positive) and 0 when cash <= 0 and the firm
// burns. NaN inputs give 0 (the conservative value).
func Runway(cash, burn, revenue float64) float64 {
	if anyNaN(cash, burn, revenue) {
		return 0
	}
	net := burn - revenue
	if !(net > 0) {
		return math.Inf(1)
	}
	if cash <= 0 {
		return 0
	}
	return cash / net
}

// RunwayWithCredits is the number of months R a lab's money lasts when
// part of it is cloud credits, which pay only for compute: each month the
// lab spends burn and earns revenue, and its credits pay computeBurn of
// the burn (its compute; computeBurn <= burn) as long as they last, cash
// the rest. R solves
//
//	cash + min(credits, R x computeBurn) = R x (burn - revenue)
//
// (the largest such R: credits count only as far as the lab spends them on
// compute within its runway), so
//
//	R = min(cash / (burn - revenue - computeBurn), (cash + credits) / (burn - revenue)),
//
// the first term +Inf when revenue covers the burn that credits do not
// pay. With no credits (or no compute) it is Runway(cash, burn, revenue);
// with credits and no cash, 0 unless revenue covers the other opex. It is
// +Inf when revenue >= burn, 0 when cash < 0 and the firm burns. NaN inputs
// give 0; negative credits or computeBurn count as 0, and computeBurn is
// at most burn.
func RunwayWithCredits(cash, burn, revenue, credits, computeBurn float64) float64 {
	if anyNaN(cash, burn, revenue, credits, computeBurn) {
		return 0
	}
	net := burn - revenue
	if !(net > 0) {
		return math.Inf(1)
	}
	if cash < 0 {
		return 0
	}
	credits = math.Max(0, credits)
	c := math.Min(math.Max(0, computeBurn), burn)
	if credits == 0 || c == 0 {
		return Runway(cash, burn, revenue)
	}
	r := (cash + credits) / net // credits run out first
	if cashNet := net - c; cashNet > 0 {
		r = math.Min(r, cash/cashNet) // cash runs out first
	}
	return r
}

// BargainingWeight is the lab's Nash bargaining weight implied by the
// players' discount rates, the Rubinstein limit alpha_L = rH/(rL+rH)
// (domain model §3.1(c),(d)). Negative or NaN rates are treated as 0; if
// both rates are 0 (or both infinite) the weight is 0.5. An infinite rate
// makes that player powerless.
func BargainingWeight(rLab, rBacker float64) float64 {
	if math.IsNaN(rLab) || rLab < 0 {
		rLab = 0
	}
	if math.IsNaN(rBacker) || rBacker < 0 {
		rBacker = 0
	}
	switch {
	case math.IsInf(rLab, 1) && math.IsInf(rBacker, 1):
		return 0.5
	case math.IsInf(rLab, 1):
		return 0
	case math.IsInf(rBacker, 1):
		return 1
	case rLab+rBacker == 0:
		return 0.5
	}
	return rBacker / (rLab + rBacker)
}

// ShareInputs are the inputs of the revenue-share bargain (domain model
// §3.1(a)), all per period in $B except Alpha: lab revenue R, the backer's
// non-share benefit B, the disagreement payoffs DL (lab) and DH (backer),
// and the lab's bargaining weight Alpha in [0,1].
type ShareInputs struct {
	R, B, DL, DH, Alpha float64
}

// NashShare computes the revenue share s paid to the backer directly from
// the Nash split of S = R + B with lab payoff (1-s)R and backer payoff
// sR + B: s = 1 - [DL + Alpha(R + B - DL - DH)]/R.
//
// ok is false (and s is 0) when there is no agreement (R + B < DL + DH),
// when R <= 0, when Alpha is outside [0,1] or when an input is not finite.
// s is not clamped: a negative s means the backer pays the lab; clamp it
// with ClampShare to the contract's admissible range.
func NashShare(in ShareInputs) (s float64, ok bool) {
	if !finite(in.R, in.B, in.DL, in.DH, in.Alpha) || in.R <= 0 || in.Alpha < 0 || in.Alpha > 1 {
		return 0, false
	}
	out, err := NashSplit(in.R+in.B, in.DL, in.DH, in.Alpha)
	if err != nil || !out.Agreement {
		return 0, false
	}
	return 1 - out.U1/in.R, true
}

// ClosedFormShare is the closed form of the Nash revenue share when the
// lab's disagreement payoff is DL = (1-phi)R - k (domain model §3.1(a)):
//
//	s = phi(1-alpha) + ((1-alpha)k - alpha(B-DH))/R.
//
// R = +Inf gives the long-run share phi(1-alpha). R <= 0 or NaN (no revenue
// to share) returns 0; non-finite phi, alpha, k, B or DH also return 0.
// The result is not clamped (see ClampShare).
func ClosedFormShare(phi, alpha, k, B, DH, R float64) float64 {
	if !finite(phi, alpha, k, B, DH) || math.IsNaN(R) || R <= 0 {
		return 0
	}
	return phi*(1-alpha) + ((1-alpha)*k-alpha*(B-DH))/R
}

// ClampShare limits a bargained share to the admissible range [lo, hi]
// (e.g. a policy cap). NaN returns lo.
func ClampShare(s, lo, hi float64) float64 {
	if math.IsNaN(s) {
		return lo
	}
	return clamp(s, lo, hi)
}

// Phi is the fraction of revenue the lab loses by leaving its backer
// (domain model §3.1(d)): phi0 - phi1*multiCloudShare - phi2*directShare,
// clamped to [0.1, 1]. NaN inputs return 1 (full dependence, the
// conservative value).
func Phi(phi0, phi1, phi2, multiCloudShare, directShare float64) float64 {
	v := phi0 - phi1*multiCloudShare - phi2*directShare
	if math.IsNaN(v) {
		return 1
	}
	return clamp(v, 0.1, 1)
}

// TriggerReason says why a renegotiation fired. It is a bit set: several
// reasons can fire in the same month.
type TriggerReason uint8

const (
	// TriggerNone: no trigger fired.
	TriggerNone TriggerReason = 0
	// TriggerARR: the lab's ARR reached the threshold for the first time.
	TriggerARR TriggerReason = 1 << (iota - 1)
	// TriggerBand: the Nash share stayed outside the hysteresis band around
	// the contract share for HoldMonths consecutive months.
	TriggerBand
	// TriggerExpiry: the contract (or its exclusivity/ROFR) expired.
	TriggerExpiry
)

// Has reports whether r contains every reason in q.
func (r TriggerReason) Has(q TriggerReason) bool { return r&q == q && q != 0 }

// String lists the reasons, e.g. "ARR|Band", or "None".
func (r TriggerReason) String() string {
	if r == TriggerNone {
		return "None"
	}
	var parts []string
	if r.Has(TriggerARR) {
		parts = append(parts, "ARR")
	}
	if r.Has(TriggerBand) {
		parts = append(parts, "Band")
	}
	if r.Has(TriggerExpiry) {
		parts = append(parts, "Expiry")
	}
	return strings.Join(parts, "|")
}

// RenegotiationTrigger holds the rules that reopen a sticky contract
// (domain model §3.1(e)): the lab's ARR crossing ARRThreshold ($B,
// annualised; <= 0 disables), the Nash share differing from the contract
// share by more than Band (a fraction, 0.05 = 5 percentage points) for
// HoldMonths consecutive months (values < 1 count as 1), and contract expiry.
type RenegotiationTrigger struct {
	ARRThreshold, Band float64
	HoldMonths         int
}

// DefaultRenegotiationTrigger returns the defaults of domain model §3.1(e):
// ARR threshold $2B, band 5 percentage points, held for 6 months.
func DefaultRenegotiationTrigger() RenegotiationTrigger {
	return RenegotiationTrigger{ARRThreshold: 2, Band: 0.05, HoldMonths: 6}
}

// TriggerState is the memory a RenegotiationTrigger needs between months.
// Its zero value is a fresh contract.
type TriggerState struct {
	// MonthsOutside counts consecutive months the Nash share has been
	// outside the band; it resets when the share returns or a trigger fires.
	MonthsOutside int
	// ARRCrossed is set once the ARR trigger has fired; it fires only once.
	ARRCrossed bool
	// ExpiryFired is 1 + the expiry month that last fired (0: none), so a
	// renewed contract with a later expiry fires again.
	ExpiryFired int
}

// Check advances st by one month and reports whether renegotiation opens
// and why. arr is the lab's ARR ($B), contractShare and nashShare are
// revenue shares (fractions), expiryMonth is the contract's expiry month
// index (<= 0: none). The expiry trigger fires once, in the first checked
// month >= expiryMonth. Any firing resets the band counter, since the
// parties re-bargain. NaN arr never crosses; NaN shares count as inside the
// band. A nil st behaves as a fresh state that is not kept.
func (t RenegotiationTrigger) Check(st *TriggerState, arr, contractShare, nashShare float64, month, expiryMonth int) (fire bool, reason TriggerReason) {
	if st == nil {
		st = &TriggerState{}
	}
	if t.ARRThreshold > 0 && !st.ARRCrossed && arr >= t.ARRThreshold {
		st.ARRCrossed = true
		reason |= TriggerARR
	}
	if expiryMonth > 0 && month >= expiryMonth && st.ExpiryFired != expiryMonth+1 {
		st.ExpiryFired = expiryMonth + 1
		reason |= TriggerExpiry
	}
	if math.Abs(nashShare-contractShare) > t.Band {
		st.MonthsOutside++
	} else {
		st.MonthsOutside = 0
	}
	if st.MonthsOutside >= max(t.HoldMonths, 1) {
		reason |= TriggerBand
	}
	if reason != TriggerNone {
		st.MonthsOutside = 0
		return true, reason
	}
	return false, TriggerNone
}
