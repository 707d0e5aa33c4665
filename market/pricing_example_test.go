package market_test

import (
	"fmt"

	"frontiersim/market"
)

// Firm 0 sells product 0 directly (nest 0) and product 1 through firm 1's
// channel (nest 1), where firm 1 also sells its own product 2. Firm 0 pays
// firm 1 a revenue share of 20% on product 1, which firm 1 internalises
// when it prices product 2. Prices are in US$ per workload unit, the cell
// has weight 1, so quantities are shares of potential demand and profits
// and surplus are US$ per unit of potential demand.
func ExamplePricer_Solve() {
	prob := &market.PricingProblem{
		Cells:  []market.DemandCell{{Weight: 1, BetaP: 1, Quality: []float64{2.0, 1.8, 1.5}}},
		Cost:   []float64{1.0, 1.0, 0.8},
		Owner:  []int{0, 0, 1},
		Firms:  2,
		Nest:   []int{0, 1, 1},
		Lambda: []float64{0.6, 0.6},
		Wedges: []market.RevenueWedge{{Product: 1, Rate: 0.2, Payee: 1}},
	}
	var pr market.Pricer
	var eq market.PriceEquilibrium
	if err := pr.Solve(prob, nil, &eq); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("prices %.4f %.4f %.4f\n", eq.Prices[0], eq.Prices[1], eq.Prices[2])
	fmt.Printf("shares %.4f %.4f %.4f, outside %.4f\n", eq.Quantity[0], eq.Quantity[1], eq.Quantity[2], eq.Outside)
	fmt.Printf("profits %.4f %.4f, consumer surplus %.4f, converged %v\n", eq.Profits[0], eq.Profits[1], eq.ConsumerSurplus, eq.Residual <= 1e-6)

	// The disagreement point of the channel deal: product 1 and its
	// revenue share go, the other prices re-solve from the last solution.
	// Products 0 and 2 are then alone in their nests: reference case B1.
	noDeal := *prob
	noDeal.Wedges = nil
	var d market.PriceEquilibrium
	if err := pr.SolveWithout(&noDeal, 1, eq.Prices, &d); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("without the channel: prices %.4f %.4f, profits %.4f %.4f, consumer surplus %.4f\n",
		d.Prices[0], d.Prices[2], d.Profits[0], d.Profits[1], d.ConsumerSurplus)
	// Output:
	// prices 2.5044 2.4253 1.9293
	// shares 0.2410 0.1508 0.2091, outside 0.3991
	// profits 0.5044 0.3093, consumer surplus 0.9185, converged true
	// without the channel: prices 2.4255 2.1240, profits 0.4255 0.3240, consumer surplus 0.7835
}
