// Package simulator declares what a simulation model gives the experiment
// machinery: its parameters (Param), its recorded metrics
// (results.Metric), and runners that simulate one replication at a time
// from a parameter vector and the replication's random streams (Simulator,
// Runner).
//
// It is the seam between the experiments package and a model: a model
// implements Simulator without importing experiments, and test support
// (internal/toysim) implements it for the tests of experiments itself.
// experiments re-exports these types under the same names.
//
// simulator imports engine and results of ours, and the standard library.
package simulator
