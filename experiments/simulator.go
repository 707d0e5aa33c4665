package experiments

import "frontiersim/simulator"

// The model interface, declared in package simulator so that a model and
// the test models implement it without importing experiments.
// marketsim.Simulator is the AI-market model; tests use internal/toysim.
type (
	// Param documents one scenario parameter an experiment may set by name.
	Param = simulator.Param
	// Simulator is the model an experiment runs.
	Simulator = simulator.Simulator
	// Runner simulates replications.
	Runner = simulator.Runner
)
