package market

import (
	"math"
	"testing"
)

// ShiftObjective agrees with RequoteObjective of the moved problem to 1e-12
// of the objective for every firm, for moves of one product, of a firm's
// products in every nest, small (a finite difference's) and large, up and
// down, with twin cells, a cell of weight 0 and a product without demand in
// a cell; it leaves the base state as it was (a move after a move starts
// from the base), and errs without a base, for a product or firm out of
// range and for a shift that overflows.
func TestShiftObjectiveIsRequote(t *testing.T) {
	build := func() *PricingProblem {
		prob := requoteProblem()
		z := twinCell(prob.Cells[0], 0)
		z.Quality[2] += 0.4 // no longer a twin
		prob.Cells = append(prob.Cells, twinCell(prob.Cells[1], 0.3), z)
		return prob
	}
	prob, moved := build(), build()
	prices := []float64{3, 2.5, 2, 2.8, 1.9}
	var pr, ref Pricer
	var eq PriceEquilibrium
	if _, err := pr.ShiftObjective(prob, []int{0}, 0.1, 0); err == nil {
		t.Fatal("no base: no error")
	}
	if err := pr.Evaluate(prob, prices, &eq); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		products []int
		by       float64
	}{
		{[]int{0}, 1e-4}, {[]int{0, 1}, 1.89e-4}, {[]int{3, 4}, -0.7}, {[]int{2}, 3}, {[]int{4}, 30}, {[]int{1, 3}, -1e-9}, {nil, 0.5},
	}
	for i, m := range cases {
		for c := range moved.Cells {
			copy(moved.Cells[c].Quality, prob.Cells[c].Quality)
			for _, j := range m.products {
				moved.Cells[c].Quality[j] += m.by
			}
		}
		for f := range prob.Firms {
			want, err := ref.RequoteObjective(moved, prices, f)
			if err != nil {
				if err = ref.Evaluate(moved, prices, &eq); err != nil {
					t.Fatalf("case %d: %v", i, err)
				}
				if want, err = ref.RequoteObjective(moved, prices, f); err != nil {
					t.Fatalf("case %d: %v", i, err)
				}
			}
			got, err := pr.ShiftObjective(prob, m.products, m.by, f)
			if err != nil {
				t.Fatalf("case %d firm %d: %v", i, f, err)
			}
			if math.Abs(got-want) > 1e-12*math.Max(1e-12, math.Abs(want)) {
				t.Errorf("case %d firm %d: ShiftObjective %.17g, RequoteObjective %.17g", i, f, got, want)
			}
		}
	}
	if _, err := pr.ShiftObjective(prob, []int{5}, 0.1, 0); err == nil {
		t.Error("product out of range: no error")
	}
	if _, err := pr.ShiftObjective(prob, []int{0}, 0.1, prob.Firms); err == nil {
		t.Error("firm out of range: no error")
	}
	if _, err := pr.ShiftObjective(prob, []int{0}, 1e6, 0); err == nil {
		t.Error("overflowing shift: no error")
	}
	if _, err := pr.ShiftObjective(prob, []int{0}, math.NaN(), 0); err == nil {
		t.Error("NaN shift: no error")
	}
	if _, err := pr.RequoteObjective(prob, prices, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := pr.ShiftObjective(prob, []int{0}, 0.1, 0); err == nil {
		t.Error("after RequoteObjective (not a base): no error")
	}
}

// Quote is Evaluate bit for bit but for the residual (NaN), and a base for
// ShiftObjective as Evaluate is.
func TestQuoteIsEvaluate(t *testing.T) {
	prob := requoteProblem()
	prob.Cells = append(prob.Cells, twinCell(prob.Cells[0], 0.4))
	prices := []float64{3, 2.5, 2, 2.8, 1.9}
	var a, b Pricer
	var ea, eb PriceEquilibrium
	if err := a.Quote(prob, prices, &ea); err != nil {
		t.Fatal(err)
	}
	if err := b.Evaluate(prob, prices, &eb); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(ea.Residual) {
		t.Errorf("Quote's residual %g, want NaN", ea.Residual)
	}
	ea.Residual = eb.Residual
	if d := sameEquilibrium(&ea, &eb); d != "" {
		t.Fatalf("Quote and Evaluate: %s differ", d)
	}
	for f := range prob.Firms {
		x, err1 := a.ShiftObjective(prob, []int{0, 3}, 0.2, f)
		y, err2 := b.ShiftObjective(prob, []int{0, 3}, 0.2, f)
		if err1 != nil || err2 != nil || math.Float64bits(x) != math.Float64bits(y) {
			t.Fatalf("firm %d: ShiftObjective after Quote %v (%v), after Evaluate %v (%v)", f, x, err1, y, err2)
		}
	}
	prices[2] = math.NaN()
	if err := a.Quote(prob, prices, &ea); err == nil {
		t.Error("NaN price: no error")
	}
}

// ShiftObjective's nest memo (shiftIn, shiftOut) changes nothing: a
// sequence of moves on one base, which reuses the memo's slots, gives bit
// for bit what each move gives on a fresh base (an empty memo), and a new
// base (Evaluate at other prices, Requote at moved qualities) empties it.
func TestShiftObjectiveMemoExact(t *testing.T) {
	prob := requoteProblem()
	prob.Cells = append(prob.Cells, twinCell(prob.Cells[1], 0.3))
	bases := [][]float64{{3, 2.5, 2, 2.8, 1.9}, {2.2, 2.9, 2.4, 2.1, 2.6}}
	moves := [][]int{{0}, {0, 1}, {3, 4}, {2}, {1, 3}, {0}, {4}, nil}
	var pr, fresh Pricer
	var eq PriceEquilibrium
	for b, prices := range bases {
		if err := pr.Evaluate(prob, prices, &eq); err != nil {
			t.Fatal(err)
		}
		for rep := range 2 {
			if rep == 1 {
				// a Requote at moved qualities is a new base too
				prob.Cells[0].Quality[2] += 0.25
				if err := pr.Requote(prob, prices, &eq); err != nil {
					t.Fatal(err)
				}
			}
			for i, m := range moves {
				for _, x := range []float64{1e-4, -0.6, 2} {
					for f := range prob.Firms {
						got, err := pr.ShiftObjective(prob, m, x, f)
						if err != nil {
							t.Fatal(err)
						}
						if err := fresh.Evaluate(prob, prices, &eq); err != nil {
							t.Fatal(err)
						}
						if rep == 1 {
							if err := fresh.Requote(prob, prices, &eq); err != nil {
								t.Fatal(err)
							}
						}
						want, err := fresh.ShiftObjective(prob, m, x, f)
						if err != nil {
							t.Fatal(err)
						}
						if got != want {
							t.Errorf("base %d rep %d move %d by %g firm %d: %.17g after earlier moves, %.17g on a fresh base", b, rep, i, x, f, got, want)
						}
					}
				}
			}
		}
		prob.Cells[0].Quality[2] -= 0.25
	}
}
