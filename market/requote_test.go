package market

import (
	"errors"
	"math"
	"testing"
)

// requoteProblem is a nested two-cell game with a wedge, a fee and an
// interest: three firms, five products in two nests.
func requoteProblem() *PricingProblem {
	return &PricingProblem{
		Cells: []DemandCell{
			{Weight: 2, BetaP: 1, Quality: []float64{2, 1.5, 1.2, 1.8, math.Inf(-1)}},
			{Weight: 1, BetaP: 0.5, Quality: []float64{1.4, 2.5, 0.2, 1.1, 0.9}},
		},
		Cost:      []float64{1, 0.8, 0.7, 0.9, 0.6},
		Owner:     []int{0, 0, 1, 2, 2},
		Firms:     3,
		Nest:      []int{0, 1, 0, 1, 0},
		Lambda:    []float64{0.6, 0.8},
		Wedges:    []RevenueWedge{{Product: 3, Rate: 0.2, Payee: 0}},
		Fees:      []UnitFee{{Product: 2, Amount: 0.3, Payer: 1, Payee: 0}},
		Interests: []ProfitInterest{{Holder: 1, Firm: 0, Share: 0.25}},
	}
}

// twinCell is a copy of c (its own qualities) with weight w: a twin of c
// when added to c's problem.
func twinCell(c DemandCell, w float64) DemandCell {
	c.Quality = append([]float64(nil), c.Quality...)
	c.Weight = w
	return c
}

// Requote's payoffs after moving qualities are bit for bit those of a
// fresh Evaluate of the moved problem, move after move (the memos of the
// exponentials reused where the utilities did not move).
func TestRequoteIsEvaluate(t *testing.T) {
	prob := requoteProblem()
	prices := []float64{3, 2.5, 2, 2.8, 1.9}
	var pr, fresh Pricer
	var eq, want PriceEquilibrium
	if err := pr.Evaluate(prob, prices, &eq); err != nil {
		t.Fatal(err)
	}
	moves := []struct {
		product, cell int
		by            float64
	}{
		{0, 0, 1e-4}, {0, 1, 1e-4}, {3, 0, -0.7}, {3, 1, 2.5}, {4, 1, 30}, {1, 0, -1e-9},
	}
	for i, m := range moves {
		prob.Cells[m.cell].Quality[m.product] += m.by
		if i == 3 {
			prob.Cells[1].Weight = 4
		}
		if err := pr.Requote(prob, prices, &eq); err != nil {
			t.Fatalf("move %d: %v", i, err)
		}
		if err := fresh.Evaluate(prob, prices, &want); err != nil {
			t.Fatalf("move %d: %v", i, err)
		}
		if !math.IsNaN(eq.Residual) {
			t.Errorf("move %d: residual %g, want NaN", i, eq.Residual)
		}
		for f := range want.Objectives {
			if eq.Objectives[f] != want.Objectives[f] || eq.Profits[f] != want.Profits[f] {
				t.Errorf("move %d: firm %d objective %v profit %v, want %v %v", i, f, eq.Objectives[f], eq.Profits[f], want.Objectives[f], want.Profits[f])
			}
		}
		for j := range want.Quantity {
			if eq.Quantity[j] != want.Quantity[j] {
				t.Errorf("move %d: quantity %d %v, want %v", i, j, eq.Quantity[j], want.Quantity[j])
			}
		}
		if eq.ConsumerSurplus != want.ConsumerSurplus || eq.Outside != want.Outside {
			t.Errorf("move %d: surplus %v outside %v, want %v %v", i, eq.ConsumerSurplus, eq.Outside, want.ConsumerSurplus, want.Outside)
		}
	}
}

// Requote refuses a problem other than the last call's, and errs where
// Evaluate does.
func TestRequoteBadInput(t *testing.T) {
	prob := requoteProblem()
	prices := []float64{3, 2.5, 2, 2.8, 1.9}
	var pr Pricer
	var eq PriceEquilibrium
	if err := pr.Requote(prob, prices, &eq); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("before any call: %v, want ErrInvalidArgument", err)
	}
	if err := pr.Evaluate(prob, prices, &eq); err != nil {
		t.Fatal(err)
	}
	if err := pr.Requote(requoteProblem(), prices, &eq); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("another problem: %v, want ErrInvalidArgument", err)
	}
	if err := pr.Requote(prob, []float64{3, 2.5, math.NaN(), 2.8, 1.9}, &eq); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("a NaN price: %v, want ErrInvalidArgument", err)
	}
	if err := pr.Evaluate(&PricingProblem{}, nil, &eq); err == nil {
		t.Fatal("an empty problem evaluated")
	}
	if err := pr.Requote(prob, prices, &eq); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("after a failed call: %v, want ErrInvalidArgument", err)
	}
	// product 4 priced out of its only cell: Evaluate and Requote both err
	if err := pr.Evaluate(prob, prices, &eq); err != nil {
		t.Fatal(err)
	}
	prob.Cells[1].Quality[4] = -1e4
	var fresh Pricer
	errE := fresh.Evaluate(prob, prices, &eq)
	errR := pr.Requote(prob, prices, &eq)
	if errE == nil || !errors.Is(errR, ErrInvalidArgument) {
		t.Errorf("a product without demand: Evaluate %v, Requote %v, want both to err", errE, errR)
	}
}
