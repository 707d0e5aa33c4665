package experiments

import (
	"context"
	"fmt"
	"math"

	"frontiersim/results"

	"frontiersim/engine"
)

// ToySimulator is a small stand-in model for tests and examples of the
// experiment machinery: two firms whose market shares follow a noisy
// logistic path, with a "cap" lever that shifts the share and a "noise"
// parameter. It draws from named streams like the real model.
type ToySimulator struct{}

// Params implements Simulator.
func (ToySimulator) Params() []Param {
	return []Param{
		{Name: "toy.cap", Unit: "fraction", Description: "cap on firm A's share", Default: 1, Min: 0, Max: 1, Grade: "D"},
		{Name: "toy.noise", Unit: "share per month", Description: "monthly noise", Default: 0.02, Min: 0, Max: 0.5, Grade: "D"},
		{Name: "toy.growth", Unit: "1/month", Description: "logistic growth rate", Default: 0.05, Min: -1, Max: 1, Grade: "D"},
		{Name: "toy.lag", Unit: "months", Description: "months before growth starts", Default: 0, Min: 0, Max: 600, Integer: true, Grade: "D"},
	}
}

// Metrics implements Simulator.
func (ToySimulator) Metrics() []results.Metric {
	return []results.Metric{
		{Name: "model_share_a", Unit: "fraction", Description: "firm A's share"},
		{Name: "model_share_b", Unit: "fraction", Description: "firm B's share"},
		{Name: "hhi_model", Unit: "HHI (0-10,000)", Description: "Herfindahl-Hirschman index"},
		{Name: "spend", Unit: "US$ B/month", Description: "total spend"},
	}
}

// BytesPerBuyer implements Simulator.
func (ToySimulator) BytesPerBuyer() float64 { return 8 }

// CalibratedMonths implements Simulator: the toy model is calibrated to
// nothing.
func (ToySimulator) CalibratedMonths() int { return 0 }

// NewRunner implements Simulator.
func (ToySimulator) NewRunner(buyers, months int) (Runner, error) {
	if buyers < 1 || months < 1 {
		return nil, fmt.Errorf("toy: %d buyers, %d months", buyers, months)
	}
	return &toyRunner{buyers: buyers, months: months, spend: make([]float64, buyers)}, nil
}

type toyRunner struct {
	buyers, months int
	spend          []float64
}

func (t *toyRunner) Run(ctx context.Context, p []float64, st engine.Streams, out []float64) error {
	cap, noise, growth, lag := p[0], p[1], p[2], int(p[3])
	shock := st.Stream("shock")
	buy := st.Stream("buyers")
	for i := range t.spend {
		t.spend[i] = 0.001 * buy.ExpFloat64()
	}
	x := 0.0
	for m := 0; m < t.months; m++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if m >= lag {
			x += growth
		}
		x += noise * shock.NormFloat64() * 10
		a := math.Min(1/(1+math.Exp(-x)), cap)
		total := 0.0
		for i := range t.spend {
			t.spend[i] *= 1.01
			total += t.spend[i]
		}
		row := out[m*4 : m*4+4]
		row[0], row[1] = a, 1-a
		row[2] = 10000 * (a*a + (1-a)*(1-a))
		row[3] = total
	}
	return nil
}
