// Package archtest holds the test that keeps frontiersim's import graph in
// order (see docs/architecture.md): it states, for every package of the
// module, which of our packages it may depend on and what it may import
// from outside the standard library (engine the standard library only;
// stats and design gonum), that nothing imports cmd, and that the test
// support of internal/ (toysim, golden, badfile) is imported by tests only,
// and that the experiment machinery and its building blocks depend on no
// model package (agents, market, marketsim, benchmodels). A package missing
// from the list fails the test.
package archtest
