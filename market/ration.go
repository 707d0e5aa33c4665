package market

import "math"

// Ration shares a cloud's capacity (H100-equivalent GPU-hours per month)
// among requests for it when capacity binds, by priority tier (model-v2.md
// §3.1: "rationing puts exclusive and committed buyers first"): tiers are
// served in increasing order of tier[i]; a tier is served in full while
// capacity lasts, the first tier that does not fit is served pro rata to
// its requests, and later tiers get nothing. It writes the quantities
// served into served[:len(request)] (served[i] <= request[i], the same
// unit) and returns the capacity left unused.
//
// tier may be nil (one tier: plain pro-rata rationing). capacity may be
// +Inf (every request served). The usual tiers are committed volumes
// (take-or-pay contracts), then priority buyers (exclusive and ROFR
// partners), then open buyers; ComputeSolver.Solve uses them in that
// order. Errors wrap ErrInvalidArgument: capacity negative or NaN, a
// request negative or not finite, served shorter than request, tier of
// another length. It allocates nothing.
func Ration(capacity float64, request []float64, tier []int, served []float64) (left float64, err error) {
	n := len(request)
	if len(served) < n || (tier != nil && len(tier) != n) {
		return 0, invalid("Ration: len(request)=%d len(tier)=%d len(served)=%d", n, len(tier), len(served))
	}
	if !(capacity >= 0) {
		return 0, invalid("Ration: capacity = %g, want >= 0", capacity)
	}
	for i, r := range request {
		if !(r >= 0) || math.IsInf(r, 1) {
			return 0, invalid("Ration: request %d = %g, want finite >= 0", i, r)
		}
	}
	left = capacity
	if tier == nil {
		return rationTier(left, request, nil, 0, served), nil
	}
	// Visit the tiers in increasing order without sorting: each pass
	// finds the smallest tier above the one just served.
	cur, first := 0, true
	for {
		next, found := 0, false
		for _, t := range tier {
			if (first || t > cur) && (!found || t < next) {
				next, found = t, true
			}
		}
		if !found {
			return left, nil
		}
		cur, first = next, false
		left = rationTier(left, request, tier, cur, served)
	}
}

// rationTier serves the requests of tier t (all requests if tier is nil)
// from capacity, pro rata if they do not fit, and returns what is left.
func rationTier(capacity float64, request []float64, tier []int, t int, served []float64) float64 {
	sum := 0.0
	for i, r := range request {
		if tier == nil || tier[i] == t {
			sum += r
		}
	}
	frac := 1.0
	if sum > capacity {
		frac = capacity / sum
	}
	for i, r := range request {
		if tier == nil || tier[i] == t {
			served[i] = r * frac
		}
	}
	if frac < 1 {
		return 0
	}
	return capacity - sum
}
