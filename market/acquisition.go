package market

import (
	"fmt"
	"math"
)

// Valued acquisitions (model-v2.md §3.4; domain-model.md §3.6): a buyer
// bids for a target when owning it is worth more to the buyer than the
// price; the price splits the gain by the target's bargaining weight; and
// licence-and-hire is a separate, cheaper route against weak labs. Values
// are in US$B on one basis chosen by the caller, typically profits
// discounted over H months at the buyer's rate (DiscountedProfits), never
// a mix of that and a valuation multiple.

// DiscountedProfits is the present value (US$B) of monthly profits
// profits[t] (US$B) received at the end of month t+1, discounted at
// ratePerMonth (continuously compounded, >= 0):
//
//	sum_t profits[t] * exp(-ratePerMonth * (t+1)),
//
// so that a constant profit p over H months is p * AnnuityFactor(H, r).
// Profits may be negative (losses). Errors wrap ErrInvalidArgument for a
// negative or non-finite rate or a non-finite profit.
func DiscountedProfits(profits []float64, ratePerMonth float64) (float64, error) {
	if !finite(ratePerMonth) || ratePerMonth < 0 {
		return 0, invalid("DiscountedProfits: rate %g per month, want finite and >= 0", ratePerMonth)
	}
	v := 0.0
	for t, p := range profits {
		if !finite(p) {
			return 0, invalid("DiscountedProfits: profit %d = %g", t, p)
		}
		v += p * math.Exp(-ratePerMonth*float64(t+1))
	}
	return v, nil
}

// AcquisitionValues are the inputs of ValueAcquisition, US$B on one basis.
type AcquisitionValues struct {
	// Buyer and Target are the standalone values; Merged is the value of
	// the merged firm (with the synergies the caller's model gives: pulled
	// through cloud revenue, the revenue share and channel-conflict leakage
	// no longer paid away, control of the model).
	Buyer, Target, Merged float64
	// Liquidation (>= 0) is what the target's holders get by winding it up
	// (cash net of liabilities): with limited liability their outside
	// option is the larger of Target and Liquidation.
	Liquidation float64
	// RemedyCost (>= 0) is the expected cost of review: remedies, delay,
	// the probability-weighted loss of a block.
	RemedyCost float64
}

// Offer is the outcome of ValueAcquisition (US$B).
type Offer struct {
	// Outside is the target's outside option, max(Target, Liquidation).
	Outside float64
	// Gain is G = Merged - Buyer - Outside - RemedyCost.
	Gain float64
	// Price is Outside + TargetWeight * G; BuyerNet what the buyer keeps,
	// (1 - TargetWeight) * G. Both are set whether or not the buyer bids.
	Price, BuyerNet float64
	// Bid: the buyer bids; Accepted: the target takes the price.
	Bid, Accepted bool
	Reason        string
}

// ValueAcquisition decides a bid (domain-model.md §3.6). The gain is
//
//	G = Merged - Buyer - max(Target, Liquidation) - RemedyCost,
//
// the price is the target's outside option plus the share targetWeight
// (beta_T in [0,1], the target's weight in a generalised Nash split) of G,
// and the buyer bids iff what owning the target adds to its value,
// Merged - Buyer - RemedyCost, exceeds the price, that is iff
// (1 - beta_T) G > 0 (G > 0 when beta_T < 1). The target accepts a bid iff
// the price is at least its outside option (always so when G > 0) and its
// governance allows a sale (governanceAllows: false for a lab whose
// nonprofit or capped-profit parent has not restructured). Errors wrap
// ErrInvalidArgument for non-finite values, a negative liquidation value
// or remedy cost, or targetWeight outside [0,1].
func ValueAcquisition(v AcquisitionValues, targetWeight float64, governanceAllows bool) (Offer, error) {
	if !finite(v.Buyer, v.Target, v.Merged, v.Liquidation, v.RemedyCost) || v.Liquidation < 0 || v.RemedyCost < 0 {
		return Offer{}, invalid("ValueAcquisition: values %+v", v)
	}
	if !(targetWeight >= 0 && targetWeight <= 1) {
		return Offer{}, invalid("ValueAcquisition: target weight %g outside [0,1]", targetWeight)
	}
	o := Offer{Outside: max(v.Target, v.Liquidation)}
	o.Gain = v.Merged - v.Buyer - o.Outside - v.RemedyCost
	o.Price = o.Outside + targetWeight*o.Gain
	o.BuyerNet = (1 - targetWeight) * o.Gain
	o.Bid = o.BuyerNet > 0
	switch {
	case !o.Bid:
		o.Reason = fmt.Sprintf("no bid: the buyer would keep %.4g of a gain of %.4g", o.BuyerNet, o.Gain)
	case o.Price < o.Outside:
		o.Reason = fmt.Sprintf("refused: price %.4g below the target's outside option %.4g", o.Price, o.Outside)
	case !governanceAllows:
		o.Reason = fmt.Sprintf("refused: the target's governance bars a sale at %.4g", o.Price)
	default:
		o.Accepted = true
		o.Reason = fmt.Sprintf("accepted at %.4g (outside option %.4g + %.4g of the gain %.4g)", o.Price, o.Outside, targetWeight, o.Gain)
	}
	return o, nil
}

// WeaknessRule states when a lab is weak enough for licence-and-hire: its
// runway is shorter than MaxRunwayMonths and its capability trails the
// frontier by at least MinCapabilityGap (capability-index units of
// CapabilityIndex; with kappa = 1 a gap of 1 is 10x effective compute).
// The CMA's Microsoft/Inflection decision (4 September 2024) describes
// such a target: a lab that had not been able to grow or sustain its user
// numbers and was no strong competitor.
type WeaknessRule struct {
	MaxRunwayMonths, MinCapabilityGap float64
}

// DefaultWeaknessRule is {MaxRunwayMonths: 12, MinCapabilityGap: 1}, a
// prior (grade D), not an estimate.
func DefaultWeaknessRule() WeaknessRule {
	return WeaknessRule{MaxRunwayMonths: 12, MinCapabilityGap: 1}
}

// Weak reports whether a lab with runwayMonths of cash (see Runway; +Inf
// when cash-flow positive) and capability is weak against the frontier
// capability. NaN inputs are not weak.
func (w WeaknessRule) Weak(runwayMonths, capability, frontier float64) bool {
	return runwayMonths < w.MaxRunwayMonths && frontier-capability >= w.MinCapabilityGap
}

// LicenceHireValues are the inputs of ValueLicenceHire, US$B on the same
// basis as AcquisitionValues.
type LicenceHireValues struct {
	// Buyer is the buyer's standalone value; WithTeam its value with the
	// hired team and a non-exclusive licence to the target's model.
	Buyer, WithTeam float64
	// Target is the target's standalone value and Liquidation its winding-up
	// value (>= 0), as in AcquisitionValues; Residual is what the target's
	// holders keep after the deal (the firm without its team: its cash, its
	// remaining products), at most their outside option.
	Target, Liquidation, Residual float64
	// HiringCost (>= 0) is what the buyer pays the team above its market
	// pay (signing and retention awards, and any waiver paid to the target
	// for hiring its staff); RemedyCost (>= 0) the expected cost of review.
	HiringCost, RemedyCost float64
}

// LicenceHireOffer is the outcome of ValueLicenceHire (US$B).
type LicenceHireOffer struct {
	// Outside is the target holders' outside option max(Target,
	// Liquidation); Gain is G = WithTeam - Buyer - HiringCost - RemedyCost
	// - (Outside - Residual).
	Outside, Gain float64
	// Fee is the licence fee paid to the target, (Outside - Residual) +
	// TargetWeight * G; Outlay the buyer's whole cost, Fee + HiringCost;
	// BuyerNet what it keeps, (1 - TargetWeight) * G.
	Fee, Outlay, BuyerNet float64
	// Weak: the target is weak (the route is open); Bid and Accepted as
	// for Offer.
	Weak, Bid, Accepted bool
	Reason              string
}

// ValueLicenceHire decides a licence-and-hire deal, the separate route of
// model-v2.md §3.4: the buyer hires the target's team and takes a
// non-exclusive licence to its model, paying the team (HiringCost) and the
// target a licence fee that leaves its holders at least their outside
// option. It is open only against a weak lab (weak, from
// WeaknessRule.Weak). The gain is
//
//	G = WithTeam - Buyer - HiringCost - RemedyCost - (max(Target, Liquidation) - Residual),
//
// the fee (Outside - Residual) + beta_T G, and the buyer bids iff weak and
// (1 - beta_T) G > 0. It is cheaper than buying the firm when the buyer
// wants the team rather than the firm: it pays nothing for what the target
// keeps (Residual: cash, products, liabilities stay with the target),
// the review it draws is lighter (a smaller RemedyCost; in the US a
// non-exclusive licence and hiring are not reportable), and the value it
// forgoes (WithTeam below Merged) is small for a lab without traction.
// The target accepts iff Residual + Fee reaches its outside option and
// governanceAllows. Errors wrap ErrInvalidArgument for non-finite values,
// negative costs or liquidation value, a residual above the outside
// option, or targetWeight outside [0,1].
func ValueLicenceHire(v LicenceHireValues, weak bool, targetWeight float64, governanceAllows bool) (LicenceHireOffer, error) {
	if !finite(v.Buyer, v.WithTeam, v.Target, v.Liquidation, v.Residual, v.HiringCost, v.RemedyCost) ||
		v.Liquidation < 0 || v.HiringCost < 0 || v.RemedyCost < 0 {
		return LicenceHireOffer{}, invalid("ValueLicenceHire: values %+v", v)
	}
	if !(targetWeight >= 0 && targetWeight <= 1) {
		return LicenceHireOffer{}, invalid("ValueLicenceHire: target weight %g outside [0,1]", targetWeight)
	}
	o := LicenceHireOffer{Outside: max(v.Target, v.Liquidation), Weak: weak}
	if v.Residual > o.Outside {
		return LicenceHireOffer{}, invalid("ValueLicenceHire: residual %g above the target's outside option %g", v.Residual, o.Outside)
	}
	o.Gain = v.WithTeam - v.Buyer - v.HiringCost - v.RemedyCost - (o.Outside - v.Residual)
	o.Fee = o.Outside - v.Residual + targetWeight*o.Gain
	o.Outlay = o.Fee + v.HiringCost
	o.BuyerNet = (1 - targetWeight) * o.Gain
	o.Bid = weak && o.BuyerNet > 0
	switch {
	case !weak:
		o.Reason = "no bid: the target is not weak, so licence and hire is not open"
	case !o.Bid:
		o.Reason = fmt.Sprintf("no bid: the buyer would keep %.4g of a gain of %.4g", o.BuyerNet, o.Gain)
	case v.Residual+o.Fee < o.Outside:
		o.Reason = fmt.Sprintf("refused: fee %.4g and residual %.4g below the outside option %.4g", o.Fee, v.Residual, o.Outside)
	case !governanceAllows:
		o.Reason = "refused: the target's governance bars the deal"
	default:
		o.Accepted = true
		o.Reason = fmt.Sprintf("accepted: fee %.4g plus hiring %.4g (outlay %.4g) for a gain of %.4g", o.Fee, v.HiringCost, o.Outlay, o.Gain)
	}
	return o, nil
}
