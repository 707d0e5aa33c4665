package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"frontiersim/estimation"
	"frontiersim/experiments"
	"frontiersim/results"
	"frontiersim/stats"
)

const calibrateSynopsis = `calibrate EXPERIMENT.toml -targets TARGETS.toml [-o DIR] [-reps N] [-workers N] [-seed S] [-force] [-q]

Fits the parameters named in TARGETS.toml ([[parameters]]: name, min, max,
optional start) to its observed moments ([[targets]]: metric, month or
window, observed, sd, weight, source, grade): it minimizes the weighted sum
of squared standardized deviations of the baseline's replication means
from the observed values, each evaluation simulated with the experiment's
replications (or -reps) under common random numbers (replication r of
every parameter vector on the same random streams), by a deterministic
Nelder–Mead search from the starts; then it takes the Jacobian of the
moments at the optimum (identification: rank, condition number, the
targets that pin down each parameter).

Writes to DIR (default out/NAME-calibration): calibration.json (the fitted
parameters, the objective's terms, the identification), trace.csv (every
evaluation), identification.csv, fit.svg and trace.svg, report.html, and
evaluations.csv, the checkpoint of every simulated evaluation: after an
interruption the same command resumes from it and writes the same bytes.
-force discards a checkpoint of other inputs.`

// calibration files of a calibration directory.
const (
	calibrationJSON   = "calibration.json"
	calibrationTrace  = "trace.csv"
	calibrationIdent  = "identification.csv"
	calibrationChart  = "fit.svg"
	calibrationTraceC = "trace.svg"
	calibrationReport = "report.html"
	calibrationCkpt   = "evaluations.csv"
	calibrationTgts   = "targets.toml"
)

func runCalibrate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "calibrate", calibrateSynopsis)
	targetsFile := fs.String("targets", "", "the targets file (required)")
	out := fs.String("o", "", "output directory (default: out/NAME-calibration)")
	reps := fs.Int("reps", 0, "replications per evaluation (default: the experiment's)")
	workers := fs.Int("workers", 0, "parallel workers (default: SLURM_CPUS_PER_TASK if set, else all cores)")
	seed := fs.String("seed", "", "master seed (default: the experiment's)")
	force := fs.Bool("force", false, "discard the checkpoint in DIR and start over")
	quiet := fs.Bool("q", false, "no progress output")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("calibrate takes one experiment file, got %d: %v", len(pos), pos)
	}
	if *targetsFile == "" {
		return usagef("calibrate needs -targets TARGETS.toml")
	}
	sim := e.simulator()
	read := experiments.FileReader(ctx)
	exp, err := experiments.Load(pos[0], read, sim)
	if err != nil {
		return err
	}
	if exp.Sweep != nil || exp.Sensitivity != nil {
		return usagef("%s has a [sweep] or [sensitivity] table: calibrate fits the baseline arm at one point; remove it", exp.File)
	}
	if *reps != 0 {
		if *reps < 2 || *reps > experiments.MaxReplications {
			return usagef("-reps %d: want 2 to %d", *reps, experiments.MaxReplications)
		}
		exp.Replications = *reps
	}
	if *seed != "" {
		s, err := strconv.ParseUint(*seed, 10, 63)
		if err != nil {
			return usagef("-seed %q: want a whole number from 0 to %d", *seed, uint64(math.MaxInt64))
		}
		exp.Seed = s
	}
	if *workers < 0 {
		return usagef("-workers %d: want 1 or more (0 = default)", *workers)
	}
	if *workers == 0 {
		if *workers, err = experiments.DefaultWorkers(e.getenv); err != nil {
			return usagef("%v; or give -workers N", err)
		}
	}
	tb, err := read(*targetsFile)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("reading %s: %w", *targetsFile, err)
		}
		return &estimation.InvalidError{Problems: []experiments.Problem{{File: *targetsFile, Msg: fmt.Sprintf("cannot read: %v", err)}}}
	}
	wsim := exp.Simulator(sim)
	plan := exp.Plan(sim)
	plan.Points = []results.Point{{Name: "-"}}
	plan.Sweep, plan.Stopping, plan.Replications = nil, nil, exp.Replications
	tg, err := estimation.LoadTargets(*targetsFile, tb, estimation.Model{Params: wsim.Params(), Metrics: plan.Metrics, Months: plan.Months, Windows: plan.Report.Windows})
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = "out/" + exp.Name + "-calibration"
	}
	e.outDir = dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%w: %v", experiments.ErrOutputDir, err)
	}
	mode, err := lockMode(e.getenv)
	if err != nil {
		return err
	}
	lock, err := results.LockDir(dir, mode)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00reps %d seed %d\x00", exp.Canonical(), tb, exp.Replications, exp.Seed)
	hash := hex.EncodeToString(h.Sum(nil))
	ckPath := filepath.Join(dir, calibrationCkpt)
	if *force {
		if err := os.Remove(ckPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	ck, err := estimation.OpenCheckpoint(ckPath, hash, tg.Parameters, tg.Targets)
	if err != nil {
		if errors.Is(err, estimation.ErrCheckpointMismatch) {
			return fmt.Errorf("%w; to start over there, add -force", err)
		}
		return err
	}
	defer ck.Close()
	if !*quiet {
		fmt.Fprintf(e.stderr, "runsim calibrate: %s: %d parameter(s), %d target(s), %d replications per evaluation, at most %d evaluations, %d workers -> %s\n",
			exp.Name, len(tg.Parameters), len(tg.Targets), exp.Replications, tg.Search.MaxEvaluations, *workers, dir)
		if n := ck.Len(); n > 0 {
			fmt.Fprintf(e.stderr, "runsim calibrate: resuming: %d evaluation(s) recorded in %s\n", n, ckPath)
		}
	}
	eval := func(ctx context.Context, xs [][]float64) ([][]float64, [][]float64, error) {
		return simulateMoments(ctx, wsim, exp.Seed, plan, tg, xs, *workers)
	}
	start := time.Now()
	res, err := estimation.Calibrate(ctx, eval, tg, ck, calibrationProgress(e, *quiet, tg.Search.MaxEvaluations))
	if !*quiet && e.stderrIsTTY {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		if ctx.Err() != nil {
			if !*quiet {
				fmt.Fprintf(e.stderr, "runsim calibrate: kept %d evaluation(s) in %s; run the same command again to resume\n", ck.Len(), ckPath)
			}
			return fmt.Errorf("%w: %w", experiments.ErrInterrupted, err)
		}
		return err
	}
	if err := writeCalibration(dir, exp, tb, tg, res); err != nil {
		return err
	}
	printCalibration(e, tg, res)
	if !*quiet {
		fmt.Fprintf(e.stderr, "runsim calibrate: done in %s: results in %s\n", time.Since(start).Round(time.Millisecond), dir)
	}
	return nil
}

// simulateMoments runs the baseline of plan at each parameter vector of
// xs (one arm each, replication r of every arm on the same streams) and
// returns each target's replication mean and standard deviation.
func simulateMoments(ctx context.Context, sim experiments.Simulator, seed uint64, base results.Plan, tg *estimation.Targets, xs [][]float64, workers int) ([][]float64, [][]float64, error) {
	plan := base
	plan.Arms = nil
	for i, x := range xs {
		arm := results.Arm{Name: fmt.Sprintf("x%d", i)}
		set := map[string]bool{}
		for j, p := range tg.Parameters {
			arm.Overrides = append(arm.Overrides, results.ParamValue{Name: p.Name, Value: x[j]})
			set[p.Name] = true
		}
		for _, o := range base.Arms[0].Overrides {
			if !set[o.Name] {
				arm.Overrides = append(arm.Overrides, o)
			}
		}
		plan.Arms = append(plan.Arms, arm)
	}
	n, m := plan.Replications, len(tg.Targets)
	vals := make([][][]float64, len(xs)) // [arm][target][rep]
	for a := range vals {
		vals[a] = make([][]float64, m)
		for t := range vals[a] {
			vals[a][t] = make([]float64, n)
		}
	}
	jobs := make([]int, plan.Jobs())
	for j := range jobs {
		jobs[j] = j
	}
	nm := len(plan.Metrics)
	err := experiments.Replicate(ctx, sim, seed, plan, jobs, workers, func(job int, out []float64) error {
		arm, _, r := plan.Job(job)
		for t, tgt := range tg.Targets {
			vals[arm][t][r] = tgt.Statistic(out, nm)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	means, sds := make([][]float64, len(xs)), make([][]float64, len(xs))
	for a := range xs {
		means[a], sds[a] = make([]float64, m), make([]float64, m)
		for t := range m {
			mu := stats.MeanInOrder(vals[a][t])
			ss := 0.0
			for _, v := range vals[a][t] {
				ss += (v - mu) * (v - mu)
			}
			means[a][t], sds[a][t] = mu, math.Sqrt(ss/float64(max(n-1, 1)))
		}
	}
	return means, sds, nil
}

// calibrationProgress shows each evaluation: redrawn in place on a
// terminal, a line every tenth evaluation otherwise.
func calibrationProgress(e *env, quiet bool, most int) func(estimation.Evaluation) {
	return func(ev estimation.Evaluation) {
		if quiet {
			return
		}
		line := fmt.Sprintf("runsim calibrate: evaluation %d (at most %d): objective %.6g, best %.6g", ev.N, most, ev.Objective, ev.Best)
		if ev.Recorded {
			line += " (already evaluated)"
		}
		switch {
		case e.stderrIsTTY:
			fmt.Fprintf(e.stderr, "\r\x1b[K%s", line)
		case ev.N%10 == 0 || ev.N == 1:
			fmt.Fprintln(e.stderr, line)
		}
	}
}

// printCalibration prints the fitted parameters and the identification.
func printCalibration(e *env, tg *estimation.Targets, r estimation.Result) {
	w := e.stdout
	fmt.Fprintf(w, "objective %s after %d evaluations (converged: %t)\n", fmtG(r.Objective), r.Evaluations, r.Converged)
	for j, p := range tg.Parameters {
		note := ""
		if contains(r.OnBound, p.Name) {
			note = "  ON A BOUND"
		}
		if r.Unidentified[j] > 0.5 {
			note += "  NOT IDENTIFIED"
		}
		pins := strings.Join(r.PinnedBy[j], ", ")
		if pins == "" {
			pins = "none"
		}
		fmt.Fprintf(w, "  %s = %s  [%s, %s]  pinned by: %s%s\n", p.Name, fmtG(r.X[j]), fmtG(p.Min), fmtG(p.Max), pins, note)
	}
	fmt.Fprintf(w, "identification: rank %d of %d, condition number %s\n", r.Rank, len(tg.Parameters), r.ConditionText)
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func fmtG(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func fmtExact(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// writeCalibration writes the result files of a calibration into dir.
func writeCalibration(dir string, exp *experiments.Experiment, targetsText []byte, tg *estimation.Targets, r estimation.Result) error {
	type file struct {
		name string
		data []byte
	}
	js, err := json.MarshalIndent(struct {
		Experiment   string `json:"experiment"`
		Replications int    `json:"replications"`
		Seed         uint64 `json:"seed"`
		estimation.Result
	}{exp.Name, exp.Replications, exp.Seed, r}, "", "  ")
	if err != nil {
		return fmt.Errorf("calibration.json: %w", err)
	}
	var trace strings.Builder
	trace.WriteString("evaluation,objective,best")
	for _, p := range tg.Parameters {
		trace.WriteString("," + p.Name)
	}
	trace.WriteString("\n")
	for _, ev := range r.Trace {
		fmt.Fprintf(&trace, "%d,%s,%s", ev.N, fmtExact(ev.Objective), fmtExact(ev.Best))
		for _, x := range ev.X {
			trace.WriteString("," + fmtExact(x))
		}
		trace.WriteString("\n")
	}
	var ident strings.Builder
	ident.WriteString("target,parameter,derivative,scaled,pins\n")
	for i, t := range tg.Targets {
		for j, p := range tg.Parameters {
			fmt.Fprintf(&ident, "%s,%s,%s,%s,%t\n", t.ID, p.Name, fmtExact(r.Jacobian[i][j]), fmtExact(r.Scaled[i][j]), contains(r.PinnedBy[j], t.ID))
		}
	}
	files := []file{
		{calibrationJSON, append(js, '\n')},
		{calibrationTrace, []byte(trace.String())},
		{calibrationIdent, []byte(ident.String())},
		{calibrationChart, fitChart(tg, r)},
		{calibrationTraceC, traceChart(r)},
		{calibrationTgts, targetsText},
		{calibrationReport, calibrationHTML(exp, tg, r)},
	}
	for _, f := range files {
		if err := writeFileAtomic(filepath.Join(dir, f.name), f.data); err != nil {
			return err
		}
	}
	return nil
}

// writeFileAtomic writes data to path through a temporary file and a rename.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
