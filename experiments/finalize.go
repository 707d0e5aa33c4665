package experiments

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"frontiersim/engine"
	"frontiersim/results"
	"frontiersim/stats"
)

// Finalize writes the result tables of dir from its replication store:
// the store rewritten in plan order, runs.csv, and — when jobs is the whole
// plan — timeseries.csv and comparison.csv. Statistics are computed from
// the per-replication records one arm × point group at a time, so memory
// is bounded by one group whatever the plan's size. The bytes depend only
// on the records, never on the order in which they were finished. It stops
// with ctx's error, between replications or groups, once ctx is done.
// jobs may come in any order: the store and runs.csv are written in plan
// order (see results.Plan.Position), and a record of a job not in jobs is
// dropped from the store.
func Finalize(ctx context.Context, dir string, e *Experiment, plan results.Plan, h results.StoreHeader, jobs []int) error {
	jobs = plan.InPlanOrder(jobs)
	storePath := filepath.Join(dir, results.StoreFile)
	ix, err := results.IndexStore(storePath, h)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if !ix.Has(j) {
			return fmt.Errorf("replication store %s lacks job %d", storePath, j)
		}
	}
	// Rewrite the store in plan order unless it already is (as merge and
	// a resumed, already finished run leave it).
	canonical, err := ix.Canonical(jobs)
	if err != nil {
		return err
	}
	if !canonical {
		if err := rewriteStore(ctx, storePath, ix, h, jobs); err != nil {
			return err
		}
		if ix, err = results.IndexStore(storePath, h); err != nil {
			return err
		}
	}
	rr, err := ix.Open()
	if err != nil {
		return err
	}
	defer rr.Close()
	whole := len(jobs) == plan.Jobs()
	if err := writeRuns(ctx, dir, plan, rr, jobs, whole && plan.WritesParquet()); err != nil {
		return err
	}
	if !whole {
		return nil // a shard: statistics (and Parquet files) are written after the merge
	}
	if err := writeSeries(ctx, dir, plan, rr); err != nil {
		return err
	}
	if err := writeComparison(ctx, dir, e, plan, rr); err != nil {
		return err
	}
	if plan.WritesParquet() {
		if err := writePaths(ctx, dir, plan, rr, jobs); err != nil {
			return err
		}
	}
	return writeSensitivity(ctx, dir, e, plan, rr)
}

// rewriteStore writes the records of jobs, in their order (plan order), to
// a new store and renames it over path.
func rewriteStore(ctx context.Context, path string, ix *results.Index, h results.StoreHeader, jobs []int) error {
	tmp := path + ".tmp"
	w, err := results.CreateStore(tmp, h)
	if err != nil {
		return err
	}
	rr, err := ix.Open()
	if err != nil {
		w.Close()
		os.Remove(tmp)
		return err
	}
	defer rr.Close()
	values := make([]float64, h.Months*h.Metrics)
	for _, j := range jobs {
		if err = ctx.Err(); err != nil {
			break
		}
		if err = rr.Read(j, values); err != nil {
			break
		}
		if err = w.Append(j, values); err != nil {
			break
		}
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("rewrite %s: %w", path, err)
	}
	return nil
}

func writeRuns(ctx context.Context, dir string, plan results.Plan, rr *results.RecordReader, jobs []int, parquet bool) error {
	t, err := createTable(dir, plan.RunsTable(), parquet)
	if err != nil {
		return err
	}
	nm := len(plan.Metrics)
	values := make([]float64, plan.Months*nm)
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			t.Abort()
			return err
		}
		if err := rr.Read(j, values); err != nil {
			t.Abort()
			return err
		}
		a, p, r := plan.Job(j)
		if err := t.Write(results.Run{Arm: plan.Arms[a].Name, Point: plan.Points[p].Name, Replication: r,
			Values: values[plan.Horizon()*nm:]}); err != nil {
			t.Abort()
			return err
		}
	}
	return t.Close()
}

// loadGroup reads every replication of one arm at one point into buf
// (replication-major: rep × months × metrics).
func loadGroup(ctx context.Context, plan results.Plan, rr *results.RecordReader, arm, point int, buf []float64) error {
	size := plan.Months * len(plan.Metrics)
	for r := 0; r < plan.Replications; r++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := rr.Read(plan.JobIndex(arm, point, r), buf[r*size:(r+1)*size]); err != nil {
			return err
		}
	}
	return nil
}

func writeSeries(ctx context.Context, dir string, plan results.Plan, rr *results.RecordReader) error {
	t, err := createTable(dir, plan.SeriesTable(), plan.WritesParquet())
	if err != nil {
		return err
	}
	nm := len(plan.Metrics)
	size := plan.Months * nm
	reps := plan.Replications
	group := make([]float64, reps*size)
	x := make([]float64, reps)
	scratch := make([]float64, reps)
	metrics := plan.ReportedMetrics()
	months := plan.ReportedMonths()
	for a, arm := range plan.Arms {
		for p, pt := range plan.Points {
			if err := loadGroup(ctx, plan, rr, a, p, group); err != nil {
				t.Abort()
				return err
			}
			for _, m := range months {
				date := plan.MonthLabel(m)
				for _, c := range metrics {
					for r := 0; r < reps; r++ {
						x[r] = group[r*size+m*nm+c]
					}
					s := stats.Summarize(x, scratch)
					if err := t.Write(results.SeriesRow{Arm: arm.Name, Point: pt.Name, Month: m, Date: date,
						Metric: plan.Metrics[c].Name, N: s.N, Mean: s.Mean, SD: s.SD, SE: s.SE, CILo: s.CILo, CIHi: s.CIHi,
						Median: s.Median, P05: s.P05, P25: s.P25, P75: s.P75, P95: s.P95}); err != nil {
						t.Abort()
						return err
					}
				}
			}
		}
	}
	return t.Close()
}

func writeComparison(ctx context.Context, dir string, e *Experiment, plan results.Plan, rr *results.RecordReader) error {
	t, err := createTable(dir, plan.ComparisonTable(), plan.WritesParquet())
	if err != nil {
		return err
	}
	size := plan.Months * len(plan.Metrics)
	reps := plan.Replications
	// group holds one arm's replications at one point; paths views it
	// replication by replication.
	load := func(a, p int, group []float64, paths [][]float64) error {
		if err := loadGroup(ctx, plan, rr, a, p, group); err != nil {
			return err
		}
		for r := range paths {
			paths[r] = group[r*size : (r+1)*size]
		}
		return nil
	}
	baseGroup, armGroup := make([]float64, reps*size), make([]float64, reps*size)
	base, arm := make([][]float64, reps), make([][]float64, reps)
	streams := engine.NewStreams(e.Seed, 0)
	for a := 1; a < len(plan.Arms); a++ {
		for p := range plan.Points {
			if err := load(0, p, baseGroup, base); err != nil {
				t.Abort()
				return err
			}
			if err := load(a, p, armGroup, arm); err != nil {
				t.Abort()
				return err
			}
			for _, row := range comparisonRows(plan, streams, a, p, base, arm) {
				if err := t.Write(row); err != nil {
					t.Abort()
					return err
				}
			}
		}
	}
	return t.Close()
}
