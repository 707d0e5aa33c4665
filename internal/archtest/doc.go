// Package archtest holds the test that keeps frontiersim's import graph in
// order (see docs/architecture.md): engine imports only the standard
// library, market imports nothing of ours but engine, plots reads result
// types only, and nothing imports cmd.
package archtest
