// Package marketsim plugs the AI-market model of package agents into the
// experiment machinery: Simulator implements simulator.Simulator (the
// scenario parameters and metrics of agents, and a Runner that builds a
// World once and resets it for every replication), so that package
// experiments runs the model without importing it. cmd/runsim and the
// calibration wire it in; the tests of experiments run on internal/toysim.
//
// With Check set, every month of every replication asserts the model's
// invariants (money conserved, shares in [0,1] summing to 1, cap tables
// summing to 1, no NaN or Inf).
//
// marketsim imports simulator, agents, engine and results of ours, and the
// standard library; never experiments (internal/archtest checks).
package marketsim
