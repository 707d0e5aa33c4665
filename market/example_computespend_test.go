package market_test

import (
	"fmt"

	"frontiersim/market"
)

// A lab with 9 months of runway chooses its month's training compute; a
// round lifts the runway and the spend; the model it serves has a marginal
// cost per workload unit on its cloud.
func ExampleTrainingSpend() {
	// The lab earns US$0.05B more a month per capability unit; over a
	// 36-month horizon at 1% a month that is V_K = 0.05 * 30.1 = US$1.5B.
	annuity, _ := market.AnnuityFactor(36, 0.01)
	vk := 0.05 * annuity

	// Compute: US$2 per H100-equivalent GPU-hour, 1.4e18 FLOP per GPU-hour.
	f, _ := market.FLOPPerBUSD(1.4e18, 2)

	for _, cash := range []float64{4.5, 20} {
		runway := market.Runway(cash, 0.75, 0.25) // US$B; burn and revenue per month
		mu, _ := market.ShadowCostOfCash(runway, 18, 0.1, 1)
		d, err := market.TrainingSpend(market.TrainingInputs{
			Capability: 3, CumulativeFLOP: 2e26, FLOPPerBUSD: f, Kappa: 1,
			Mu: mu, Cash: cash, Owed: 0.4, Credits: 0.1,
		}, market.LinearCapabilityValue(vk))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("cash %4.1f: runway %4.1f months, mu %.3f, spend US$%.3fB (credits %.3f, cash %.3f), K %.4f, binding %v\n",
			cash, runway, mu, d.Spend, d.FromCredits, d.FromCash, d.Capability, d.Binding)
	}

	// Serving: 0.2 GPU-hours per workload unit at month 48, 2.83x a year
	// more efficient, on a cloud charging US$2 per GPU-hour.
	ic := market.InferenceCompute{GPUHoursPerUnit: 0.2, AnchorMonth: 48, EfficiencyPerYear: 2.83, WorkloadGrowthPerYear: 1}
	for _, month := range []float64{48, 60, 72} {
		c, _ := market.InferenceCost(ic, month, 2)
		fmt.Printf("month %.0f: inference US$%.4f per workload unit\n", month, c)
	}
	// Output:
	// cash  4.5: runway  9.0 months, mu 0.550, spend US$0.136B (credits 0.100, cash 0.036), K 3.1688, binding none
	// cash 20.0: runway 40.0 months, mu 0.100, spend US$0.308B (credits 0.100, cash 0.208), K 3.3177, binding none
	// month 48: inference US$0.4000 per workload unit
	// month 60: inference US$0.1413 per workload unit
	// month 72: inference US$0.0499 per workload unit
}
