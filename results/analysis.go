package results

import (
	"bufio"
	"fmt"
	"os"
)

// The tables of the sensitivity and scenario-discovery analyses of a result
// directory: sensitivity.csv, written with the other tables by a run of an
// experiment with a [sensitivity] design, and the discovery_*.csv tables
// that runsim discover writes into a finished Latin-hypercube sweep.

// Names of the analysis tables.
const (
	SensitivityFile         = "sensitivity.csv"
	DiscoveryTargetFile     = "discovery_target.csv"
	DiscoveryTrajectoryFile = "discovery_trajectory.csv"
	DiscoveryBoxFile        = "discovery_box.csv"
	DiscoveryTreeFile       = "discovery_tree.csv"
)

// AnalysisFiles returns the analysis tables a result directory may hold.
func AnalysisFiles() []string {
	return []string{SensitivityFile, DiscoveryTargetFile, DiscoveryTrajectoryFile, DiscoveryBoxFile, DiscoveryTreeFile}
}

// SensitivityRow is one row of sensitivity.csv: the sensitivity of one
// output to one parameter of the design. An output is the level of a
// metric in the baseline (Output "level", Arm the baseline) or the paired
// effect of a policy arm on it (Output "effect": arm − baseline, common
// random numbers), each point's value being the mean over its replications
// of the metric's mean over the window. Which statistics a row has depends
// on the method: sensitivity.csv has the columns of its method only.
type SensitivityRow struct {
	Method, Output, Arm, Metric, Window string
	Parameter                           string
	N                                   int     // base points (sobol), trajectories (morris), points used (oat, src)
	Mean, SD                            float64 // of the output over the design's points
	// sobol: first- and total-order indices with 95% bootstrap intervals.
	First, FirstLo, FirstHi, Total, TotalLo, TotalHi float64
	// morris: mean elementary effect, mean absolute effect, their SD (unit-cube scale).
	Mu, MuStar, Sigma float64
	// oat: the output at the design's centre and with the parameter at the
	// low and high end of its range, the others at the centre; swing = high − low.
	Center, Low, High, Swing float64
	// src: the standardized regression coefficient and the regression's R².
	SRC, R2 float64
}

// SensitivityTable is sensitivity.csv for one method ("sobol", "morris",
// "oat" or "src").
func SensitivityTable(method string) Table[SensitivityRow] {
	type row = SensitivityRow
	f := func(name string, g func(r *row) *float64) Field[row] { return FloatField(name, g) }
	fs := []Field[row]{
		TextField("method", func(r *row) *string { return &r.Method }),
		TextField("output", func(r *row) *string { return &r.Output }),
		TextField("arm", func(r *row) *string { return &r.Arm }),
		TextField("metric", func(r *row) *string { return &r.Metric }),
		TextField("window", func(r *row) *string { return &r.Window }),
		TextField("parameter", func(r *row) *string { return &r.Parameter }),
		IntField("n", func(r *row) *int { return &r.N }),
		f("output_mean", func(r *row) *float64 { return &r.Mean }),
		f("output_sd", func(r *row) *float64 { return &r.SD }),
	}
	switch method {
	case "sobol":
		fs = append(fs, f("first", func(r *row) *float64 { return &r.First }), f("first_ci95_lo", func(r *row) *float64 { return &r.FirstLo }),
			f("first_ci95_hi", func(r *row) *float64 { return &r.FirstHi }), f("total", func(r *row) *float64 { return &r.Total }),
			f("total_ci95_lo", func(r *row) *float64 { return &r.TotalLo }), f("total_ci95_hi", func(r *row) *float64 { return &r.TotalHi }))
	case "morris":
		fs = append(fs, f("mu", func(r *row) *float64 { return &r.Mu }), f("mu_star", func(r *row) *float64 { return &r.MuStar }),
			f("sigma", func(r *row) *float64 { return &r.Sigma }))
	case "oat":
		fs = append(fs, f("center", func(r *row) *float64 { return &r.Center }), f("low", func(r *row) *float64 { return &r.Low }),
			f("high", func(r *row) *float64 { return &r.High }), f("swing", func(r *row) *float64 { return &r.Swing }))
	case "src":
		fs = append(fs, f("src", func(r *row) *float64 { return &r.SRC }), f("r2", func(r *row) *float64 { return &r.R2 }))
	}
	return Table[SensitivityRow]{Name: "sensitivity", File: SensitivityFile, Fields: fs}
}

// DiscoveryTargetRow is one row of discovery_target.csv: a sweep point, the
// target (the paired effect of Arm on Metric over Window below Threshold),
// the point's effect and whether it is a case of interest.
type DiscoveryTargetRow struct {
	Point               string
	Arm, Metric, Window string
	Threshold           float64
	Effect              float64
	Interest            bool
}

// DiscoveryTargetTable is discovery_target.csv.
func DiscoveryTargetTable() Table[DiscoveryTargetRow] {
	type row = DiscoveryTargetRow
	return Table[row]{Name: "discovery target", File: DiscoveryTargetFile, Fields: []Field[row]{
		TextField("point", func(r *row) *string { return &r.Point }),
		TextField("arm", func(r *row) *string { return &r.Arm }),
		TextField("metric", func(r *row) *string { return &r.Metric }),
		TextField("window", func(r *row) *string { return &r.Window }),
		FloatField("threshold", func(r *row) *float64 { return &r.Threshold }),
		FloatField("effect", func(r *row) *float64 { return &r.Effect }),
		BoolField("interest", func(r *row) *bool { return &r.Interest }),
	}}
}

// DiscoveryStepRow is one row of discovery_trajectory.csv: a box of PRIM's
// peeling trajectory (Stage "peel", Step 0 the whole sweep), and the chosen
// box after pasting (Stage "pasted").
type DiscoveryStepRow struct {
	Stage                   string
	Step                    int
	N, Interest             int
	Coverage, Density, Mass float64
	Chosen                  bool
}

// DiscoveryTrajectoryTable is discovery_trajectory.csv.
func DiscoveryTrajectoryTable() Table[DiscoveryStepRow] {
	type row = DiscoveryStepRow
	return Table[row]{Name: "discovery trajectory", File: DiscoveryTrajectoryFile, Fields: []Field[row]{
		TextField("stage", func(r *row) *string { return &r.Stage }),
		IntField("step", func(r *row) *int { return &r.Step }),
		IntField("n", func(r *row) *int { return &r.N }),
		IntField("interest", func(r *row) *int { return &r.Interest }),
		FloatField("coverage", func(r *row) *float64 { return &r.Coverage }),
		FloatField("density", func(r *row) *float64 { return &r.Density }),
		FloatField("mass", func(r *row) *float64 { return &r.Mass }),
		BoolField("chosen", func(r *row) *bool { return &r.Chosen }),
	}}
}

// DiscoveryBoxRow is one row of discovery_box.csv: one swept parameter of
// the chosen (pasted) box, with the sweep's range, and, for a dimension
// the box restricts, its coverage and density were the restriction dropped.
type DiscoveryBoxRow struct {
	Parameter                       string
	Lo, Hi                          float64
	RangeLo, RangeHi                float64
	Restricted                      bool
	CoverageWithout, DensityWithout float64
}

// DiscoveryBoxTable is discovery_box.csv.
func DiscoveryBoxTable() Table[DiscoveryBoxRow] {
	type row = DiscoveryBoxRow
	return Table[row]{Name: "discovery box", File: DiscoveryBoxFile, Fields: []Field[row]{
		TextField("parameter", func(r *row) *string { return &r.Parameter }),
		FloatField("lo", func(r *row) *float64 { return &r.Lo }),
		FloatField("hi", func(r *row) *float64 { return &r.Hi }),
		FloatField("range_lo", func(r *row) *float64 { return &r.RangeLo }),
		FloatField("range_hi", func(r *row) *float64 { return &r.RangeHi }),
		BoolField("restricted", func(r *row) *bool { return &r.Restricted }),
		FloatField("coverage_without", func(r *row) *float64 { return &r.CoverageWithout }),
		FloatField("density_without", func(r *row) *float64 { return &r.DensityWithout }),
	}}
}

// DiscoveryLeafRow is one row of discovery_tree.csv: a leaf of the CART
// classification tree, left to right, with its path as a rule.
type DiscoveryLeafRow struct {
	Leaf     int
	Rule     string // "p <= 0.3 and q > 2"; "all points" for a tree of one leaf
	N        int
	Density  float64 // share of cases of interest in the leaf
	Coverage float64 // share of all cases of interest in the leaf
}

// DiscoveryTreeTable is discovery_tree.csv.
func DiscoveryTreeTable() Table[DiscoveryLeafRow] {
	type row = DiscoveryLeafRow
	return Table[row]{Name: "discovery tree", File: DiscoveryTreeFile, Fields: []Field[row]{
		IntField("leaf", func(r *row) *int { return &r.Leaf }),
		TextField("rule", func(r *row) *string { return &r.Rule }),
		IntField("n", func(r *row) *int { return &r.N }),
		FloatField("density", func(r *row) *float64 { return &r.Density }),
		FloatField("coverage", func(r *row) *float64 { return &r.Coverage }),
	}}
}

// WriteRows writes rows as table t to path atomically (a temporary file
// renamed into place).
func WriteRows[R any](path string, t Table[R], rows []R) error {
	w, err := CreateTable(path, t)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// ReadRows reads table t from the CSV file at path.
func ReadRows[R any](path string, t Table[R]) ([]R, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := ReadCSV(bufio.NewReader(f), t)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}
