package market

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// runSupplyLine steps the rule T months from st (which it copies) with
// demand(t) in month t and unit cost 1, checking the stock-flow identities
// and capex = order × unit cost every month; it returns capacity and
// orders by month.
func runSupplyLine(t *testing.T, r SupplyLine, st CapacityState, demand func(t int) float64, T int) (capacity, orders []float64) {
	t.Helper()
	st.Pipeline = append([]float64(nil), st.Pipeline...)
	for m := range T {
		k0, sl0 := st.Capacity, st.SupplyLineTotal()
		unitCost := 7e-8 * (1 + 0.01*float64(m%7))
		f, err := r.Step(&st, demand(m), unitCost)
		if err != nil {
			t.Fatalf("month %d: %v", m, err)
		}
		checkTol(t, "capacity = capacity + delivered − retired", st.Capacity, k0+f.Delivered-f.Retired, 1e-9*math.Max(1, k0))
		checkTol(t, "supply line = supply line + order − delivered", st.SupplyLineTotal(), sl0+f.Order-f.Delivered, 1e-9*math.Max(1, sl0))
		checkTol(t, "retired = δ × capacity", f.Retired, r.Depreciation*k0, 1e-12*math.Max(1, k0))
		if f.Capex != f.Order*unitCost || f.Order < 0 {
			t.Fatalf("month %d: capex %g for order %g at unit cost %g", m, f.Capex, f.Order, unitCost)
		}
		capacity, orders = append(capacity, st.Capacity), append(orders, f.Order)
	}
	return capacity, orders
}

// From the steady state the rule stays put, for constant demand and for
// demand growing at a constant rate (its growth term and forecast are
// exact then): capacity is D_t (1 + Reserve) every month.
func TestSupplyLineSteadyStateAndSteadyGrowth(t *testing.T) {
	for _, c := range []struct {
		name   string
		growth float64 // log per month
	}{
		{"constant demand", 0},
		{"4.5x a year", math.Log(4.5) / 12},
		{"shrinking 10% a year", math.Log(0.9) / 12},
	} {
		for _, r := range []SupplyLine{DefaultSupplyLine(), {LeadTime: 18, AdjustTime: 1, SupplyLineWeight: 1, DemandTime: 1, TrendTime: 6, Reserve: 0, Depreciation: 1.0 / 36}} {
			const d0 = 3e8 // GPU-hours a month
			st, err := r.SteadyCapacity(d0, c.growth)
			if err != nil {
				t.Fatal(err)
			}
			demand := func(m int) float64 { return d0 * math.Exp(c.growth*float64(m+1)) }
			capacity, _ := runSupplyLine(t, r, st, demand, 120)
			for m, k := range capacity {
				checkTol(t, fmt.Sprintf("%s, lead %d, month %d", c.name, r.LeadTime, m), k, demand(m)*(1+r.Reserve), 1e-9*k)
			}
		}
	}
}

// Under constant demand, from capacity below or above target (pipeline
// empty), capacity approaches the target without overshoot: from below it
// never exceeds it; from the first delivery (the lead time) on it stays
// on that delivery's side of the target (from above, depreciation before
// any delivery can carry it below) and the gap shrinks every month, by
// exactly (1 − 1/AdjustTime)(1 − Depreciation) while orders are placed,
// the damping the SupplyLine doc derives.
func TestSupplyLineConstantDemandNoOvershoot(t *testing.T) {
	for _, r := range []SupplyLine{
		DefaultSupplyLine(),
		{LeadTime: 24, AdjustTime: 12, SupplyLineWeight: 1, DemandTime: 3, TrendTime: 12, Reserve: 0.2, Depreciation: 1.0 / 48},
		{LeadTime: 18, AdjustTime: 1, SupplyLineWeight: 1, DemandTime: 1, Reserve: 0, Depreciation: 0},
	} {
		for _, start := range []float64{0.5, 1.5} {
			const d = 1e8
			target := d * (1 + r.Reserve)
			st := CapacityState{Capacity: start * target, Pipeline: make([]float64, r.LeadTime), ExpectedDemand: d}
			capacity, _ := runSupplyLine(t, r, st, func(int) float64 { return d }, 240)
			name := fmt.Sprintf("lead %d adjust %g from %g×target", r.LeadTime, r.AdjustTime, start)
			rate := (1 - 1/r.AdjustTime) * (1 - r.Depreciation)
			side := math.Copysign(1, capacity[r.LeadTime]-target) // the first delivery's side
			for m := 1; m < len(capacity); m++ {
				k, prev := capacity[m], capacity[m-1]
				if start < 1 && k > target*(1+1e-12) || m >= r.LeadTime && side*(k-target) < -1e-12*target {
					t.Fatalf("%s: month %d capacity %g overshoots target %g", name, m, k, target)
				}
				if m >= r.LeadTime && math.Abs(k-target) > math.Abs(prev-target)+1e-12*target {
					t.Fatalf("%s: month %d gap %g grew from %g", name, m, k-target, prev-target)
				}
				if start < 1 && m > r.LeadTime && math.Abs(prev-target) > 1e-6*target {
					checkTol(t, name+" gap ratio", (target-k)/(target-prev), rate, 1e-9)
				}
			}
			if start > 1 && r.Depreciation == 0 {
				continue // nothing retires, and orders cannot be negative: the excess stays
			}
			if math.Abs(capacity[len(capacity)-1]-target) > 1e-3*target {
				t.Errorf("%s: capacity %g after 240 months, target %g", name, capacity[len(capacity)-1], target)
			}
		}
	}
}

// A rule that ignores its supply line (β = 0) over-orders while the line
// fills and oscillates (Sterman's experiments): the no-overshoot test above
// can tell.
func TestSupplyLineIgnoringPipelineOscillates(t *testing.T) {
	r := DefaultSupplyLine()
	r.SupplyLineWeight, r.TrendTime = 0, 0
	const d = 1e8
	target := d * (1 + r.Reserve)
	st := CapacityState{Capacity: 0.5 * target, Pipeline: make([]float64, r.LeadTime), ExpectedDemand: d}
	capacity, _ := runSupplyLine(t, r, st, func(int) float64 { return d }, 300)
	peak, crossings := 0.0, 0
	for m, k := range capacity {
		peak = math.Max(peak, k)
		if m > 0 && (capacity[m-1]-target)*(k-target) < 0 {
			crossings++
		}
	}
	if peak < 1.5*target || crossings < 3 {
		t.Errorf("β = 0: peak %.3f × target, %d crossings; want an oscillation", peak/target, crossings)
	}
}

// A step in demand (doubling, from the steady state). Without trend
// extrapolation capacity rises to the new target monotonically, never
// above it. With it the rule reads the step as growth for a while:
// capacity overshoots once, to at most the stated multiple of the new
// target (1.61 with the default 24-month growth smoothing, 2.17 with 12),
// then falls back without crossing the target again, within 1% of it
// after the stated number of months: a single overshoot, no oscillation.
func TestSupplyLineDemandStep(t *testing.T) {
	cases := []struct {
		trendTime, maxPeak float64
		settle             int // months to within 1% of target
	}{
		{0, 1, 45},
		{12, 2.18, 95},
		{24, 1.61, 135},
		{36, 1.42, 180},
	}
	for _, c := range cases {
		r := DefaultSupplyLine()
		r.TrendTime = c.trendTime
		const d = 1e8
		st, err := r.SteadyCapacity(d, 0)
		if err != nil {
			t.Fatal(err)
		}
		target := 2 * d * (1 + r.Reserve)
		capacity, _ := runSupplyLine(t, r, st, func(int) float64 { return 2 * d }, 300)
		peak, crossings, settled := 0.0, 0, 0
		for m, k := range capacity {
			peak = math.Max(peak, k)
			if m > 0 && (capacity[m-1]-target)*(k-target) < 0 {
				crossings++
			}
			if math.Abs(k-target) > 0.01*target {
				settled = m + 1
			}
			if c.trendTime == 0 && (k > target*(1+1e-12) || m > 0 && k < capacity[m-1]*(1-1e-12) && m > r.LeadTime) {
				t.Fatalf("no trend: month %d capacity %g (target %g, last %g): not a monotone approach", m, k, target, capacity[m-1])
			}
		}
		name := fmt.Sprintf("TrendTime %g", c.trendTime)
		if peak > c.maxPeak*target*(1+1e-12) {
			t.Errorf("%s: peak %.4f × target, want <= %g", name, peak/target, c.maxPeak)
		}
		if c.trendTime > 0 && crossings != 1 {
			t.Errorf("%s: %d crossings of the target, want 1 (one overshoot)", name, crossings)
		}
		if settled > c.settle {
			t.Errorf("%s: within 1%% of target only from month %d, want <= %d", name, settled, c.settle)
		}
	}
}

func TestSupplyLineBadInput(t *testing.T) {
	good := DefaultSupplyLine()
	st, err := good.SteadyCapacity(1e8, 0)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	step := func(r SupplyLine, s CapacityState, demand, cost float64) error {
		s.Pipeline = append([]float64(nil), s.Pipeline...)
		before := math.Float64bits(s.Capacity)
		_, err := r.Step(&s, demand, cost)
		if err != nil && math.Float64bits(s.Capacity) != before {
			t.Errorf("state changed on error %v", err)
		}
		return err
	}
	with := func(f func(*SupplyLine)) SupplyLine { r := good; f(&r); return r }
	state := func(f func(*CapacityState)) CapacityState {
		s := st
		s.Pipeline = append([]float64(nil), st.Pipeline...)
		f(&s)
		return s
	}
	cases := []struct {
		name string
		err  error
	}{
		{"negative demand", step(good, st, -1, 1)},
		{"NaN demand", step(good, st, nan, 1)},
		{"negative unit cost", step(good, st, 1, -1)},
		{"NaN unit cost", step(good, st, 1, nan)},
		{"negative capacity", step(good, state(func(s *CapacityState) { s.Capacity = -1 }), 1, 1)},
		{"NaN capacity", step(good, state(func(s *CapacityState) { s.Capacity = nan }), 1, 1)},
		{"NaN expected demand", step(good, state(func(s *CapacityState) { s.ExpectedDemand = nan }), 1, 1)},
		{"negative pipeline cohort", step(good, state(func(s *CapacityState) { s.Pipeline[3] = -1 }), 1, 1)},
		{"pipeline shorter than the lead time", step(good, state(func(s *CapacityState) { s.Pipeline = s.Pipeline[1:] }), 1, 1)},
		{"lead time 0", step(with(func(r *SupplyLine) { r.LeadTime = 0 }), st, 1, 1)},
		{"adjustment time below 1", step(with(func(r *SupplyLine) { r.AdjustTime = 0.5 }), st, 1, 1)},
		{"supply-line weight above 1", step(with(func(r *SupplyLine) { r.SupplyLineWeight = 1.5 }), st, 1, 1)},
		{"trend time in (0,1)", step(with(func(r *SupplyLine) { r.TrendTime = 0.5 }), st, 1, 1)},
		{"negative reserve", step(with(func(r *SupplyLine) { r.Reserve = -0.1 }), st, 1, 1)},
		{"depreciation 1", step(with(func(r *SupplyLine) { r.Depreciation = 1 }), st, 1, 1)},
		{"steady state at negative demand", func() error { _, err := good.SteadyCapacity(-1, 0); return err }()},
		{"steady shrinking faster than retirement", func() error { _, err := good.SteadyCapacity(1, -0.05); return err }()},
		{"steady growth without a trend", func() error {
			_, err := with(func(r *SupplyLine) { r.TrendTime = 0 }).SteadyCapacity(1, 0.01)
			return err
		}()},
	}
	for _, c := range cases {
		if !errors.Is(c.err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", c.name, c.err)
		}
	}
}
