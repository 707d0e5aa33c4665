package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/design"
	"frontiersim/engine"
	"frontiersim/internal/toysim"
	"frontiersim/results"
	"frontiersim/stats"
)

// toySensitivity is a sensitivity design on the toy model without noise,
// so that every replication of a point is the closed form toyShare: the
// growth rate and the lag vary, the arm caps firm A's share.
const toySensitivity = `name = "toy-sens"
seed = 5
replications = 3
months = 12
buyers = 10

[scenario]
"toy.noise" = 0

[[arms]]
name = "capped"
overrides = { "toy.cap" = 0.6 }

[sensitivity]
method = "sobol"
n = 16
metrics = ["model_share_a", "spend"]

[[sensitivity.parameters]]
name = "toy.growth"
min = 0
max = 0.3

[[sensitivity.parameters]]
name = "toy.lag"
min = 0
max = 6
`

// toyShare is firm A's share at month 11 of the toy model without noise:
// the logistic of the growth added once a month from month lag on, capped.
func toyShare(growth, lag, cap float64) float64 {
	x := 0.0
	for m := 0; m < 12; m++ {
		if m >= int(lag) {
			x += growth
		}
	}
	return math.Min(1/(1+math.Exp(-x)), cap)
}

// toyDesign returns the design's unit points and the toy outputs there:
// the level of model_share_a (uncapped) and the capped arm's effect.
func toyDesign(t *testing.T, method string, n int) (unit [][]float64, level, effect []float64) {
	t.Helper()
	var err error
	switch method {
	case "sobol":
		unit, err = design.Saltelli(n, 2)
	case "morris":
		unit, err = design.Morris(n, 2, 4, engine.NewStreams(5, 0).Source("sensitivity.morris"))
	case "src":
		unit = design.LatinHypercube(n, 2, engine.NewStreams(5, 0).Source("sensitivity.lhs"))
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range unit {
		g, l := design.Scale(u[0], 0, 0.3), design.ScaleWhole(u[1], 0, 6)
		level = append(level, toyShare(g, l, 1))
		effect = append(effect, toyShare(g, l, 0.6)-toyShare(g, l, 1))
	}
	return unit, level, effect
}

// near reports whether a and b agree to 1e-9 (or are both NaN).
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9 || math.IsNaN(a) && math.IsNaN(b) }

func readSensitivity(t *testing.T, dir, method string) []results.SensitivityRow {
	t.Helper()
	rows, err := results.ReadRows(filepath.Join(dir, results.SensitivityFile), results.SensitivityTable(method))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestSensitivityClosedForm runs each method's design through runsim
// sensitivity and checks sensitivity.csv against the estimators applied
// to the toy model's closed form on the same design: the pipeline (design
// → sweep points → replications → outputs → estimator) adds nothing. The
// spend metric does not depend on the parameters: its level has no
// variance and its indices are NaN.
func TestSensitivityClosedForm(t *testing.T) {
	cases := []struct {
		method, sizes string
		n             int
	}{
		{"sobol", "n = 16", 16},
		{"morris", "trajectories = 6", 6},
		{"oat", "", 0},
		{"src", "n = 20", 20},
	}
	for _, c := range cases {
		t.Run(c.method, func(t *testing.T) {
			file := writeToy(t, toySensitivity, `method = "sobol"`, `method = "`+c.method+`"`, "n = 16", c.sizes)
			dir := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runToy(t, context.Background(), nil, "sensitivity", file, "-o", dir, "-q", "-no-charts", "-workers", "2")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, "effect of capped on model_share_a (horizon): toy.") {
				t.Errorf("stdout lacks the ranking of the effect:\n%s", stdout)
			}
			rows := readSensitivity(t, dir, c.method)
			if len(rows) != 2*2*2 { // (level, effect) × 2 metrics × 2 parameters
				t.Fatalf("%d rows, want 8", len(rows))
			}
			unit, level, effect := toyDesign(t, c.method, c.n)
			check := func(rows []results.SensitivityRow, y []float64, kind, arm string) {
				t.Helper()
				for i, r := range rows {
					if r.Output != kind || r.Arm != arm || r.Metric != "model_share_a" || r.Parameter != []string{"toy.growth", "toy.lag"}[i] {
						t.Fatalf("row %+v: want %s of %s on model_share_a, parameter %d", r, kind, arm, i)
					}
				}
				switch c.method {
				case "sobol":
					s, err := stats.SobolIndicesBootstrap(y, 2, 1000, engine.NewStreams(5, 0).Stream("sensitivity/bootstrap/"+arm+"/"+kind+"/model_share_a"))
					if err != nil {
						t.Fatal(err)
					}
					for i, r := range rows {
						if !near(r.First, s.First[i]) || !near(r.Total, s.Total[i]) || !near(r.FirstLo, s.FirstLo[i]) || !near(r.TotalHi, s.TotalHi[i]) {
							t.Errorf("%s %s: S1 %v ST %v [%v, %v], want %v %v [%v, %v]", kind, r.Parameter, r.First, r.Total, r.FirstLo, r.TotalHi, s.First[i], s.Total[i], s.FirstLo[i], s.TotalHi[i])
						}
					}
				case "morris":
					// toy.lag's coordinate is the share of its range its whole value covers
					at := make([][]float64, len(unit))
					for i, u := range unit {
						at[i] = []float64{u[0], design.ScaleWhole(u[1], 0, 6) / 6}
					}
					m, err := stats.ElementaryEffects(at, y, 2)
					if err != nil {
						t.Fatal(err)
					}
					for i, r := range rows {
						if !near(r.MuStar, m.MuStar[i]) || !near(r.Mu, m.Mu[i]) || !near(r.Sigma, m.Sigma[i]) {
							t.Errorf("%s %s: μ* %v, want %v", kind, r.Parameter, r.MuStar, m.MuStar[i])
						}
					}
				case "oat":
					f := func(g, l float64) float64 {
						if kind == "level" {
							return toyShare(g, l, 1)
						}
						return toyShare(g, l, 0.6) - toyShare(g, l, 1)
					}
					want := [][3]float64{{f(0.05, 0), f(0, 0), f(0.3, 0)}, {f(0.05, 0), f(0.05, 0), f(0.05, 6)}} // centre: the defaults 0.05 and 0
					for i, r := range rows {
						if !near(r.Center, want[i][0]) || !near(r.Low, want[i][1]) || !near(r.High, want[i][2]) || !near(r.Swing, want[i][2]-want[i][1]) {
							t.Errorf("%s %s: centre %v low %v high %v, want %v", kind, r.Parameter, r.Center, r.Low, r.High, want[i])
						}
					}
				case "src":
					s, err := stats.StandardizedRegression(unit, y)
					if err != nil {
						t.Fatal(err)
					}
					for i, r := range rows {
						if !near(r.SRC, s.Coef[i]) || !near(r.R2, s.R2) {
							t.Errorf("%s %s: SRC %v R² %v, want %v %v", kind, r.Parameter, r.SRC, r.R2, s.Coef[i], s.R2)
						}
					}
				}
			}
			check(rows[0:2], level, "level", "baseline")
			check(rows[4:6], effect, "effect", "capped")
			if sp := rows[2]; sp.Metric != "spend" || sp.SD != 0 || c.method == "sobol" && sp.Total != 0 && !math.IsNaN(sp.Total) {
				t.Errorf("spend level: %+v; want SD 0 (and Sobol indices 0 or NaN)", sp)
			}
		})
	}
}

// TestSensitivityResume: a sensitivity run interrupted (as by SIGINT) and
// finished by runsim sensitivity -o DIR -resume, without the file, has the
// bytes of an uninterrupted run, sensitivity.csv and the report included.
func TestSensitivityResume(t *testing.T) {
	file := writeToy(t, toySensitivity+"\n[charts]\nmetrics = [\"model_share_a\"]\n", `"toy.noise" = 0`, `"toy.noise" = 0.01`)
	ref := filepath.Join(t.TempDir(), "ref")
	if code, _, stderr := runToy(t, context.Background(), nil, "sensitivity", file, "-o", ref, "-q"); code != exitOK {
		t.Fatalf("reference: exit %d: %s", code, stderr)
	}
	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	code, _, stderr := runToy(t, ctx, toysim.CancelAfter(toysim.Simulator{}, 100, cancel), "sensitivity", file, "-o", dir, "-q", "-workers", "2")
	if code != exitInterrupted {
		t.Fatalf("interrupted: exit %d, want %d: %s", code, exitInterrupted, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, results.SensitivityFile)); err == nil {
		t.Errorf("an interrupted run wrote sensitivity.csv")
	}
	if code, _, stderr := runToy(t, context.Background(), nil, "sensitivity", "-o", dir, "-resume", "-q"); code != exitOK {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	sameResults(t, ref, dir)
	for _, f := range []string{results.SensitivityFile, results.ReportFile} {
		a, _ := os.ReadFile(filepath.Join(ref, f))
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs from the uninterrupted run's (%v)", f, err)
		}
	}
}

// TestSensitivityBadInput: mistakes in [sensitivity] exit 2 naming
// file:line: key, all at once; an experiment without the table is refused.
func TestSensitivityBadInput(t *testing.T) {
	bad := writeToy(t, toySensitivity,
		`method = "sobol"`, `method = "sobol"`+"\n"+`trajectories = 4`,
		"n = 16", "n = 12",
		`name = "toy.lag"`, `name = "toy.lagg"`,
		"max = 0.3", "max = 3",
		`metrics = ["model_share_a", "spend"]`, `metrics = ["model_share_a", "spnd"]`)
	code, _, stderr := runToy(t, context.Background(), nil, "sensitivity", bad, "-q", "-o", filepath.Join(t.TempDir(), "x"))
	if code != exitUsage {
		t.Fatalf("exit %d, want %d: %s", code, exitUsage, stderr)
	}
	for _, want := range []string{
		bad + ":16: sensitivity.trajectories: applies to method = \"morris\" only",
		bad + ":17: sensitivity.n: 12 is not a power of two",
		bad + ":18: sensitivity.metrics[1]: unknown metric \"spnd\" (did you mean \"spend\"?)",
		bad + ":23: sensitivity.parameters[0].max: 3 is out of range",
		bad + ":26: sensitivity.parameters[1].name: unknown scenario parameter \"toy.lagg\"",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	both := writeToy(t, toySensitivity, "[sensitivity]", "[sweep]\nkind = \"grid\"\n[[sweep.parameters]]\nname = \"toy.noise\"\nvalues = [0, 0.1]\n\n[sensitivity]")
	if code, _, stderr := runToy(t, context.Background(), nil, "validate", both); code != exitUsage || !strings.Contains(stderr, "sensitivity: an experiment has a [sweep] or a [sensitivity], not both") {
		t.Errorf("sweep and sensitivity: exit %d: %s", code, stderr)
	}
	armSets := writeToy(t, toySensitivity, `"toy.cap" = 0.6`, `"toy.growth" = 0.1`)
	if code, _, stderr := runToy(t, context.Background(), nil, "validate", armSets); code != exitUsage || !strings.Contains(stderr, `sensitivity.parameters[0].name: "toy.growth" is both varied by the design and set by arm "capped"`) {
		t.Errorf("a varied parameter set by an arm: exit %d: %s", code, stderr)
	}
	plain := writeToy(t, toyStudy)
	if code, _, stderr := runToy(t, context.Background(), nil, "sensitivity", plain, "-q"); code != exitUsage || !strings.Contains(stderr, "has no [sensitivity] table") {
		t.Errorf("no [sensitivity]: exit %d: %s", code, stderr)
	}
}

// TestSensitivityShards: a sensitivity design run as two shards and merged
// gives the sensitivity.csv of the whole run; a shard writes none.
func TestSensitivityShards(t *testing.T) {
	file := writeToy(t, toySensitivity, `"toy.noise" = 0`, `"toy.noise" = 0.01`, `method = "sobol"`, `method = "morris"`, "n = 16", "trajectories = 5")
	root := t.TempDir()
	whole := filepath.Join(root, "whole")
	if code, _, stderr := runToy(t, context.Background(), nil, "sensitivity", file, "-o", whole, "-q", "-no-charts"); code != exitOK {
		t.Fatalf("whole: exit %d: %s", code, stderr)
	}
	var shards []string
	for k := 1; k <= 2; k++ {
		dir := filepath.Join(root, "shard", string(rune('0'+k)))
		if code, _, stderr := runToy(t, context.Background(), nil, "sensitivity", file, "-o", dir, "-q", "-shard", string(rune('0'+k))+"/2"); code != exitOK {
			t.Fatalf("shard %d: exit %d: %s", k, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, results.SensitivityFile)); err == nil {
			t.Errorf("shard %d wrote sensitivity.csv", k)
		}
		shards = append(shards, dir)
	}
	merged := filepath.Join(root, "merged")
	if code, _, stderr := runToy(t, context.Background(), nil, append([]string{"merge", "-o", merged}, shards...)...); code != exitOK {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	a, err1 := os.ReadFile(filepath.Join(whole, results.SensitivityFile))
	b, err2 := os.ReadFile(filepath.Join(merged, results.SensitivityFile))
	if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
		t.Errorf("the merged sensitivity.csv differs from the whole run's (%v, %v)", err1, err2)
	}
}
