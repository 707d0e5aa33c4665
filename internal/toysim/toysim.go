package toysim

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"

	"frontiersim/engine"
	"frontiersim/results"
	"frontiersim/simulator"
)

// Simulator is the toy model (see the package documentation).
type Simulator struct{}

// Params implements simulator.Simulator.
func (Simulator) Params() []simulator.Param {
	return []simulator.Param{
		{Name: "toy.cap", Unit: "fraction", Description: "cap on firm A's share", Default: 1, Min: 0, Max: 1, Grade: "D"},
		{Name: "toy.noise", Unit: "share per month", Description: "monthly noise", Default: 0.02, Min: 0, Max: 0.5, Grade: "D"},
		{Name: "toy.growth", Unit: "1/month", Description: "logistic growth rate", Default: 0.05, Min: -1, Max: 1, Grade: "D"},
		{Name: "toy.lag", Unit: "months", Description: "months before growth starts", Default: 0, Min: 0, Max: 600, Integer: true, Grade: "D"},
	}
}

// Metrics implements simulator.Simulator.
func (Simulator) Metrics() []results.Metric {
	return []results.Metric{
		{Name: "model_share_a", Unit: "fraction", Description: "firm A's share"},
		{Name: "model_share_b", Unit: "fraction", Description: "firm B's share"},
		{Name: "hhi_model", Unit: "HHI (0-10,000)", Description: "Herfindahl-Hirschman index"},
		{Name: "spend", Unit: "US$ B/month", Description: "total spend"},
	}
}

// DefinitionalEffects implements simulator.Definitional: the cap bounds
// firm A's share, and firm B has the rest.
func (Simulator) DefinitionalEffects() []simulator.DefinitionalEffect {
	return []simulator.DefinitionalEffect{
		{Lever: "toy.cap", Metric: "model_share_a", Why: "the cap bounds firm A's share"},
		{Lever: "toy.cap", Metric: "model_share_b", Why: "firm B has what the cap takes from firm A"},
	}
}

var _ simulator.Definitional = Simulator{}

// BytesPerBuyer implements simulator.Simulator.
func (Simulator) BytesPerBuyer() float64 { return 8 }

// CalibratedMonths implements simulator.Simulator: the toy model is
// calibrated to nothing.
func (Simulator) CalibratedMonths() int { return 0 }

// NewRunner implements simulator.Simulator.
func (Simulator) NewRunner(buyers, months int) (simulator.Runner, error) {
	if buyers < 1 || months < 1 {
		return nil, fmt.Errorf("toy: %d buyers, %d months", buyers, months)
	}
	return &runner{buyers: buyers, months: months, spend: make([]float64, buyers)}, nil
}

type runner struct {
	buyers, months int
	spend          []float64
}

func (t *runner) Run(ctx context.Context, p []float64, st engine.Streams, out []float64) error {
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

// wrapped is a model whose replications first pass through before
// (counted across all its runners and workers from 1).
type wrapped struct {
	simulator.Simulator
	n      *atomic.Int64
	before func(ctx context.Context, n int64) error
}

// DefinitionalEffects passes on the wrapped model's (none if it declares
// none), so that a wrapped model makes the same plan as the model.
func (w wrapped) DefinitionalEffects() []simulator.DefinitionalEffect {
	if d, ok := w.Simulator.(simulator.Definitional); ok {
		return d.DefinitionalEffects()
	}
	return nil
}

func (w wrapped) NewRunner(buyers, months int) (simulator.Runner, error) {
	r, err := w.Simulator.NewRunner(buyers, months)
	return wrappedRunner{r, w}, err
}

type wrappedRunner struct {
	simulator.Runner
	w wrapped
}

func (r wrappedRunner) Run(ctx context.Context, p []float64, st engine.Streams, out []float64) error {
	if err := r.w.before(ctx, r.w.n.Add(1)); err != nil {
		return err
	}
	return r.Runner.Run(ctx, p, st, out)
}

// CancelAfter returns model that calls cancel when its after+1-th
// replication starts (counted across workers) and fails that replication
// with the context's error: an interruption at a known point, in process.
// With one worker exactly after replications finish.
func CancelAfter(model simulator.Simulator, after int, cancel context.CancelFunc) simulator.Simulator {
	return wrapped{model, new(atomic.Int64), func(ctx context.Context, n int64) error {
		if n > int64(after) {
			cancel()
			return ctx.Err()
		}
		return nil
	}}
}

// PanicAfter returns model whose replications panic (an index out of range
// in the worker goroutine, as a bug in a model would) from the after+1-th
// on, counted across workers.
func PanicAfter(model simulator.Simulator, after int) simulator.Simulator {
	return wrapped{model, new(atomic.Int64), func(_ context.Context, n int64) error {
		if n > int64(after) {
			var shares []float64
			_ = shares[n] // index out of range
		}
		return nil
	}}
}
