package main

import (
	"os"
	"path/filepath"
	"strings"

	"frontiersim/experiments"
	"frontiersim/results"
)

// simulator returns the model runsim runs.
func simulator() experiments.Simulator { return experiments.MarketSimulator{} }

// binaryBuild is the build of this binary, printed by runsim version and
// compared by runsim verify with a manifest's; tests replace it.
var binaryBuild = experiments.CurrentBuild

// programVersion is printed by runsim version: the program version and the
// revision the binary was built from.
func programVersion() string {
	b := binaryBuild()
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
