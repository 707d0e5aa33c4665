package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"slices"
	"strconv"

	"frontiersim/discovery"
	"frontiersim/experiments"
	"frontiersim/results"
)

const discoverSynopsis = `discover DIR -arm ARM -metric METRIC -threshold T [-month M | -window NAME] [-min-density D] [-alpha A] [-min-mass B] [-depth K] [-min-leaf L]

Scenario discovery on the finished Latin-hypercube sweep in DIR ([sweep]
kind = "lhs", or a [sensitivity] design of method "src"): where does the
policy backfire? A sweep point is a case of interest when the paired effect
of policy arm ARM on METRIC (arm − baseline, common random numbers; the mean
over the point's replications of the metric's mean over the window, the
horizon by default) is below T. PRIM peels the swept parameters' box down
the trajectory of rising density and falling coverage, chooses a box (the
best F1 score of coverage and density, or with -min-density the box of
highest coverage at least that dense), pastes it and names the dimensions
it restricts; a CART classification tree is the second view. Writes
discovery_target.csv, discovery_trajectory.csv, discovery_box.csv and
discovery_tree.csv, the charts charts/prim_*, charts/cart_* and the
report's discovery section (report.html is rewritten; none of them if the
experiment disables charts); running it again with another target replaces
them.`

func runDiscover(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "discover", discoverSynopsis)
	arm := fs.String("arm", "", "the policy arm whose paired effect is the target (required)")
	metric := fs.String("metric", "", "the metric the effect is on (required)")
	threshold := fs.String("threshold", "", "a point is a case of interest when the effect is below `T` (required)")
	month := fs.Int("month", -1, "the effect at month `M` (a month index) instead of the horizon")
	window := fs.String("window", "", "the effect over this window: horizon, m<M>, a name of [report] windows or a lever start's from<M>")
	minDensity := fs.Float64("min-density", 0, "choose the box of highest coverage with at least this density (0: the best F1 score)")
	alpha := fs.Float64("alpha", 0, "share of the box's points one peel removes (0: 0.05)")
	minMass := fs.Float64("min-mass", 0, "PRIM stops before a box holds fewer than this share of the points (0: 0.05)")
	depth := fs.Int("depth", 0, "depth of the CART tree (0: 3)")
	minLeaf := fs.Int("min-leaf", 0, "fewest points of a CART leaf (0: 1 in 20 of the points, at least 1)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("discover takes one result directory")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case *arm == "":
		return usagef("-arm: missing: name the policy arm whose effect is the target")
	case *metric == "":
		return usagef("-metric: missing: name the metric the effect is on")
	case *threshold == "":
		return usagef("-threshold: missing: a point is a case of interest when the effect is below it")
	case set["month"] && *window != "":
		return usagef("give -month or -window, not both")
	}
	t, err := strconv.ParseFloat(*threshold, 64)
	if err != nil || math.IsNaN(t) || math.IsInf(t, 0) {
		return usagef("-threshold %q: want a finite number", *threshold)
	}
	if *depth < 0 || *minLeaf < 0 {
		return usagef("-depth %d, -min-leaf %d: want 0 (the default) or more", *depth, *minLeaf)
	}
	opt := experiments.DiscoverOptions{
		PRIM: discovery.PRIMOptions{Alpha: *alpha, MinMass: *minMass, MinDensity: *minDensity},
		Tree: discovery.TreeOptions{MaxDepth: *depth, MinLeaf: *minLeaf},
	}
	if !(*alpha >= 0 && *alpha < 0.5) || !(*minMass >= 0 && *minMass < 1) || !(*minDensity >= 0 && *minDensity <= 1) {
		return usagef("-alpha %v, -min-mass %v, -min-density %v: want 0 <= alpha < 0.5, 0 <= min-mass < 1, 0 <= min-density <= 1", *alpha, *minMass, *minDensity)
	}
	if m, err := results.ReadManifest(pos[0]); err == nil && m.Shard != nil && m.Shard.Count > 1 {
		return usagef("%s is shard %d of %d: merge the shards (runsim merge) and discover on the merged directory", pos[0], m.Shard.Index, m.Shard.Count)
	}
	return withCompleteDir(e, "discover", pos, func(d *results.Dir) error {
		p := d.Manifest.Plan
		if !experiments.DiscoverableSweep(p) {
			kind := "no sweep"
			if p.Sweep != nil {
				kind = fmt.Sprintf("a %q sweep", p.Sweep.Kind)
			}
			return usagef("%s has %s: scenario discovery needs a Latin-hypercube sweep ([sweep] kind = \"lhs\", points = N, and min and max for each parameter)", d.Path, kind)
		}
		var arms []string
		for _, a := range p.Arms[1:] {
			arms = append(arms, a.Name)
		}
		if !slices.Contains(arms, *arm) {
			return usagef("-arm %q: not a policy arm of %s; its policy arms are %s", *arm, d.Path, listNames(arms))
		}
		if p.MetricIndex(*metric) < 0 {
			return checkCompareMetric(p, *metric)
		}
		name := results.HorizonWindow
		switch {
		case set["month"]:
			name = results.MonthWindow(*month)
		case *window != "":
			name = *window
		}
		w, ok := experiments.FindWindow(p, name)
		if !ok {
			return usagef("-month/-window %q: not a month of the horizon (0 to %d) or a window of the experiment", name, p.Horizon())
		}
		target := experiments.DiscoverTarget{Arm: *arm, Metric: *metric, Threshold: t, Window: w}
		disc, err := experiments.Discover(ctx, d, target, opt)
		if err != nil {
			return err
		}
		if err := experiments.WriteDiscovery(ctx, d.Path, disc); err != nil {
			return err
		}
		if !p.Charts.Disable {
			charts, err := drawCharts(ctx, d)
			if err != nil {
				return err
			}
			if err := writeReport(d, charts); err != nil {
				return err
			}
		}
		c := disc.Chosen
		fmt.Fprintf(e.stdout, "%d of %d points have the effect of %s on %s (%s) below %s.\n", countCases(disc), len(disc.Points), *arm, *metric, w.Name, fmtNum(t))
		fmt.Fprintf(e.stdout, "PRIM box (step %d of %d, pasted): coverage %.3f, density %.3f, mass %.3f, %d points\n", c.Step, len(disc.Trajectory)-2, c.Coverage, c.Density, c.Mass, c.N)
		for _, b := range disc.Box {
			if b.Restricted {
				fmt.Fprintf(e.stdout, "  %s in [%s, %s] (range [%s, %s]; without it coverage %.3f, density %.3f)\n", b.Parameter, fmtNum(b.Lo), fmtNum(b.Hi), fmtNum(b.RangeLo), fmtNum(b.RangeHi), b.CoverageWithout, b.DensityWithout)
			}
		}
		fmt.Fprintf(e.stdout, "CART leaves:\n")
		for _, l := range disc.Leaves {
			fmt.Fprintf(e.stdout, "  %s: %d points, density %.3f, coverage %.3f\n", l.Rule, l.N, l.Density, l.Coverage)
		}
		return nil
	})
}

func countCases(d *experiments.Discovery) int {
	n := 0
	for _, p := range d.Points {
		if p.Interest {
			n++
		}
	}
	return n
}
