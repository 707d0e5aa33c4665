package design_test

import (
	"fmt"
	"math/rand/v2"

	"frontiersim/design"
)

func ExampleGrid() {
	caps := []float64{0.1, 1}
	costs := design.Linspace(0.25, 1, 3)
	for _, p := range design.Grid([][]float64{caps, costs}) {
		fmt.Println(p)
	}
	// Output:
	// [0.1 0.25]
	// [0.1 0.625]
	// [0.1 1]
	// [1 0.25]
	// [1 0.625]
	// [1 1]
}

func ExampleLatinHypercube() {
	// Four points over a continuous rate in [0.5, 2) and a whole number of
	// months from 0 to 3: each quarter of each range is hit exactly once.
	src := rand.NewChaCha8([32]byte{})
	for _, u := range design.LatinHypercube(4, 2, src) {
		fmt.Printf("rate %.3f, lag %g\n", design.Scale(u[0], 0.5, 2), design.ScaleWhole(u[1], 0, 3))
	}
	// Output:
	// rate 0.744, lag 3
	// rate 1.690, lag 1
	// rate 1.166, lag 0
	// rate 1.289, lag 2
}
