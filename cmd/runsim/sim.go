package main

import (
	"os"
	"path/filepath"

	"frontiersim/experiments"
	"frontiersim/results"
)

// simulator returns the model runsim runs.
func simulator() experiments.Simulator { return experiments.MarketSimulator{} }

// programVersion is printed by runsim version.
func programVersion() string { return experiments.ProgramVersion() }

func readExperimentText(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, results.ExperimentFile))
	return string(b), err
}
