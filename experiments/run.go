package experiments

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"frontiersim/engine"
	"frontiersim/results"
	"frontiersim/simulator"
)

// RunOptions control Execute.
type RunOptions struct {
	Dir      string    // result directory (created if missing; see Execute)
	Workers  int       // <= 0: DefaultWorkers
	Resume   bool      // continue a partial run in Dir
	Force    bool      // start over, removing runsim's own files (only) from Dir
	Shard    ShardSpec // Count 0 or 1: the whole plan
	Progress func(done, total int)
	// Finish, if set, runs after the tables are written and before the
	// manifest on disk says "complete"; it gets that complete manifest. The
	// CLI draws the charts and the report here, so that a run killed while
	// drawing stays partial and -resume finishes it.
	Finish func(ctx context.Context, man results.Manifest) error
	Now    func() time.Time // clock for the manifest; nil: time.Now
	// Build is the build of this binary, recorded in the manifest and
	// compared with a resumed run's; nil: CurrentBuild().
	Build *Build

	// StopFile, with a stopping rule and a shard, is checked after each
	// batch of replications: once it exists the shard stops there
	// (ErrStopFile), its manifest partial, and merge uses the replications
	// every shard has. MergeOptions.StopFile writes it.
	StopFile string

	Lock results.LockMode // how Dir is locked for the run (see results.LockDir)
	Note func(msg string) // if set, gets notes for the user (a stale lock file removed)
}

// ErrInterrupted is returned (wrapped) when the run was cancelled; the
// finished replications are kept and the manifest says "partial".
var ErrInterrupted = errors.New("interrupted")

// ErrResultsExist is returned when Dir already holds results, or files
// runsim did not write, and neither Resume nor Force was given.
var ErrResultsExist = errors.New("the output directory already holds results")

// ErrResumeMismatch is returned when -resume finds results of another
// experiment, seed, shard or program version.
var ErrResumeMismatch = errors.New("cannot resume")

// Execute runs the experiment (or one shard of it) into opt.Dir and writes
// the result files. It returns the final manifest.
//
// opt.Dir is created if missing (mode 0777 less the umask). An existing
// directory must be empty, or hold runsim's manifest (then Resume or Force
// is needed); one that holds other files and no manifest is refused
// (ErrResultsExist) unless Force. Starting over removes only the files
// runsim writes and keeps everything else. Execute holds the lock of
// opt.Dir throughout: a second Execute (or merge, plot, report) into the
// same directory is refused at once with an error wrapping
// results.ErrLocked.
func Execute(ctx context.Context, e *Experiment, sim Simulator, opt RunOptions) (_ *results.Manifest, err error) {
	sim = e.simulator(sim)
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	plan := e.Plan(sim)
	jobs := opt.Shard.Jobs(plan.Jobs())
	var shard *results.Shard
	if opt.Shard.Count > 1 {
		shard = &results.Shard{Index: opt.Shard.Index, Count: opt.Shard.Count}
	}
	lock, err := openOutputDir(opt.Dir, opt.Lock, opt.Note)
	if err != nil {
		return nil, err
	}
	defer func() {
		if uerr := lock.Unlock(); uerr != nil && err == nil {
			err = uerr
		}
	}()
	man := results.Manifest{
		Experiment: e.Name, Description: e.Description, ExperimentHash: e.Hash(),
		ProgramVersion: ProgramVersion(), GoVersion: runtime.Version(), Seed: e.Seed,
		Plan: plan, Shard: shard, Status: results.StatusPartial, JobsTotal: len(jobs),
		StartTime: now().UTC().Format(time.RFC3339),
	}
	setBuild(&man, buildOr(opt.Build))
	old, oldErr := results.ReadManifest(opt.Dir)
	hasOld := oldErr == nil
	if oldErr != nil && !errors.Is(oldErr, os.ErrNotExist) && !opt.Force {
		return nil, fmt.Errorf("%w: %s has an unreadable manifest (%v); use -force to start over", ErrResultsExist, opt.Dir, oldErr)
	}
	switch {
	case hasOld && opt.Resume:
		if err := sameRun(executionManifest(old), man); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrResumeMismatch, opt.Dir, err)
		}
		man.StartTime = old.StartTime
	case hasOld && !opt.Force:
		return nil, fmt.Errorf("%w: %s (status %s); use -resume to continue it or -force to start over", ErrResultsExist, opt.Dir, old.Status)
	case errors.Is(oldErr, os.ErrNotExist):
		if err := checkNotForeign(opt.Dir, opt.Force); err != nil {
			return nil, err
		}
	}
	header := results.StoreHeader{Months: plan.Months, Metrics: len(plan.Metrics), PlanHash: planHash(e, plan)}
	storePath := filepath.Join(opt.Dir, results.StoreFile)

	// A run that starts over removes runsim's old files first (and only
	// those), so that nothing in the directory claims to be complete
	// before it is.
	if opt.Resume && hasOld {
		err = removeTemporaries(opt.Dir)
	} else {
		err = removeAll(opt.Dir)
	}
	if err != nil {
		return nil, fmt.Errorf("output directory %s: %w", opt.Dir, err)
	}
	if err := e.writeWorld(opt.Dir); err != nil {
		return nil, err
	}
	if err := results.WriteFileAtomic(filepath.Join(opt.Dir, results.ExperimentFile), e.Canonical()); err != nil {
		return nil, err
	}
	if err := results.WriteManifest(opt.Dir, man); err != nil {
		return nil, err
	}

	var store *results.StoreWriter
	done := map[int]bool{}
	if _, err := os.Stat(storePath); err == nil && opt.Resume && hasOld {
		w, have, err := results.AppendStore(storePath, header)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrResumeMismatch, err)
		}
		store = w
		for _, j := range have {
			done[j] = true
		}
	} else {
		w, err := results.CreateStore(storePath, header)
		if err != nil {
			return nil, fmt.Errorf("replication store: %w", err)
		}
		store = w
	}
	inShard := make(map[int]bool, len(jobs))
	for _, j := range jobs {
		inShard[j] = true
	}
	var todo []int
	finished := 0
	for _, j := range jobs {
		if done[j] {
			finished++
		} else {
			todo = append(todo, j)
		}
	}
	for j := range done {
		if !inShard[j] {
			store.Close()
			return nil, fmt.Errorf("%w: the replication store holds job %d, which is not part of this plan or shard", ErrResumeMismatch, j)
		}
	}

	var stopped *results.Stopped
	var runErr error
	switch {
	case plan.Stopping != nil && shard == nil:
		stopped, runErr = runStopping(ctx, e, sim, plan, jobs, done, storePath, header, opt, store, &finished, &man)
	case plan.Stopping != nil && opt.StopFile != "":
		runErr = runShardBatches(ctx, e, sim, plan, jobs, done, opt, store, &finished, &man)
	default:
		runErr = runJobs(ctx, e, sim, plan, todo, opt, store, &finished, len(jobs), &man, nil)
	}
	if cerr := store.Close(); runErr == nil && cerr != nil {
		runErr = fmt.Errorf("replication store: %w", cerr)
	}
	man.JobsDone = finished
	if runErr != nil {
		man.EndTime = now().UTC().Format(time.RFC3339)
		if werr := results.WriteManifest(opt.Dir, man); werr != nil {
			runErr = errors.Join(runErr, werr)
		}
		if errors.Is(runErr, ErrStopFile) {
			return &man, fmt.Errorf("%w after %d of %d replications: merge the shards (their replications are kept; -resume continues this one)", runErr, finished, len(jobs))
		}
		var c *engine.Canceled
		if errors.As(runErr, &c) || errors.Is(runErr, context.Canceled) {
			return &man, fmt.Errorf("%w after %d of %d replications (resume with -resume): %v", ErrInterrupted, finished, len(jobs), runErr)
		}
		return &man, runErr
	}
	final, finalJobs, asRun := stoppedPlan(plan, jobs, stopped)
	tables := func(ctx context.Context) error { return Finalize(ctx, opt.Dir, e, final, header, finalJobs) }
	if err := complete(ctx, opt.Dir, &man, now, tables, opt.Finish, asRun); err != nil {
		return &man, err
	}
	return &man, nil
}

// complete writes the tables (from the replication store, which holds every
// replication), records the size and SHA-256 of the data files, runs the
// finish hook and then writes the manifest as complete. If any step fails
// or is interrupted, the manifest stays partial (with every replication
// done) and nothing claims to be complete, so that -resume redoes the
// finishing steps. asRun, if set, turns the complete manifest into the
// plan as run (what a stopping rule decided); the partial one keeps the
// plan as started, which -resume compares with.
func complete(ctx context.Context, dir string, man *results.Manifest, now func() time.Time,
	tables func(context.Context) error, finish func(context.Context, results.Manifest) error,
	asRun func(*results.Manifest)) error {
	done := *man
	if asRun != nil {
		asRun(&done)
	}
	done.Status = results.StatusComplete
	done.JobsDone = done.JobsTotal
	done.EndTime = now().UTC().Format(time.RFC3339)
	stayPartial := func(err error, while string) error {
		// Nothing may claim to be complete: the finished files go, and
		// -resume writes them again from the replication store.
		if rerr := removeResults(dir); rerr != nil {
			err = errors.Join(err, rerr)
		}
		man.JobsDone = done.JobsTotal
		man.EndTime = done.EndTime
		if werr := results.WriteManifest(dir, *man); werr != nil {
			err = errors.Join(err, werr)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w after all %d replications, while %s (resume with -resume): %v", ErrInterrupted, man.JobsTotal, while, err)
		}
		return err
	}
	if err := tables(ctx); err != nil {
		return stayPartial(err, "writing the tables")
	}
	files, err := digestFiles(ctx, dir)
	if err != nil {
		return stayPartial(fmt.Errorf("checksums of the result files: %w", err), "computing checksums")
	}
	done.Files = files
	if finish != nil {
		if err := finish(ctx, done); err != nil {
			return stayPartial(err, "finishing")
		}
	}
	if err := results.WriteManifest(dir, done); err != nil {
		return err
	}
	*man = done
	return nil
}

// sameRun reports why old cannot be resumed as cur. It compares the
// settings first (seed, replications, months, buyers, arms, parameters, ...
// from the manifests' Plan and Seed), so that it can say which differ; the
// experiment hash, which covers them all, is the last resort.
func sameRun(old, cur results.Manifest) error {
	if err := sameCode(old, cur); err != nil {
		return err
	}
	var d []string
	if diffs := settingsDiff(old, cur); len(diffs) > 0 {
		d = append(d, "its settings differ from this run's: "+listDiffs(diffs))
	}
	if old.ProgramVersion != cur.ProgramVersion {
		d = append(d, fmt.Sprintf("it was made by %s, this is %s", old.ProgramVersion, cur.ProgramVersion))
	}
	if (old.Shard == nil) != (cur.Shard == nil) || old.Shard != nil && *old.Shard != *cur.Shard {
		d = append(d, fmt.Sprintf("it holds another shard (%s, not %s)", shardString(old.Shard), shardString(cur.Shard)))
	}
	if len(d) == 0 && old.ExperimentHash != cur.ExperimentHash {
		d = append(d, fmt.Sprintf("it holds experiment %q (hash %.12s), not %q (hash %.12s)", old.Experiment, old.ExperimentHash, cur.Experiment, cur.ExperimentHash))
	}
	if len(d) > 0 {
		return errors.New(strings.Join(d, "; "))
	}
	return nil
}

func shardString(s *results.Shard) string {
	if s == nil {
		return "the whole plan"
	}
	return fmt.Sprintf("shard %d/%d", s.Index, s.Count)
}

// ParamVector returns the parameter values of one arm at one sweep point:
// the defaults, then the experiment's scenario overrides, then the arm's,
// then the sweep point's.
func ParamVector(sim Simulator, plan results.Plan, arm, point int) ([]float64, error) {
	ps := sim.Params()
	idx := make(map[string]int, len(ps))
	v := make([]float64, len(ps))
	for i, p := range ps {
		idx[p.Name] = i
		v[i] = p.Default
	}
	apply := func(pv []results.ParamValue) error {
		for _, o := range pv {
			i, ok := idx[o.Name]
			if !ok {
				return fmt.Errorf("unknown parameter %q", o.Name)
			}
			v[i] = o.Value
		}
		return nil
	}
	for _, pv := range [][]results.ParamValue{plan.Overrides, plan.Arms[arm].Overrides, plan.Points[point].Params} {
		if err := apply(pv); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// paramVectors returns the parameter vector of every arm at every sweep
// point, at index arm*len(plan.Points)+point.
func paramVectors(sim Simulator, plan results.Plan) ([][]float64, error) {
	vectors := make([][]float64, len(plan.Arms)*len(plan.Points))
	for a := range plan.Arms {
		for p := range plan.Points {
			v, err := ParamVector(sim, plan, a, p)
			if err != nil {
				return nil, err
			}
			vectors[a*len(plan.Points)+p] = v
		}
	}
	return vectors, nil
}

// jobRunner returns the function that runs one job of plan (its arm's and
// point's parameter vector, the random streams of its replication) into a
// new months × metrics slice, on a Runner of sim taken from a pool (a runner
// is reused for many replications, one at a time, and keeps its buffers).
// It is the one place a replication is run, by a run and by verify alike.
func jobRunner(sim Simulator, seed uint64, plan results.Plan, workers int) (func(ctx context.Context, job int) ([]float64, error), error) {
	vectors, err := paramVectors(sim, plan)
	if err != nil {
		return nil, err
	}
	pool := make(chan Runner, workers)
	size := plan.Months * len(plan.Metrics)
	return func(ctx context.Context, job int) ([]float64, error) {
		var r Runner
		select {
		case r = <-pool:
		default:
			var err error
			if r, err = sim.NewRunner(plan.Buyers, plan.Months); err != nil {
				return nil, err
			}
		}
		defer func() { pool <- r }()
		arm, point, rep := plan.Job(job)
		out := make([]float64, size)
		if err := runArm(ctx, r, plan, vectors, arm, point, engine.NewStreams(seed, uint64(rep)), out); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("arm %q, point %s, replication %d: %w", plan.Arms[arm].Name, plan.Points[point].Name, rep, err)
		}
		return out, nil
	}, nil
}

// runArm runs one replication of arm at point on r: with the arm's
// parameters from month 0, or, for an arm whose levers switch on at a
// month (Arm.From > 0), with the baseline's parameters at that point until
// then (simulator.LeverRunner), so that its months before From are the
// baseline's.
func runArm(ctx context.Context, r Runner, plan results.Plan, vectors [][]float64, arm, point int, st engine.Streams, out []float64) error {
	v := vectors[arm*len(plan.Points)+point]
	from := plan.Arms[arm].From
	if from <= 0 {
		return r.Run(ctx, v, st, out)
	}
	lr, ok := r.(simulator.LeverRunner)
	if !ok {
		return fmt.Errorf("the model cannot switch levers on at a month (from = %d)", from)
	}
	return lr.RunLevers(ctx, vectors[point], v, from, st, out)
}

// Replicate is the in-memory runner: it runs the given jobs of plan (job
// indices, see results.Plan.Job) on sim under master seed seed, on workers
// goroutines (<= 0: runtime.GOMAXPROCS(0)), and hands each job's monthly
// values (months × metrics, month-major) to emit, from one goroutine, in
// the order of jobs whatever the worker count. Execute is Replicate plus
// the replication store; Verify is Replicate plus a comparison with it.
//
// The first error from a replication or from emit stops the run and is
// returned; a cancelled ctx returns an *engine.Canceled (errors.As) after
// emitting every job that finished, and a panicking replication an
// *engine.PanicError.
func Replicate(ctx context.Context, sim Simulator, seed uint64, plan results.Plan, jobs []int, workers int,
	emit func(job int, out []float64) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(jobs)))
	run, err := jobRunner(sim, seed, plan, workers)
	if err != nil {
		return err
	}
	return engine.Replicate(ctx, len(jobs), workers,
		func(ctx context.Context, i int) ([]float64, error) { return run(ctx, jobs[i]) },
		func(i int, out []float64) error { return emit(jobs[i], out) })
}

// flushEvery is how often finished replications are synced to disk.
const flushEvery = time.Second

// runJobs runs todo into store, counting them in finished (of total) and
// handing each to fed if set.
func runJobs(ctx context.Context, e *Experiment, sim Simulator, plan results.Plan, todo []int,
	opt RunOptions, store *results.StoreWriter, finished *int, total int, man *results.Manifest,
	fed func(job int, out []float64)) error {
	workers := opt.Workers
	if workers <= 0 {
		w, err := DefaultWorkers(os.Getenv)
		if err != nil {
			return err
		}
		workers = w
	}
	if opt.Progress != nil {
		opt.Progress(*finished, total)
	}
	lastFlush := time.Now()
	return Replicate(ctx, sim, e.Seed, plan, todo, workers,
		func(job int, out []float64) error {
			if err := store.Append(job, out); err != nil {
				return fmt.Errorf("replication store: %w", err)
			}
			if fed != nil {
				fed(job, out)
			}
			*finished++
			if time.Since(lastFlush) >= flushEvery {
				lastFlush = time.Now()
				if err := store.Flush(); err != nil {
					return fmt.Errorf("replication store: %w", err)
				}
				man.JobsDone = *finished
				if err := results.WriteManifest(opt.Dir, *man); err != nil {
					return err
				}
			}
			if opt.Progress != nil {
				opt.Progress(*finished, total)
			}
			return nil
		})
}
