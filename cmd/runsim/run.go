package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"frontiersim/experiments"
	"frontiersim/results"
)

const runSynopsis = `run [FILE] [-o DIR] [-reps N] [-workers N] [-seed S] [-resume] [-force] [-shard K/N|auto] [-no-charts] [-q]

Runs the experiment in FILE, or the embedded default experiment (baseline plus
the four policy levers) without FILE, and writes manifest.json, runs.csv,
timeseries.csv, comparison.csv, experiment.toml, charts/ and report.html to DIR.

With -resume and no FILE, the experiment is DIR/experiment.toml (the experiment
as run, with the -reps and -seed it ran with), not the embedded default:
runsim run -o DIR -resume finishes an interrupted run without repeating its
flags. With FILE, -resume refuses a FILE that differs from the run in DIR and
says which setting differs.`

func runRun(ctx context.Context, e *env, args []string) error {
	return runExperiment(ctx, e, "run", runSynopsis, args, nil)
}

// runExperiment is runsim run, and runsim sensitivity with check: check,
// if set, vets the loaded experiment before anything runs.
func runExperiment(ctx context.Context, e *env, cmd, synopsis string, args []string, check func(*experiments.Experiment) error) error {
	fs := newFlagSet(e, cmd, synopsis)
	out := fs.String("o", "", "output directory (default: out/NAME, NAME the experiment's name)")
	reps := fs.Int("reps", 0, "replications per arm and sweep point (overrides the file)")
	workers := fs.Int("workers", 0, "parallel workers (default: SLURM_CPUS_PER_TASK if set, else all cores)")
	seed := fs.String("seed", "", "master seed (overrides the file)")
	resume := fs.Bool("resume", false, "continue an interrupted run in DIR")
	force := fs.Bool("force", false, "start over in DIR: remove runsim's own files there (only those) and write it anew")
	shard := fs.String("shard", "", "run part K of N of the plan (K from 1), or 'auto' from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX/-shard-count")
	shardCount := fs.Int("shard-count", 0, "number of shards with -shard auto on a Kubernetes Indexed Job (JOB_COMPLETION_INDEX counts from 0)")
	noCharts := fs.Bool("no-charts", false, "write no charts and no report")
	quiet := fs.Bool("q", false, "no progress output")
	stopFile := fs.String("stop-file", "", "with a stopping rule and -shard: after each batch of replications, stop (exit 0) if this file exists; runsim merge -stop-file writes it once the rule has stopped")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("%s takes at most one experiment file, got %d: %v", cmd, len(pos), pos)
	}
	if *resume && *force {
		return usagef("-resume and -force contradict each other")
	}
	sim := e.simulator()
	var exp *experiments.Experiment
	switch {
	case len(pos) == 1:
		exp, err = experiments.Load(pos[0], experiments.FileReader(ctx), sim)
	case *resume:
		exp, err = loadAsRun(ctx, *out, sim)
	default:
		exp, err = experiments.LoadDefault(sim)
	}
	if err != nil {
		return err
	}
	if check != nil {
		if err := check(exp); err != nil {
			return err
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["reps"] {
		if *reps < 1 || *reps > experiments.MaxReplications {
			return usagef("-reps %d: want 1 to %d", *reps, experiments.MaxReplications)
		}
		arms, points := int64(len(exp.Arms)), int64(exp.Points())
		if jobs := arms * points * int64(*reps); jobs > experiments.MaxJobs {
			return usagef("-reps %d: the plan would have %d replications (%d arm(s) × %d sweep point(s) × %d); the limit is %d, so at most -reps %d",
				*reps, jobs, arms, points, *reps, experiments.MaxJobs, experiments.MaxJobs/(arms*points))
		}
		if err := setMaxReplications(exp, *reps); err != nil {
			return err
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
		w, err := experiments.DefaultWorkers(e.getenv)
		if err != nil {
			return usagef("%v; or give -workers N", err)
		}
		*workers = w
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
	e.outDir = dir
	if err := checkResources(exp, sim, *workers, dir); err != nil {
		return err
	}
	printWarnings(e, cmd, "", exp)
	plan := exp.Plan(sim)
	total := len(spec.Jobs(plan.Jobs()))
	if !*quiet {
		reps := fmt.Sprintf("%d replications", plan.Replications)
		if plan.Stopping != nil {
			reps = fmt.Sprintf("at most %d replications (a stopping rule, batches of %d)", plan.Replications, plan.Stopping.Batch)
		}
		fmt.Fprintf(e.stderr, "runsim: %s: %d arm(s) × %d point(s) × %s = %d runs of %d months, %d buyers, %d workers -> %s\n",
			exp.Name, len(plan.Arms), len(plan.Points), reps, total, plan.Months, plan.Buyers, *workers, dir)
	}
	lockMode, err := lockMode(e.getenv)
	if err != nil {
		return err
	}
	prog := newProgress(e.stderr, e.stderrIsTTY, *quiet, time.Now)
	if *stopFile != "" && (exp.Stopping == nil || spec.Count <= 1) {
		return usagef("-stop-file is for the shards (-shard K/N) of an experiment with a [stopping] rule")
	}
	opt := experiments.RunOptions{Dir: dir, Workers: *workers, Resume: *resume, Force: *force, Shard: spec, Progress: prog.update,
		Lock: lockMode, Note: e.note, StopFile: *stopFile}
	if spec.Count <= 1 && !*noCharts {
		opt.Finish = func(ctx context.Context, m results.Manifest) error {
			prog.finish()
			return drawAndReport(ctx, dir, m)
		}
	}
	man, err := experiments.Execute(ctx, exp, sim, opt)
	prog.finish()
	if errors.Is(err, experiments.ErrResumeMismatch) && (len(pos) == 1 || set["reps"] || set["seed"]) {
		return fmt.Errorf("%w; to resume the experiment as run, leave out the file, -reps and -seed: runsim %s -o %s -resume", err, cmd, dir)
	}
	if errors.Is(err, experiments.ErrStopFile) {
		fmt.Fprintf(e.stderr, "runsim: %v\n", err)
		return nil
	}
	if err != nil {
		if errors.Is(err, experiments.ErrInterrupted) && !*quiet {
			fmt.Fprintf(e.stderr, "runsim: kept %d finished replications in %s\n", man.JobsDone, dir)
		}
		return err
	}
	if st := man.StoppingSummary(); st != "" && !*quiet {
		fmt.Fprintf(e.stderr, "runsim: stopping rule: %s\n", st)
	}
	if !*quiet {
		fmt.Fprintf(e.stderr, "runsim: done in %s: results in %s\n", prog.elapsed().Round(time.Millisecond), dir)
	}
	return nil
}

// setMaxReplications makes -reps the most replications of an experiment's
// stopping rule.
func setMaxReplications(exp *experiments.Experiment, reps int) error {
	if exp.Stopping == nil {
		return nil
	}
	rule := *exp.Stopping
	if reps < rule.MinReplications {
		return usagef("-reps %d: the stopping rule stops at %d replications at the fewest (min_replications); give -reps %d or more", reps, rule.MinReplications, rule.MinReplications)
	}
	rule.MaxReplications = reps
	rule.Batch = min(rule.Batch, reps)
	exp.Stopping = &rule
	return nil
}

// loadAsRun loads the experiment as run from DIR/experiment.toml, for
// -resume without FILE.
func loadAsRun(ctx context.Context, dir string, sim experiments.Simulator) (*experiments.Experiment, error) {
	if dir == "" {
		return nil, usagef("-resume without FILE resumes the run in the directory given by -o DIR (from DIR/experiment.toml); give -o DIR, or the experiment file")
	}
	path := filepath.Join(dir, results.ExperimentFile)
	if _, err := os.Stat(path); err != nil {
		return nil, usagef("-resume without FILE takes the experiment from %s, which cannot be read (%v): is %s the output directory of a run? Give the experiment file to start one", path, err, dir)
	}
	return experiments.Load(path, experiments.FileReader(ctx), sim)
}

// shardSpec turns the -shard flag into a ShardSpec.
func shardSpec(s string, count int, getenv func(string) string) (experiments.ShardSpec, error) {
	switch s {
	case "":
		return experiments.ShardSpec{}, nil
	case "auto":
		if id := getenv("SLURM_ARRAY_TASK_ID"); id != "" {
			whole := func(name, v string) (int, error) {
				n, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil || n < 0 {
					return 0, usagef("-shard auto: %s=%q: want a whole number, 0 or more", name, v)
				}
				return n, nil
			}
			k, err := whole("SLURM_ARRAY_TASK_ID", id)
			if err != nil {
				return experiments.ShardSpec{}, err
			}
			n := getenv("SLURM_ARRAY_TASK_COUNT")
			if n == "" {
				return experiments.ShardSpec{}, usagef("-shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: is this a job array (sbatch --array)?")
			}
			c, err := whole("SLURM_ARRAY_TASK_COUNT", n)
			if err != nil {
				return experiments.ShardSpec{}, err
			}
			if c < 1 {
				return experiments.ShardSpec{}, usagef("-shard auto: SLURM_ARRAY_TASK_COUNT=%q: want 1 or more", n)
			}
			minID := 0
			if m := getenv("SLURM_ARRAY_TASK_MIN"); m != "" {
				if minID, err = whole("SLURM_ARRAY_TASK_MIN", m); err != nil {
					return experiments.ShardSpec{}, err
				}
			}
			if k < minID || k-minID >= c {
				return experiments.ShardSpec{}, usagef("-shard auto: SLURM_ARRAY_TASK_ID=%d is not in SLURM_ARRAY_TASK_MIN=%d to %d (SLURM_ARRAY_TASK_COUNT=%d): submit the array as --array=%d-%d, without gaps or steps",
					k, minID, minID+c-1, c, minID, minID+c-1)
			}
			sp, err := experiments.ParseShard(fmt.Sprintf("%d/%d", k-minID+1, c))
			if err != nil {
				return sp, usagef("-shard auto: %v", err)
			}
			return sp, nil
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
