package market

import (
	"math"
	"testing"
)

// TestExclusivityGainsClosedForm: two clouds, the backer at utility u_h
// and a rival at u_r with availability a: the lab's loss is
// (M/alpha) ln((1 + e^u_h + a e^u_r)/(1 + e^u_h)) and the backer's gain
// m p_h M (s_E - s_N).
func TestExclusivityGainsClosedForm(t *testing.T) {
	alpha, M, m := 2.0, 1e6, 0.35
	v := []float64{3, 3.2}
	p := []float64{2.5, 2}
	for _, a := range []float64{0, 0.3, 1} {
		loss, gain, err := ExclusivityGains(alpha, M, m, 0, v, p, []float64{1, a})
		if err != nil {
			t.Fatal(err)
		}
		eh, er := math.Exp(alpha*(v[0]-p[0])), math.Exp(alpha*(v[1]-p[1]))
		wantL := M / alpha * math.Log((1+eh+a*er)/(1+eh))
		wantG := m * p[0] * M * (eh/(1+eh) - eh/(1+eh+a*er))
		if math.Abs(loss-wantL) > 1e-9*math.Max(1, wantL) || math.Abs(gain-wantG) > 1e-9*math.Max(1, wantG) {
			t.Fatalf("a=%g: loss %g gain %g, want %g %g", a, loss, gain, wantL, wantG)
		}
		if a == 0 && (loss != 0 || gain != 0) {
			t.Fatalf("no rival capacity: loss %g gain %g, want 0", loss, gain)
		}
	}
	// the ratio loss/gain grows with the rival's availability and with a lower rival price
	r := func(a, pr float64) float64 {
		l, g, _ := ExclusivityGains(alpha, M, m, 0, v, []float64{2.5, pr}, []float64{1, a})
		return l / g
	}
	if !(r(0.1, 2) < r(1, 2) && r(1, 2) < r(1, 1)) {
		t.Fatalf("ratio not increasing in the outside option: %g %g %g", r(0.1, 2), r(1, 2), r(1, 1))
	}
}

// TestExclusivityDealIsTheNashBargain: the payment maximises the Nash
// product [(1+mu)P - A dL]^beta [A dH - P]^(1-beta) (brute force over a
// grid), and the deal exists iff (1+mu) dH > dL.
func TestExclusivityDealIsTheNashBargain(t *testing.T) {
	for _, c := range []struct{ dL, dH, mu, beta, A float64 }{
		{1, 0.8, 0.5, 0.3, 20}, {1, 0.6, 1, 0.5, 30}, {2, 1.9, 0.1, 0.8, 10},
	} {
		pay, sell := ExclusivityDeal(c.dL, c.dH, c.mu, c.beta, c.A)
		if sell != ((1+c.mu)*c.dH > c.dL) {
			t.Fatalf("%+v: sell %v", c, sell)
		}
		if !sell {
			continue
		}
		lo, hi := c.A*c.dL/(1+c.mu), c.A*c.dH
		best, bv := 0.0, math.Inf(-1)
		for i := 1; i < 200000; i++ {
			P := lo + (hi-lo)*float64(i)/200000
			v := c.beta*math.Log((1+c.mu)*P-c.A*c.dL) + (1-c.beta)*math.Log(c.A*c.dH-P)
			if v > bv {
				best, bv = P, v
			}
		}
		if math.Abs(pay-best) > 1e-4*(hi-lo) {
			t.Fatalf("%+v: payment %g, brute force %g", c, pay, best)
		}
	}
	if _, sell := ExclusivityDeal(1, 0.9, 0.1, 0.5, 10); sell {
		t.Fatal("sold at (1+mu) dH < dL")
	}
	if !ExclusivityBuyback(1, 0.1, 10, 5) || ExclusivityBuyback(1, 0.1, 10, 10) {
		t.Fatal("buyback: A dL > (1+mu) refund")
	}
}
