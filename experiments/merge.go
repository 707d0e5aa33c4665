package experiments

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"frontiersim/results"
)

// ErrBadShards is wrapped by every error Merge returns about its inputs.
var ErrBadShards = errors.New("cannot merge")

// Merge combines the result directories of the N shards of one experiment
// into outDir. It checks that every shard comes from the same experiment
// (hash), seed, program version and revision (see SameCode), that each of
// shards 1..N is there once and complete, and that each holds exactly its
// own replications; then it rebuilds the replication store in plan order
// and recomputes every table from the per-replication records, so the
// files are byte-identical to a single-machine run.
//
// finish, if not nil, runs before the merged manifest says "complete" (see
// RunOptions.Finish).
//
// Merge is MergeWith without Force.
func Merge(ctx context.Context, outDir string, shardDirs []string, sim Simulator, now func() time.Time,
	finish func(context.Context, results.Manifest) error) (*results.Manifest, error) {
	return MergeWith(ctx, sim, MergeOptions{Dir: outDir, Shards: shardDirs, Now: now, Finish: finish})
}

// MergeOptions control MergeWith.
type MergeOptions struct {
	// Dir is the output directory: created if missing. An existing Dir must
	// be empty or hold an earlier merge of the same experiment (which the
	// merge redoes); anything else is refused unless Force, and with Force
	// only runsim's own files in it are removed. Dir may never be one of
	// Shards.
	Dir    string
	Shards []string // the shard directories
	Force  bool
	Lock   results.LockMode // how Dir is locked (see results.LockDir)
	Note   func(msg string) // if set, gets notes for the user (a stale lock file removed)
	Finish func(context.Context, results.Manifest) error
	Now    func() time.Time // nil: time.Now
	Build  *Build           // the build of this binary; nil: CurrentBuild()
	// StopFile, with a stopping rule, is written once the rule has
	// stopped, so that shards run with RunOptions.StopFile stop too. With
	// a stopping rule the shards may be partial: the merge uses the
	// replications every shard holds, and fails (ErrStopNotReached) if the
	// rule does not stop within them.
	StopFile string
}

// MergeWith is Merge with options; it holds the lock of opt.Dir
// throughout.
func MergeWith(ctx context.Context, sim Simulator, opt MergeOptions) (_ *results.Manifest, err error) {
	outDir, shardDirs, now, finish := opt.Dir, opt.Shards, opt.Now, opt.Finish
	if now == nil {
		now = time.Now
	}
	if len(shardDirs) == 0 {
		return nil, fmt.Errorf("%w: no shard directories given", ErrBadShards)
	}
	// Before anything is read or written: the output must not be an input.
	if err := notAnInput(outDir, shardDirs); err != nil {
		return nil, err
	}
	type shard struct {
		dir string
		man results.Manifest
	}
	var shards []shard
	for _, d := range shardDirs {
		m, err := results.ReadManifest(d)
		if err != nil {
			return nil, fmt.Errorf("%w: %s is not a result directory: %v", ErrBadShards, d, err)
		}
		shards = append(shards, shard{d, m})
	}
	first := shards[0]
	count := 1
	if first.man.Shard != nil {
		count = first.man.Shard.Count
	}
	byIndex := map[int]shard{}
	for _, s := range shards {
		m := s.man
		switch {
		case m.ExperimentHash != first.man.ExperimentHash:
			return nil, fmt.Errorf("%w: %s holds experiment %q (hash %.12s) but %s holds %q (hash %.12s): shards of different experiments",
				ErrBadShards, s.dir, m.Experiment, m.ExperimentHash, first.dir, first.man.Experiment, first.man.ExperimentHash)
		case m.Seed != first.man.Seed:
			return nil, fmt.Errorf("%w: %s used seed %d but %s used seed %d", ErrBadShards, s.dir, m.Seed, first.dir, first.man.Seed)
		case m.ProgramVersion != first.man.ProgramVersion:
			return nil, fmt.Errorf("%w: %s was made by %s but %s by %s", ErrBadShards, s.dir, m.ProgramVersion, first.dir, first.man.ProgramVersion)
		case m.ProgramVersion != ProgramVersion():
			return nil, fmt.Errorf("%w: %s was made by %s; this is %s", ErrBadShards, s.dir, m.ProgramVersion, ProgramVersion())
		case !SameCode(ManifestBuild(m), ManifestBuild(first.man)):
			return nil, fmt.Errorf("%w: %s was made by %s but %s by %s: shards of different program code",
				ErrBadShards, s.dir, ManifestBuild(m), first.dir, ManifestBuild(first.man))
		case !SameCode(ManifestBuild(m), buildOr(opt.Build)):
			return nil, fmt.Errorf("%w: %s was made by %s; this binary is %s: merge with a runsim built from that revision",
				ErrBadShards, s.dir, ManifestBuild(m), buildOr(opt.Build))
		}
		k, n := 1, 1
		if m.Shard != nil {
			k, n = m.Shard.Index, m.Shard.Count
		}
		if n != count {
			return nil, fmt.Errorf("%w: %s is shard %d of %d but %s is of a split into %d", ErrBadShards, s.dir, k, n, first.dir, count)
		}
		if prev, dup := byIndex[k]; dup {
			return nil, fmt.Errorf("%w: shard %d/%d is given twice: %s and %s", ErrBadShards, k, n, prev.dir, s.dir)
		}
		if m.Status != results.StatusComplete && m.Plan.Stopping == nil {
			return nil, fmt.Errorf("%w: shard %d/%d in %s is partial (%d of %d replications); finish it with runsim run -resume",
				ErrBadShards, k, n, s.dir, m.JobsDone, m.JobsTotal)
		}
		byIndex[k] = s
	}
	var missing []int
	for k := 1; k <= count; k++ {
		if _, ok := byIndex[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: shard(s) %v of %d missing", ErrBadShards, missing, count)
	}

	// The experiment as run, from the first shard, checked against its hash.
	expPath := filepath.Join(first.dir, results.ExperimentFile)
	e, err := Load(expPath, FileReader(ctx), sim)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadShards, expPath, err)
	}
	sim = e.simulator(sim)
	if e.Hash() != first.man.ExperimentHash {
		return nil, fmt.Errorf("%w: %s does not match the hash in its manifest (edited after the run?)", ErrBadShards, expPath)
	}
	plan := e.Plan(sim)
	h := results.StoreHeader{Months: plan.Months, Metrics: len(plan.Metrics), PlanHash: planHash(e, plan)}
	total := plan.Jobs()

	// Index every shard's store and check it holds exactly its jobs (with
	// a stopping rule, its jobs of the first prefix replications at least).
	prefix := plan.Replications
	readers := make(map[int]*results.RecordReader, count)
	defer func() {
		for _, r := range readers {
			r.Close()
		}
	}()
	for k := 1; k <= count; k++ {
		s := byIndex[k]
		spec := ShardSpec{Index: k, Count: count}
		want := spec.Jobs(total)
		ix, err := results.IndexStore(filepath.Join(s.dir, results.StoreFile), h)
		if err != nil {
			return nil, fmt.Errorf("%w: shard %d/%d in %s: %v", ErrBadShards, k, count, s.dir, err)
		}
		if plan.Stopping != nil {
			n, err := shardPrefix(plan, ix, want)
			if err != nil {
				return nil, fmt.Errorf("%w: shard %d/%d in %s: %v", ErrBadShards, k, count, s.dir, err)
			}
			prefix = min(prefix, n)
		}
		for _, j := range want {
			if !ix.Has(j) && plan.Stopping == nil {
				return nil, fmt.Errorf("%w: shard %d/%d in %s is partial: its replication store lacks replication %d of %d (damaged? rerun it with -resume)",
					ErrBadShards, k, count, s.dir, j, total)
			}
		}
		if ix.Len() != len(want) && plan.Stopping == nil {
			return nil, fmt.Errorf("%w: shard %d/%d in %s holds %d replications, want %d", ErrBadShards, k, count, s.dir, ix.Len(), len(want))
		}
		rr, err := ix.Open()
		if err != nil {
			return nil, err
		}
		readers[k] = rr
	}

	// A stopping rule is applied to the merged replications batch by
	// batch, as a whole run applies it: the merge keeps the replications
	// it needed.
	all := ShardSpec{}.Jobs(total)
	var stopped *results.Stopped
	var checks []results.StoppingCheck
	if plan.Stopping != nil {
		if stopped, checks, err = mergeStopping(ctx, plan, readers, count, prefix); err != nil {
			return nil, err
		}
		if opt.StopFile != "" {
			msg := fmt.Sprintf("the stopping rule of %s stopped at %d replications: the shards can stop\n", e.Name, stopped.Replications)
			if err := results.WriteFileAtomic(opt.StopFile, []byte(msg)); err != nil {
				return nil, fmt.Errorf("stop file: %w", err)
			}
		}
		var final results.Plan
		final, all, _ = stoppedPlan(plan, all, stopped)
		plan, total = final, len(all)
	}

	lock, err := openOutputDir(outDir, opt.Lock, opt.Note)
	if err != nil {
		return nil, err
	}
	defer func() {
		if uerr := lock.Unlock(); uerr != nil && err == nil {
			err = uerr
		}
	}()
	// The lock is held: check again that the output is no input (a link
	// may have been made meanwhile), then that it is ours to write.
	if err := notAnInput(outDir, shardDirs); err != nil {
		return nil, err
	}
	if err := mergeTarget(outDir, e, opt.Force); err != nil {
		return nil, err
	}
	if err := removeAll(outDir); err != nil {
		return nil, fmt.Errorf("output directory %s: %w", outDir, err)
	}
	starts := []string{}
	for _, s := range shards {
		starts = append(starts, s.man.StartTime)
	}
	sort.Strings(starts)
	man := results.Manifest{
		Experiment: e.Name, Description: e.Description, ExperimentHash: e.Hash(),
		ProgramVersion: ProgramVersion(), GoVersion: runtime.Version(), Seed: e.Seed, Plan: plan,
		Status: results.StatusPartial, JobsTotal: total, StartTime: starts[0], Stopped: stopped, StoppingChecks: checks,
	}
	setBuild(&man, buildOr(opt.Build))
	if err := e.writeWorld(outDir); err != nil {
		return nil, err
	}
	if err := results.WriteFileAtomic(filepath.Join(outDir, results.ExperimentFile), e.Canonical()); err != nil {
		return nil, err
	}
	if err := results.WriteManifest(outDir, man); err != nil {
		return nil, err
	}
	storePath := filepath.Join(outDir, results.StoreFile)
	w, err := results.CreateStore(storePath, h)
	if err != nil {
		return nil, err
	}
	values := make([]float64, plan.Months*len(plan.Metrics))
	for _, j := range plan.InPlanOrder(all) {
		if err = ctx.Err(); err != nil {
			break
		}
		if err = readers[j%count+1].Read(j, values); err != nil {
			break
		}
		if err = w.Append(j, values); err != nil {
			break
		}
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w while writing the merged replication store (merge again to finish it): %v", ErrInterrupted, err)
		}
		return nil, fmt.Errorf("merged replication store: %w", err)
	}
	man.JobsDone = total
	tables := func(ctx context.Context) error { return Finalize(ctx, outDir, e, plan, h, all) }
	if err := complete(ctx, outDir, &man, now, tables, finish, nil); err != nil {
		return nil, err
	}
	return &man, nil
}

// mergeTarget refuses (ErrResultsExist) an output directory that holds
// anything but an earlier merge (or whole-plan run) of experiment e, unless
// force.
func mergeTarget(dir string, e *Experiment, force bool) error {
	old, err := results.ReadManifest(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return checkNotForeign(dir, force)
	case force:
		return nil
	case err != nil:
		return &dirError{ErrResultsExist, fmt.Sprintf("%s has an unreadable manifest (%v); use another -o, or -force to replace what runsim wrote there", dir, err)}
	case old.ExperimentHash != e.Hash() || old.Seed != e.Seed || old.ProgramVersion != ProgramVersion() || old.Shard != nil:
		what := fmt.Sprintf("experiment %q (hash %.12s, status %s)", old.Experiment, old.ExperimentHash, old.Status)
		if old.Shard != nil {
			what = fmt.Sprintf("shard %d/%d of %s", old.Shard.Index, old.Shard.Count, what)
		}
		return &dirError{ErrResultsExist, fmt.Sprintf("%s already holds the results of %s, not a merge of these shards of %q (hash %.12s); use another -o, or -force to replace them",
			dir, what, e.Name, e.Hash())}
	}
	return nil // an earlier merge of the same shards: redone, to the same bytes
}

// notAnInput refuses (ErrOutputDir) an output directory that is one of the
// shard directories.
func notAnInput(outDir string, shardDirs []string) error {
	for _, d := range shardDirs {
		if sameDir(outDir, d) {
			return &dirError{ErrOutputDir, fmt.Sprintf("the output directory %s is the shard directory %s: the merge would overwrite its own input; choose a new directory for -o", outDir, d)}
		}
	}
	return nil
}

// ErrStopNotReached is returned (wrapped) by a merge of partial shards
// whose replications do not yet let the stopping rule stop.
var ErrStopNotReached = errors.New("the stopping rule has not stopped yet")

// shardPrefix returns the number of leading replications whose jobs of
// the shard (want) the store all holds, and an error if it holds a job of
// another shard.
func shardPrefix(plan results.Plan, ix *results.Index, want []int) (int, error) {
	mine := make(map[int]bool, len(want))
	for _, j := range want {
		mine[j] = true
	}
	for _, j := range ix.Jobs() {
		if !mine[j] {
			return 0, fmt.Errorf("its replication store holds job %d, which is another shard's", j)
		}
	}
	cells := len(plan.Arms) * len(plan.Points)
	for _, j := range want { // increasing: replication-major
		if !ix.Has(j) {
			return j / cells, nil
		}
	}
	return plan.Replications, nil
}

// mergeStopping applies the plan's stopping rule to the shards' records
// (job j is in shard j mod count + 1), batch by batch in plan order, over
// the first have replications (every shard holds them).
func mergeStopping(ctx context.Context, plan results.Plan, readers map[int]*results.RecordReader, count, have int) (*results.Stopped, []results.StoppingCheck, error) {
	st := newStopper(plan)
	cells := len(plan.Arms) * len(plan.Points)
	values := make([]float64, plan.Months*len(plan.Metrics))
	prev := 0
	for _, end := range st.batchEnds() {
		if end > have {
			return nil, nil, fmt.Errorf("%w: every shard holds the first %d of at most %d replications, and the rule does not stop within them (its next check is at %d); merge again when the shards have run further",
				ErrStopNotReached, have, plan.Replications, nextCheck(st, have))
		}
		for j := prev * cells; j < end*cells; j++ {
			if err := ctx.Err(); err != nil {
				return nil, nil, fmt.Errorf("%w while applying the stopping rule: %v", ErrInterrupted, err)
			}
			if err := readers[j%count+1].Read(j, values); err != nil {
				return nil, nil, fmt.Errorf("merged replication store: %w", err)
			}
			st.add(j, values)
		}
		prev = end
		if out, ok := st.decide(); ok {
			return &out, st.checks, nil
		}
	}
	out, _ := st.decide()
	return &out, st.checks, nil
}

// nextCheck returns the first checkpoint of st past n replications.
func nextCheck(st *stopper, n int) int {
	for _, c := range st.checkpoints() {
		if c > n {
			return c
		}
	}
	return st.rule.MaxReplications
}
