package stats_test

import (
	"fmt"
	"math/rand/v2"

	"frontiersim/design"
	"frontiersim/stats"
)

func ExampleSobolIndices() {
	// y = x0 + 2 x1 + x0 x2 on [0, 1)³: x1 dominates, x2 acts only through
	// its interaction with x0, so its first-order index is 0 and its total
	// index is not.
	const n, d = 1 << 12, 3
	pts, err := design.Saltelli(n, d)
	if err != nil {
		panic(err)
	}
	y := make([]float64, len(pts))
	for r, x := range pts {
		y[r] = x[0] + 2*x[1] + (x[0]-0.5)*(x[2]-0.5)
	}
	s, err := stats.SobolIndices(y, d)
	if err != nil {
		panic(err)
	}
	for i := range d {
		fmt.Printf("x%d: S %.2f, S_T %.2f\n", i, s.First[i], s.Total[i])
	}
	// Analytic: V = 61/144, S = 12/61, 48/61, 0 and S_T = 13/61, 48/61, 1/61.
	// Output:
	// x0: S 0.20, S_T 0.21
	// x1: S 0.79, S_T 0.79
	// x2: S 0.00, S_T 0.02
}

func ExampleElementaryEffects() {
	// Twenty trajectories of y = 3 x0 + x1² (x2 inert) on four levels.
	const r, k = 20, 3
	pts, err := design.Morris(r, k, 4, rand.NewChaCha8([32]byte{}))
	if err != nil {
		panic(err)
	}
	y := make([]float64, len(pts))
	for i, x := range pts {
		y[i] = 3*x[0] + x[1]*x[1]
	}
	m, err := stats.ElementaryEffects(pts, y, k)
	if err != nil {
		panic(err)
	}
	for i := range k {
		fmt.Printf("x%d: μ* %.2f, σ %.2f\n", i, m.MuStar[i], m.Sigma[i])
	}
	// x0's effect is 3 everywhere (σ = 0); x1's is 2/3 or 4/3 by where the
	// step falls (μ* near 1, σ > 0: nonlinear); x2 has none.
	// Output:
	// x0: μ* 3.00, σ 0.00
	// x1: μ* 1.07, σ 0.34
	// x2: μ* 0.00, σ 0.00
}
