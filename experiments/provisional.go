package experiments

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"frontiersim/engine"
	"frontiersim/results"
)

// ArmProgress is how many replications of one arm a run has finished.
type ArmProgress struct {
	Arm         string
	Done, Total int // over every sweep point (of the run's shard, if any)
}

// Provisional is the comparison of what a partial run (or one shard) has
// finished so far.
type Provisional struct {
	Rows []results.ComparisonRow // as in comparison.csv; N is the pairs finished
	Arms []ArmProgress           // in plan order
	Done int                     // replications finished in all
}

// Suggest returns the candidate closest to s (a likely misspelling), or "".
func Suggest(s string, candidates []string) string { return suggest(s, candidates) }

// CompareFinished computes the comparison of the result directory dir
// (described by its manifest m) from the replications its store holds,
// for a run that is partial or a shard: each policy arm against the
// baseline at the same sweep point, for every reported metric over every
// comparison window (the horizon, the compared months, the named windows),
// pairing replication r of the arm with replication r of the baseline
// where both are finished. When every replication is there, the
// rows are those of comparison.csv, bootstrap intervals included.
//
// The experiment comes from dir/experiment.toml and must match the
// manifest (hash and plan); an error wrapping results.ErrInconsistent says
// when it does not.
func CompareFinished(ctx context.Context, dir string, m results.Manifest, sim Simulator) (*Provisional, error) {
	path := filepath.Join(dir, results.ExperimentFile)
	e, err := Load(path, FileReader(ctx), sim)
	if err != nil {
		return nil, err
	}
	sim = e.simulator(sim)
	manPath := filepath.Join(dir, results.ManifestFile)
	if e.Hash() != m.ExperimentHash {
		return nil, fmt.Errorf("%s does not match the experiment hash in %s: %w", path, manPath, results.ErrInconsistent)
	}
	plan := e.Plan(sim)
	a, _ := json.Marshal(plan)
	b, _ := json.Marshal(m.Plan)
	if !bytes.Equal(a, b) {
		return nil, fmt.Errorf("the plan in %s is not the plan of %s: %w", manPath, path, results.ErrInconsistent)
	}
	h := results.StoreHeader{Months: plan.Months, Metrics: len(plan.Metrics), PlanHash: planHash(e, plan)}
	storePath := filepath.Join(dir, results.StoreFile)
	have := func(int) bool { return false }
	var rr *results.RecordReader
	ix, err := results.IndexStore(storePath, h)
	switch {
	case err == nil:
		have = ix.Has
		if rr, err = ix.Open(); err != nil {
			return nil, err
		}
		defer rr.Close()
	case errors.Is(err, os.ErrNotExist): // nothing finished yet
	case errors.Is(err, results.ErrStoreMismatch):
		return nil, fmt.Errorf("%v (made by %s; this is %s): %w", err, m.ProgramVersion, ProgramVersion(), results.ErrInconsistent)
	default:
		return nil, err
	}

	spec := ShardSpec{}
	if m.Shard != nil {
		spec = ShardSpec{Index: m.Shard.Index, Count: m.Shard.Count}
	}
	out := &Provisional{Arms: make([]ArmProgress, len(plan.Arms))}
	for i, arm := range plan.Arms {
		out.Arms[i].Arm = arm.Name
	}
	for _, j := range spec.Jobs(plan.Jobs()) {
		arm, _, _ := plan.Job(j)
		out.Arms[arm].Total++
		if have(j) {
			out.Arms[arm].Done++
			out.Done++
		}
	}

	reps := plan.Replications
	// paths reads the monthly path of every finished replication of one
	// arm at one point (nil where not finished).
	paths := func(arm, point int) ([][]float64, error) {
		rows := make([][]float64, reps)
		for r := 0; r < reps; r++ {
			j := plan.JobIndex(arm, point, r)
			if !have(j) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rows[r] = make([]float64, plan.Months*len(plan.Metrics))
			if err := rr.Read(j, rows[r]); err != nil {
				return nil, err
			}
		}
		return rows, nil
	}
	streams := engine.NewStreams(e.Seed, 0)
	for a := 1; a < len(plan.Arms); a++ {
		for p := range plan.Points {
			base, err := paths(0, p)
			if err != nil {
				return nil, err
			}
			arm, err := paths(a, p)
			if err != nil {
				return nil, err
			}
			out.Rows = append(out.Rows, comparisonRows(plan, streams, a, p, base, arm)...)
		}
	}
	return out, nil
}
