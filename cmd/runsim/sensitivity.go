package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sort"

	"frontiersim/experiments"
	"frontiersim/results"
)

const sensitivitySynopsis = `sensitivity [FILE] [-o DIR] [-reps N] [-workers N] [-seed S] [-resume] [-force] [-shard K/N|auto] [-no-charts] [-q]

Runs the global sensitivity design of the experiment in FILE, its
[sensitivity] table (method = "sobol", "morris", "oat" or "src"; the
parameters and their ranges; n or trajectories; seed), as the experiment's
sweep points: the same pipeline as runsim run (resume, shards, merge,
progress, output directory). Besides the tables of runsim run it writes
sensitivity.csv: for the level of each metric in the baseline and for the
paired effect of each policy arm on it (arm − baseline, common random
numbers), the Sobol first- and total-order indices with 95% bootstrap
intervals, Morris's μ, μ* and σ, the one-at-a-time swings or the
standardized regression coefficients of each parameter; its charts and a
report section. With -resume and no FILE the experiment is
DIR/experiment.toml, as for runsim run.`

func runSensitivity(ctx context.Context, e *env, args []string) error {
	err := runExperiment(ctx, e, "sensitivity", sensitivitySynopsis, args, func(exp *experiments.Experiment) error {
		if exp.Sensitivity == nil {
			return usagef("%s has no [sensitivity] table: give method, n or trajectories and [[sensitivity.parameters]] (name, min, max), or run it with runsim run", exp.File)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return printSensitivity(e, e.outDir)
}

// printSensitivity prints, for each output of DIR/sensitivity.csv (a
// complete run's; a shard has none), the parameters ranked by their main
// index.
func printSensitivity(e *env, dir string) error {
	m, err := results.ReadManifest(dir)
	if err != nil || m.Plan.Sweep == nil || m.Shard != nil && m.Shard.Count > 1 {
		return err
	}
	rows, err := results.ReadRows(filepath.Join(dir, results.SensitivityFile), results.SensitivityTable(m.Plan.Sweep.Kind))
	if err != nil {
		return err
	}
	name, main := sensitivityIndex(m.Plan.Sweep.Kind)
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].Output == rows[i].Output && rows[j].Arm == rows[i].Arm && rows[j].Metric == rows[i].Metric {
			j++
		}
		group := append([]results.SensitivityRow(nil), rows[i:j]...)
		sort.SliceStable(group, func(a, b int) bool { return abs(main(group[a])) > abs(main(group[b])) })
		what := "level of " + group[0].Metric
		if group[0].Output == "effect" {
			what = "effect of " + group[0].Arm + " on " + group[0].Metric
		}
		fmt.Fprintf(e.stdout, "%s (%s):", what, group[0].Window)
		for _, r := range group {
			fmt.Fprintf(e.stdout, " %s %s=%s", r.Parameter, name, fmtNum(main(r)))
		}
		fmt.Fprintln(e.stdout)
		i = j
	}
	return nil
}

// sensitivityIndex names the main index of a method and returns it.
func sensitivityIndex(method string) (string, func(results.SensitivityRow) float64) {
	switch method {
	case "morris":
		return "mu*", func(r results.SensitivityRow) float64 { return r.MuStar }
	case "oat":
		return "swing", func(r results.SensitivityRow) float64 { return r.Swing }
	case "src":
		return "SRC", func(r results.SensitivityRow) float64 { return r.SRC }
	}
	return "ST", func(r results.SensitivityRow) float64 { return r.Total }
}

// abs is |x|, and -1 for NaN (ranked last).
func abs(x float64) float64 {
	if math.IsNaN(x) {
		return -1
	}
	return math.Abs(x)
}

func fmtNum(x float64) string { return fmt.Sprintf("%.3g", x) }
