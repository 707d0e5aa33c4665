package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"frontiersim/experiments"
	"frontiersim/results"
)

func runCompare(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "compare", "compare DIR\n\nPrints each policy arm against the baseline at the horizon: the mean paired difference (common random numbers) with its 95% t and bootstrap intervals, and the unpaired interval beside it. On a partial run (or one shard) it compares the replications finished so far, from the replication store, and says that the numbers are provisional.")
	metric := fs.String("metric", "", "show only this metric")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("compare takes one result directory")
	}
	dir := pos[0]
	m, err := results.ReadManifest(dir)
	if err != nil {
		return err
	}
	p := m.Plan
	if *metric != "" {
		if err := checkCompareMetric(p, *metric); err != nil {
			return err
		}
	}
	partial := m.Status != results.StatusComplete || m.Shard != nil && m.Shard.Count > 1
	var rows []results.ComparisonRow
	if partial {
		pr, err := experiments.CompareFinished(ctx, dir, m, e.simulator())
		if err != nil {
			return err
		}
		rows = pr.Rows
		what := fmt.Sprintf("a partial run (%d of %d replications finished)", pr.Done, m.JobsTotal)
		if m.Shard != nil && m.Shard.Count > 1 {
			what = fmt.Sprintf("shard %d/%d of a run (%d of its %d replications finished)", m.Shard.Index, m.Shard.Count, pr.Done, m.JobsTotal)
		}
		var counts []string
		for _, a := range pr.Arms {
			counts = append(counts, fmt.Sprintf("%s %d of %d", a.Arm, a.Done, a.Total))
		}
		fmt.Fprintf(e.stdout, "%s: %s, %s\n", dir, m.Experiment, what)
		fmt.Fprintf(e.stdout, "note: PROVISIONAL numbers, from the finished replications only (%s); each row pairs the replications finished in both arms (N).", strings.Join(counts, ", "))
		if m.Status != results.StatusComplete {
			fmt.Fprintf(e.stdout, " Finish the run with runsim run -o %s -resume.", dir)
		} else {
			fmt.Fprintf(e.stdout, " Merge the shards (runsim merge) for the whole plan.")
		}
		fmt.Fprintf(e.stdout, "\nhorizon %s (month %d); differences are arm − baseline\n\n", p.MonthLabel(p.Horizon()), p.Horizon())
	} else {
		d, err := results.ReadTables(dir, m)
		if err != nil {
			return err
		}
		rows = d.Comparison
		fmt.Fprintf(e.stdout, "%s: %s, %d replications per arm, horizon %s (month %d); differences are arm − baseline\n\n",
			dir, m.Experiment, p.Replications, p.MonthLabel(p.Horizon()), p.Horizon())
	}
	units := map[string]string{}
	for _, mt := range p.Metrics {
		units[mt.Name] = mt.Unit
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ARM\tPOINT\tMETRIC\tUNIT\tN\tBASELINE\tARM\tDIFF\tPAIRED 95% CI\tBOOTSTRAP 95% CI\tUNPAIRED 95% CI\t")
	for _, r := range rows {
		if *metric != "" && r.Metric != *metric {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Arm, r.Point, r.Metric, units[r.Metric], r.N,
			num(r.BaselineMean), num(r.ArmMean), num(r.Diff), interval(r.PairedLo, r.PairedHi),
			interval(r.BootLo, r.BootHi), interval(r.UnpairedLo, r.UnpairedHi))
	}
	return tw.Flush()
}

// checkCompareMetric refuses a -metric that the run does not record, or
// records but does not report (so the comparison has no rows for it).
func checkCompareMetric(p results.Plan, name string) error {
	var names []string
	for _, mt := range p.Metrics {
		names = append(names, mt.Name)
	}
	if !slices.Contains(names, name) {
		msg := fmt.Sprintf("-metric %q: this run records no such metric", name)
		if s := experiments.Suggest(name, names); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += "; its metrics are " + listNames(names)
		}
		return usagef("%s", msg)
	}
	if len(p.Report.Metrics) > 0 && !slices.Contains(p.Report.Metrics, name) {
		return usagef("-metric %q is recorded but not reported: the experiment's [report] metrics are %s, so the comparison has no rows for it; add it there and run again",
			name, listNames(p.Report.Metrics))
	}
	return nil
}

// listNames lists at most 12 names.
func listNames(names []string) string {
	if len(names) > 12 {
		return strings.Join(names[:12], ", ") + fmt.Sprintf(", ... (%d in all; runsim params -metrics describes them)", len(names))
	}
	return strings.Join(names, ", ")
}

func num(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.4g", x)
}

func interval(lo, hi float64) string { return "[" + num(lo) + ", " + num(hi) + "]" }
