package market

import "math"

// Compute exclusivity as a chosen term (model-v2.md §3.3, "the agreement
// set is chosen first"; domain-model §3.7). The lab compares two agreement
// sets with its backer: exclusive (it buys compute only at the backer) and
// non-exclusive (it may buy at every cloud). Both are valued in the
// compute market's own logit (LabComputeDemand): a lab with potential M
// GPU-hours a month, price sensitivity alpha, value v_k and price p_k at
// cloud k and the outside option (buying less) at utility 0.
//
// The lab's loss from exclusivity is its compute surplus without the
// rivals:
//
//	ΔL = (M/alpha)·ln[(1 + Σ_k a_k·e^{u_k}) / (1 + e^{u_h})],  u_k = alpha(v_k - p_k),
//
// where h is the backer and a_k in [0, 1] is the share of the lab's wanted
// GPU-hours cloud k can supply (its spare capacity; a_h = 1): a rival
// without spare capacity is no outside option, one with ample capacity
// and a lower price is a good one.
//
// The backer's gain from exclusivity is its margin on the lab's compute it
// keeps: ΔH = m·p_h·M·(s_h(E) - s_h(N)), with s_h the backer's logit share
// under each set and m the cloud margin.
//
// Prices are held at the month's: the comparison is of access, not of a
// re-solved equilibrium. With x = (1 + Σ a_k e^{u_k})/(1 + e^{u_h}) >= 1,
// ΔL = (M/alpha)·ln x and ΔH = m·p_h·M·s_h(E)·(1 - 1/x), so the ratio
// ΔL/ΔH = ln x / [(1 - 1/x)·alpha·m·p_h·s_h(E)] starts at
// 1/(alpha·m·p_h·s_h(E)) for a marginal outside option and grows without
// bound as the rivals' offer improves (x -> ∞): exclusivity costs the lab
// more than it gains the backer once the outside option is good.
//
// The transfer instrument is cash paid up front for a term of T months
// (annuity factor A over T). The lab values a dollar of cash at 1 + mu,
// mu its shadow cost of cash (ShadowCostOfCash: high at a short runway,
// the round cost at a long one); the backer at 1. The payment P solves the
// Nash bargain with the lab's weight beta,
//
//	max_P [(1+mu)·P - A·ΔL]^beta · [A·ΔH - P]^(1-beta)
//	=> P = A·[beta·ΔH + (1 - beta)·ΔL/(1 + mu)],
//
// and the deal has gains for both iff (1 + mu)·ΔH > ΔL: the cash
// constraint that makes a lab sell exclusivity. A lab that values cash at
// par (mu = 0) never sells exclusivity it loses more on than the backer
// gains; a cash-short lab (mu large) sells it for capital; a lab whose
// rivals' capacity grows or whose rivals' price falls (ΔL/ΔH up) stops
// selling it and, within a term, buys it back (ExclusivityBuyback).

// ExclusivityGains returns the lab's monthly loss from compute exclusivity
// with cloud h (labLoss, in the units of potential x price) and the
// backer's monthly gain (cloudGain), as stated above. value, price and
// avail are by cloud; a cloud with price +Inf or avail 0 is no option
// (the backer's avail is taken as 1). It returns 0, 0 when the backer
// itself is no option (price +Inf) or potential is 0.
func ExclusivityGains(alpha, potential, margin float64, h int, value, price, avail []float64) (labLoss, cloudGain float64, err error) {
	n := len(value)
	if len(price) != n || len(avail) != n || h < 0 || h >= n {
		return 0, 0, invalid("ExclusivityGains: len(value)=%d len(price)=%d len(avail)=%d h=%d", n, len(price), len(avail), h)
	}
	if !(alpha > 0) || !finite(alpha, potential, margin) || potential < 0 || margin < 0 {
		return 0, 0, invalid("ExclusivityGains: alpha=%g potential=%g margin=%g, want alpha > 0, potential >= 0, margin >= 0", alpha, potential, margin)
	}
	if potential == 0 || math.IsInf(price[h], 1) {
		return 0, 0, nil
	}
	top := 0.0 // the outside option's utility
	for k := range n {
		if !finite(value[k]) || math.IsNaN(price[k]) || math.IsInf(price[k], -1) || math.IsNaN(avail[k]) || avail[k] < 0 {
			return 0, 0, invalid("ExclusivityGains: cloud %d value %g price %g avail %g", k, value[k], price[k], avail[k])
		}
		if math.IsInf(price[k], 1) || (k != h && avail[k] == 0) {
			continue
		}
		top = math.Max(top, alpha*(value[k]-price[k]))
	}
	eh := math.Exp(alpha*(value[h]-price[h]) - top)
	e0 := math.Exp(-top)
	denE := e0 + eh
	denN := denE
	for k := range n {
		if k == h || math.IsInf(price[k], 1) || avail[k] == 0 {
			continue
		}
		denN += math.Min(1, avail[k]) * math.Exp(alpha*(value[k]-price[k])-top)
	}
	labLoss = potential / alpha * math.Log(denN/denE)
	cloudGain = margin * price[h] * potential * (eh/denE - eh/denN)
	return math.Max(0, labLoss), math.Max(0, cloudGain), nil
}

// ExclusivityDeal returns the Nash payment for exclusivity over a term
// with annuity factor annuity (the backer pays it to the lab up front) and
// whether the deal has gains for both, (1+mu)·cloudGain > labLoss. mu is
// the lab's shadow cost of cash, weight its Nash bargaining weight in
// [0, 1]. payment is 0 when sell is false.
func ExclusivityDeal(labLoss, cloudGain, mu, weight, annuity float64) (payment float64, sell bool) {
	if !(cloudGain > 0) || !((1+mu)*cloudGain > labLoss*(1+1e-9)) {
		return 0, false
	}
	weight = math.Max(0, math.Min(1, weight))
	return annuity * (weight*cloudGain + (1-weight)*labLoss/(1+mu)), true
}

// ExclusivityBuyback reports whether a lab within an exclusivity term
// buys it back: the lab ends exclusivity by refunding the unexpired part
// of the payment (a stipulated term, refund), and does so when its loss
// from exclusivity over the rest of the term (annuityLeft x labLoss)
// exceeds the refund valued at its shadow cost of cash, (1 + mu) x refund.
func ExclusivityBuyback(labLoss, mu, annuityLeft, refund float64) bool {
	return annuityLeft*labLoss > (1+mu)*refund*(1+1e-9)
}
