package market

import (
	"math"
	"testing"
)

// RequoteObjective is bit for bit Requote's objective of every firm, move
// after move, with twin cells, and errs where Requote does.
func TestRequoteObjectiveIsRequote(t *testing.T) {
	prob := requoteProblem()
	prob.Cells = append(prob.Cells, twinCell(prob.Cells[1], 0.3))
	prices := []float64{3, 2.5, 2, 2.8, 1.9}
	var pr, ref Pricer
	var eq, want PriceEquilibrium
	if err := pr.Evaluate(prob, prices, &eq); err != nil {
		t.Fatal(err)
	}
	if err := ref.Evaluate(prob, prices, &want); err != nil {
		t.Fatal(err)
	}
	moves := []struct {
		product, cell int
		by            float64
	}{
		{0, 0, 1e-4}, {2, 1, 1e-4}, {2, 2, 1e-4}, {3, 0, -0.7}, {4, 1, 30}, {1, 2, -1e-9},
	}
	for i, m := range moves {
		prob.Cells[m.cell].Quality[m.product] += m.by
		if err := ref.Requote(prob, prices, &want); err != nil {
			t.Fatalf("move %d: %v", i, err)
		}
		for f := range prob.Firms {
			got, err := pr.RequoteObjective(prob, prices, f)
			if err != nil {
				t.Fatalf("move %d: %v", i, err)
			}
			if math.Float64bits(got) != math.Float64bits(want.Objectives[f]) {
				t.Errorf("move %d: firm %d objective %v, want %v", i, f, got, want.Objectives[f])
			}
		}
	}
	if _, err := pr.RequoteObjective(prob, prices, prob.Firms); err == nil {
		t.Error("firm out of range: no error")
	}
	if _, err := pr.RequoteObjective(requoteProblem(), prices, 0); err == nil {
		t.Error("another problem: no error")
	}
	prices[1] = math.Inf(1)
	if _, err := pr.RequoteObjective(prob, prices, 0); err == nil {
		t.Error("infinite price: no error")
	}
}
