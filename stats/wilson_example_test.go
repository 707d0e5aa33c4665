package stats_test

import (
	"fmt"

	"frontiersim/stats"
)

func ExampleWilson() {
	// 197 of 200 replications meet a criterion: the interval of the share
	// stays below 1 and is not symmetric about the estimate.
	lo, hi := stats.Wilson(197, 200)
	fmt.Printf("share 0.985, 95%% Wilson interval [%.3f, %.3f]\n", lo, hi)
	// Output:
	// share 0.985, 95% Wilson interval [0.957, 0.995]
}
