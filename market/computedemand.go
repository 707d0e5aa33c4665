package market

import "math"

// Access is a lab's access to one cloud's compute, decided by its compute
// contracts (domain-model.md §3.7, model-v2.md §3.1 "Exclusivity is
// access"). The zero value is AccessOpen.
type Access uint8

const (
	// AccessOpen: the lab may buy at the cloud as an ordinary buyer, served
	// after the cloud's committed and priority buyers.
	AccessOpen Access = iota
	// AccessPriority: the lab may buy at the cloud and is served before its
	// open buyers: the cloud is the lab's exclusive compute partner or holds
	// a right of first refusal over the lab's compute.
	AccessPriority
	// AccessBarred: the lab may not buy at the cloud (its exclusive deal is
	// with another cloud, or a rule bars it).
	AccessBarred
)

// String names the access term.
func (a Access) String() string {
	switch a {
	case AccessOpen:
		return "open"
	case AccessPriority:
		return "priority"
	case AccessBarred:
		return "barred"
	}
	return "invalid"
}

// ComputeAccess writes into out[:clouds] a lab's access to each cloud from
// its compute contract with cloud partner (an index in [0, clouds), or -1
// for a lab without a compute partner):
//
//   - exclusive: the lab may buy only at partner, with priority there, and
//     is barred everywhere else (domain-model §3.7 "Exclusive: x_backer = X_j");
//   - rofr (and not exclusive): partner serves the lab first and the lab may
//     buy the rest anywhere ("ROFR: x_backer = min(X_j, capacity offered);
//     overflow to others");
//   - neither, or partner = -1: open access everywhere.
//
// A ban on exclusive compute deals is the call with exclusive = false.
// Errors wrap ErrInvalidArgument (out shorter than clouds, partner out of
// range, or a term without a partner). It allocates nothing.
func ComputeAccess(partner int, exclusive, rofr bool, out []Access) error {
	clouds := len(out)
	if partner < -1 || partner >= clouds {
		return invalid("ComputeAccess: partner %d outside [-1,%d)", partner, clouds)
	}
	if partner < 0 && (exclusive || rofr) {
		return invalid("ComputeAccess: exclusive or ROFR terms without a partner cloud")
	}
	for k := range out {
		switch {
		case k == partner && (exclusive || rofr):
			out[k] = AccessPriority
		case exclusive:
			out[k] = AccessBarred
		default:
			out[k] = AccessOpen
		}
	}
	return nil
}

// LabComputeDemand writes one lab's logit demand for compute at each cloud
// into q[:len(value)] (H100-equivalent GPU-hours per month) and returns its
// total over clouds and the outside share (domain-model §3.7, "Free:
// x_c ∝ exp(η·[−price_c + credits_c + perf_c − k_mig·1[c ∉ current]])",
// with an outside option):
//
//	u_k = alpha (value_k - price_k)   for a cloud the lab may buy at,
//	s_k = exp(u_k) / (1 + sum_m exp(u_m)),   s_0 = 1 / (1 + sum_m exp(u_m)),
//	q_k = potential s_k,   total = potential (1 - s_0).
//
// alpha (> 0, per US$ per GPU-hour) is the lab's price sensitivity, η of
// §3.7; potential (>= 0, GPU-hours per month) is the compute the lab would
// buy if compute were free relative to its value; value_k (US$ per
// GPU-hour) is the lab's value of a GPU-hour at cloud k relative to its
// outside option (quality and performance, credits, partnership, less the
// migration cost of a cloud it is not on); price_k is cloud k's price to
// the lab in US$ per GPU-hour. The outside option (utility 0) is buying
// less compute this month or buying it outside these clouds, so the lab's
// total compute falls as prices rise.
//
// access may be nil (all open); a cloud with AccessBarred, or with price
// +Inf, gets q_k = 0. It is computed stably for large utilities and
// allocates nothing. Errors wrap ErrInvalidArgument: mismatched lengths,
// alpha <= 0, potential < 0, a non-finite input (other than a +Inf price),
// an invalid access value.
func LabComputeDemand(alpha, potential float64, value, price []float64, access []Access, q []float64) (total, outside float64, err error) {
	n := len(value)
	if len(price) != n || len(q) < n || (access != nil && len(access) != n) {
		return 0, 0, invalid("LabComputeDemand: len(value)=%d len(price)=%d len(access)=%d len(q)=%d",
			n, len(price), len(access), len(q))
	}
	if !(alpha > 0) || !finite(alpha) {
		return 0, 0, invalid("LabComputeDemand: alpha = %g, want > 0", alpha)
	}
	if !(potential >= 0) || !finite(potential) {
		return 0, 0, invalid("LabComputeDemand: potential = %g, want finite >= 0", potential)
	}
	m := 0.0 // the outside option's utility
	for k := range n {
		if access != nil && access[k] > AccessBarred {
			return 0, 0, invalid("LabComputeDemand: access[%d] = %d", k, access[k])
		}
		if !finite(value[k]) || math.IsNaN(price[k]) || math.IsInf(price[k], -1) {
			return 0, 0, invalid("LabComputeDemand: cloud %d value %g price %g", k, value[k], price[k])
		}
		if u := alpha * (value[k] - price[k]); u > m && computeAvailable(access, k) {
			m = u
		}
	}
	den := math.Exp(-m)
	for k := range n {
		q[k] = 0
		if computeAvailable(access, k) && !math.IsInf(price[k], 1) {
			q[k] = math.Exp(alpha*(value[k]-price[k]) - m)
			den += q[k]
		}
	}
	inv := 1 / den
	for k := range n {
		q[k] *= potential * inv
		total += q[k]
	}
	return total, math.Exp(-m) * inv, nil
}

func computeAvailable(access []Access, k int) bool { return access == nil || access[k] != AccessBarred }

// ComputeDemandJacobian writes the derivatives of a lab's logit compute
// demand (LabComputeDemand) with respect to the prices it faces, the
// quantities the clouds' pricing needs:
//
//	jac[k*n+l] = dq_k/dp_l = -alpha potential s_k (δ_kl - s_l),
//	dTotal[l]  = dX/dp_l   = -alpha potential s_l s_0,
//
// with share[k] = s_k = q_k/potential the lab's inside shares (n =
// len(share); s_0 = 1 - sum s_k). Units: GPU-hours per month per US$ per
// GPU-hour. jac must have at least n*n elements and dTotal n. Errors wrap
// ErrInvalidArgument (short buffers, alpha <= 0, potential < 0, shares
// that are negative, non-finite or sum above 1 + 1e-9). It allocates
// nothing.
func ComputeDemandJacobian(alpha, potential float64, share, jac, dTotal []float64) error {
	n := len(share)
	if len(jac) < n*n || len(dTotal) < n {
		return invalid("ComputeDemandJacobian: len(jac)=%d < %d or len(dTotal)=%d < %d", len(jac), n*n, len(dTotal), n)
	}
	if !(alpha > 0) || !finite(alpha) || !(potential >= 0) || !finite(potential) {
		return invalid("ComputeDemandJacobian: alpha = %g, potential = %g", alpha, potential)
	}
	s0 := 1.0
	for k, s := range share {
		if !(s >= 0) || !finite(s) {
			return invalid("ComputeDemandJacobian: share %d = %g", k, s)
		}
		s0 -= s
	}
	if s0 < -1e-9 {
		return invalid("ComputeDemandJacobian: shares sum to %g > 1", 1-s0)
	}
	s0 = math.Max(0, s0)
	am := alpha * potential
	for k, sk := range share {
		for l, sl := range share {
			d := am * sk * sl
			if k == l {
				d -= am * sk
			}
			jac[k*n+l] = d
		}
		dTotal[k] = -am * sk * s0
	}
	return nil
}

// ComputeSurplus is a lab's money-metric surplus from the compute market
// in US$ per month, (potential/alpha) ln(1 + sum_k exp(alpha (value_k -
// price_k))), relative to buying nothing from these clouds (Small & Rosen
// 1981 for the logit of LabComputeDemand, same arguments). By Roy's
// identity dS/dp_k = -q_k, so a cloud holding a stake in the lab loses
// stake x q_k when it raises the lab's price (see ComputeMarket.Stake).
// Invalid input returns 0; it allocates nothing.
func ComputeSurplus(alpha, potential float64, value, price []float64, access []Access) float64 {
	n := len(value)
	if len(price) != n || (access != nil && len(access) != n) || !(alpha > 0) || !(potential >= 0) || !finite(alpha, potential) {
		return 0
	}
	m := 0.0
	for k := range n {
		if !finite(value[k]) || math.IsNaN(price[k]) || math.IsInf(price[k], -1) {
			return 0
		}
		if u := alpha * (value[k] - price[k]); u > m && computeAvailable(access, k) {
			m = u
		}
	}
	den := math.Exp(-m)
	for k := range n {
		if computeAvailable(access, k) && !math.IsInf(price[k], 1) {
			den += math.Exp(alpha*(value[k]-price[k]) - m)
		}
	}
	return potential / alpha * (m + math.Log(den))
}
