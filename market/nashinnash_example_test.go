package market_test

import (
	"fmt"

	"frontiersim/market"
)

// Reference case N1 of model-v2.md §4: a lab (firm 0) sells its model
// direct (product 0) and through two clouds (firms 1 and 2, products 1 and
// 2) under multinomial logit with an outside good. Each cloud pays the lab
// a fee per unit resold; the lab serves every unit at cost 0.5. Each pair
// bargains its fee with equal weights, the other fee held fixed, prices
// re-solving at every candidate fee.
func ExampleNashInNash_Solve() {
	prob := &market.PricingProblem{
		Cells:      []market.DemandCell{{Weight: 1, BetaP: 1, Quality: []float64{1.0, 1.5, 1.2}}},
		Cost:       []float64{0.5, 0.5, 0.5},
		Owner:      []int{0, 1, 2},
		Firms:      3,
		CostBearer: []int{0, 0, 0}, // the lab serves the resold units
	}
	agreements := []market.Agreement{
		{Lab: 0, Cloud: 1, Product: 1, Term: market.TermUnitFee, Lo: 0, Hi: 4, Alpha: 0.5},
		{Lab: 0, Cloud: 2, Product: 2, Term: market.TermUnitFee, Lo: 0, Hi: 4, Alpha: 0.5},
	}
	var n market.NashInNash
	var res market.NashInNashResult
	if err := n.Solve(prob, agreements, &res); err != nil {
		fmt.Println(err)
		return
	}
	eq := &res.Agreed
	// fees to 5 decimals: the first fee, 1.6313695 to 1e-7, sits on a
	// rounding boundary at 6, below the solver's accuracy (about the
	// square root of the pricing tolerance)
	fmt.Printf("fees %.5f %.5f\n", res.Terms[0], res.Terms[1])
	fmt.Printf("prices %.6f %.6f %.6f\n", eq.Prices[0], eq.Prices[1], eq.Prices[2])
	fmt.Printf("profits: lab %.6f, clouds %.6f %.6f\n", eq.Profits[0], eq.Profits[1], eq.Profits[2])
	for i := range agreements {
		fmt.Printf("without cloud %d: lab %.6f\n", i+1, res.LabDisagreement[i])
	}

	// Next month's bargain starts from these terms.
	for i := range agreements {
		agreements[i].Value = res.Terms[i]
	}
	if err := n.Solve(prob, agreements, &res); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("warm start: %d sweep, fees %.5f %.5f\n", res.Sweeps, res.Terms[0], res.Terms[1])
	// Output:
	// fees 1.63137 1.61417
	// prices 2.092445 2.806283 2.746741
	// profits: lab 0.592445, clouds 0.174913 0.132573
	// without cloud 1: lab 0.497515
	// without cloud 2: lab 0.521754
	// warm start: 1 sweep, fees 1.63137 1.61417
}
