package market_test

import (
	"fmt"

	"frontiersim/market"
)

// A cloud with 30% of a model market holds 49% of the profits of a lab with
// 20%, no votes, and supplies its compute; a nonprofit controls the lab.
// The rest of the market is 50 firms of 1%.
func ExampleMHHIWithControl() {
	firms := []market.FirmOwnership{
		{Firm: "cloud", SharePct: 30, Governance: market.Governance{BoardSize: 9},
			Positions: []market.HolderPosition{{Holder: "cloud", Equity: 1, ProfitInterest: 1, Votes: 1}}},
		{Firm: "lab", SharePct: 20, Governance: market.Governance{BoardSize: 7, Unincorporated: true},
			Positions: []market.HolderPosition{
				{Holder: "nonprofit", Equity: 0.51, ProfitInterest: 0.51, Votes: 1, BoardSeats: 7},
				{Holder: "cloud", Equity: 0.49, ProfitInterest: 0.49, KeyInput: true, Information: true}}},
	}
	for range 50 {
		firms = append(firms, market.FirmOwnership{Firm: "fringe", SharePct: 1})
	}
	for _, w := range []market.ControlWeighting{market.DefaultControlWeighting(), {Influence: 0.25}} {
		r, _ := market.MHHIWithControl(firms, market.UKControlRule(), w)
		fmt.Printf("sole control %-5v HHI %.0f MHHI %.1f (cloud in lab: %v)\n", w.SoleControl, r.HHI, r.MHHI, r.Levels[0][1])
	}
	// Output:
	// sole control true  HHI 1350 MHHI 1644.0 (cloud in lab: material influence)
	// sole control false HHI 1350 MHHI 1881.2 (cloud in lab: material influence)
}

// The merged firm would supply 55% of the compute the target's two rivals
// use; 60% of the target's sales already go through the acquirer.
func ExampleVerticalScreen() {
	m := market.VerticalMarket{
		ComputeUse:       [][]float64{{100, 0, 0}, {60, 40, 0}, {50, 0, 50}},
		Sales:            [][]float64{{2, 6, 2}, {5, 1, 1}, {4, 0, 2}},
		Target:           0,
		Rivals:           []bool{false, true, true},
		MergedClouds:     []bool{true, false, false},
		AcquirerChannels: []bool{false, true, false},
	}
	r, _ := market.VerticalScreen(m, market.DefaultVerticalRule())
	fmt.Println(r.Reason)
	// Output:
	// input foreclosure share 55.0% (concern from 50%: true); target's sales through the acquirer 60.0% (concern from 50%: true)
}
