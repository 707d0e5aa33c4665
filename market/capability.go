package market

import "math"

// Chinchilla parametric loss fit (Hoffmann et al. 2022, Approach 3):
// L(N, D) = E + A/N^Alpha + B/D^Beta, with training compute C ~ 6ND FLOP.
const (
	ChinchillaE     = 1.69
	ChinchillaA     = 406.4
	ChinchillaB     = 410.7
	ChinchillaAlpha = 0.34
	ChinchillaBeta  = 0.28
)

// CapabilityIndex is the engine's log-compute capability index
// K = kappa * log10(ceff/cref) (domain model §3.4): each 10x of effective
// compute (FLOP) adds kappa units; cref is the reference compute (default
// 1e23 FLOP, about GPT-3). Without usable compute (ceff <= 0) or with an
// invalid reference (cref <= 0 or not finite, NaN arguments) it returns
// -Inf: no model, which a logit treats as an unavailable alternative.
func CapabilityIndex(ceff, cref, kappa float64) float64 {
	if anyNaN(ceff, cref, kappa) || !(ceff > 0) || !(cref > 0) || math.IsInf(cref, 1) {
		return math.Inf(-1)
	}
	return kappa * math.Log10(ceff/cref)
}

// AlgorithmicMultiplier is the algorithmic-efficiency multiplier
// A = 2^(months/halvingMonths): the compute needed for a fixed capability
// halves every halvingMonths (default 8, Ho et al. 2024), so effective
// compute doubles. halvingMonths <= 0 or NaN arguments return 1 (no
// progress).
func AlgorithmicMultiplier(months, halvingMonths float64) float64 {
	if anyNaN(months, halvingMonths) || !(halvingMonths > 0) {
		return 1
	}
	return math.Exp2(months / halvingMonths)
}

// PriceAt is the price of a fixed capability after month months of decline
// by annualFactor per year: p0 * annualFactor^(-month/12) (default
// annualFactor 10, a16z "LLMflation"). annualFactor <= 0 or NaN returns p0.
func PriceAt(p0, annualFactor, month float64) float64 {
	if anyNaN(annualFactor, month) || !(annualFactor > 0) {
		return p0
	}
	return p0 * math.Pow(annualFactor, -month/12)
}

// MonthlyFactor converts an annual growth factor to a monthly one:
// annual^(1/12) (compute x4.5/yr -> 1.134/month; a price falling 10x/yr has
// monthly factor MonthlyFactor(0.1) = 0.8254). annual <= 0 or NaN returns 1.
func MonthlyFactor(annual float64) float64 {
	if !(annual > 0) {
		return 1
	}
	return math.Pow(annual, 1.0/12)
}

// AnnualFactorFromDoubling is the annual growth factor of a quantity that
// doubles every doublingYears years: 2^(1/doublingYears) (GPU FLOP/$ with a
// 2.46-year doubling -> 1.325/yr). doublingYears <= 0 or NaN returns 1.
func AnnualFactorFromDoubling(doublingYears float64) float64 {
	if !(doublingYears > 0) {
		return 1
	}
	return math.Exp2(1 / doublingYears)
}

// ChinchillaLoss is the Chinchilla parametric loss of a model with N
// parameters trained on D tokens. N <= 0 or D <= 0 (no model) or NaN
// returns +Inf, the loss of no model.
func ChinchillaLoss(N, D float64) float64 {
	if !(N > 0) || !(D > 0) {
		return math.Inf(1)
	}
	return ChinchillaE + ChinchillaA/math.Pow(N, ChinchillaAlpha) + ChinchillaB/math.Pow(D, ChinchillaBeta)
}

// chinchillaG is G = (alpha A/(beta B))^(1/(alpha+beta)) ~ 1.345.
var chinchillaG = math.Pow(ChinchillaAlpha*ChinchillaA/(ChinchillaBeta*ChinchillaB), 1/(ChinchillaAlpha+ChinchillaBeta))

// ChinchillaG returns G = (alpha A/(beta B))^(1/(alpha+beta)), about 1.345.
func ChinchillaG() float64 { return chinchillaG }

// ComputeOptimal is the loss-minimising split of a compute budget C (FLOP)
// with C = 6ND: N = G (C/6)^(beta/(alpha+beta)), D = (C/6)^(alpha/(alpha+beta))/G.
// C <= 0 or NaN returns (0, 0).
func ComputeOptimal(C float64) (N, D float64) {
	if !(C > 0) {
		return 0, 0
	}
	s := ChinchillaAlpha + ChinchillaBeta
	x := C / 6
	return chinchillaG * math.Pow(x, ChinchillaBeta/s), math.Pow(x, ChinchillaAlpha/s) / chinchillaG
}
