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

func ExampleSobol() {
	// The first eight points of the two-dimensional Sobol sequence: each
	// of the eight columns and eight rows of the unit square, and each of
	// its quarter-by-half and half-by-quarter boxes, holds its share.
	pts, err := design.Sobol(8, 2)
	if err != nil {
		panic(err)
	}
	for _, p := range pts {
		fmt.Println(p)
	}
	// Output:
	// [0 0]
	// [0.5 0.5]
	// [0.75 0.25]
	// [0.25 0.75]
	// [0.375 0.375]
	// [0.875 0.875]
	// [0.625 0.125]
	// [0.125 0.625]
}

func ExampleSaltelli() {
	// Two factors, eight base points: A, B, then A with its first column
	// from B and A with its second. A command runs every row, scaled to the
	// parameters' ranges, and hands the outputs in this order to
	// stats.SobolIndices.
	pts, err := design.Saltelli(8, 2)
	if err != nil {
		panic(err)
	}
	for i, block := range []string{"A", "B", "AB_0", "AB_1"} {
		fmt.Println(block, pts[8*i:8*i+8])
	}
	// Output:
	// A [[0 0] [0.5 0.5] [0.75 0.25] [0.25 0.75] [0.375 0.375] [0.875 0.875] [0.625 0.125] [0.125 0.625]]
	// B [[0 0] [0.5 0.5] [0.25 0.25] [0.75 0.75] [0.625 0.875] [0.125 0.375] [0.875 0.625] [0.375 0.125]]
	// AB_0 [[0 0] [0.5 0.5] [0.25 0.25] [0.75 0.75] [0.625 0.375] [0.125 0.875] [0.875 0.125] [0.375 0.625]]
	// AB_1 [[0 0] [0.5 0.5] [0.75 0.25] [0.25 0.75] [0.375 0.875] [0.875 0.375] [0.625 0.625] [0.125 0.125]]
}

func ExampleMorris() {
	// One trajectory of three factors on four levels: each step moves one
	// factor by Δ = 2/3.
	pts, err := design.Morris(1, 3, 4, rand.NewChaCha8([32]byte{}))
	if err != nil {
		panic(err)
	}
	for _, p := range pts {
		fmt.Printf("%.3f\n", p)
	}
	// Output:
	// [1.000 0.000 1.000]
	// [1.000 0.667 1.000]
	// [1.000 0.667 0.333]
	// [0.333 0.667 0.333]
}
