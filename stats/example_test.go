package stats_test

import (
	"fmt"
	"math/rand/v2"

	"frontiersim/stats"
)

func ExampleSummarize() {
	x := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	s := stats.Summarize(x, make([]float64, len(x)))
	fmt.Printf("n=%d mean=%.3f sd=%.3f 95%% CI [%.3f, %.3f] median=%g\n", s.N, s.Mean, s.SD, s.CILo, s.CIHi, s.Median)
	// Output:
	// n=8 mean=5.000 sd=2.138 95% CI [3.213, 6.787] median=4
}

func ExampleComparePaired() {
	// Four replications of a baseline and a policy arm under common random
	// numbers: the shared component cancels in the paired differences.
	base := []float64{10, 20, 30, 40}
	arm := []float64{11, 23, 31, 43}
	rng := rand.New(rand.NewPCG(1, 2))
	p := stats.ComparePaired(base, arm, rng, make([]float64, 2*len(base)+stats.BootstrapResamples))
	fmt.Printf("difference %.1f\npaired   [%.2f, %.2f]\nunpaired [%.2f, %.2f]\n", p.Diff, p.PairedLo, p.PairedHi, p.UnpairedLo, p.UnpairedHi)
	fmt.Printf("the pairing narrows the interval %.1f-fold\n", p.PairingGain)
	// Output:
	// difference 2.0
	// paired   [0.16, 3.84]
	// unpaired [-20.83, 24.83]
	// the pairing narrows the interval 12.4-fold
}

func ExampleMeanInOrder() {
	// In index order 1e16 + 1 rounds back to 1e16, the -1e16 cancels it and
	// the last 1 remains: the sum is 1 on every platform.
	x := []float64{1e16, 1, -1e16, 1}
	fmt.Println(stats.MeanInOrder(x), stats.SummarizeInOrder(x, make([]float64, len(x))).Mean)
	// Output:
	// 0.25 0.25
}

// Adjust a family of four p-values for multiplicity: Holm's adjustment
// bounds the chance of any false finding, Benjamini–Hochberg's the expected
// share of false findings among the findings.
func ExampleAdjust() {
	p := []float64{0.01, 0.04, 0.03, 0.005}
	holm, _ := stats.Adjust(stats.Holm, p)
	bh, _ := stats.Adjust(stats.BenjaminiHochberg, p)
	fmt.Printf("holm %.3f\nbh   %.3f\n", holm, bh)
	// Output:
	// holm [0.030 0.060 0.060 0.020]
	// bh   [0.020 0.040 0.040 0.020]
}
