package market_test

import (
	"fmt"

	"frontiersim/market"
)

// A buyer worth $10B on its own, a target worth $1B, and a merged firm
// worth $13B, all as profits discounted over the same horizon; review is
// expected to cost $0.5B. The target has half the bargaining weight. The
// same target is weak (6 months of runway, 1.5 capability units behind the
// frontier), so the buyer can instead hire its team and license its model.
func ExampleValueAcquisition() {
	acq, _ := market.ValueAcquisition(market.AcquisitionValues{Buyer: 10, Target: 1, Merged: 13, RemedyCost: 0.5}, 0.5, true)
	fmt.Printf("acquisition: gain %.2f, bid %v, price %.3f, buyer keeps %.3f\n", acq.Gain, acq.Bid, acq.Price, acq.BuyerNet)

	weak := market.DefaultWeaknessRule().Weak(6, 2, 3.5)
	lh, _ := market.ValueLicenceHire(market.LicenceHireValues{
		Buyer: 10, WithTeam: 12.4, Target: 1, Residual: 0.2, HiringCost: 0.2, RemedyCost: 0.05,
	}, weak, 0.5, true)
	fmt.Printf("licence and hire: weak %v, gain %.2f, fee %.3f, outlay %.3f, buyer keeps %.3f\n", lh.Weak, lh.Gain, lh.Fee, lh.Outlay, lh.BuyerNet)

	flat, _ := market.ValueAcquisition(market.AcquisitionValues{Buyer: 10, Target: 1, Merged: 10.8}, 0.5, true)
	fmt.Println(flat.Reason)
	// Output:
	// acquisition: gain 1.50, bid true, price 1.750, buyer keeps 0.750
	// licence and hire: weak true, gain 1.35, fee 1.475, outlay 1.675, buyer keeps 0.675
	// no bid: the buyer would keep -0.1 of a gain of -0.2
}
