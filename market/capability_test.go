package market

import (
	"math"
	"testing"
)

// §4.6 Chinchilla loss table.
func TestChinchillaLossTable(t *testing.T) {
	cases := []struct {
		name       string
		N, D, C, L float64
	}{
		{"Chinchilla", 7.0e10, 1.4e12, 5.880e23, 1.937},
		{"Gopher", 2.8e11, 3.0e11, 5.040e23, 1.993},
		{"GPT-3", 1.75e11, 3.0e11, 3.150e23, 2.002},
		{"70B on 2T tokens", 7.0e10, 2.0e12, 8.400e23, 1.921},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkRel(t, "C = 6ND", 6*c.N*c.D, c.C)
			checkRel(t, "L", ChinchillaLoss(c.N, c.D), c.L)
		})
	}
}

// §4.6 compute-optimal split (G = 1.345).
func TestComputeOptimalTable(t *testing.T) {
	checkRel(t, "G", ChinchillaG(), 1.345)
	cases := []struct {
		name       string
		C, N, D, L float64
	}{
		{"5.76e23", 5.76e23, 3.219e10, 2.982e12, 1.931},
		{"1e24", 1e24, 4.130e10, 4.036e12, 1.911},
		{"1e25", 1e25, 1.168e11, 1.427e13, 1.845},
		{"1e26", 1e26, 3.305e11, 5.043e13, 1.799},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			N, D := ComputeOptimal(c.C)
			checkRel(t, "N_opt", N, c.N)
			checkRel(t, "D_opt", D, c.D)
			checkRel(t, "L*", ChinchillaLoss(N, D), c.L)
			checkTol(t, "6ND = C", 6*N*D, c.C, 1e-12*c.C)
			// Optimality: moving along C = 6ND in either direction raises the loss.
			for _, f := range []float64{0.9, 1.1} {
				if ChinchillaLoss(N*f, D/f) <= ChinchillaLoss(N, D) {
					t.Errorf("factor %g lowers the loss", f)
				}
			}
		})
	}
}

// §4.6 capability index (kappa = 1, C_ref = 1e23).
func TestCapabilityIndexTable(t *testing.T) {
	cases := []struct {
		name string
		C, K float64
	}{
		{"1e24", 1e24, 1.000},
		{"2.1e25", 2.1e25, 2.322},
		{"5e25", 5e25, 2.699},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkRel(t, "K", CapabilityIndex(c.C, 1e23, 1), c.K)
		})
	}
	for _, bad := range [][3]float64{{0, 1e23, 1}, {-5, 1e23, 1}, {1e24, 0, 1}, {math.NaN(), 1e23, 1}, {1e24, math.Inf(1), 1}} {
		if got := CapabilityIndex(bad[0], bad[1], bad[2]); !math.IsInf(got, -1) {
			t.Errorf("CapabilityIndex%v = %g, want documented -Inf", bad, got)
		}
	}
	// Algorithmic efficiency: 8-month halving is x2.83 per year (§5.6).
	checkRel(t, "A(12 months)", AlgorithmicMultiplier(12, 8), 2.828)
	checkExact(t, "A(8 months)", AlgorithmicMultiplier(8, 8), 2)
	if AlgorithmicMultiplier(12, 0) != 1 || AlgorithmicMultiplier(math.NaN(), 8) != 1 {
		t.Error("invalid halving should give 1")
	}
}

// §4.6 price decline and monthly factors.
func TestPriceAndFactorsTable(t *testing.T) {
	prices := []struct {
		name        string
		p0, g, t, P float64
	}{
		{"a16z 1000x in 3 years", 60, 10, 36, 0.06000},
		{"10x/yr, 1 year", 37.5, 10, 12, 3.750},
		{"40x/yr, 1 year", 37.5, 40, 12, 0.9375},
		{"10x/yr, 6 months", 10, 10, 6, 3.162},
	}
	for _, c := range prices {
		t.Run(c.name, func(t *testing.T) {
			checkRel(t, "P", PriceAt(c.p0, c.g, c.t), c.P)
		})
	}
	factors := []struct {
		name      string
		got, want float64
	}{
		{"price 10x/yr", MonthlyFactor(1.0 / 10), 0.8254},
		{"price 40x/yr", MonthlyFactor(1.0 / 40), 0.7354},
		{"compute x4.5/yr", MonthlyFactor(4.5), 1.134},
		{"GPU FLOP/$ 2.46-yr doubling", AnnualFactorFromDoubling(2.46), 1.325},
	}
	for _, c := range factors {
		t.Run(c.name, func(t *testing.T) {
			checkRel(t, "factor", c.got, c.want)
		})
	}
	// A monthly path compounds to the annual decline.
	checkTol(t, "12 monthly steps", 60*math.Pow(MonthlyFactor(0.1), 12), PriceAt(60, 10, 12), 1e-12)
	if PriceAt(5, 0, 12) != 5 || MonthlyFactor(-2) != 1 || AnnualFactorFromDoubling(0) != 1 {
		t.Error("invalid factors should give documented neutral values")
	}
	if !math.IsInf(ChinchillaLoss(0, 1e12), 1) {
		t.Error("no model should have infinite loss")
	}
	if N, D := ComputeOptimal(-1); N != 0 || D != 0 {
		t.Error("negative compute")
	}
}
