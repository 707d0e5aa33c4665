package market

import (
	"math"
	"testing"
)

// step's sums over each firm's support (the products it weighs) are bit for
// bit those over every product, at prices of either sign.
func TestStepSupportExact(t *testing.T) {
	prob := requoteProblem()
	J, F := len(prob.Owner), prob.Firms
	for _, prices := range [][]float64{{3, 2.5, 2, 2.8, 1.9}, {-1, 2.5, 0.2, 4, 1.1}} {
		var sparse, dense Pricer
		for _, pr := range []*Pricer{&sparse, &dense} {
			if err := pr.setup(prob, -1); err != nil {
				t.Fatal(err)
			}
			copy(pr.p, prices)
		}
		if n := sparse.supOff[F]; n >= F*J {
			t.Fatalf("support of %d products: every firm weighs every product, the test shows nothing", n)
		}
		dense.support, dense.supNest = dense.support[:0], dense.supNest[:0]
		for f := range F {
			dense.supOff[f] = len(dense.support)
			for j := range J {
				dense.support = append(dense.support, j)
				dense.supNest = append(dense.supNest, dense.nest[j])
			}
		}
		dense.supOff[F] = len(dense.support)
		dense.supMargin = make([]float64, len(dense.support))
		rs, oks := sparse.step(prob)
		rd, okd := dense.step(prob)
		if oks != okd || math.Float64bits(rs) != math.Float64bits(rd) {
			t.Fatalf("residual %v %v, ok %v %v", rs, rd, oks, okd)
		}
		for k := range J {
			if math.Float64bits(sparse.next[k]) != math.Float64bits(dense.next[k]) {
				t.Errorf("prices %v: T_%d %v, want %v", prices, k, sparse.next[k], dense.next[k])
			}
		}
	}
}
