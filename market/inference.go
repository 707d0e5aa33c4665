package market

import "math"

// InferenceCompute is the law of the compute needed to serve one workload
// unit (model-v2 §3.1, domain model §3.4), in H100-equivalent GPU-hours:
//
//	g(t) = GPUHoursPerUnit * (WorkloadGrowthPerYear / EfficiencyPerYear)^((t - AnchorMonth)/12).
//
// Hardware price-performance (GPU FLOP/s per US$, x1.325/yr, Hobbhahn &
// Besiroglu 2022, grade A) is not in g: a newer GPU counts as more
// H100-equivalents, so hardware progress lowers the price of an
// H100-equivalent GPU-hour, the serving cloud's compute price, and reaches
// the inference cost through it (InferenceCost). g falls with algorithmic
// and model efficiency at fixed capability: better algorithms (the
// compute for a fixed performance halves about every 8 months, x2.83/yr,
// Ho et al. 2024, grade A for training compute), and smaller, distilled,
// quantised and sparse serving models. Suggested priors for
// EfficiencyPerYear (grade C, applying training-compute facts to serving):
// 2.83; low 1.6 (a Chinchilla compute-optimal model has N ~ C^0.45
// parameters and about 2N FLOP per token, so per-token compute at fixed
// capability falls only as 2.83^0.45); high 7.5 (the fixed-capability API
// price's fall of 10x/yr, a16z "LLMflation", grade B+, net of hardware's
// 1.325/yr, if markups were constant). A workload unit whose token count
// grows (model-v2 §3.2: the bill for the month's workload is price per
// token x tokens per workload) grows g by WorkloadGrowthPerYear (1 for a
// fixed unit). GPUHoursPerUnit at the anchor follows from the served model:
// about 2N FLOP per token for N active parameters at utilisation u of an
// H100's dense BF16 peak of about 989 TFLOP/s, 2N*tokens/(u*989e12*3600)
// GPU-hours (an assumption, grade D, until calibrated).
type InferenceCompute struct {
	// GPUHoursPerUnit is g at AnchorMonth: H100-equivalent GPU-hours per
	// workload unit (finite, > 0).
	GPUHoursPerUnit float64
	// AnchorMonth is the engine month at which GPUHoursPerUnit holds
	// (finite).
	AnchorMonth float64
	// EfficiencyPerYear is the factor by which the compute per workload unit
	// at fixed capability falls per year (finite, > 0; 1 for none).
	EfficiencyPerYear float64
	// WorkloadGrowthPerYear is the factor by which a workload unit's tokens
	// grow per year (finite, > 0; 1 for a fixed unit).
	WorkloadGrowthPerYear float64
}

// Validate reports whether the law's parameters are in range (see the
// fields); otherwise it returns an error wrapping ErrInvalidArgument.
func (ic InferenceCompute) Validate() error {
	if !finite(ic.GPUHoursPerUnit, ic.AnchorMonth, ic.EfficiencyPerYear, ic.WorkloadGrowthPerYear) ||
		!(ic.GPUHoursPerUnit > 0) || !(ic.EfficiencyPerYear > 0) || !(ic.WorkloadGrowthPerYear > 0) {
		return invalid("InferenceCompute: GPU-hours per unit=%g anchor=%g efficiency=%g/yr workload growth=%g/yr, want finite, GPU-hours and factors > 0",
			ic.GPUHoursPerUnit, ic.AnchorMonth, ic.EfficiencyPerYear, ic.WorkloadGrowthPerYear)
	}
	return nil
}

// AnnualFactor is the factor by which the compute per workload unit changes
// per year, WorkloadGrowthPerYear/EfficiencyPerYear (< 1: it falls).
func (ic InferenceCompute) AnnualFactor() float64 {
	return ic.WorkloadGrowthPerYear / ic.EfficiencyPerYear
}

// GPUHours is g(month), the H100-equivalent GPU-hours per workload unit at
// engine month month (see InferenceCompute). Invalid parameters or a
// non-finite month return an error wrapping ErrInvalidArgument.
func (ic InferenceCompute) GPUHours(month float64) (float64, error) {
	if err := ic.Validate(); err != nil {
		return 0, err
	}
	if !finite(month) {
		return 0, invalid("InferenceCompute.GPUHours: month=%g, want finite", month)
	}
	return ic.GPUHoursPerUnit * math.Pow(ic.AnnualFactor(), (month-ic.AnchorMonth)/12), nil
}

// InferenceCost is the marginal cost of serving one workload unit at engine
// month month on a cloud whose compute price is pricePerGPUHour (US$ per
// H100-equivalent GPU-hour):
//
//	c_inf(t) = g(t) * price   (US$ per workload unit),
//
// with g the compute per workload unit of ic (InferenceCompute.GPUHours).
// The price is in US$, not US$B, as is the cost; a month's inference bill
// in US$B is units * c_inf / 1e9. At a constant price c_inf changes by
// ic.AnnualFactor() per year; it is linear in the price. Hardware
// price-performance and the cloud's scarcity reach it through the price.
// The price must be finite and >= 0 and ic valid; otherwise it returns an
// error wrapping ErrInvalidArgument.
func InferenceCost(ic InferenceCompute, month, pricePerGPUHour float64) (float64, error) {
	if !finite(pricePerGPUHour) || pricePerGPUHour < 0 {
		return 0, invalid("InferenceCost: price=%g US$ per GPU-hour, want finite and >= 0", pricePerGPUHour)
	}
	g, err := ic.GPUHours(month)
	if err != nil {
		return 0, err
	}
	return g * pricePerGPUHour, nil
}
