package discovery_test

import (
	"fmt"
	"math/rand/v2"

	"frontiersim/discovery"
)

// sweep is 1,000 runs of three parameters uniform on [0, 1); a policy
// backfires (the case of interest) when the first parameter is above 0.6
// and the third below 0.5, with 3% of the labels flipped.
func sweep() (x [][]float64, backfires []bool) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		p := []float64{rng.Float64(), rng.Float64(), rng.Float64()}
		b := p[0] > 0.6 && p[2] < 0.5
		if rng.Float64() < 0.03 {
			b = !b
		}
		x, backfires = append(x, p), append(backfires, b)
	}
	return x, backfires
}

func ExamplePRIM() {
	x, backfires := sweep()
	res, err := discovery.PRIM(x, backfires, discovery.PRIMOptions{MinDensity: 0.9})
	if err != nil {
		panic(err)
	}
	fmt.Printf("peeling trajectory: %d boxes, chosen step %d\n", len(res.Trajectory), res.Chosen)
	fmt.Printf("box: coverage %.2f, density %.2f, %d runs\n", res.Box.Coverage, res.Box.Density, res.Box.N)
	for _, r := range res.Restricted {
		fmt.Printf("x%d in [%.2f, %.2f] (without it: density %.2f)\n", r.Dim, r.Lo, r.Hi, r.DensityWithout)
	}
	// Output:
	// peeling trajectory: 63 boxes, chosen step 33
	// box: coverage 0.90, density 0.94, 191 runs
	// x0 in [0.60, 1.00] (without it: density 0.37)
	// x2 in [0.00, 0.52] (without it: density 0.49)
}

func ExampleClassification() {
	x, backfires := sweep()
	tree, err := discovery.Classification(x, backfires, discovery.TreeOptions{MaxDepth: 2, MinLeaf: 50})
	if err != nil {
		panic(err)
	}
	for _, leaf := range tree.Leaves(discovery.Bounds(x)) {
		n := tree.Nodes[leaf.Node]
		fmt.Printf("x0 [%.2f, %.2f] x2 [%.2f, %.2f]: %3d runs, %.2f backfire\n", leaf.Box.Lo[0], leaf.Box.Hi[0], leaf.Box.Lo[2], leaf.Box.Hi[2], n.N, n.Mean)
	}
	// The first split is x0 at 0.6, the second on the right x2 at 0.5; the
	// one on the left falls on the label noise (the tree is not pruned).
	// Output:
	// x0 [0.00, 0.07] x2 [0.00, 1.00]:  69 runs, 0.07 backfire
	// x0 [0.07, 0.60] x2 [0.00, 1.00]: 553 runs, 0.02 backfire
	// x0 [0.60, 1.00] x2 [0.00, 0.50]: 183 runs, 0.98 backfire
	// x0 [0.60, 1.00] x2 [0.50, 1.00]: 195 runs, 0.03 backfire
}
