package experiments

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"path/filepath"
	"slices"
	"strings"

	"frontiersim/design"
	"frontiersim/engine"
	"frontiersim/results"
	"frontiersim/stats"
)

// Sensitivity is an experiment's [sensitivity] table: a global sensitivity
// design over some of the parameters. Its points are the experiment's sweep
// points (an experiment has a [sweep] or a [sensitivity], not both), so the
// design runs through the same pipeline as any sweep (resume, shards,
// merge), and the run writes sensitivity.csv with the other tables.
//
// Each point's outputs are the level of each of Metrics in the baseline and
// the paired effect (arm − baseline, common random numbers) of each policy
// arm on it, as the mean over the point's replications of the metric's mean
// over Window.
type Sensitivity struct {
	// Method is "sobol" (Saltelli design of N base points, (d+2)N points:
	// first- and total-order Sobol indices with bootstrap intervals),
	// "morris" (Trajectories one-at-a-time trajectories on a grid of Levels
	// levels, (d+1)r points: elementary effects μ, μ*, σ), "oat" (the
	// centre, then each parameter at its min and at its max, the others at
	// the centre: 1 + 2d points) or "src" (a Latin hypercube of N points:
	// standardized regression coefficients and R²).
	Method       string
	N            int // sobol: base points (a power of two); src: points
	Trajectories int // morris
	Levels       int // morris: grid levels, even (default 4)
	Resamples    int // sobol: bootstrap resamples (default 1000)
	Seed         uint64
	Window       string   // the window of the outputs (default "horizon")
	Metrics      []string // default: [report] metrics, else every metric
	Parameters   []SensitivityParam
}

// SensitivityParam is a parameter of a sensitivity design and its range.
// Center is its value in the experiment (the scenario's): the centre of an
// "oat" design.
type SensitivityParam struct {
	Name     string
	Min, Max float64
	Integer  bool
	Center   float64
}

// Sensitivity methods.
var sensitivityMethods = []string{"sobol", "morris", "oat", "src"}

// Defaults of [sensitivity].
const (
	DefaultMorrisLevels      = 4
	DefaultSobolResamples    = 1000
	maxSensitivityResamples  = 100_000
	maxSensitivityParameters = 64
)

// sensitivity reads the [sensitivity] table.
func (v *validator) sensitivity(raw map[string]any, e *Experiment) *Sensitivity {
	m := v.table(raw, "", "sensitivity")
	if m == nil {
		return nil
	}
	const t = "sensitivity"
	v.unknownKeys(t, m, "method", "n", "trajectories", "levels", "resamples", "seed", "window", "metrics", "parameters")
	s := &Sensitivity{Method: v.str(m, t, "method", "")}
	known := slices.Contains(sensitivityMethods, s.Method)
	if _, ok := m["method"]; !ok {
		v.add(join(t, "method"), "missing: want \"sobol\", \"morris\", \"oat\" or \"src\"")
	} else if !known {
		v.add(join(t, "method"), "%q: want \"sobol\" (Sobol indices on a Saltelli design), \"morris\" (elementary effects), \"oat\" (one at a time) or \"src\" (standardized regression on a Latin hypercube)", s.Method)
	}
	only := func(key string, methods ...string) bool {
		_, ok := m[key]
		if ok && known && !slices.Contains(methods, s.Method) {
			v.add(join(t, key), "applies to method = %s only", quoteAlternatives(methods))
			return false
		}
		return ok
	}
	if only("n", "sobol", "src") {
		s.N = int(v.integer(m, t, "n", 0, 2, MaxSweepPoints))
	}
	if only("trajectories", "morris") {
		s.Trajectories = int(v.integer(m, t, "trajectories", 0, 2, MaxSweepPoints))
	}
	s.Levels = DefaultMorrisLevels
	if only("levels", "morris") {
		s.Levels = int(v.integer(m, t, "levels", DefaultMorrisLevels, 2, 1000))
		if s.Levels%2 != 0 {
			v.add(join(t, "levels"), "%d: a Morris grid needs an even number of levels (each step moves p/(2(p-1)))", s.Levels)
		}
	}
	s.Resamples = DefaultSobolResamples
	if only("resamples", "sobol") {
		s.Resamples = int(v.integer(m, t, "resamples", DefaultSobolResamples, 1, maxSensitivityResamples))
	}
	s.Seed = uint64(v.integer(m, t, "seed", int64(e.Seed), 0, math.MaxInt64))
	switch _, hasN := m["n"]; {
	case !known:
	case (s.Method == "sobol" || s.Method == "src") && !hasN:
		v.add(join(t, "n"), "missing: method = %q needs n, the number of %s", s.Method, map[string]string{"sobol": "base points (a power of two, e.g. 64: (d+2)n design points)", "src": "Latin-hypercube points (more than the parameters + 1)"}[s.Method])
	case s.Method == "sobol" && s.N > 0 && s.N&(s.N-1) != 0:
		v.add(join(t, "n"), "%d is not a power of two: a Sobol sequence's first 2^m points are a net (balanced); use %d or %d", s.N, 1<<(63-bits.LeadingZeros64(uint64(s.N))), 1<<(64-bits.LeadingZeros64(uint64(s.N))))
	}
	if _, ok := m["trajectories"]; known && s.Method == "morris" && !ok {
		v.add(join(t, "trajectories"), "missing: method = \"morris\" needs trajectories, the number of one-at-a-time trajectories (e.g. 10: (d+1)r design points)")
	}
	s.Window = v.str(m, t, "window", results.HorizonWindow)
	plan := results.Plan{StartYear: StartYear, StartMonth: StartMonth, Months: e.Months, Report: e.Report, Arms: e.Arms}
	if _, ok := FindWindow(plan, s.Window); !ok {
		var names []string
		for _, w := range plan.ComparisonWindows() {
			names = append(names, w.Name)
		}
		msg := fmt.Sprintf("%q is not a window of this experiment", s.Window)
		if sg := v.suggest(s.Window, names); sg != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sg)
		}
		v.add(join(t, "window"), "%s: want a month as \"m\" and its index (m0 to m%d) or one of %s", msg, e.Months-1, strings.Join(names, ", "))
	}
	var metricNames []string
	for _, mt := range v.sim.Metrics() {
		metricNames = append(metricNames, mt.Name)
	}
	s.Metrics = v.metrics(m, t, func(key, name string) bool {
		if slices.Contains(metricNames, name) {
			return true
		}
		msg := fmt.Sprintf("unknown metric %q", name)
		if sg := v.suggest(name, metricNames); sg != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sg)
		}
		v.add(key, "%s; runsim params -metrics lists them", msg)
		return false
	})
	s.Parameters = v.sensitivityParams(m, e)
	if e.Sweep != nil {
		v.add(t, "an experiment has a [sweep] or a [sensitivity], not both: the sensitivity design is the experiment's sweep; remove [sweep]")
	}
	if known && len(s.Parameters) > 0 {
		if n := s.pointCount(); n > MaxSweepPoints {
			v.add(t, "the %s design has %d points; the limit is %d", s.Method, n, MaxSweepPoints)
		}
		if s.Method == "src" && s.N > 0 && s.N <= len(s.Parameters)+1 {
			v.add(join(t, "n"), "%d points for %d parameters: a regression needs more than %d", s.N, len(s.Parameters), len(s.Parameters)+1)
		}
	}
	return s
}

// quoteAlternatives quotes each choice and joins them with "or".
func quoteAlternatives(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, " or ")
}

// sensitivityParams reads [[sensitivity.parameters]]: name, min and max of
// each, a known parameter within its range, min < max, each once, not set
// by an arm.
func (v *validator) sensitivityParams(m map[string]any, e *Experiment) []SensitivityParam {
	const t = "sensitivity.parameters"
	x, ok := m["parameters"]
	if !ok {
		v.add(t, "missing: a sensitivity design needs at least one [[sensitivity.parameters]] (name, min, max)")
		return nil
	}
	ps, ok := x.([]map[string]any)
	if !ok {
		v.add(t, "want an array of tables ([[sensitivity.parameters]]), got %s", describe(x))
		return nil
	}
	if len(ps) == 0 {
		v.add(t, "empty: a sensitivity design needs at least one parameter")
	}
	if len(ps) > maxSensitivityParameters {
		v.add(t, "%d parameters; the limit is %d", len(ps), maxSensitivityParameters)
		return nil
	}
	setByArm := map[string]string{}
	for _, a := range e.Arms {
		for _, o := range a.Overrides {
			setByArm[o.Name] = a.Name
		}
	}
	center := map[string]float64{}
	for _, p := range e.Parameters {
		center[p.Name] = p.Value
	}
	seen := map[string]bool{}
	var out []SensitivityParam
	for i, p := range ps {
		prefix := fmt.Sprintf("%s[%d]", t, i)
		v.unknownKeys(prefix, p, "name", "min", "max")
		sp := SensitivityParam{Name: v.str(p, prefix, "name", "")}
		doc, known := v.params[sp.Name]
		good := known
		switch {
		case sp.Name == "":
			v.add(join(prefix, "name"), "missing: name the scenario parameter to vary")
			good = false
		case !known:
			v.param(join(prefix, "name"), sp.Name, 0.0)
		case seen[sp.Name]:
			v.add(join(prefix, "name"), "%q is listed twice", sp.Name)
			good = false
		case setByArm[sp.Name] != "":
			v.add(join(prefix, "name"), "%q is both varied by the design and set by arm %q: the design's value would silently override the arm", sp.Name, setByArm[sp.Name])
			good = false
		}
		seen[sp.Name] = true
		for _, k := range []string{"min", "max"} {
			raw, present := p[k]
			if !present {
				v.add(join(prefix, k), "missing: every parameter of a sensitivity design needs min and max")
				good = false
				continue
			}
			f, isNum := number(raw)
			if !isNum {
				v.add(join(prefix, k), "want a number, got %s", describe(raw))
				good = false
				continue
			}
			if known {
				if _, ok := v.checkRange(join(prefix, k), doc, f); !ok {
					good = false
					continue
				}
			}
			if k == "min" {
				sp.Min = f
			} else {
				sp.Max = f
			}
		}
		if good && !(sp.Min < sp.Max) {
			v.add(prefix, "empty range: min %s, max %s: want min < max", fmtNum(sp.Min), fmtNum(sp.Max))
			good = false
		}
		if good && doc.Integer && (sp.Min != math.Trunc(sp.Min) || sp.Max != math.Trunc(sp.Max)) {
			v.add(prefix, "%s takes whole numbers only: give whole min and max", sp.Name)
			good = false
		}
		if good {
			sp.Integer = doc.Integer
			sp.Center = center[sp.Name]
			out = append(out, sp)
		}
	}
	return out
}

// pointCount is the number of points of the design.
func (s *Sensitivity) pointCount() int {
	d := len(s.Parameters)
	switch s.Method {
	case "sobol":
		return (d + 2) * s.N
	case "morris":
		return (d + 1) * s.Trajectories
	case "oat":
		return 1 + 2*d
	case "src":
		return s.N
	}
	return 1
}

// unitDesign returns the design in unit-cube coordinates, one row per
// point: the Saltelli design (sobol), the Morris trajectories (drawn from
// stream "sensitivity.morris" of the design's seed), a Latin hypercube
// (stream "sensitivity.lhs"). An "oat" design has no unit coordinates (nil).
func (s *Sensitivity) unitDesign() ([][]float64, error) {
	d := len(s.Parameters)
	streams := engine.NewStreams(s.Seed, 0)
	switch s.Method {
	case "sobol":
		return design.Saltelli(s.N, d)
	case "morris":
		return design.Morris(s.Trajectories, d, s.Levels, streams.Source("sensitivity.morris"))
	case "src":
		return design.LatinHypercube(s.N, d, streams.Source("sensitivity.lhs")), nil
	}
	return nil, nil
}

// rows returns the parameter values of every point of the design. A unit
// coordinate u maps to min + u(max − min), or for a whole-number parameter
// to the whole numbers min ... max, each taking an equal share of [0, 1)
// (u = 1, a Morris grid's top level, to max).
func (s *Sensitivity) rows() ([][]float64, error) {
	d := len(s.Parameters)
	if s.Method == "oat" {
		rows := make([][]float64, 1+2*d)
		for r := range rows {
			rows[r] = make([]float64, d)
			for j, p := range s.Parameters {
				rows[r][j] = p.Center
			}
		}
		for j, p := range s.Parameters {
			rows[1+2*j][j], rows[2+2*j][j] = p.Min, p.Max
		}
		return rows, nil
	}
	unit, err := s.unitDesign()
	if err != nil {
		return nil, err
	}
	rows := make([][]float64, len(unit))
	for r, u := range unit {
		rows[r] = make([]float64, d)
		for j, p := range s.Parameters {
			if p.Integer {
				rows[r][j] = design.ScaleWhole(u[j], p.Min, p.Max)
			} else {
				rows[r][j] = design.Scale(u[j], p.Min, p.Max)
			}
		}
	}
	return rows, nil
}

// rangeCoordinates returns the unit points of the design with each
// whole-number parameter's coordinate replaced by the share of its range
// that the parameter's value covers, (x − min)/(max − min). A Morris step of
// Δ on the unit scale moves a whole-number parameter by a whole number of
// steps that is not Δ(max − min) (ScaleWhole rounds down), so an elementary
// effect divides by the step the parameter took, as a share of its range:
// the same scale as a continuous parameter's, whose coordinate is left as it
// is (x = min + u(max − min)).
func (s *Sensitivity) rangeCoordinates(unit [][]float64) [][]float64 {
	out := make([][]float64, len(unit))
	for r, u := range unit {
		out[r] = slices.Clone(u)
		for j, p := range s.Parameters {
			if p.Integer && p.Max > p.Min {
				out[r][j] = (design.ScaleWhole(u[j], p.Min, p.Max) - p.Min) / (p.Max - p.Min)
			}
		}
	}
	return out
}

// points returns the design's points as sweep points.
func (s *Sensitivity) points() []results.Point {
	rows, err := s.rows()
	if err != nil {
		panic(fmt.Sprintf("experiments: a validated sensitivity design failed: %v", err)) // Load checked the sizes
	}
	width := len(fmt.Sprint(len(rows)))
	out := make([]results.Point, len(rows))
	for i, r := range rows {
		pt := results.Point{Name: fmt.Sprintf("p%0*d", width, i+1)}
		for j, p := range s.Parameters {
			pt.Params = append(pt.Params, results.ParamValue{Name: p.Name, Value: r[j]})
		}
		out[i] = pt
	}
	return out
}

// sweepSpec is the plan's record of the design.
func (s *Sensitivity) sweepSpec() *results.SweepSpec {
	sp := &results.SweepSpec{Kind: s.Method}
	for _, p := range s.Parameters {
		sp.Parameters = append(sp.Parameters, p.Name)
	}
	return sp
}

// canonicalSensitivity is [sensitivity] in experiment.toml.
type canonicalSensitivity struct {
	Method       string                      `toml:"method"`
	N            int                         `toml:"n,omitzero"`
	Trajectories int                         `toml:"trajectories,omitzero"`
	Levels       int                         `toml:"levels,omitzero"`
	Resamples    int                         `toml:"resamples,omitzero"`
	Seed         uint64                      `toml:"seed"`
	Window       string                      `toml:"window"`
	Metrics      []string                    `toml:"metrics,omitempty"`
	Parameters   []canonicalSensitivityParam `toml:"parameters"`
}

type canonicalSensitivityParam struct {
	Name string  `toml:"name"`
	Min  float64 `toml:"min"`
	Max  float64 `toml:"max"`
}

func (s *Sensitivity) canonical() *canonicalSensitivity {
	if s == nil {
		return nil
	}
	c := &canonicalSensitivity{Method: s.Method, N: s.N, Trajectories: s.Trajectories, Seed: s.Seed, Window: s.Window, Metrics: s.Metrics}
	if s.Method == "morris" {
		c.Levels = s.Levels
	}
	if s.Method == "sobol" {
		c.Resamples = s.Resamples
	}
	for _, p := range s.Parameters {
		c.Parameters = append(c.Parameters, canonicalSensitivityParam{p.Name, p.Min, p.Max})
	}
	return c
}

// FindWindow returns the window of plan named name: "horizon", a named
// window of [report], a lever start's window (from84), or mN (month N, any
// month of the horizon).
func FindWindow(plan results.Plan, name string) (results.Window, bool) {
	for _, w := range plan.ComparisonWindows() {
		if w.Name == name {
			return w, true
		}
	}
	var t int
	if _, err := fmt.Sscanf(name, "m%d", &t); err == nil && results.MonthWindow(t) == name && t >= 0 && t < plan.Months {
		return results.Window{Name: name, From: t, To: t}, true
	}
	return results.Window{}, false
}

// PointOutputs are the outputs of every sweep point of a plan over one
// window: Level[k][p] is the mean over point p's baseline replications of
// metric Metrics[k]'s mean over the window, and Effect[a-1][k][p] the mean
// over its replications of the paired difference arm a − baseline (common
// random numbers: replication r of the arm against replication r of the
// baseline). The means are summed in replication order.
type PointOutputs struct {
	Window  results.Window
	Metrics []int
	Level   [][]float64
	Effect  [][][]float64
}

// ReadPointOutputs computes the outputs of every point of the plan over
// window w for the metric columns metrics from the replication store at
// path (which must hold every replication of the plan). It stops with
// ctx's error, between points, once ctx is done.
func ReadPointOutputs(ctx context.Context, path string, plan results.Plan, w results.Window, metrics []int) (PointOutputs, error) {
	h, err := results.ReadStoreHeader(path)
	if err != nil {
		return PointOutputs{}, err
	}
	ix, err := results.IndexStore(path, h)
	if err != nil {
		return PointOutputs{}, err
	}
	rr, err := ix.Open()
	if err != nil {
		return PointOutputs{}, err
	}
	defer rr.Close()
	return pointOutputs(ctx, plan, rr, w, metrics)
}

func pointOutputs(ctx context.Context, plan results.Plan, rr *results.RecordReader, w results.Window, metrics []int) (PointOutputs, error) {
	nm, np, reps := len(plan.Metrics), len(plan.Points), plan.Replications
	out := PointOutputs{Window: w, Metrics: metrics, Level: make([][]float64, len(metrics)), Effect: make([][][]float64, len(plan.Arms)-1)}
	for k := range metrics {
		out.Level[k] = make([]float64, np)
	}
	for a := range out.Effect {
		out.Effect[a] = make([][]float64, len(metrics))
		for k := range metrics {
			out.Effect[a][k] = make([]float64, np)
		}
	}
	path := make([]float64, plan.Months*nm)
	base := make([][]float64, len(metrics)) // [k][r]
	for k := range base {
		base[k] = make([]float64, reps)
	}
	for p := range np {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		for r := range reps {
			if err := rr.Read(plan.JobIndex(0, p, r), path); err != nil {
				return out, err
			}
			for k, c := range metrics {
				base[k][r] = windowMean(path, w, nm, c)
			}
		}
		for k := range metrics {
			out.Level[k][p] = stats.MeanInOrder(base[k])
		}
		for a := 1; a < len(plan.Arms); a++ {
			diffs := make([][]float64, len(metrics))
			for k := range diffs {
				diffs[k] = make([]float64, reps)
			}
			for r := range reps {
				if err := rr.Read(plan.JobIndex(a, p, r), path); err != nil {
					return out, err
				}
				for k, c := range metrics {
					diffs[k][r] = windowMean(path, w, nm, c) - base[k][r]
				}
			}
			for k := range metrics {
				out.Effect[a-1][k][p] = stats.MeanInOrder(diffs[k])
			}
		}
	}
	return out, nil
}

// metricColumns returns the columns of the sensitivity's metrics: its own
// list, else the plan's reported metrics.
func (s *Sensitivity) metricColumns(plan results.Plan) []int {
	if len(s.Metrics) == 0 {
		return plan.ReportedMetrics()
	}
	var out []int
	for _, name := range s.Metrics {
		if c := plan.MetricIndex(name); c >= 0 {
			out = append(out, c)
		}
	}
	return out
}

// writeSensitivity writes sensitivity.csv of an experiment with a
// [sensitivity] design (nothing otherwise) from the replication store.
func writeSensitivity(ctx context.Context, dir string, e *Experiment, plan results.Plan, rr *results.RecordReader) error {
	s := e.Sensitivity
	if s == nil {
		return nil
	}
	w, ok := FindWindow(plan, s.Window)
	if !ok {
		return fmt.Errorf("sensitivity: window %q is not one of the plan's", s.Window)
	}
	outs, err := pointOutputs(ctx, plan, rr, w, s.metricColumns(plan))
	if err != nil {
		return err
	}
	rows, err := s.Analyse(plan, outs)
	if err != nil {
		return err
	}
	return results.WriteRows(filepath.Join(dir, results.SensitivityFile), results.SensitivityTable(s.Method), rows)
}

// Analyse computes the rows of sensitivity.csv from the outputs of the
// design's points: for each output (the level of each metric, then the
// effect of each policy arm on each metric, in plan order) a row per
// parameter. Sobol bootstrap resamples of an output come from the stream
// "sensitivity/bootstrap/ARM/OUTPUT/METRIC" of the design's seed.
func (s *Sensitivity) Analyse(plan results.Plan, outs PointOutputs) ([]results.SensitivityRow, error) {
	unit, err := s.unitDesign()
	if err != nil {
		return nil, err
	}
	d := len(s.Parameters)
	streams := engine.NewStreams(s.Seed, 0)
	var rows []results.SensitivityRow
	one := func(kind, arm string, c int, y []float64) error {
		metric := plan.Metrics[c].Name
		sum := stats.SummarizeInOrder(y, make([]float64, len(y)))
		base := results.SensitivityRow{Method: s.Method, Output: kind, Arm: arm, Metric: metric, Window: outs.Window.Name, Mean: sum.Mean, SD: sum.SD}
		nan := math.NaN()
		for _, p := range s.Parameters {
			r := base
			r.Parameter = p.Name
			r.First, r.FirstLo, r.FirstHi, r.Total, r.TotalLo, r.TotalHi = nan, nan, nan, nan, nan, nan
			r.Mu, r.MuStar, r.Sigma, r.Center, r.Low, r.High, r.Swing, r.SRC, r.R2 = nan, nan, nan, nan, nan, nan, nan, nan, nan
			rows = append(rows, r)
		}
		at := rows[len(rows)-d:]
		switch s.Method {
		case "sobol":
			res, err := stats.SobolIndicesBootstrap(y, d, s.Resamples, streams.Stream("sensitivity/bootstrap/"+arm+"/"+kind+"/"+metric))
			if err != nil {
				return err
			}
			for i := range at {
				at[i].N = res.N
				at[i].First, at[i].FirstLo, at[i].FirstHi = res.First[i], res.FirstLo[i], res.FirstHi[i]
				at[i].Total, at[i].TotalLo, at[i].TotalHi = res.Total[i], res.TotalLo[i], res.TotalHi[i]
			}
		case "morris":
			res, err := stats.ElementaryEffects(s.rangeCoordinates(unit), y, d)
			if err != nil {
				return err
			}
			for i := range at {
				at[i].N = res.R
				at[i].Mu, at[i].MuStar, at[i].Sigma = res.Mu[i], res.MuStar[i], res.Sigma[i]
			}
		case "oat":
			for i := range at {
				at[i].N = len(y)
				at[i].Center, at[i].Low, at[i].High = y[0], y[1+2*i], y[2+2*i]
				at[i].Swing = at[i].High - at[i].Low
			}
		case "src":
			res, err := stats.StandardizedRegression(unit, y)
			if err != nil {
				return err
			}
			for i := range at {
				at[i].N = res.N
				at[i].SRC, at[i].R2 = res.Coef[i], res.R2
			}
		}
		return nil
	}
	for k, c := range outs.Metrics {
		if err := one("level", plan.Arms[0].Name, c, outs.Level[k]); err != nil {
			return nil, err
		}
	}
	for a := range outs.Effect {
		for k, c := range outs.Metrics {
			if err := one("effect", plan.Arms[a+1].Name, c, outs.Effect[a][k]); err != nil {
				return nil, err
			}
		}
	}
	return rows, nil
}
