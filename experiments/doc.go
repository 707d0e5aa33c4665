// Package experiments turns a TOML experiment file into result files: it
// decodes and validates the file strictly (every problem at once, each with
// file, line and key path), expands it into a plan (arms × sweep points ×
// replications, optionally one shard of it), runs the plan on the engine's
// replication runner with resume after interruption, and writes the
// statistics (package stats) and the result files of package results.
//
// The experiment machinery works on a Simulator: MarketSimulator wraps the
// AI-market model of package agents, and ToySimulator is a tiny model for
// tests. experiments imports engine, agents, results and stats of ours, and gonum
// and BurntSushi/toml. It never logs: the caller passes a Progress function.
package experiments
