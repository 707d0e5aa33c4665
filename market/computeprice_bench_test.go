package market

import (
	"math/rand/v2"
	"testing"
)

// benchComputeMarket is a 16-lab x 8-cloud market in GPU-hours: some labs
// exclusive or ROFR-bound, some clouds short, a few stakes and
// commitments.
func benchComputeMarket() *ComputeMarket {
	r := rand.New(rand.NewPCG(8, 16))
	for {
		m := randomComputeMarket(r, 16, 8)
		short := 0
		for _, c := range m.Capacity {
			if c < 1e300 {
				short++
			}
		}
		if short >= 4 {
			return m
		}
	}
}

// BenchmarkComputePrices16x8 is the month's compute-price solve from a
// cold start (cost + 1/alpha) on a reused equilibrium.
func BenchmarkComputePrices16x8(b *testing.B) {
	m := benchComputeMarket()
	var e ComputeEquilibrium
	if err := (ComputeSolver{}).Solve(m, &e); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	it := 0
	for b.Loop() {
		if err := (ComputeSolver{}).Solve(m, &e); err != nil {
			b.Fatal(err)
		}
		it = e.Iterations
	}
	b.ReportMetric(float64(it), "iterations")
}

// BenchmarkComputePrices16x8Warm is the solve warm-started from last
// month's prices after a 2% move in every lab's potential demand.
func BenchmarkComputePrices16x8Warm(b *testing.B) {
	m := benchComputeMarket()
	var e ComputeEquilibrium
	if err := (ComputeSolver{}).Solve(m, &e); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	f, it := 1.02, 0
	for b.Loop() {
		for j := range m.Potential {
			m.Potential[j] *= f
		}
		f = 1 / f
		if err := (ComputeSolver{Warm: true}).Solve(m, &e); err != nil {
			b.Fatal(err)
		}
		it = e.Iterations
	}
	b.ReportMetric(float64(it), "iterations")
}

func BenchmarkSupplyLineStep(b *testing.B) {
	rule := DefaultSupplyLine()
	st, err := rule.SteadyCapacity(1e8, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	d := 1e8
	for b.Loop() {
		d *= 1.01
		if d > 1e12 {
			d = 1e8
		}
		if _, err := rule.Step(&st, d, 7e-8); err != nil {
			b.Fatal(err)
		}
	}
}
