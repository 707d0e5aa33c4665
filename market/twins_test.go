package market

import (
	"math"
	"testing"
)

// sameEquilibrium reports the first field in which a and b differ, bit for
// bit ("" when none does).
func sameEquilibrium(a, b *PriceEquilibrium) string {
	same := func(x, y []float64) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return false
			}
		}
		return true
	}
	switch {
	case !same(a.Prices, b.Prices):
		return "prices"
	case !same(a.Quantity, b.Quantity):
		return "quantities"
	case !same(a.CellShares, b.CellShares):
		return "cell shares"
	case !same(a.CellOutside, b.CellOutside):
		return "outside shares"
	case !same(a.CellSurplus, b.CellSurplus):
		return "surplus"
	case !same(a.Profits, b.Profits):
		return "profits"
	case !same(a.Objectives, b.Objectives):
		return "objectives"
	case !same(a.Elasticity, b.Elasticity):
		return "elasticities"
	case !same([]float64{a.Residual, a.Spend, a.Costs, a.Outside}, []float64{b.Residual, b.Spend, b.Costs, b.Outside}):
		return "totals"
	case a.Iterations != b.Iterations:
		return "iterations"
	}
	return ""
}

// A Pricer copies the shares of a cell equal to an earlier one (same BetaP
// and qualities, any weight): its solves, evaluations and requotes are bit
// for bit those of a Pricer that computes every cell, as the cells move
// together (a seam's shift of one product in every cell) and apart.
func TestTwinCellsExact(t *testing.T) {
	build := func() *PricingProblem {
		prob := requoteProblem()
		a, b := prob.Cells[0], prob.Cells[1]
		twin := func(c DemandCell, w float64) DemandCell {
			c.Quality = append([]float64(nil), c.Quality...)
			c.Weight = w
			return c
		}
		prob.Cells = append(prob.Cells, twin(a, 0.7), twin(b, 3), twin(a, 0))
		return prob
	}
	fastP, slowP := build(), build()
	var fast, slow Pricer
	slow.noTwins = true
	var fe, se PriceEquilibrium
	if err := fast.Solve(fastP, nil, &fe); err != nil {
		t.Fatal(err)
	}
	if err := slow.Solve(slowP, nil, &se); err != nil {
		t.Fatal(err)
	}
	if d := sameEquilibrium(&fe, &se); d != "" {
		t.Fatalf("Solve: %s differ", d)
	}
	if got := fast.twin[:len(fastP.Cells)]; got[2] != 0 || got[3] != 1 || got[4] != 0 || got[0] != -1 || got[1] != -1 {
		t.Fatalf("twins %v, want [-1 -1 0 1 0]", got)
	}
	if err := fast.SolveWithout(fastP, 1, nil, &fe); err != nil {
		t.Fatal(err)
	}
	if err := slow.SolveWithout(slowP, 1, nil, &se); err != nil {
		t.Fatal(err)
	}
	if d := sameEquilibrium(&fe, &se); d != "" {
		t.Fatalf("SolveWithout: %s differ", d)
	}
	prices := append([]float64(nil), fe.Prices...)
	fr, sr := make([]float64, len(prices)), make([]float64, len(prices))
	fw, err1 := fast.FOCResidual(fastP, prices, fr)
	sw, err2 := slow.FOCResidual(slowP, prices, sr)
	if err1 != nil || err2 != nil || math.Float64bits(fw) != math.Float64bits(sw) {
		t.Fatalf("FOCResidual: %v %v, errors %v %v", fw, sw, err1, err2)
	}
	if err := fast.Evaluate(fastP, prices, &fe); err != nil {
		t.Fatal(err)
	}
	if err := slow.Evaluate(slowP, prices, &se); err != nil {
		t.Fatal(err)
	}
	moves := []struct {
		product, cell int // cell -1: every cell
		by            float64
	}{
		{0, -1, 1e-4}, {3, -1, -0.3}, {3, 2, 0.1}, {3, 2, -0.1}, {1, 4, 2}, {1, -1, 1e-9},
	}
	for i, m := range moves {
		for _, p := range []*PricingProblem{fastP, slowP} {
			for c := range p.Cells {
				if m.cell < 0 || c == m.cell {
					p.Cells[c].Quality[m.product] += m.by
				}
			}
		}
		if err := fast.Requote(fastP, prices, &fe); err != nil {
			t.Fatalf("move %d: %v", i, err)
		}
		if err := slow.Requote(slowP, prices, &se); err != nil {
			t.Fatalf("move %d: %v", i, err)
		}
		if d := sameEquilibrium(&fe, &se); d != "" {
			t.Fatalf("move %d: %s differ", i, d)
		}
	}
}
