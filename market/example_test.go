package market_test

import (
	"fmt"

	"frontiersim/market"
)

// A lab renegotiates its revenue share with its backer, enterprises choose
// between channels, and adoption advances one month.
func Example() {
	// Bargaining weight from impatience: a lab with 6 months of runway.
	runway := market.Runway(3, 0.75, 0.25) // $3B cash, $0.75B burn, $0.25B revenue per month
	rLab := market.ImpatienceRate(runway, 0.02, 0.10, 12)
	alpha := market.BargainingWeight(rLab, 0.02)

	// Nash revenue share: R = $100B, B = $20B, D_L = $55B, D_H = $5B.
	s, ok := market.NashShare(market.ShareInputs{R: 100, B: 20, DL: 55, DH: 5, Alpha: alpha})
	fmt.Printf("runway %.1f months, alpha %.3f, share %.3f (agreement %v)\n", runway, alpha, s, ok)

	// Multinomial logit over OpenAI, Anthropic and Google for an Azure buyer.
	v := []float64{2.0, 1.0, 1.1}
	shares := make([]float64, len(v))
	logsum := market.LogitShares(v, shares)
	fmt.Printf("shares %.4f %.4f %.4f, logsum %.3f\n", shares[0], shares[1], shares[2], logsum)

	// One month of Bass adoption from the realised adopted fraction.
	bass := market.Bass{P: 0.03, Q: 0.38}.Monthly()
	F, h := bass.Step(0.1, 1)
	fmt.Printf("adopted %.4f, monthly hazard %.6f\n", F, h)

	// Merger screen on the mid-2025 enterprise LLM market.
	mkt := []float64{32, 25, 20, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	r, _ := market.MergerScreen(mkt, 0, 2, market.Guidelines2023)
	fmt.Printf("HHI %.0f -> %.0f, presumption %v\n", market.HHI(mkt), r.PostHHI, r.Presumption)
	// Output:
	// runway 6.0 months, alpha 0.226, share 0.314 (agreement true)
	// shares 0.5636 0.2073 0.2291, logsum 2.573
	// adopted 0.1052, monthly hazard 0.005732
	// HHI 2144 -> 3424, presumption true
}

func ExampleBackerContract_ProfitPayment() {
	c := market.BackerContract{ProfitShareBefore: 0.75, ProfitShareAfter: 0.49, RecoupAmount: 13}
	for _, profit := range []float64{2, 4, 8, 10, 20} {
		pay := c.ProfitPayment(profit)
		fmt.Printf("profit %4.1f pays %.3f (cumulative %.2f)\n", profit, pay, c.Paid)
	}
	// Output:
	// profit  2.0 pays 1.500 (cumulative 1.50)
	// profit  4.0 pays 3.000 (cumulative 4.50)
	// profit  8.0 pays 6.000 (cumulative 10.50)
	// profit 10.0 pays 5.767 (cumulative 16.27)
	// profit 20.0 pays 9.800 (cumulative 26.07)
}

func ExampleNestedLogit() {
	// Clouds as nests: Azure {OpenAI, Azure-own}, AWS {Claude, AWS-own}, GCP {Gemini}.
	v := []float64{1.0, 0.0, 1.0, 0.0, 0.5}
	nest := []int{0, 0, 1, 1, 2}
	lambda := []float64{0.5, 0.5, 0.5}
	out := make([]float64, len(v))
	scratch := make([]float64, 2*len(lambda))
	logsum, err := market.NestedLogit(v, nest, lambda, out, scratch)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f %.4f %.4f %.4f %.4f logsum %.3f\n", out[0], out[1], out[2], out[3], out[4], logsum)
	// Output:
	// 0.3428 0.0464 0.3428 0.0464 0.2216 logsum 2.007
}

func ExampleIRR() {
	irr, err := market.IRR([]float64{-100, -50, 0, 0, 0, 0, 0, 400})
	fmt.Printf("%.2f%% %v\n", 100*irr, err)
	_, err = market.IRR([]float64{-1, -2})
	fmt.Println(err)
	// Output:
	// 15.81% <nil>
	// market: cash flows have no IRR: flows need both signs
}
