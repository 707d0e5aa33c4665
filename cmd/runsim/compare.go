package main

import (
	"context"
	"fmt"
	"math"
	"text/tabwriter"

	"frontiersim/results"
)

func runCompare(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "compare", "compare DIR\n\nPrints each policy arm against the baseline at the horizon: the mean paired difference (common random numbers) with its 95% t and bootstrap intervals, and the unpaired interval beside it.")
	metric := fs.String("metric", "", "show only this metric")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("compare takes one result directory")
	}
	d, err := results.ReadDir(pos[0])
	if err != nil {
		return err
	}
	if d.Manifest.Status != results.StatusComplete {
		return usagef("%s is %s (%d of %d replications): finish it with runsim run -resume", pos[0], d.Manifest.Status, d.Manifest.JobsDone, d.Manifest.JobsTotal)
	}
	units := map[string]string{}
	for _, m := range d.Manifest.Plan.Metrics {
		units[m.Name] = m.Unit
	}
	p := d.Manifest.Plan
	fmt.Fprintf(e.stdout, "%s: %s, %d replications per arm, horizon %s (month %d); differences are arm − baseline\n\n",
		pos[0], d.Manifest.Experiment, p.Replications, p.MonthLabel(p.Horizon()), p.Horizon())
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ARM\tPOINT\tMETRIC\tUNIT\tBASELINE\tARM\tDIFF\tPAIRED 95% CI\tBOOTSTRAP 95% CI\tUNPAIRED 95% CI\t")
	for _, r := range d.Comparison {
		if *metric != "" && r.Metric != *metric {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Arm, r.Point, r.Metric, units[r.Metric],
			num(r.BaselineMean), num(r.ArmMean), num(r.Diff), interval(r.PairedLo, r.PairedHi),
			interval(r.BootLo, r.BootHi), interval(r.UnpairedLo, r.UnpairedHi))
	}
	return tw.Flush()
}

func num(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.4g", x)
}

func interval(lo, hi float64) string { return "[" + num(lo) + ", " + num(hi) + "]" }
