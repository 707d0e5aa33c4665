package toysim_test

import (
	"context"
	"fmt"

	"frontiersim/engine"
	"frontiersim/internal/toysim"
)

// One replication of the toy model: 12 months of 20 buyers with the
// default parameters.
func Example() {
	s := toysim.Simulator{}
	var p []float64
	for _, q := range s.Params() {
		p = append(p, q.Default)
	}
	r, err := s.NewRunner(20, 12)
	if err != nil {
		panic(err)
	}
	out := make([]float64, 12*len(s.Metrics()))
	if err := r.Run(context.Background(), p, engine.NewStreams(7, 0), out); err != nil {
		panic(err)
	}
	last := out[11*4:]
	fmt.Printf("month 11: shares %.3f and %.3f, HHI %.0f\n", last[0], last[1], last[2])
	// Output: month 11: shares 0.624 and 0.376, HHI 5306
}
