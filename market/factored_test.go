package market

import (
	"math"
	"testing"
)

// shares factors each exponential into a quality part and a price part
// shared by the cells with the same betaP (factoredCell): in random
// nested-logit games at random prices, its shares, outside shares and
// surplus equal those of exponentials taken whole (exactCell) to 1e-12
// (relative), and the equilibria solved both ways agree to 1e-9 of price.
func TestFactoredSharesMatchExact(t *testing.T) {
	r := newRand()
	var fast, slow Pricer
	slow.noFactored = true
	var fe, se PriceEquilibrium
	close := func(a, b []float64, tol float64) (int, bool) {
		for i := range a {
			if math.Abs(a[i]-b[i]) > tol*math.Max(1, math.Max(math.Abs(a[i]), math.Abs(b[i]))) {
				return i, false
			}
		}
		return 0, true
	}
	solved := 0
	for i := range 300 {
		prob := randomPricingGame(r)
		// cells sharing a betaP, as a choice problem's segments do
		if len(prob.Cells) > 1 && i%2 == 0 {
			prob.Cells[1].BetaP = prob.Cells[0].BetaP
		}
		prices := make([]float64, len(prob.Owner))
		for j := range prices {
			prices[j] = uniform(r, 0.1, 4)
		}
		if err := fast.Evaluate(prob, prices, &fe); err != nil {
			t.Fatal(err)
		}
		if err := slow.Evaluate(prob, prices, &se); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			a, b []float64
		}{{"cell shares", fe.CellShares, se.CellShares}, {"outside shares", fe.CellOutside, se.CellOutside}, {"surplus", fe.CellSurplus, se.CellSurplus}} {
			if k, ok := close(c.a, c.b, 1e-12); !ok {
				t.Fatalf("game %d: %s[%d] %.17g factored, %.17g whole", i, c.name, k, c.a[k], c.b[k])
			}
		}
		errF := fast.Solve(prob, nil, &fe)
		errS := slow.Solve(prob, nil, &se)
		if (errF == nil) != (errS == nil) {
			t.Fatalf("game %d: factored %v, whole %v", i, errF, errS)
		}
		if errF != nil {
			continue
		}
		solved++
		if k, ok := close(fe.Prices, se.Prices, 1e-9); !ok {
			t.Fatalf("game %d: price %d %.17g factored, %.17g whole", i, k, fe.Prices[k], se.Prices[k])
		}
	}
	if solved < 250 {
		t.Fatalf("only %d of 300 games solved", solved)
	}
}

// Where a factor would lose precision (a price coefficient so large that
// exp(-betaP p/lambda) underflows, or qualities spread so far that a
// product's quality factor does), shares takes that cell's exponentials
// whole: its results are those of exactCell bit for bit (with the large
// price coefficient in every cell, the whole evaluation is).
func TestFactoredSharesFallBack(t *testing.T) {
	for _, tc := range []struct {
		name   string
		betaP  float64
		spread float64
	}{{"large betaP", 900, 1}, {"spread qualities", 1, 800}} {
		prob := requoteProblem()
		prices := make([]float64, len(prob.Owner))
		for j := range prices {
			prices[j] = 1 + 0.1*float64(j)
		}
		for c := range prob.Cells {
			cell := &prob.Cells[c]
			b := cell.BetaP
			cell.BetaP *= tc.betaP
			spread := tc.spread
			if c > 0 {
				spread = 1 // the other cell keeps every product's demand positive
			}
			for j := range cell.Quality {
				// the utilities of the base problem times spread, at any
				// price coefficient
				cell.Quality[j] = spread*(cell.Quality[j]-b*prices[j]) + cell.BetaP*prices[j]
			}
		}
		var fast, slow Pricer
		slow.noFactored = true
		var fe, se PriceEquilibrium
		if err := fast.Evaluate(prob, prices, &fe); err != nil {
			t.Fatal(err)
		}
		if err := slow.Evaluate(prob, prices, &se); err != nil {
			t.Fatal(err)
		}
		// the first cell's shares, outside share and surplus, bit for bit
		J := len(prob.Owner)
		a := append(append(fe.CellShares[:J:J], fe.CellOutside[0]), fe.CellSurplus[0])
		b := append(append(se.CellShares[:J:J], se.CellOutside[0]), se.CellSurplus[0])
		for k := range a {
			if math.Float64bits(a[k]) != math.Float64bits(b[k]) {
				t.Errorf("%s: first cell's value %d: %.17g, exact %.17g", tc.name, k, a[k], b[k])
			}
		}
		if d := sameEquilibrium(&fe, &se); tc.betaP > 1 && d != "" {
			t.Errorf("%s: %s differ", tc.name, d) // every cell took the exact path
		}
	}
}
