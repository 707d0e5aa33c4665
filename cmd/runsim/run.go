package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"time"

	"frontiersim/experiments"
	"frontiersim/results"
)

const runSynopsis = `run [FILE] [-o DIR] [-reps N] [-workers N] [-seed S] [-resume] [-force] [-shard K/N|auto] [-no-charts] [-q]

Runs the experiment in FILE, or the embedded default experiment (baseline plus
the four policy levers) without FILE, and writes manifest.json, runs.csv,
timeseries.csv, comparison.csv, experiment.toml, charts/ and report.html to DIR.`

func runRun(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "run", runSynopsis)
	out := fs.String("o", "", "output directory (default: out/NAME, NAME the experiment's name)")
	reps := fs.Int("reps", 0, "replications per arm and sweep point (overrides the file)")
	workers := fs.Int("workers", 0, "parallel workers (default: SLURM_CPUS_PER_TASK if set, else all cores)")
	seed := fs.String("seed", "", "master seed (overrides the file)")
	resume := fs.Bool("resume", false, "continue an interrupted run in DIR")
	force := fs.Bool("force", false, "overwrite results already in DIR")
	shard := fs.String("shard", "", "run part K of N of the plan (K from 1), or 'auto' from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX/-shard-count")
	shardCount := fs.Int("shard-count", 0, "number of shards with -shard auto on a Kubernetes Indexed Job (JOB_COMPLETION_INDEX counts from 0)")
	noCharts := fs.Bool("no-charts", false, "write no charts and no report")
	quiet := fs.Bool("q", false, "no progress output")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("run takes at most one experiment file, got %d: %v", len(pos), pos)
	}
	if *resume && *force {
		return usagef("-resume and -force contradict each other")
	}
	sim := simulator()
	var exp *experiments.Experiment
	if len(pos) == 1 {
		exp, err = experiments.Load(pos[0], experiments.FileReader(ctx), sim)
	} else {
		exp, err = experiments.LoadDefault(sim)
	}
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["reps"] {
		if *reps < 1 || *reps > experiments.MaxReplications {
			return usagef("-reps %d: want 1 to %d", *reps, experiments.MaxReplications)
		}
		exp.Replications = *reps
	}
	if set["seed"] {
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
		*workers = experiments.DefaultWorkers(e.getenv)
	}
	spec, err := shardSpec(*shard, *shardCount, e.getenv)
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = "out/" + exp.Name
		if spec.Count > 1 {
			dir = fmt.Sprintf("%s/shard-%d-of-%d", dir, spec.Index, spec.Count)
		}
	}
	if err := checkResources(exp, sim, *workers, dir); err != nil {
		return err
	}
	plan := exp.Plan(sim)
	total := len(spec.Jobs(plan.Jobs()))
	if !*quiet {
		fmt.Fprintf(e.stderr, "runsim: %s: %d arm(s) × %d point(s) × %d replications = %d runs of %d months, %d buyers, %d workers -> %s\n",
			exp.Name, len(plan.Arms), len(plan.Points), plan.Replications, total, plan.Months, plan.Buyers, *workers, dir)
	}
	prog := newProgress(e.stderr, e.stderrIsTTY, *quiet, time.Now)
	opt := experiments.RunOptions{Dir: dir, Workers: *workers, Resume: *resume, Force: *force, Shard: spec, Progress: prog.update}
	if spec.Count <= 1 && !*noCharts {
		opt.Finish = func(ctx context.Context, m results.Manifest) error {
			prog.finish()
			return drawAndReport(ctx, dir, m)
		}
	}
	man, err := experiments.Execute(ctx, exp, sim, opt)
	prog.finish()
	if err != nil {
		if errors.Is(err, experiments.ErrInterrupted) && !*quiet {
			fmt.Fprintf(e.stderr, "runsim: kept %d finished replications in %s\n", man.JobsDone, dir)
		}
		return err
	}
	if !*quiet {
		fmt.Fprintf(e.stderr, "runsim: done in %s: results in %s\n", prog.elapsed().Round(time.Millisecond), dir)
	}
	return nil
}

// shardSpec turns the -shard flag into a ShardSpec.
func shardSpec(s string, count int, getenv func(string) string) (experiments.ShardSpec, error) {
	switch s {
	case "":
		return experiments.ShardSpec{}, nil
	case "auto":
		if id := getenv("SLURM_ARRAY_TASK_ID"); id != "" {
			n := getenv("SLURM_ARRAY_TASK_COUNT")
			k, err1 := strconv.Atoi(id)
			c, err2 := strconv.Atoi(n)
			minID := 0
			if m := getenv("SLURM_ARRAY_TASK_MIN"); m != "" {
				minID, _ = strconv.Atoi(m)
			}
			if err1 != nil || err2 != nil || c < 1 {
				return experiments.ShardSpec{}, usagef("-shard auto: SLURM_ARRAY_TASK_ID=%q, SLURM_ARRAY_TASK_COUNT=%q are not usable", id, n)
			}
			return experiments.ParseShard(fmt.Sprintf("%d/%d", k-minID+1, c))
		}
		if id := getenv("JOB_COMPLETION_INDEX"); id != "" {
			k, err := strconv.Atoi(id)
			if err != nil {
				return experiments.ShardSpec{}, usagef("-shard auto: JOB_COMPLETION_INDEX=%q is not a number", id)
			}
			if count < 1 {
				return experiments.ShardSpec{}, usagef("-shard auto on Kubernetes needs -shard-count N (the Job's completions): Kubernetes does not pass it")
			}
			sp, err := experiments.ParseShard(fmt.Sprintf("%d/%d", k+1, count))
			if err != nil {
				return sp, usagef("%v", err)
			}
			return sp, nil
		}
		return experiments.ShardSpec{}, usagef("-shard auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set")
	default:
		sp, err := experiments.ParseShard(s)
		if err != nil {
			return sp, usagef("%v", err)
		}
		return sp, nil
	}
}

// drawAndReport draws the charts of a result directory whose tables are
// written, described by the complete manifest m, and writes its report.
// With charts disabled in the experiment it does nothing.
func drawAndReport(ctx context.Context, dir string, m results.Manifest) error {
	if m.Plan.Charts.Disable {
		return nil
	}
	d, err := results.ReadTables(dir, m)
	if err != nil {
		return err
	}
	charts, err := drawCharts(ctx, d)
	if err != nil {
		return err
	}
	return writeReport(d, charts)
}
