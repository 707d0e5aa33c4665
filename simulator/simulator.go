package simulator

import (
	"context"

	"frontiersim/engine"
	"frontiersim/results"
)

// Param documents one scenario parameter an experiment may set by name.
type Param struct {
	Name        string
	Unit        string
	Description string
	Source      string
	Grade       string // certainty grade A-D (D: an assumption to calibrate)
	Default     float64
	Min, Max    float64 // allowed closed range
	Integer     bool    // whole numbers only
}

// Simulator is the model an experiment runs.
type Simulator interface {
	// Params lists every parameter, in a stable order.
	Params() []Param
	// Metrics lists the recorded metrics, in column order.
	Metrics() []results.Metric
	// NewRunner returns a runner for one worker. A runner is reused for
	// many replications, one at a time, so it can keep its buffers.
	NewRunner(buyers, months int) (Runner, error)
	// BytesPerBuyer estimates a runner's memory per buyer, for the plan's
	// memory check.
	BytesPerBuyer() float64
	// CalibratedMonths is the number of months from month 0 (the plan's
	// start month) that the model's calibration covers, or 0 if it has no
	// calibrated period. A longer horizon is allowed, with a warning.
	CalibratedMonths() int
}

// Runner simulates replications.
type Runner interface {
	// Run simulates one replication with the given parameter values (one
	// per Params(), in order) and random streams, and writes the monthly
	// value of every metric into out (month-major: months × metrics).
	Run(ctx context.Context, params []float64, st engine.Streams, out []float64) error
}
