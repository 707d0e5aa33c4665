package market

import (
	"fmt"
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
// and qualities, any weight): its evaluations and requotes, and its solves
// with the twins not merged (noMerged), are bit for bit those of a Pricer
// that computes every cell, as the cells move together (a seam's shift of
// one product in every cell) and apart. (Solves merge the twins into their
// roots: TestTwinCellsMerged.)
func TestTwinCellsExact(t *testing.T) {
	build := func() *PricingProblem {
		prob := requoteProblem()
		a, b := prob.Cells[0], prob.Cells[1]
		prob.Cells = append(prob.Cells, twinCell(a, 0.7), twinCell(b, 3), twinCell(a, 0))
		return prob
	}
	fastP, slowP := build(), build()
	var fast, slow Pricer
	slow.noTwins = true
	fast.noMerged = true
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

// Solves merge a cell's twins into it (mergedW): the fixed-point map's sums
// are linear in a cell's weight, so the equilibrium is that of a Pricer
// that computes every cell at its own weight up to rounding (1e-12 of
// price; the tolerance is 1e-10 x price apart from the merging), and the
// filled equilibrium has every cell's shares (the twins' copied). Every
// start is the solver's own and a warm one, with and without a product.
func TestTwinCellsMerged(t *testing.T) {
	build := func() *PricingProblem {
		prob := requoteProblem()
		a, b := prob.Cells[0], prob.Cells[1]
		prob.Cells = append(prob.Cells, twinCell(a, 0.7), twinCell(b, 3), twinCell(a, 0), twinCell(b, 1e-3))
		prob.Cells[1].Weight = 0 // a root of weight 0 with weighted twins
		return prob
	}
	fastP, slowP := build(), build()
	var fast, slow Pricer
	slow.noTwins = true
	var fe, se PriceEquilibrium
	near := func(what string, a, b []float64) {
		t.Helper()
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-12*math.Max(1, math.Abs(b[i])) {
				t.Fatalf("%s %d: merged %.17g, every cell %.17g", what, i, a[i], b[i])
			}
		}
	}
	for _, without := range []int{-1, 1} {
		for _, warm := range []bool{false, true} {
			var start []float64
			if warm {
				start = []float64{3, 2.5, 2, 2.8, 1.9}
			}
			var err1, err2 error
			if without < 0 {
				err1, err2 = fast.Solve(fastP, start, &fe), slow.Solve(slowP, start, &se)
			} else {
				err1, err2 = fast.SolveWithout(fastP, without, start, &fe), slow.SolveWithout(slowP, without, start, &se)
			}
			if err1 != nil || err2 != nil {
				t.Fatalf("without %d warm %v: %v, %v", without, warm, err1, err2)
			}
			if w := fast.mergedW[:len(fastP.Cells)]; w[0] != 2+0.7+0 || w[1] != 0+3+1e-3 || w[2] != 0 || w[3] != 0 {
				t.Fatalf("family weights %v, want [2.7 3.001 0 0 0 0]", w)
			}
			what := fmt.Sprintf("without %d warm %v", without, warm)
			near(what+" prices", fe.Prices, se.Prices)
			near(what+" quantities", fe.Quantity, se.Quantity)
			near(what+" cell shares", fe.CellShares, se.CellShares)
			near(what+" profits", fe.Profits, se.Profits)
			if fe.Residual > DefaultPricingTol || se.Residual > DefaultPricingTol {
				t.Fatalf("%s: residuals %g, %g", what, fe.Residual, se.Residual)
			}
		}
	}
}

// setup's cell keys only prune comparisons: cells equal under sameCell
// (-0 and +0 qualities alike) are still twins, and unequal ones are not.
func TestCellKeyPrunesOnly(t *testing.T) {
	prob := requoteProblem()
	a := prob.Cells[0]
	a.Quality = append([]float64(nil), a.Quality...)
	a.Quality[0] = 0
	b := a
	b.Quality = append([]float64(nil), a.Quality...)
	b.Quality[0] = math.Copysign(0, -1)
	d := a
	d.Quality = append([]float64(nil), a.Quality...)
	d.Quality[1] += 1e-15
	prob.Cells = []DemandCell{a, b, d}
	var pr Pricer
	if err := pr.setup(prob, -1); err != nil {
		t.Fatal(err)
	}
	if pr.twin[1] != 0 || pr.twin[2] != -1 {
		t.Errorf("twins %v, want [-1 0 -1]", pr.twin[:3])
	}
	if cellKey(&a) != cellKey(&b) {
		t.Error("-0 and +0 qualities hash apart")
	}
}
