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
	// Enum names the values of a categorical parameter: Enum[k] is the
	// label of value k (Min 0, Max len(Enum)-1, Integer). A flag's labels
	// are "false" and "true". nil for a number. An experiment may write a
	// label (a string, or a boolean for a flag) for the value, and result
	// tables write the label.
	Enum []string
	// Lever marks a policy lever: an arm may switch it on at a month after
	// the first ([[arms]] from), through a LeverRunner.
	Lever bool
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

// LeverRunner is implemented by a Runner whose levers (the parameters
// with Param.Lever set) can switch on at a chosen month.
type LeverRunner interface {
	// RunLevers simulates one replication that runs with params in months
	// 0 to from-1 and with levers from month from on, and writes its monthly
	// values into out as Run does. levers differs from params in lever
	// parameters only. Months 0 to from-1 equal, bit for bit, those of Run
	// with params and the same streams (common random numbers up to the
	// switch).
	RunLevers(ctx context.Context, params, levers []float64, from int, st engine.Streams, out []float64) error
}

// Worlds is implemented by a Simulator whose agents are data: a world file
// declares them, and an experiment selects one with its world key (a
// shipped world as "shipped:NAME", or a path relative to the experiment
// file). An experiment of a Simulator that does not implement Worlds has no
// world key.
type Worlds interface {
	// DefaultWorld names the shipped world an experiment without a world key runs.
	DefaultWorld() string
	// ShippedWorlds lists the names of the shipped worlds.
	ShippedWorlds() []string
	// ShippedWorld returns the content of the shipped world name, or an
	// error naming the shipped worlds.
	ShippedWorld(name string) ([]byte, error)
	// WithWorld decodes a world file (file names it in messages) and returns
	// the Simulator that runs it: its Params and Metrics are those of the
	// world's agents. Problems in the file are returned as an error with
	// a method ProblemList() []tomlkeys.Problem (file, line, key, message),
	// so that they are reported like the experiment file's own.
	WithWorld(file string, data []byte) (Simulator, error)
}

// DefinitionalEffect is a (lever, metric) pair moved by definition: setting
// the lever parameter changes the metric by construction, not through the
// market's response (a cap on revenue shares lowers the revenue share
// paid). comparison.csv marks the rows of an arm that sets the lever.
type DefinitionalEffect = results.DefinitionalEffect

// Definitional is implemented by a Simulator that declares the effects of
// its levers that hold by definition. The pairs name its own parameters
// and metrics (a metric the simulator does not record is left out by the
// experiment machinery's checks, see experiments.Plan).
type Definitional interface {
	// DefinitionalEffects lists the (lever, metric) pairs, with why each
	// holds by definition, in a stable order.
	DefinitionalEffects() []DefinitionalEffect
}
