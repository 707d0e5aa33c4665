package market_test

import (
	"fmt"
	"math"

	"frontiersim/market"
)

// Two labs buy compute from two clouds. The first lab's compute is
// exclusive to the first cloud, whose capacity binds: the partner is
// served first at the cloud's price without scarcity rent, and its rival
// pays the rent that clears what is left. A ban on exclusive compute deals
// turns the partner into an open buyer and lowers its rival's price
// there.
func ExampleComputeSolver_Solve() {
	const labs, clouds = 2, 2
	access := make([]market.Access, labs*clouds)
	if err := market.ComputeAccess(0, true, false, access[:clouds]); err != nil { // lab 0: exclusive with cloud 0
		fmt.Println(err)
		return
	}
	m := &market.ComputeMarket{
		Labs: labs, Clouds: clouds,
		Alpha:     []float64{1.2, 1.5},         // per US$ per GPU-hour
		Potential: []float64{4e8, 3e8},         // GPU-hours a month
		Value:     []float64{4, 3.5, 3.8, 3.2}, // US$ per GPU-hour, lab x cloud
		Access:    access,
		Cost:      []float64{1, 1.1}, // US$ per GPU-hour
		Capacity:  []float64{3.2e8, math.Inf(1)},
	}
	var e market.ComputeEquilibrium
	show := func(title string) {
		if err := (market.ComputeSolver{}).Solve(m, &e); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(title)
		for j := range labs {
			for k := range clouds {
				i := j*clouds + k
				fmt.Printf("  lab %d at cloud %d: %.3f US$/GPU-h, %.3g GPU-h/month\n", j, k, e.Price[i], e.Quantity[i])
			}
		}
		fmt.Printf("  cloud 0: sold %.3g of %.3g, rent on open buyers %.3f US$/GPU-h\n", e.Sold[0], m.Capacity[0], e.Rent[0])
	}
	show("exclusive:")
	m.Access = nil // the ban: every lab open everywhere
	show("ban:")
	// Output:
	// exclusive:
	//   lab 0 at cloud 0: 3.449 US$/GPU-h, 2.64e+08 GPU-h/month
	//   lab 0 at cloud 1: +Inf US$/GPU-h, 0 GPU-h/month
	//   lab 1 at cloud 0: 3.981 US$/GPU-h, 5.61e+07 GPU-h/month
	//   lab 1 at cloud 1: 2.641 US$/GPU-h, 1.7e+08 GPU-h/month
	//   cloud 0: sold 3.2e+08 of 3.2e+08, rent on open buyers 2.161 US$/GPU-h
	// ban:
	//   lab 0 at cloud 0: 3.003 US$/GPU-h, 1.77e+08 GPU-h/month
	//   lab 0 at cloud 1: 2.543 US$/GPU-h, 1.69e+08 GPU-h/month
	//   lab 1 at cloud 0: 2.776 US$/GPU-h, 1.43e+08 GPU-h/month
	//   lab 1 at cloud 1: 2.254 US$/GPU-h, 1.27e+08 GPU-h/month
	//   cloud 0: sold 3.2e+08 of 3.2e+08, rent on open buyers 0.505 US$/GPU-h
}
