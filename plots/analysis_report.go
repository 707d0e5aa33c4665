package plots

import (
	"fmt"
	"strings"

	"frontiersim/results"
)

// analysisSection is a section of the report on an analysis of the result
// directory: the sensitivity indices or the scenario discovery.
type analysisSection struct {
	ID, Title, Note string
	Blocks          []analysisBlock
}

// analysisBlock is a table of a section and the chart that goes with it.
type analysisBlock struct {
	Title, Note string
	Head        []string
	Rows        [][]string
	Chart       *chartView
}

// isAnalysisChart reports whether a chart belongs to an analysis section.
func isAnalysisChart(name string) bool {
	for _, p := range []string{"sobol_", "morris_", "oat_", "src_", "prim_", "cart_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// methodText describes a sensitivity method for the report.
var methodText = map[string]string{
	"sobol":  "Sobol indices on a Saltelli design (A and B from a Sobol sequence with the Joe–Kuo direction numbers): first order S1 (Saltelli 2010), the share of the output's variance over the design that the parameter explains alone, and total order ST (Jansen 1999), its share alone and with the others; 95% bootstrap percentile intervals over the base points. ST − S1 is the share of its interactions; small negative values are sampling noise.",
	"morris": "Morris's elementary effects on one-at-a-time trajectories (on each parameter's range: the change of the output per change of the parameter over its whole range, a whole-number parameter's by the whole-number step it took): μ* (Campolongo et al. 2007), the mean absolute effect, ranks the parameters; μ lets effects of opposite signs cancel; a σ comparable to μ* marks a nonlinear or interacting parameter.",
	"oat":    "One at a time: the output at the design's centre (every parameter at the experiment's value) and with each parameter at the low and at the high end of its range, the others at the centre. A swing says nothing of interactions.",
	"src":    "Standardized regression coefficients on a Latin hypercube: the OLS slope of the output on each parameter, scaled by their standard deviations. With independent inputs SRC² is the parameter's share of the variance when R² is high; a low R² says the output is driven by what a linear model misses.",
}

// sensitivitySection is the report's section on sensitivity.csv.
func sensitivitySection(plan results.Plan, groups []sensGroup, charts map[string]chartView) *analysisSection {
	if len(groups) == 0 {
		return nil
	}
	method := groups[0].Method
	s := &analysisSection{ID: "sensitivity", Title: "Global sensitivity (" + method + ")",
		Note: fmt.Sprintf("The outputs are, at every point of the design (the experiment's %d sweep points), the level of each metric in %s and the paired effect of each policy arm on it (arm − %s, common random numbers), each the mean over the point's %d replications of the metric's mean over the window. %s sensitivity.csv holds every row.",
			len(plan.Points), plan.Arms[0].Name, plan.Arms[0].Name, plan.Replications, methodText[method])}
	for _, g := range groups {
		b := analysisBlock{Title: capitalize(g.what()) + " (" + g.Window + ")",
			Note: fmt.Sprintf("Over the design: mean %s, SD %s%s.", fmtValue(g.Rows[0].Mean), fmtValue(g.Rows[0].SD), unitSuffix(g.Metric))}
		switch method {
		case "sobol":
			b.Head = []string{"parameter", "first order S1", "95% CI", "total order ST", "95% CI"}
			for _, r := range sortedRows(g.Rows, func(i int) float64 { return g.Rows[i].Total }) {
				b.Rows = append(b.Rows, []string{r.Parameter, fmtValue(r.First), analysisInterval(r.FirstLo, r.FirstHi), fmtValue(r.Total), analysisInterval(r.TotalLo, r.TotalHi)})
			}
		case "morris":
			b.Head = []string{"parameter", "μ*", "μ", "σ"}
			for _, r := range sortedRows(g.Rows, func(i int) float64 { return g.Rows[i].MuStar }) {
				b.Rows = append(b.Rows, []string{r.Parameter, fmtValue(r.MuStar), fmtValue(r.Mu), fmtValue(r.Sigma)})
			}
		case "oat":
			b.Head = []string{"parameter", "at its min", "at the centre", "at its max", "swing"}
			for _, r := range sortedRows(g.Rows, func(i int) float64 { return g.Rows[i].Swing }) {
				b.Rows = append(b.Rows, []string{r.Parameter, fmtValue(r.Low), fmtValue(r.Center), fmtValue(r.High), fmtValue(r.Swing)})
			}
		case "src":
			b.Head = []string{"parameter", "SRC", "SRC²"}
			for _, r := range sortedRows(g.Rows, func(i int) float64 { return g.Rows[i].SRC }) {
				b.Rows = append(b.Rows, []string{r.Parameter, fmtValue(r.SRC), fmtValue(r.SRC * r.SRC)})
			}
			b.Note += " R² = " + fmtValue(g.Rows[0].R2) + "."
		}
		if c, ok := charts[g.file()]; ok {
			b.Chart = &c
		}
		s.Blocks = append(s.Blocks, b)
	}
	return s
}

func unitSuffix(m results.Metric) string {
	if m.Unit == "" {
		return ""
	}
	return " (" + m.Unit + ")"
}

// discoverySection is the report's section on the discovery tables.
func discoverySection(x *discoveryData, charts map[string]chartView) *analysisSection {
	if x == nil {
		return nil
	}
	t := x.target[0]
	cases := 0
	for _, r := range x.target {
		if r.Interest {
			cases++
		}
	}
	peel, pasted := x.chosen()
	s := &analysisSection{ID: "discovery", Title: "Scenario discovery: where does " + t.Arm + " backfire?",
		Note: fmt.Sprintf("A sweep point is a case of interest when the paired effect of %s on %s (%s) is below %s: %d of the %d points are. PRIM (Friedman and Fisher 1999) peels the box of the swept parameters, each step removing the few points whose removal leaves the densest box; the chosen box (step %d of the trajectory, then pasted) holds %d points: coverage %s (the share of all cases it holds), density %s (the share of its points that are cases), mass %s. A CART classification tree is a second view. The discovery_*.csv tables hold every row; runsim discover wrote them.",
			t.Arm, t.Metric, t.Window, fmtValue(t.Threshold), cases, len(x.target), peel.Step, pasted.N, fmtValue(pasted.Coverage), fmtValue(pasted.Density), fmtValue(pasted.Mass))}
	box := analysisBlock{Title: "The chosen box", Note: "Restricted: the dimensions the box limits; dropping a restriction gives the coverage and density shown (a restriction whose removal barely lowers the density does little).",
		Head: []string{"parameter", "box", "swept range", "restricted", "coverage without", "density without"}}
	for _, r := range x.box {
		res, cw, dw := "", "", ""
		if r.Restricted {
			res, cw, dw = "yes", fmtValue(r.CoverageWithout), fmtValue(r.DensityWithout)
		}
		box.Rows = append(box.Rows, []string{r.Parameter, analysisInterval(r.Lo, r.Hi), analysisInterval(r.RangeLo, r.RangeHi), res, cw, dw})
	}
	if c, ok := charts["prim_box"]; ok {
		box.Chart = &c
	}
	traj := analysisBlock{Title: "The peeling trajectory", Note: "Each peel raises the density and lowers the coverage; the chosen step is marked.",
		Head: []string{"step", "points", "cases", "coverage", "density", "mass", "chosen"}}
	for _, r := range x.trajectory {
		step := fmt.Sprint(r.Step)
		if r.Stage == "pasted" {
			step = "pasted"
		}
		ch := ""
		if r.Chosen {
			ch = "yes"
		}
		traj.Rows = append(traj.Rows, []string{step, fmt.Sprint(r.N), fmt.Sprint(r.Interest), fmtValue(r.Coverage), fmtValue(r.Density), fmtValue(r.Mass), ch})
	}
	if c, ok := charts["prim_tradeoff"]; ok {
		traj.Chart = &c
	}
	tree := analysisBlock{Title: "CART classification tree", Note: "The leaves of the tree, left to right: the path's conditions, its points, the share of them that are cases (density) and its share of all cases (coverage).",
		Head: []string{"leaf", "rule", "points", "density", "coverage"}}
	for _, l := range x.leaves {
		tree.Rows = append(tree.Rows, []string{fmt.Sprint(l.Leaf), l.Rule, fmt.Sprint(l.N), fmtValue(l.Density), fmtValue(l.Coverage)})
	}
	if c, ok := charts["prim_map"]; ok {
		tree.Chart = &c
	}
	s.Blocks = []analysisBlock{box, traj, tree}
	return s
}

// analysisSections returns the report's analysis sections of d, with the
// analysis charts among charts placed in them.
func analysisSections(d *results.Dir, charts map[string]chartView) ([]analysisSection, error) {
	a, err := readAnalysis(d)
	if err != nil {
		return nil, err
	}
	var out []analysisSection
	if s := sensitivitySection(d.Manifest.Plan, a.sens, charts); s != nil {
		out = append(out, *s)
	}
	if s := discoverySection(a.disc, charts); s != nil {
		out = append(out, *s)
	}
	return out, nil
}

// analysisInterval formats an interval's two ends with the same decimals.
func analysisInterval(lo, hi float64) string {
	s := fmtSame(lo, hi)
	return "[" + s[0] + ", " + s[1] + "]"
}
