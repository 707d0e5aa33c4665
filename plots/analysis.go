package plots

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"frontiersim/results"
)

// sensGroup is the rows of sensitivity.csv of one output: the level of a
// metric in the baseline or the effect of one policy arm on it.
type sensGroup struct {
	Method, Output, Arm, Window string
	ArmIndex                    int
	Metric                      results.Metric
	Rows                        []results.SensitivityRow
}

// what names the output in a title.
func (g sensGroup) what() string {
	if g.Output == "effect" {
		return "effect of " + g.Arm + " on " + g.Metric.Name
	}
	return "level of " + g.Metric.Name
}

// file is the chart name of the output: METHOD_baseline_METRIC for a level
// (no policy arm is named baseline), METHOD_ARM_METRIC for an effect.
func (g sensGroup) file() string {
	return g.Method + "_" + fileSafe(g.Arm) + "_" + fileSafe(g.Metric.Name)
}

// groupSensitivity splits the rows of sensitivity.csv into outputs, in file order.
func groupSensitivity(plan results.Plan, rows []results.SensitivityRow) []sensGroup {
	var out []sensGroup
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].Output == rows[i].Output && rows[j].Arm == rows[i].Arm && rows[j].Metric == rows[i].Metric {
			j++
		}
		r := rows[i]
		g := sensGroup{Method: r.Method, Output: r.Output, Arm: r.Arm, Window: r.Window, Rows: rows[i:j], Metric: results.Metric{Name: r.Metric}}
		if c := plan.MetricIndex(r.Metric); c >= 0 {
			g.Metric = plan.Metrics[c]
		}
		for a, arm := range plan.Arms {
			if arm.Name == r.Arm {
				g.ArmIndex = a
			}
		}
		out = append(out, g)
		i = j
	}
	return out
}

// analysis is what a result directory holds of the sensitivity and
// scenario-discovery analyses.
type analysis struct {
	sens []sensGroup
	disc *discoveryData
}

// readAnalysis reads the analysis tables of d that exist.
func readAnalysis(d *results.Dir) (analysis, error) {
	var a analysis
	plan := d.Manifest.Plan
	if plan.Sweep != nil {
		rows, err := results.ReadRows(filepath.Join(d.Path, results.SensitivityFile), results.SensitivityTable(plan.Sweep.Kind))
		switch {
		case err == nil:
			a.sens = groupSensitivity(plan, rows)
		case !errors.Is(err, os.ErrNotExist):
			return a, err
		}
	}
	disc, err := readDiscovery(d)
	if err != nil {
		return a, err
	}
	a.disc = disc
	return a, nil
}

// jobs returns the chart jobs of the analyses.
func (a analysis) jobs() []job {
	var js []job
	for _, g := range a.sens {
		var draw func(string) ([]byte, bool, error)
		var caption string
		switch g.Method {
		case "sobol":
			draw = func(f string) ([]byte, bool, error) { return sobolChart(g, f) }
			caption = "Sobol indices of the " + g.what() + ": first order (the share of the variance over the design the parameter explains alone) and total (alone and with the others), with 95% bootstrap intervals."
		case "morris":
			draw = func(f string) ([]byte, bool, error) { return morrisChart(g, f) }
			caption = "Morris screening of the " + g.what() + ": μ* (the mean absolute elementary effect) ranks the parameters; a σ comparable to μ* marks a nonlinear or interacting one."
		case "oat":
			draw = func(f string) ([]byte, bool, error) { return oatChart(g, f) }
			caption = "One at a time, the " + g.what() + " with each parameter at the low and the high end of its range, the others at the centre."
		case "src":
			draw = func(f string) ([]byte, bool, error) { return srcChart(g, f) }
			caption = "Standardized regression coefficients of the " + g.what() + " on a Latin hypercube; their squares are the variance shares when R² is high."
		default:
			continue
		}
		js = append(js, job{name: g.file(), caption: caption, draw: draw})
	}
	if d := a.disc; d != nil {
		js = append(js,
			job{name: "prim_tradeoff", caption: "PRIM's peeling trajectory: each box's coverage (the share of the cases of interest it holds) against its density (the share of its points that are cases); the chosen box before and after pasting is marked.", draw: d.tradeoffChart},
			job{name: "prim_box", caption: "The chosen PRIM box within each swept parameter's range; the dimensions it restricts are drawn in colour.", draw: d.boxChart},
		)
		if len(d.params) >= 2 {
			js = append(js, job{name: "prim_map", caption: "The sweep points over two swept parameters (those whose restriction matters most to the PRIM box, else the first two), cases of interest in colour, with the chosen box.", draw: d.mapChart})
		}
	}
	return js
}

// DrawAnalysisContext draws the charts of the sensitivity and
// scenario-discovery tables d holds (sensitivity.csv, discovery_*.csv)
// into outDir, like DrawAllContext, and returns them; none if d holds
// neither.
func DrawAnalysisContext(ctx context.Context, d *results.Dir, outDir string) ([]Chart, error) {
	a, err := readAnalysis(d)
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	js := a.jobs()
	if len(js) == 0 {
		return nil, nil
	}
	format, err := chartFormat(d.Manifest.Plan)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o777); err != nil {
		return nil, err
	}
	return writeCharts(ctx, js, format, outDir)
}

// hbar adds a horizontal bar from x0 to x1 at height y, w thick.
func hbar(p *plot.Plot, x0, x1, y float64, w vg.Length, c plotColor) error {
	if !finite(x0) || !finite(x1) {
		return nil
	}
	l, err := plotter.NewLine(plotter.XYs{{X: x0, Y: y}, {X: x1, Y: y}})
	if err != nil {
		return err
	}
	l.Color = c
	l.Width = w
	p.Add(l)
	return nil
}

// vline adds a dashed vertical line at x from y0 to y1.
func vline(p *plot.Plot, x, y0, y1 float64) error {
	l, err := plotter.NewLine(plotter.XYs{{X: x, Y: y0}, {X: x, Y: y1}})
	if err != nil {
		return err
	}
	l.Color = zeroGrey
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(l)
	return nil
}

// span returns the range of lo, hi and the finite values of xs.
func span(lo, hi float64, xs ...float64) (float64, float64) {
	for _, x := range xs {
		if finite(x) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	return lo, hi
}

// sortedRows returns rows ordered by key (of the row's index in rows),
// largest absolute value first, NaN last; ties keep the file's order.
func sortedRows(rows []results.SensitivityRow, key func(i int) float64) []results.SensitivityRow {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	mag := func(i int) float64 {
		v := key(i)
		if math.IsNaN(v) {
			return -1
		}
		return math.Abs(v)
	}
	sort.SliceStable(idx, func(a, b int) bool { return mag(idx[a]) > mag(idx[b]) })
	out := make([]results.SensitivityRow, len(rows))
	for k, i := range idx {
		out[k] = rows[i]
	}
	return out
}
