package market_test

import (
	"fmt"
	"math"

	"frontiersim/market"
)

// A lab asks US$10B at a US$90B pre-money. One fund gave the lab's rival
// (lab 0) a no-rival covenant; another fund, a strategic investor and the
// other investors come in. The other investors have US$6B this month and
// at 40x ARR only two thirds of them take part, so with the covenant the
// round is short at the asked price and the lab cuts its price until it
// fills; without the covenant it fills at the asked price.
func ExampleAllocateRound() {
	rivalsInvestor := market.Fund{Committed: 10, PaidIn: 10, Invested: 1, Hurdle: 2.5, MaxDealShare: 0.3,
		Positions: []market.Position{{Lab: 0, Cost: 1, Stake: 0.05, NoRival: true}}}
	other := market.Fund{Committed: 10, PaidIn: 10, Hurdle: market.HurdleMOIC(0.2, 5), MaxDealShare: 0.3}
	pool := market.InvestorPool{Available: 6, Climate: 1, Adjust: 1.0 / 6, ReturnElasticity: 1, MultipleFull: 30, MultipleNone: 60}
	ask := market.RoundAsk{Lab: 1, Rivals: []int{0}, Invest: 10, Pre: 90, FloorPre: 63, MinRaise: 2.5,
		ARR: 2.5, ExitValue: 250}
	bids := []market.StrategicBid{{Amount: 2, MaxPost: math.Inf(1)}}
	dst := make([]market.RoundFlow, 0, 4)

	for _, covenant := range []bool{true, false} {
		rivalsInvestor.Positions[0].NoRival = covenant
		res, err := market.AllocateRound(ask, pool, nil, []market.Fund{rivalsInvestor, other}, bids, dst)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("covenant %v: %v round, raised %.2f at pre-money %.2f (post %.2f)\n", covenant, res.Outcome, res.Raised, res.Pre, res.Post)
		for _, f := range res.Flows {
			fmt.Printf("  %v %d pays %.2f\n", f.Payer.Kind, f.Payer.Index, f.Amount)
		}
		if covenant {
			// The pool after the round, and next month's, replenished toward
			// its target (base 3, neutral climate, trailing gross return 1.2).
			left, _ := pool.Take(res.PoolTaken)
			next, _ := left.Replenish(3, 1, 1.2)
			fmt.Printf("  pool left %.2f, next month %.2f\n", left.Available, next.Available)
		}
	}
	// Output:
	// covenant true: down round, raised 10.00 at pre-money 77.50 (post 87.50)
	//   fund 1 pays 3.00
	//   strategic 0 pays 2.00
	//   pool 0 pays 5.00
	//   pool left 1.00, next month 1.43
	// covenant false: full round, raised 10.00 at pre-money 90.00 (post 100.00)
	//   fund 0 pays 3.00
	//   fund 1 pays 3.00
	//   strategic 0 pays 2.00
	//   pool 0 pays 2.00
}
