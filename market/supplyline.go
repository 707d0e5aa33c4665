package market

import "math"

// SupplyLine is the stock-management rule by which a cloud orders compute
// capacity (Sterman 2000, Business Dynamics ch. 17; model-v2.md §3.1:
// "target = smoothed expected demand at t + lead × (1 + reserve); order =
// (target − capacity − pipeline) / adjustment time"). Capacity is in
// H100-equivalent GPU-hours per month; an order placed in a month is
// delivered LeadTime months later. Each month (Step):
//
//	D̂ ← D̂ + (D − D̂)/DemandTime                              smoothed demand
//	ĝ ← ĝ + (ln(D̂/D̂_prev) − ĝ)/TrendTime                    expected growth, log per month
//	K* = D̂ · (1 + DemandTime·g)/(1 + g) · (1+g)^LeadTime · (1 + Reserve)   with g = e^ĝ − 1
//	A  = K* · (1 − (1 − Depreciation)/(1 + g))               expected acquisitions per month
//	P  = (1−δ)^L K + β Σ_i (1−δ)^(L−1−i) pipeline_i + (1−β) A Σ_{m=1}^{L−1} (1−δ)^m
//	order = max(0, A + (K* − P − A)/AdjustTime)
//	capex = order × unit cost
//
// K* is the capacity wanted when today's order arrives (demand expected
// then, with the lag of exponential smoothing undone, exactly for demand
// growing at a constant rate, plus the reserve margin); P is the capacity
// there will be then without today's order (installed capacity and the
// supply line, less depreciation δ); A, the orders that keep capacity on
// target once it is there (replacement and growth: Sterman's expected loss
// plus expected growth), is what the rule orders when P is on track, and a
// gap is closed over AdjustTime months. β = SupplyLineWeight is the share
// of the supply line the rule counts, the rest taken to be at its desired
// level (Sterman's β; 1 counts it all).
//
// Damping. With β = 1 the capacity expected at the delivery date obeys,
// while the target is constant, gap_{t+1} = (1 − 1/AdjustTime)(1 − δ) gap_t:
// from LeadTime months on, capacity approaches a constant target
// geometrically at that rate, monotonically and without overshoot
// (TestSupplyLineConstantDemandNoOvershoot). With β < 1 the rule
// over-orders while the supply line fills and capacity oscillates
// (Sterman's experiments; TestSupplyLineIgnoringPipelineOscillates).
// Trend extrapolation (TrendTime > 0) reads a step in demand as growth for
// a while, so a step makes capacity overshoot once, then decay (by
// depreciation) back to target without oscillating
// (TestSupplyLineDemandStep states the bounds); TrendTime = 0 (no trend)
// removes the overshoot and lags growing demand by the lead time.
type SupplyLine struct {
	// LeadTime >= 1 is the delay from order to delivery, months (18–24 by
	// default assumption; DefaultSupplyLine uses 21).
	LeadTime int
	// AdjustTime >= 1 is the time over which a gap between target and
	// expected capacity is closed, months.
	AdjustTime float64
	// SupplyLineWeight β in [0,1] is the share of the supply line the rule
	// counts; 1 (Sterman's no-oscillation setting) counts all of it.
	SupplyLineWeight float64
	// DemandTime >= 1 is the smoothing time of observed demand, months.
	DemandTime float64
	// TrendTime is the smoothing time of demand growth, months: >= 1, or
	// 0 for no trend (growth expected to be 0).
	TrendTime float64
	// Reserve >= 0 is the reserve margin of capacity over expected demand,
	// a fraction.
	Reserve float64
	// Depreciation δ in [0,1) is the fraction of capacity retired each
	// month.
	Depreciation float64
}

// DefaultSupplyLine returns the default rule: lead time 21 months (the
// middle of 18–24), adjustment time 6 months, the whole supply line
// counted, demand smoothed over 3 months and its growth over 24, a 10%
// reserve margin, and capacity retired at 1/60 a month (a five-year
// accelerator life). All are assumptions (grade D) except the lead-time
// range. The growth smoothing trades tracking against overshoot: from
// steady growth the rule tracks any constant growth exactly
// (SteadyCapacity), a change of growth is learnt over about TrendTime
// months, and a doubling of demand overshoots the new target once, to
// about 1.6 times it, with 24 (2.2 times with 12, 1.4 with 36;
// TestSupplyLineDemandStep).
func DefaultSupplyLine() SupplyLine {
	return SupplyLine{LeadTime: 21, AdjustTime: 6, SupplyLineWeight: 1, DemandTime: 3, TrendTime: 24,
		Reserve: 0.1, Depreciation: 1.0 / 60}
}

// Validate reports whether the rule's parameters are in range; errors
// wrap ErrInvalidArgument.
func (r SupplyLine) Validate() error {
	switch {
	case r.LeadTime < 1:
		return invalid("SupplyLine.LeadTime = %d, want >= 1 month", r.LeadTime)
	case !(r.AdjustTime >= 1) || !finite(r.AdjustTime):
		return invalid("SupplyLine.AdjustTime = %g, want finite >= 1 month", r.AdjustTime)
	case !(r.SupplyLineWeight >= 0 && r.SupplyLineWeight <= 1):
		return invalid("SupplyLine.SupplyLineWeight = %g, want in [0,1]", r.SupplyLineWeight)
	case !(r.DemandTime >= 1) || !finite(r.DemandTime):
		return invalid("SupplyLine.DemandTime = %g, want finite >= 1 month", r.DemandTime)
	case !(r.TrendTime == 0 || r.TrendTime >= 1) || !finite(r.TrendTime):
		return invalid("SupplyLine.TrendTime = %g, want 0 or finite >= 1 month", r.TrendTime)
	case !(r.Reserve >= 0) || !finite(r.Reserve):
		return invalid("SupplyLine.Reserve = %g, want finite >= 0", r.Reserve)
	case !(r.Depreciation >= 0 && r.Depreciation < 1):
		return invalid("SupplyLine.Depreciation = %g, want in [0,1)", r.Depreciation)
	}
	return nil
}

// CapacityState is one cloud's capacity state, updated by SupplyLine.Step.
type CapacityState struct {
	// Capacity is the installed capacity this month, GPU-hours per month.
	Capacity float64
	// Pipeline[i] is capacity on order that is delivered at the (i+1)-th
	// next Step, GPU-hours per month; len(Pipeline) = LeadTime.
	Pipeline []float64
	// ExpectedDemand is the smoothed demand D̂, GPU-hours per month.
	ExpectedDemand float64
	// Trend is the expected growth of demand ĝ, log per month.
	Trend float64
}

// SupplyLineTotal is the capacity on order, GPU-hours per month.
func (s *CapacityState) SupplyLineTotal() float64 {
	t := 0.0
	for _, x := range s.Pipeline {
		t += x
	}
	return t
}

// CapacityFlows are one month's flows of SupplyLine.Step.
type CapacityFlows struct {
	// Order is the capacity ordered this month (delivered LeadTime months
	// on), GPU-hours per month.
	Order float64
	// Delivered and Retired are the capacity added and retired this month.
	Delivered, Retired float64
	// Target is K*, the capacity wanted when this month's order arrives.
	Target float64
	// Capex is Order × unit cost, in the unit of the unit cost (US$B for a
	// unit cost in US$B per GPU-hour-per-month of capacity), paid this
	// month.
	Capex float64
}

// SteadyCapacity returns the state in which the rule, seeing demand
// that is D = demand now (GPU-hours per month, >= 0) and grows at the
// constant rate growth (log per month, >= ln(1 − Depreciation): demand
// shrinking faster than capacity retires would need negative orders; 0
// for constant demand), keeps capacity exactly on target, D_t (1 + Reserve), every
// month: smoothed demand D (1+g)/(1 + DemandTime·g) (the lag of
// exponential smoothing), expected growth = growth, and the pipeline
// holding the orders that deliver the target path, cohort m months out
// D (1 + Reserve) e^{growth·m} (1 − (1 − δ) e^{−growth}) (g = e^growth −
// 1). With TrendTime = 0 only growth = 0 is steady. It allocates the
// pipeline. Errors wrap ErrInvalidArgument.
func (r SupplyLine) SteadyCapacity(demand, growth float64) (CapacityState, error) {
	if err := r.Validate(); err != nil {
		return CapacityState{}, err
	}
	g := math.Expm1(growth)
	if !(demand >= 0) || !finite(demand, growth) || !(1+r.DemandTime*g > 0) || (r.TrendTime == 0 && growth != 0) ||
		growth < math.Log1p(-r.Depreciation) { // shrinking faster than retirement would need negative orders

		return CapacityState{}, invalid("SupplyLine.SteadyCapacity: demand = %g, growth = %g (TrendTime %g)", demand, growth, r.TrendTime)
	}
	k := demand * (1 + r.Reserve)
	pipe := make([]float64, r.LeadTime)
	for i := range pipe {
		pipe[i] = k * math.Exp(growth*float64(i+1)) * (1 - (1-r.Depreciation)*math.Exp(-growth))
	}
	return CapacityState{Capacity: k, Pipeline: pipe, ExpectedDemand: demand * (1 + g) / (1 + r.DemandTime*g), Trend: growth}, nil
}

// Step advances a cloud's capacity by one month given this month's
// observed demand (GPU-hours per month, >= 0; sales are capped by
// capacity, so pass a notional demand such as
// ComputeEquilibrium.Notional) and the unit cost of new capacity (>= 0,
// money per GPU-hour-per-month of capacity): it perceives demand, retires
// capacity, takes delivery of the oldest pipeline cohort, and places this
// month's order (see SupplyLine for the rule). Call it before the month's
// price solve: st.Capacity is then this month's capacity. It updates st in
// place, has no other effect and allocates nothing; on error st is
// unchanged. Errors wrap ErrInvalidArgument: invalid rule, pipeline length
// other than LeadTime, a negative or non-finite input or state.
func (r SupplyLine) Step(st *CapacityState, demand, unitCost float64) (CapacityFlows, error) {
	if err := r.Validate(); err != nil {
		return CapacityFlows{}, err
	}
	L := r.LeadTime
	if len(st.Pipeline) != L {
		return CapacityFlows{}, invalid("SupplyLine.Step: pipeline has %d cohorts, want LeadTime = %d", len(st.Pipeline), L)
	}
	if !(demand >= 0) || !finite(demand) || !(unitCost >= 0) || !finite(unitCost) {
		return CapacityFlows{}, invalid("SupplyLine.Step: demand = %g, unit cost = %g, want finite >= 0", demand, unitCost)
	}
	if !(st.Capacity >= 0) || !finite(st.Capacity) || !(st.ExpectedDemand >= 0) || !finite(st.ExpectedDemand) || !finite(st.Trend) {
		return CapacityFlows{}, invalid("SupplyLine.Step: state capacity %g, expected demand %g, trend %g",
			st.Capacity, st.ExpectedDemand, st.Trend)
	}
	for i, x := range st.Pipeline {
		if !(x >= 0) || !finite(x) {
			return CapacityFlows{}, invalid("SupplyLine.Step: pipeline[%d] = %g, want finite >= 0", i, x)
		}
	}

	// Perception.
	prev := st.ExpectedDemand
	st.ExpectedDemand += (demand - prev) / r.DemandTime
	if r.TrendTime > 0 {
		obs := 0.0
		if prev > 0 && st.ExpectedDemand > 0 {
			obs = math.Log(st.ExpectedDemand / prev)
		}
		st.Trend += (obs - st.Trend) / r.TrendTime
	} else {
		st.Trend = 0
	}

	// Retirement and delivery.
	var f CapacityFlows
	keep := 1 - r.Depreciation
	f.Retired = r.Depreciation * st.Capacity
	f.Delivered = st.Pipeline[0]
	st.Capacity += f.Delivered - f.Retired
	copy(st.Pipeline, st.Pipeline[1:])
	st.Pipeline[L-1] = 0

	// Target at delivery, expected acquisitions, projected capacity.
	g := math.Expm1(st.Trend)
	lagFix := math.Max(0, 1+r.DemandTime*g) / (1 + g)
	f.Target = st.ExpectedDemand * lagFix * math.Exp(st.Trend*float64(L)) * (1 + r.Reserve)
	acq := f.Target * (1 - keep/(1+g))
	proj := math.Pow(keep, float64(L)) * st.Capacity
	var pipe, steady float64 // projected supply line, and that of a steady one per unit order
	w := keep
	for i := L - 2; i >= 0; i-- { // cohort i depreciates L-1-i months
		pipe += w * st.Pipeline[i]
		steady += w
		w *= keep
	}
	beta := r.SupplyLineWeight
	proj += beta*pipe + (1-beta)*acq*steady
	f.Order = math.Max(0, acq+(f.Target-proj-acq)/r.AdjustTime)
	st.Pipeline[L-1] = f.Order
	f.Capex = f.Order * unitCost
	return f, nil
}
