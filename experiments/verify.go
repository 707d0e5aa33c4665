package experiments

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"frontiersim/engine"
	"frontiersim/results"
)

// ErrVerifyFailed is wrapped by the error Verify returns when a file or a
// re-run replication does not match what the result directory records.
var ErrVerifyFailed = errors.New("verification failed")

// ErrCannotVerify is wrapped by the error Verify returns when the directory
// cannot be verified by this binary: it is not a complete result directory,
// or it was made by another program version or revision (see SameCode).
var ErrCannotVerify = errors.New("cannot verify")

// DefaultVerifySample is the number of replications runsim verify re-runs
// by default.
const DefaultVerifySample = 5

// VerifyOptions control Verify.
type VerifyOptions struct {
	Sample  int // replications to re-run (0: none, only the checksums; more than the directory holds: all)
	Workers int // <= 0: DefaultWorkers
	// Binary is the build the manifest's is compared with; nil: this
	// binary's (CurrentBuild).
	Binary *Build
}

// VerifyReport says what Verify checked.
type VerifyReport struct {
	Files    []string // data files whose size and SHA-256 were checked against the manifest
	Jobs     []int    // the jobs re-run, in increasing order
	Total    int      // replications the directory holds
	Build    Build    // the build recorded in the manifest
	Problems []string // every mismatch found; empty when the directory verified
}

// SampleJobs returns k of jobs (k >= len(jobs): all of them) in increasing
// order: the first and the last, and the rest drawn without replacement
// from the stream "verify.sample" of seed, so the same directory always
// gives the same sample.
func SampleJobs(jobs []int, k int, seed uint64) []int {
	n := len(jobs)
	switch {
	case k <= 0 || n == 0:
		return nil
	case k >= n:
		return slices.Clone(jobs)
	case k == 1:
		return []int{jobs[0]}
	}
	// A partial Fisher-Yates shuffle of the inner positions 1..n-2.
	inner := make([]int, n-2)
	for i := range inner {
		inner[i] = i + 1
	}
	rng := engine.NewStreams(seed, 0).Stream("verify.sample")
	for i := 0; i < k-2; i++ {
		j := i + rng.IntN(len(inner)-i)
		inner[i], inner[j] = inner[j], inner[i]
	}
	out := []int{jobs[0], jobs[n-1]}
	for _, pos := range inner[:k-2] {
		out = append(out, jobs[pos])
	}
	slices.Sort(out)
	return out
}

// Verify checks a complete result directory: the size and SHA-256 of each
// data file against its manifest, the experiment file against the
// experiment hash, and a sample of opt.Sample replications re-run and
// compared bit for bit with their records in replications.bin. It returns
// an error wrapping ErrCannotVerify when the directory is not a complete
// result directory or comes from another program version or revision, and
// one wrapping ErrVerifyFailed, listing every mismatch, when anything
// differs.
func Verify(ctx context.Context, dir string, sim Simulator, opt VerifyOptions) (*VerifyReport, error) {
	man, err := results.ReadManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not a result directory: %v", ErrCannotVerify, dir, err)
	}
	rep := &VerifyReport{Build: ManifestBuild(man), Total: man.JobsTotal}
	binary := buildOr(opt.Binary)
	switch {
	case man.Status != results.StatusComplete:
		return rep, fmt.Errorf("%w: %s holds a partial run (%d of %d replications): finish it with runsim run -resume first",
			ErrCannotVerify, dir, man.JobsDone, man.JobsTotal)
	case man.ProgramVersion != ProgramVersion():
		return rep, fmt.Errorf("%w: %s was made by %s; this is %s: verify with the program that made it",
			ErrCannotVerify, dir, man.ProgramVersion, ProgramVersion())
	case !SameCode(rep.Build, binary):
		return rep, fmt.Errorf("%w: %s was made by %s; this binary is %s: results are byte-identical only for the same code, so verify with a runsim built from that revision",
			ErrCannotVerify, dir, rep.Build, binary)
	case len(man.Files) == 0:
		return rep, fmt.Errorf("%w: the manifest of %s records no checksums (written by an older runsim)", ErrCannotVerify, dir)
	}
	fileOK := checkDigests(ctx, dir, man, rep)

	// The experiment as run. If its file is intact, a failure to load it or
	// a different hash means this binary's model is not the one that ran it.
	expPath := filepath.Join(dir, results.ExperimentFile)
	e, err := Load(expPath, FileReader(ctx), sim)
	if err != nil {
		if !fileOK[results.ExperimentFile] {
			return rep, verifyFailed(dir, rep)
		}
		return rep, fmt.Errorf("%w: %s does not load with this binary's model (another version of the model?): %v", ErrCannotVerify, expPath, err)
	}
	sim = e.simulator(sim)
	if e.Hash() != man.ExperimentHash {
		if !fileOK[results.ExperimentFile] {
			return rep, verifyFailed(dir, rep)
		}
		return rep, fmt.Errorf("%w: %s loads to experiment hash %.12s, not the manifest's %.12s: this binary resolves the experiment differently (another program version?)",
			ErrCannotVerify, expPath, e.Hash(), man.ExperimentHash)
	}
	plan := e.Plan(sim)
	if plan.Stopping != nil {
		plan.Replications = man.Plan.Replications // those the stopping rule needed
	}
	spec := ShardSpec{}
	if man.Shard != nil {
		spec = ShardSpec{Index: man.Shard.Index, Count: man.Shard.Count}
	}
	jobs := spec.Jobs(plan.Jobs())
	rep.Total = len(jobs)
	h := results.StoreHeader{Months: plan.Months, Metrics: len(plan.Metrics), PlanHash: planHash(e, plan)}
	ix, err := results.IndexStore(filepath.Join(dir, results.StoreFile), h)
	if err != nil {
		if errors.Is(err, results.ErrStoreMismatch) && fileOK[results.StoreFile] {
			return rep, fmt.Errorf("%w: %s: the intact replication store belongs to another plan than this binary makes of %s (other metrics or another program version?)",
				ErrCannotVerify, dir, results.ExperimentFile)
		}
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %v", results.StoreFile, err))
		return rep, verifyFailed(dir, rep)
	}
	rep.Jobs = SampleJobs(jobs, opt.Sample, e.Seed)
	if err := rerun(ctx, e, sim, plan, ix, rep, opt.Workers); err != nil {
		return rep, err
	}
	if len(rep.Problems) > 0 {
		return rep, verifyFailed(dir, rep)
	}
	return rep, nil
}

func verifyFailed(dir string, rep *VerifyReport) error {
	return fmt.Errorf("%w: %s: %d problem(s):\n  %s", ErrVerifyFailed, dir, len(rep.Problems), strings.Join(rep.Problems, "\n  "))
}

// checkDigests compares the data files and experiment.toml with the
// manifest, adds a problem for each mismatch and returns which files matched.
func checkDigests(ctx context.Context, dir string, man results.Manifest, rep *VerifyReport) map[string]bool {
	ok := map[string]bool{}
	want := DigestFiles
	switch {
	case man.Shard != nil && man.Shard.Count > 1:
		want = []string{results.RunsFile, results.StoreFile} // a shard's statistics are computed after the merge
	case man.Plan.WritesParquet():
		want = append(slices.Clone(DigestFiles), results.ParquetFiles...)
	}
	listed := map[string]results.FileDigest{}
	for _, f := range man.Files {
		listed[f.Name] = f
	}
	if man.Shard == nil || man.Shard.Count <= 1 {
		// The analysis tables (sensitivity.csv, discovery_*.csv) are checked
		// when the manifest records them or the directory holds them: a
		// table the manifest records must be there, and one it holds must
		// be recorded.
		for _, name := range results.AnalysisFiles() {
			_, err := os.Stat(filepath.Join(dir, name))
			if _, ok := listed[name]; ok || err == nil {
				want = append(slices.Clone(want), name)
			}
		}
	}
	for _, f := range man.Files {
		if !slices.Contains(want, f.Name) {
			rep.Problems = append(rep.Problems, fmt.Sprintf("manifest.json: lists a checksum of %q, which is not a data file of this directory", f.Name))
		}
	}
	for _, name := range want {
		rep.Files = append(rep.Files, name)
		f, isListed := listed[name]
		got, err := DigestFile(ctx, filepath.Join(dir, name))
		switch {
		case !isListed:
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: the manifest records no checksum of it", name))
		case errors.Is(err, os.ErrNotExist):
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: missing", name))
		case err != nil:
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %v", name, err))
		case got.SHA256 != f.SHA256:
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: SHA-256 %.12s (%d bytes) differs from the manifest's %.12s (%d bytes): changed after the run",
				name, got.SHA256, got.Bytes, f.SHA256, f.Bytes))
		default:
			ok[name] = true
		}
	}
	got, err := DigestFile(ctx, filepath.Join(dir, results.ExperimentFile))
	switch {
	case err != nil:
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %v", results.ExperimentFile, err))
	case got.SHA256 != man.ExperimentHash:
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s: SHA-256 %.12s differs from the manifest's experiment_hash %.12s: changed after the run",
			results.ExperimentFile, got.SHA256, man.ExperimentHash))
	default:
		ok[results.ExperimentFile] = true
	}
	return ok
}

// rerun runs rep.Jobs again and compares each with its record, adding a
// problem for every replication that differs or has no valid record.
func rerun(ctx context.Context, e *Experiment, sim Simulator, plan results.Plan, ix *results.Index, rep *VerifyReport, workers int) error {
	if len(rep.Jobs) == 0 {
		return nil
	}
	if workers <= 0 {
		w, err := DefaultWorkers(os.Getenv)
		if err != nil {
			return err
		}
		workers = w
	}
	rr, err := ix.Open()
	if err != nil {
		return err
	}
	defer rr.Close()
	stored := make([]float64, plan.Months*len(plan.Metrics))
	err = Replicate(ctx, sim, e.Seed, plan, rep.Jobs, workers,
		func(job int, out []float64) error {
			if p := compareRecord(plan, rr, ix, job, out, stored); p != "" {
				rep.Problems = append(rep.Problems, p)
			}
			return nil
		})
	if err != nil {
		var c *engine.Canceled
		if errors.As(err, &c) || errors.Is(err, context.Canceled) {
			return fmt.Errorf("%w while re-running replications: %v", ErrInterrupted, err)
		}
		return fmt.Errorf("re-running replications: %w", err)
	}
	return nil
}

// compareRecord compares a re-run replication with its record and
// describes the difference ("" when they are the same bits).
func compareRecord(plan results.Plan, rr *results.RecordReader, ix *results.Index, job int, out, stored []float64) string {
	arm, point, r := plan.Job(job)
	what := fmt.Sprintf("arm %q, point %s, replication %d (job %d)", plan.Arms[arm].Name, plan.Points[point].Name, r, job)
	if !ix.Has(job) {
		return what + ": no valid record in " + results.StoreFile + " (damaged: its CRC does not match, or it is cut off)"
	}
	if err := rr.Read(job, stored); err != nil {
		return fmt.Sprintf("%s: %v", what, err)
	}
	nm := len(plan.Metrics)
	first, differ := -1, 0
	for i := range out {
		if math.Float64bits(out[i]) != math.Float64bits(stored[i]) {
			if first < 0 {
				first = i
			}
			differ++
		}
	}
	if differ == 0 {
		return ""
	}
	return fmt.Sprintf("%s: the re-run differs from its record in %s in %d of %d values, first at month %d, metric %s: recorded %s, re-run %s",
		what, results.StoreFile, differ, len(out), first/nm, plan.Metrics[first%nm].Name,
		results.FormatFloat(stored[first]), results.FormatFloat(out[first]))
}
