package market_test

import (
	"fmt"

	"frontiersim/market"
)

// A cloud's capacity plan through a doubling of demand: orders go into the
// pipeline and arrive 21 months later, capex is the order times the unit
// cost. The rule reads the step as growth for a while and overshoots the
// new target (2.2e8) once before depreciation brings it back.
func ExampleSupplyLine_Step() {
	rule := market.DefaultSupplyLine()
	st, err := rule.SteadyCapacity(1e8, 0) // 1e8 GPU-hours a month, steady
	if err != nil {
		fmt.Println(err)
		return
	}
	const unitCost = 6.8e-8 // US$B per GPU-hour-per-month of capacity (≈ US$50k per H100)
	for month := range 48 {
		f, err := rule.Step(&st, 2e8, unitCost)
		if err != nil {
			fmt.Println(err)
			return
		}
		if month%12 == 0 || month == 21 {
			fmt.Printf("month %2d: capacity %.3g, ordered %.3g, capex US$%.2fB\n", month, st.Capacity, f.Order, f.Capex)
		}
	}
	// Output:
	// month  0: capacity 1.1e+08, ordered 1.87e+07, capex US$1.27B
	// month 12: capacity 1.1e+08, ordered 8.36e+06, capex US$0.57B
	// month 21: capacity 1.27e+08, ordered 1.45e+06, capex US$0.10B
	// month 24: capacity 2.19e+08, ordered 1.22e+06, capex US$0.08B
	// month 36: capacity 3.51e+08, ordered 1.96e+06, capex US$0.13B
}
