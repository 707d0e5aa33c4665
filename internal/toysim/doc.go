// Package toysim is test support: a tiny stand-in model for the tests and
// examples of the experiment machinery (experiments, cmd/runsim), and
// wrappers that make any model cancel its run or panic after a given number
// of replications, at a known point.
//
// Simulator is two firms whose market shares follow a noisy logistic path,
// with a "cap" lever that bounds firm A's share, a growth rate, a lag and a
// noise level; it draws from named streams like the real model and runs a
// replication of a year in microseconds. Worlds is the same model with
// world files (simulator.Worlds), for the tests of the world key.
//
// toysim imports simulator, engine, results and internal/tomlkeys of
// ours, and the standard library. Only tests import it (internal/archtest checks).
package toysim
