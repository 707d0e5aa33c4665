package main

import (
	"os"
	"path/filepath"
	"strings"

	"frontiersim/experiments"
	"frontiersim/marketsim"
	"frontiersim/results"
)

// simulator returns the model runsim runs.
func simulator() experiments.Simulator { return marketsim.Simulator{} }

// programVersion is printed by runsim version: the program version and the
// revision b the binary was built from.
func programVersion(b experiments.Build) string {
	if !b.Known() {
		return experiments.ProgramVersion() + " (revision unknown: built without VCS information)"
	}
	s := experiments.ProgramVersion() + " revision " + b.Revision
	var notes []string
	if b.Time != "" {
		notes = append(notes, "committed "+b.Time)
	}
	if b.Dirty {
		notes = append(notes, "with uncommitted changes")
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, ", ") + ")"
	}
	return s
}

func readExperimentText(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, results.ExperimentFile))
	return string(b), err
}
