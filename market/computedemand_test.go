package market

import (
	"math"
	"testing"
)

// A lab's compute demand is the logit with an outside good of model-v2 §4
// (β = alpha), times its potential; barred clouds and +Inf prices get
// nothing.
func TestLabComputeDemand(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name             string
		alpha, potential float64
		value, price     []float64
		access           []Access
		wantShare        []float64
		wantOutside      float64
	}{
		// B1's shares at B1's equilibrium prices.
		{"B1 at its prices", 1, 1, []float64{2, 1.5}, []float64{2.425486, 2.124036}, nil,
			[]float64{0.298485, 0.244733}, 0.456782},
		{"B1, second cloud barred", 1, 1, []float64{2, 1.5}, []float64{2.425486, 2.124036},
			[]Access{AccessPriority, AccessBarred}, []float64{0.395225, 0}, 0.604775},
		{"B1, second cloud at +Inf", 1, 1, []float64{2, 1.5}, []float64{2.425486, inf}, nil,
			[]float64{0.395225, 0}, 0.604775},
		// alpha scales utilities: alpha = 2, values and prices halved.
		{"alpha 2", 2, 1, []float64{1, 0.75}, []float64{1.212743, 1.062018}, nil,
			[]float64{0.298485, 0.244733}, 0.456782},
		// Large utilities do not overflow: s_k = 1/2 each, outside ~0.
		{"huge utilities", 1, 1, []float64{1000, 1000}, []float64{0, 0}, nil, []float64{0.5, 0.5}, 0},
		{"every cloud barred", 1, 3, []float64{5}, []float64{1}, []Access{AccessBarred}, []float64{0}, 1},
	}
	for _, c := range cases {
		for _, pot := range []float64{c.potential, 7.5e8} { // shares do not depend on the scale
			q := make([]float64, len(c.value))
			total, outside, err := LabComputeDemand(c.alpha, pot, c.value, c.price, c.access, q)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			sum := 0.0
			for k := range q {
				checkAbs(t, c.name+" share", q[k]/pot, c.wantShare[k])
				sum += q[k]
			}
			checkAbs(t, c.name+" outside", outside, c.wantOutside)
			checkTol(t, c.name+" total", total, sum, 1e-12*pot)
			checkTol(t, c.name+" total = potential (1 - s0)", total, pot*(1-outside), 1e-12*pot)
		}
	}
}

// The Jacobian matches central finite differences of the demand, and
// ComputeSurplus obeys Roy's identity dS/dp_k = -q_k.
func TestComputeDemandJacobianAndSurplus(t *testing.T) {
	alpha, pot := 1.7, 2.5
	value := []float64{2, 1.5, 0.7}
	price := []float64{1.9, 1.1, 0.95}
	access := []Access{AccessOpen, AccessPriority, AccessOpen}
	n := len(value)
	q := make([]float64, n)
	if _, _, err := LabComputeDemand(alpha, pot, value, price, access, q); err != nil {
		t.Fatal(err)
	}
	share := make([]float64, n)
	for k := range q {
		share[k] = q[k] / pot
	}
	jac := make([]float64, n*n)
	dTotal := make([]float64, n)
	if err := ComputeDemandJacobian(alpha, pot, share, jac, dTotal); err != nil {
		t.Fatal(err)
	}
	const h = 1e-6
	up, dn := make([]float64, n), make([]float64, n)
	for l := range n {
		pu := append([]float64(nil), price...)
		pd := append([]float64(nil), price...)
		pu[l] += h
		pd[l] -= h
		tu, _, _ := LabComputeDemand(alpha, pot, value, pu, access, up)
		td, _, _ := LabComputeDemand(alpha, pot, value, pd, access, dn)
		for k := range n {
			checkTol(t, "dq/dp", jac[k*n+l], (up[k]-dn[k])/(2*h), 1e-7)
		}
		checkTol(t, "dX/dp", dTotal[l], (tu-td)/(2*h), 1e-7)
		dS := (ComputeSurplus(alpha, pot, value, pu, access) - ComputeSurplus(alpha, pot, value, pd, access)) / (2 * h)
		checkTol(t, "Roy's identity dS/dp = -q", dS, -q[l], 1e-7)
	}
}

func TestComputeAccess(t *testing.T) {
	O, P, B := AccessOpen, AccessPriority, AccessBarred
	cases := []struct {
		name            string
		partner         int
		exclusive, rofr bool
		want            []Access
	}{
		{"no partner", -1, false, false, []Access{O, O, O}},
		{"partner without terms", 1, false, false, []Access{O, O, O}},
		{"exclusive", 1, true, false, []Access{B, P, B}},
		{"exclusive and ROFR", 0, true, true, []Access{P, B, B}},
		{"ROFR", 2, false, true, []Access{O, O, P}},
	}
	for _, c := range cases {
		got := make([]Access, len(c.want))
		if err := ComputeAccess(c.partner, c.exclusive, c.rofr, got); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for k := range got {
			if got[k] != c.want[k] {
				t.Errorf("%s: cloud %d %v, want %v", c.name, k, got[k], c.want[k])
			}
		}
	}
}
