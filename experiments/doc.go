// Package experiments turns a TOML experiment file into result files: it
// decodes and validates the file strictly (every problem at once, each with
// file, line and key path), expands it into a plan (arms × sweep points ×
// replications, optionally one shard of it), runs the plan on the engine's
// replication runner with resume after interruption, and writes the
// statistics (package stats) and the result files of package results.
//
// The experiment machinery works on a Simulator (declared in package
// simulator) and knows no model: the AI-market model is plugged in by the
// adapter package marketsim (wired in by cmd/runsim), and the tests run on
// the tiny model of internal/toysim. Replicate is the in-memory runner of a
// plan's jobs; Execute is Replicate plus the replication store and the
// result files. experiments imports engine, results, simulator, stats,
// design and internal/tomlkeys of ours, and gonum and BurntSushi/toml. It
// never logs: the caller passes a Progress function.
package experiments
