package market_test

import (
	"fmt"
	"time"

	"frontiersim/market"
)

// A cloud takes 15% of a lab's votes with consultation rights and first
// notice of a change of control; the lab's UK turnover is £80m. The same
// deal is reviewable in the UK on 31 December 2024 and not on 1 January
// 2025, when the turnover threshold rose from £70m to £100m.
func ExampleRegime_Review() {
	stake := market.HolderPosition{Holder: "cloud", Equity: 0.15, ProfitInterest: 0.15, Votes: 0.15,
		Consultation: true, FirstNotice: true}
	deal := market.Transaction{
		After:      stake,
		Governance: market.Governance{BoardSize: 7},
		Acquirer:   market.Party{UKTurnover: 5000, UKShareOfSupply: 0.10},
		Target:     market.Party{UKTurnover: 80, UKShareOfSupply: 0.02, UKNexus: true},
	}
	uk := market.UKRegime()
	for _, d := range []time.Time{
		time.Date(2024, time.December, 31, 0, 0, 0, 0, time.UTC),
		time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC),
	} {
		deal.Date = d
		r, _ := uk.Review(deal)
		fmt.Printf("%s: %v, merger %v, reviewable %v %q\n", d.Format(time.DateOnly), r.Level, r.Merger, r.Reviewable, r.Tests)
	}
	// Output:
	// 2024-12-31: material influence, merger true, reviewable true ["turnover test (target £80m > £70m)"]
	// 2025-01-01: material influence, merger true, reviewable false []
}
