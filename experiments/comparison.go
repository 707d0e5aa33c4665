package experiments

import (
	"runtime"
	"sync"
	"sync/atomic"

	"frontiersim/engine"
	"frontiersim/results"
	"frontiersim/stats"
)

// comparisonRows returns the rows of comparison.csv for policy arm a
// against the baseline at sweep point p, in the table's order: for each
// window of plan.ComparisonWindows (the horizon, the compared months, the
// named windows), each reported metric. base and arm hold each
// replication's monthly path (months × metrics, month-major), nil for a
// replication not finished in that arm; replication r of the arm is paired
// with replication r of the baseline where both are finished.
//
// A replication's value over a window is the mean of its monthly values
// from the window's first month to its last, summed in month order (a
// window of one month is that month's value, bit for bit), so the mean
// paired difference is the difference of the window means, and its
// intervals are those of the per-replication differences. Each row draws
// its bootstrap resamples from a stream of its own, named by arm, point,
// metric and (but for the horizon's rows, whose streams are those of a
// horizon-only comparison) window. Rows are computed concurrently, on at
// most GOMAXPROCS goroutines; the result does not depend on their number.
func comparisonRows(plan results.Plan, streams engine.Streams, a, p int, base, arm [][]float64) []results.ComparisonRow {
	nm := len(plan.Metrics)
	metrics := plan.ReportedMetrics()
	windows := plan.ComparisonWindows()
	armSpec, pt := plan.Arms[a], plan.Points[p]
	var pairs []int // the replications finished in both arms
	for r := range base {
		if base[r] != nil && arm[r] != nil {
			pairs = append(pairs, r)
		}
	}
	defs := make([]bool, nm)
	for _, c := range metrics {
		defs[c] = plan.IsDefinitional(armSpec, plan.Metrics[c].Name)
	}
	rows := make([]results.ComparisonRow, len(windows)*len(metrics))
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(rows))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			xb, xa := make([]float64, len(pairs)), make([]float64, len(pairs))
			scratch := make([]float64, 2*len(pairs)+stats.BootstrapResamples)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(rows) {
					return
				}
				w, c := windows[i/len(metrics)], metrics[i%len(metrics)]
				for k, r := range pairs {
					xb[k], xa[k] = windowMean(base[r], w, nm, c), windowMean(arm[r], w, nm, c)
				}
				name := plan.Metrics[c].Name
				stream := "bootstrap/" + armSpec.Name + "/" + pt.Name + "/" + name
				if w.Name != results.HorizonWindow {
					stream += "/" + w.Name
				}
				s := stats.ComparePaired(xb, xa, streams.Stream(stream), scratch)
				rows[i] = results.ComparisonRow{Arm: armSpec.Name, Point: pt.Name, Metric: name,
					Window: w.Name, From: w.From, Month: w.To, N: s.N,
					BaselineMean: s.BaseMean, BaselineSD: s.BaseSD, ArmMean: s.ArmMean, Diff: s.Diff, DiffSD: s.DiffSD,
					PairedLo: s.PairedLo, PairedHi: s.PairedHi, BootLo: s.BootLo, BootHi: s.BootHi,
					UnpairedLo: s.UnpairedLo, UnpairedHi: s.UnpairedHi, PairingGain: s.PairingGain,
					Definitional: defs[c]}
			}
		}()
	}
	wg.Wait()
	return rows
}

// windowMean is the mean of metric column c over the months of w in one
// replication's path (months × nm), summed in month order.
func windowMean(path []float64, w results.Window, nm, c int) float64 {
	if w.From == w.To {
		return path[w.To*nm+c]
	}
	sum := 0.0
	for t := w.From; t <= w.To; t++ {
		sum += path[t*nm+c]
	}
	return sum / float64(w.To-w.From+1)
}
