package experiments

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// TestReplicate: the in-memory runner emits the jobs asked for, in their
// order, with the bits the replication store of a run holds, whatever the
// worker count.
func TestReplicate(t *testing.T) {
	e := loadString(t, toySweep)
	sim := toysim.Simulator{}
	plan := e.Plan(sim)
	dir := t.TempDir()
	run(t, e, dir, RunOptions{Workers: 2})
	h := results.StoreHeader{Months: plan.Months, Metrics: len(plan.Metrics), PlanHash: planHash(e, plan)}
	ix, err := results.IndexStore(filepath.Join(dir, results.StoreFile), h)
	if err != nil {
		t.Fatal(err)
	}
	rr, err := ix.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	stored := make([]float64, plan.Months*len(plan.Metrics))

	jobs := []int{plan.Jobs() - 1, 0, 5, 3, 4}
	for _, workers := range []int{0, 1, 3, 64} {
		var got []int
		err := Replicate(context.Background(), sim, e.Seed, plan, jobs, workers, func(job int, out []float64) error {
			got = append(got, job)
			if err := rr.Read(job, stored); err != nil {
				return err
			}
			for i := range out {
				if math.Float64bits(out[i]) != math.Float64bits(stored[i]) {
					t.Fatalf("workers %d, job %d: value %d is %v, the store holds %v", workers, job, i, out[i], stored[i])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, jobs) {
			t.Errorf("workers %d: emitted jobs %v, want %v", workers, got, jobs)
		}
	}
	if err := Replicate(context.Background(), sim, e.Seed, plan, nil, 2, func(int, []float64) error {
		t.Error("emit called without jobs")
		return nil
	}); err != nil {
		t.Errorf("no jobs: %v", err)
	}
	stop := errors.New("stop")
	n := 0
	err = Replicate(context.Background(), sim, e.Seed, plan, jobs, 2, func(int, []float64) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("emit error: Replicate returned %v after %d emits, want the error after 1", err, n)
	}
}
