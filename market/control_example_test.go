package market_test

import (
	"fmt"

	"frontiersim/market"
)

// An investor in a capped-profit subsidiary holds 49% of its profits, no
// votes and no board seat; it is the firm's exclusive compute supplier and
// has information rights. Another holds 51% of the votes of a corporation.
func ExampleControlRule_Classify() {
	investor := market.HolderPosition{Holder: "cloud", Equity: 0.49, ProfitInterest: 0.49, KeyInput: true, Information: true}
	llc := market.Governance{BoardSize: 7, Unincorporated: true}
	majority := market.HolderPosition{Holder: "parent", Equity: 0.51, ProfitInterest: 0.51, Votes: 0.51}
	corp := market.Governance{BoardSize: 7}
	for _, rule := range []market.ControlRule{market.UKControlRule(), market.EUControlRule(), market.USControlRule()} {
		a, _ := rule.Classify(investor, llc)
		b, _ := rule.Classify(majority, corp)
		fmt.Printf("%.2s 49%% profit interest: %-18v 51%% of votes: %v\n", rule.Name, a.Level, b.Level)
	}
	// Output:
	// UK 49% profit interest: material influence 51% of votes: legal control
	// EU 49% profit interest: none               51% of votes: legal control
	// US 49% profit interest: none               51% of votes: legal control
}
