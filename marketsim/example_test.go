package marketsim_test

import (
	"fmt"

	"frontiersim/experiments"
	"frontiersim/marketsim"
)

// The market model plugged into the experiment machinery: the default
// experiment loads against its parameters.
func Example() {
	sim := marketsim.Simulator{}
	e, err := experiments.LoadDefault(sim)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d months (calibrated: %d)\n", e.Name, e.Months, sim.CalibratedMonths())
	for _, a := range e.Arms {
		fmt.Println(a.Name)
	}
	// Output:
	// default: 84 months (calibrated: 84)
	// baseline
	// revenue_share_cap
	// ban_exclusive
	// merger_control
	// lower_switching_costs
}
