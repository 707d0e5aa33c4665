package simulator_test

import (
	"context"
	"fmt"

	"frontiersim/engine"
	"frontiersim/results"
	"frontiersim/simulator"
)

// coin is a one-parameter model: each month a buyer adopts with
// probability p; the metric is the share that has adopted.
type coin struct{}

func (coin) Params() []simulator.Param {
	return []simulator.Param{{Name: "coin.p", Unit: "1/month", Default: 0.1, Min: 0, Max: 1, Grade: "D"}}
}
func (coin) Metrics() []results.Metric {
	return []results.Metric{{Name: "adopted", Unit: "fraction"}}
}
func (coin) BytesPerBuyer() float64 { return 1 }
func (coin) CalibratedMonths() int  { return 0 }
func (coin) NewRunner(buyers, months int) (simulator.Runner, error) {
	return &coinRunner{adopted: make([]bool, buyers)}, nil
}

type coinRunner struct{ adopted []bool }

func (r *coinRunner) Run(ctx context.Context, p []float64, st engine.Streams, out []float64) error {
	rng := st.Stream("adoption")
	clear(r.adopted)
	n := 0
	for m := range out {
		for i, a := range r.adopted {
			if !a && rng.Float64() < p[0] {
				r.adopted[i] = true
				n++
			}
		}
		out[m] = float64(n) / float64(len(r.adopted))
	}
	return nil
}

// A model implements Simulator; the experiment machinery runs one
// replication per Run, from the parameter vector and the replication's
// streams.
func Example() {
	var s simulator.Simulator = coin{}
	r, err := s.NewRunner(1000, 12)
	if err != nil {
		panic(err)
	}
	out := make([]float64, 12) // months × metrics
	if err := r.Run(context.Background(), []float64{0.1}, engine.NewStreams(1, 0), out); err != nil {
		panic(err)
	}
	fmt.Printf("%s after a year: %.2f\n", s.Metrics()[0].Name, out[11])
	// Output: adopted after a year: 0.71
}
