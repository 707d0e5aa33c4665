// Package experiments turns a TOML experiment file into result files: it
// decodes and validates the file strictly (every problem at once, each with
// file, line and key path), expands it into a plan (arms × sweep points ×
// replications, optionally one shard of it), runs the plan on the engine's
// replication runner with resume after interruption, and writes the
// statistics (gonum/stat) and the result files of package results.
//
// experiments imports engine, agents (through the Simulator interface, see
// MarketSimulator), market-free otherwise, and results. It never logs: the
// caller passes a Progress function.
package experiments
