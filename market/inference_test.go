package market

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

var (
	_ func(ic InferenceCompute, month, pricePerGPUHour float64) (float64, error) = InferenceCost
	_ func(InferenceCompute, float64) (float64, error)                           = InferenceCompute.GPUHours
	_ func(InferenceCompute) float64                                             = InferenceCompute.AnnualFactor
)

// Inference cost: the anchor value, the stated rate at a constant price,
// and linearity in the price.
func TestInferenceCost(t *testing.T) {
	ic := InferenceCompute{GPUHoursPerUnit: 0.2, AnchorMonth: 48, EfficiencyPerYear: 2.83, WorkloadGrowthPerYear: 1.5}
	c0, err := InferenceCost(ic, 48, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, "at the anchor", c0, 0.4)
	for _, c := range []struct {
		name         string
		month, price float64
		want         float64
	}{
		{"one year on", 60, 2, 0.4 * 1.5 / 2.83},
		{"three years on", 84, 2, 0.4 * math.Pow(1.5/2.83, 3)},
		{"a year before", 36, 2, 0.4 * 2.83 / 1.5},
		{"half a year on", 54, 2, 0.4 * math.Sqrt(1.5/2.83)},
		{"price x3", 60, 6, 3 * 0.4 * 1.5 / 2.83},
		{"free compute", 60, 0, 0},
	} {
		got, err := InferenceCost(ic, c.month, c.price)
		if err != nil {
			t.Fatal(err)
		}
		checkTol(t, c.name, got, c.want, 1e-12*math.Max(1, c.want))
	}
	// a constant ratio month on month at a constant price, and exact
	// proportionality in the price
	monthly := math.Pow(ic.AnnualFactor(), 1.0/12)
	for m := 0.0; m < 84; m++ {
		a, _ := InferenceCost(ic, m, 2.5)
		b, _ := InferenceCost(ic, m+1, 2.5)
		checkTol(t, fmt.Sprintf("month %g ratio", m), b/a, monthly, 1e-12)
		for _, p := range []float64{0.5, 1.7, 8} {
			cp, _ := InferenceCost(ic, m, p)
			checkTol(t, fmt.Sprintf("month %g price %g", m, p), cp, a*p/2.5, 1e-12*a)
		}
	}
}

// Invalid arguments return errors wrapping ErrInvalidArgument.
func TestInferenceCostBadInput(t *testing.T) {
	ic := InferenceCompute{GPUHoursPerUnit: 0.2, EfficiencyPerYear: 2.83, WorkloadGrowthPerYear: 1}
	icWith := func(f func(*InferenceCompute)) InferenceCompute { c := ic; f(&c); return c }
	err1 := func(_ float64, err error) error { return err }
	cases := []struct {
		name string
		err  error
	}{
		{"inference price < 0", err1(InferenceCost(ic, 0, -1))},
		{"inference price NaN", err1(InferenceCost(ic, 0, nan))},
		{"inference month Inf", err1(InferenceCost(ic, pInf, 2))},
		{"inference GPU-hours 0", err1(InferenceCost(icWith(func(c *InferenceCompute) { c.GPUHoursPerUnit = 0 }), 0, 2))},
		{"inference efficiency 0", err1(InferenceCost(icWith(func(c *InferenceCompute) { c.EfficiencyPerYear = 0 }), 0, 2))},
		{"inference workload growth 0", err1(icWith(func(c *InferenceCompute) { c.WorkloadGrowthPerYear = 0 }).GPUHours(0))},
		{"inference anchor NaN", err1(icWith(func(c *InferenceCompute) { c.AnchorMonth = nan }).GPUHours(0))},
	}
	for _, c := range cases {
		if !errors.Is(c.err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", c.name, c.err)
		}
	}
}

func TestInferenceCostDoesNotAllocate(t *testing.T) {
	ic := InferenceCompute{GPUHoursPerUnit: 0.2, EfficiencyPerYear: 2.83, WorkloadGrowthPerYear: 1}
	if a := testing.AllocsPerRun(100, func() { sink, _ = InferenceCost(ic, 30, 2) }); a != 0 {
		t.Errorf("%v allocs per call, want 0", a)
	}
}
