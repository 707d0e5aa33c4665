package experiments

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"frontiersim/discovery"
	"frontiersim/results"
)

// ErrNoCases is returned (wrapped) by Discover when no sweep point is a
// case of interest, or every point is: there is nothing to tell apart.
var ErrNoCases = errors.New("no case of interest to discover")

// DiscoverTarget is what scenario discovery looks for: the sweep points
// where the paired effect of policy arm Arm on Metric (arm − baseline,
// common random numbers, the mean over the point's replications of the
// metric's mean over Window) is below Threshold — where the policy
// backfires.
type DiscoverTarget struct {
	Arm, Metric string
	Threshold   float64
	Window      results.Window
}

// DiscoverOptions size PRIM and the CART tree; zero fields take defaults.
type DiscoverOptions struct {
	PRIM discovery.PRIMOptions
	Tree discovery.TreeOptions // MinLeaf default: max(1, points/20)
}

// Discovery is the result of Discover, as the rows of its tables.
type Discovery struct {
	Target     DiscoverTarget
	Parameters []string // the swept parameters, the dimensions of the boxes
	Points     []results.DiscoveryTargetRow
	Trajectory []results.DiscoveryStepRow
	Box        []results.DiscoveryBoxRow
	Leaves     []results.DiscoveryLeafRow
	Chosen     results.DiscoveryStepRow // the chosen box after pasting
}

// DiscoverableSweep reports whether a plan's sweep suits scenario
// discovery: a Latin hypercube ([sweep] kind = "lhs", or a [sensitivity]
// design of method "src"), which fills the parameter space evenly.
func DiscoverableSweep(plan results.Plan) bool {
	return plan.Sweep != nil && (plan.Sweep.Kind == "lhs" || plan.Sweep.Kind == "src") && len(plan.Points) > 1
}

// Discover runs PRIM (the peeling trajectory, the chosen box after
// pasting, its restricted dimensions) and a CART classification tree on
// the sweep points of the complete result directory d with the cases of
// interest of target, from the replication store.
func Discover(ctx context.Context, d *results.Dir, target DiscoverTarget, opt DiscoverOptions) (*Discovery, error) {
	plan := d.Manifest.Plan
	arm := -1
	for i, a := range plan.Arms {
		if i > 0 && a.Name == target.Arm {
			arm = i
		}
	}
	c := plan.MetricIndex(target.Metric)
	if arm < 0 || c < 0 {
		return nil, fmt.Errorf("discover: arm %q or metric %q is not in the plan", target.Arm, target.Metric)
	}
	outs, err := ReadPointOutputs(ctx, filepath.Join(d.Path, results.StoreFile), plan, target.Window, []int{c})
	if err != nil {
		return nil, err
	}
	effect := outs.Effect[arm-1][0]
	out := &Discovery{Target: target, Parameters: plan.Sweep.Parameters}
	x := make([][]float64, len(plan.Points))
	y := make([]bool, len(plan.Points))
	cases := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for p, pt := range plan.Points {
		x[p] = make([]float64, len(pt.Params))
		for j, pv := range pt.Params {
			x[p][j] = pv.Value
		}
		y[p] = effect[p] < target.Threshold
		if y[p] {
			cases++
		}
		lo, hi = math.Min(lo, effect[p]), math.Max(hi, effect[p])
		out.Points = append(out.Points, results.DiscoveryTargetRow{Point: pt.Name, Arm: target.Arm, Metric: target.Metric,
			Window: target.Window.Name, Threshold: target.Threshold, Effect: effect[p], Interest: y[p]})
	}
	if cases == 0 || cases == len(y) {
		which := "none"
		if cases > 0 {
			which = "every one"
		}
		return out, fmt.Errorf("%w: the effect of %s on %s (%s) is below %s at %s of the %d sweep points (it ranges from %s to %s); choose a threshold within that range",
			ErrNoCases, target.Arm, target.Metric, target.Window.Name, fmtNum(target.Threshold), which, len(y), fmtNum(lo), fmtNum(hi))
	}
	res, err := discovery.PRIM(x, y, opt.PRIM)
	if err != nil {
		return nil, err
	}
	for i, s := range res.Trajectory {
		out.Trajectory = append(out.Trajectory, results.DiscoveryStepRow{Stage: "peel", Step: i, N: s.N, Interest: s.Interest,
			Coverage: s.Coverage, Density: s.Density, Mass: s.Mass, Chosen: i == res.Chosen})
	}
	b := res.Box
	out.Chosen = results.DiscoveryStepRow{Stage: "pasted", Step: res.Chosen, N: b.N, Interest: b.Interest,
		Coverage: b.Coverage, Density: b.Density, Mass: b.Mass, Chosen: true}
	out.Trajectory = append(out.Trajectory, out.Chosen)
	restricted := map[int]discovery.Restriction{}
	for _, r := range res.Restricted {
		restricted[r.Dim] = r
	}
	for j, name := range out.Parameters {
		row := results.DiscoveryBoxRow{Parameter: name, Lo: b.Box.Lo[j], Hi: b.Box.Hi[j], RangeLo: res.Limits.Lo[j], RangeHi: res.Limits.Hi[j],
			CoverageWithout: math.NaN(), DensityWithout: math.NaN()}
		if r, ok := restricted[j]; ok {
			row.Restricted, row.CoverageWithout, row.DensityWithout = true, r.CoverageWithout, r.DensityWithout
		}
		out.Box = append(out.Box, row)
	}
	topt := opt.Tree
	if topt.MinLeaf == 0 {
		topt.MinLeaf = max(1, len(x)/20)
	}
	tree, err := discovery.Classification(x, y, topt)
	if err != nil {
		return nil, err
	}
	for i, l := range tree.Leaves(res.Limits) {
		n := tree.Nodes[l.Node]
		m := discovery.Measure(x, y, l.Box)
		out.Leaves = append(out.Leaves, results.DiscoveryLeafRow{Leaf: i + 1, Rule: leafRule(tree, l.Node, out.Parameters), N: n.N, Density: n.Mean, Coverage: m.Coverage})
	}
	return out, nil
}

// leafRule writes the path from the root to leaf as the interval of each
// feature it splits on, in the order of the first split on it:
// "1.46 < p <= 1.95 and q > 0.49" (thresholds to 4 significant digits).
func leafRule(t discovery.Tree, leaf int, names []string) string {
	parent := make(map[int]int, len(t.Nodes))
	for i, n := range t.Nodes {
		if !n.Leaf() {
			parent[n.Left], parent[n.Right] = i, i
		}
	}
	var path []int // the nodes from the root down, leaf excluded
	for i := leaf; i != 0; i = parent[i] {
		path = append([]int{parent[i]}, path...)
	}
	type bounds struct{ lo, hi float64 }
	var order []int
	b := map[int]*bounds{}
	for k, p := range path {
		n := t.Nodes[p]
		next := leaf
		if k+1 < len(path) {
			next = path[k+1]
		}
		if b[n.Feature] == nil {
			b[n.Feature] = &bounds{math.Inf(-1), math.Inf(1)}
			order = append(order, n.Feature)
		}
		if n.Right == next {
			b[n.Feature].lo = math.Max(b[n.Feature].lo, n.Threshold)
		} else {
			b[n.Feature].hi = math.Min(b[n.Feature].hi, n.Threshold)
		}
	}
	if len(order) == 0 {
		return "all points"
	}
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	conds := make([]string, len(order))
	for k, f := range order {
		switch lo, hi := b[f].lo, b[f].hi; {
		case math.IsInf(lo, -1):
			conds[k] = fmt.Sprintf("%s <= %s", names[f], g(hi))
		case math.IsInf(hi, 1):
			conds[k] = fmt.Sprintf("%s > %s", names[f], g(lo))
		default:
			conds[k] = fmt.Sprintf("%s < %s <= %s", g(lo), names[f], g(hi))
		}
	}
	return strings.Join(conds, " and ")
}

// WriteDiscovery writes the tables of a discovery into dir:
// discovery_target.csv, discovery_trajectory.csv, discovery_box.csv and
// discovery_tree.csv, each atomically, and records their checksums in the
// manifest (RecordDigests), which runsim verify checks.
func WriteDiscovery(ctx context.Context, dir string, disc *Discovery) error {
	steps := []func() error{
		func() error {
			return results.WriteRows(filepath.Join(dir, results.DiscoveryTargetFile), results.DiscoveryTargetTable(), disc.Points)
		},
		func() error {
			return results.WriteRows(filepath.Join(dir, results.DiscoveryTrajectoryFile), results.DiscoveryTrajectoryTable(), disc.Trajectory)
		},
		func() error {
			return results.WriteRows(filepath.Join(dir, results.DiscoveryBoxFile), results.DiscoveryBoxTable(), disc.Box)
		},
		func() error {
			return results.WriteRows(filepath.Join(dir, results.DiscoveryTreeFile), results.DiscoveryTreeTable(), disc.Leaves)
		},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s(); err != nil {
			return err
		}
	}
	return RecordDigests(ctx, dir, results.DiscoveryTargetFile, results.DiscoveryTrajectoryFile, results.DiscoveryBoxFile, results.DiscoveryTreeFile)
}
