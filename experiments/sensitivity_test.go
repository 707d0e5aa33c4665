package experiments

import (
	"math"
	"strings"
	"testing"

	"frontiersim/design"
	"frontiersim/engine"
	"frontiersim/internal/toysim"
	"frontiersim/results"
)

const sensBase = `name = "sens"
seed = 4
replications = 2
months = 6
buyers = 5

[[arms]]
name = "capped"
overrides = { "toy.cap" = 0.6 }

[sensitivity]
method = "sobol"
n = 4

[[sensitivity.parameters]]
name = "toy.growth"
min = 0.01
max = 0.2

[[sensitivity.parameters]]
name = "toy.lag"
min = 1
max = 4
`

// TestSensitivityPoints: the design's points are the experiment's sweep
// points, in the design's order: Saltelli's (d+2)n, scaled to the ranges
// (a whole-number parameter by ScaleWhole); Morris's and the hypercube's
// from their streams; the one-at-a-time centre and ends. Points() counts
// them, so the plan limits see them.
func TestSensitivityPoints(t *testing.T) {
	for _, c := range []struct {
		method, sizes string
		unit          func() [][]float64
		want          int
	}{
		{"sobol", "n = 4", func() [][]float64 { u, _ := design.Saltelli(4, 2); return u }, 16},
		{"morris", "trajectories = 3", func() [][]float64 {
			u, _ := design.Morris(3, 2, 4, engine.NewStreams(4, 0).Source("sensitivity.morris"))
			return u
		}, 9},
		{"src", "n = 7", func() [][]float64 {
			return design.LatinHypercube(7, 2, engine.NewStreams(4, 0).Source("sensitivity.lhs"))
		}, 7},
		{"oat", "", nil, 5},
	} {
		t.Run(c.method, func(t *testing.T) {
			e := loadString(t, strings.NewReplacer(`method = "sobol"`, `method = "`+c.method+`"`, "n = 4", c.sizes).Replace(sensBase))
			plan := e.Plan(toysim.Simulator{})
			if e.Points() != c.want || len(plan.Points) != c.want || plan.Sweep == nil || plan.Sweep.Kind != c.method {
				t.Fatalf("Points() %d, plan %d points, sweep %+v; want %d points of kind %s", e.Points(), len(plan.Points), plan.Sweep, c.want, c.method)
			}
			var want [][2]float64
			if c.unit != nil {
				for _, u := range c.unit() {
					want = append(want, [2]float64{design.Scale(u[0], 0.01, 0.2), design.ScaleWhole(u[1], 1, 4)})
				}
			} else {
				want = [][2]float64{{0.05, 0}, {0.01, 0}, {0.2, 0}, {0.05, 1}, {0.05, 4}} // the centre: the defaults
			}
			for i, pt := range plan.Points {
				if len(pt.Params) != 2 || pt.Params[0].Name != "toy.growth" || pt.Params[1].Name != "toy.lag" ||
					pt.Params[0].Value != want[i][0] || pt.Params[1].Value != want[i][1] {
					t.Errorf("point %d (%s): %+v, want %v", i, pt.Name, pt.Params, want[i])
				}
			}
			// The experiment as run loads back to the same experiment.
			again := loadString(t, string(e.Canonical()))
			if again.Hash() != e.Hash() || again.Sensitivity == nil || again.Points() != c.want {
				t.Errorf("experiment.toml does not load back to the same design:\n%s", e.Canonical())
			}
		})
	}
}

// TestSensitivityExtends: a [sensitivity] in an extending file replaces the
// base's [sweep] (either is the experiment's points), and a [sweep]
// replaces the base's [sensitivity].
func TestSensitivityExtends(t *testing.T) {
	files := map[string]string{
		"sweep.toml": "name = \"s\"\n[[arms]]\nname = \"capped\"\noverrides = { \"toy.cap\" = 0.6 }\n[sweep]\nkind = \"grid\"\n[[sweep.parameters]]\nname = \"toy.noise\"\nvalues = [0, 0.1]\n",
		"sens.toml":  "extends = \"sweep.toml\"\n" + sensBase[strings.Index(sensBase, "[sensitivity]"):],
		"back.toml":  "extends = \"sens.toml\"\n[sweep]\nkind = \"grid\"\n[[sweep.parameters]]\nname = \"toy.noise\"\nvalues = [0, 0.1, 0.2]\n",
	}
	read := func(p string) ([]byte, error) { return []byte(files[p]), nil }
	e, err := Load("sens.toml", read, toysim.Simulator{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Sweep != nil || e.Sensitivity == nil || e.Points() != 16 {
		t.Errorf("sens.toml: sweep %+v, sensitivity %v, %d points; want the design's 16", e.Sweep, e.Sensitivity != nil, e.Points())
	}
	e, err = Load("back.toml", read, toysim.Simulator{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Sweep == nil || e.Sensitivity != nil || e.Points() != 3 {
		t.Errorf("back.toml: sweep %+v, sensitivity %v, %d points; want the grid's 3", e.Sweep, e.Sensitivity != nil, e.Points())
	}
}

// TestMorrisWholeNumberStep: Morris's elementary effect of a whole-number
// parameter divides by the step the parameter took, as a share of its
// range, not by the step of the unit design. Over toy.lag in 1 ... 3 a unit
// step of 2/3 moves the lag by 2 (from 1) or by 1 (from 2); on an output
// linear in the parameters' values, 3·lag + 10·growth, every elementary
// effect is then the slope times the range, 3·(3 − 1) = 6 and
// 10·(0.2 − 0.01) = 1.9, with σ = 0.
func TestMorrisWholeNumberStep(t *testing.T) {
	e := loadString(t, strings.NewReplacer(`method = "sobol"`, `method = "morris"`, "n = 4", "trajectories = 8", "max = 4", "max = 3").Replace(sensBase))
	plan := e.Plan(toysim.Simulator{})
	y := make([]float64, len(plan.Points))
	steps := map[float64]bool{}
	for i, pt := range plan.Points {
		y[i] = 10*pt.Params[0].Value + 3*pt.Params[1].Value
		if i%3 > 0 {
			steps[math.Abs(pt.Params[1].Value-plan.Points[i-1].Params[1].Value)] = true
		}
	}
	if !steps[1] || !steps[2] {
		t.Fatalf("the design's lag steps %v: the test needs steps of 1 and 2", steps)
	}
	outs := PointOutputs{Window: results.Window{Name: results.HorizonWindow, From: 5, To: 5}, Metrics: []int{0}, Level: [][]float64{y}}
	rows, err := e.Sensitivity.Analyse(plan, outs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"toy.growth": 10 * (0.2 - 0.01), "toy.lag": 3 * (3 - 1)}
	for _, r := range rows {
		if w := want[r.Parameter]; math.Abs(r.MuStar-w) > 1e-9 || math.Abs(r.Mu-w) > 1e-9 || r.Sigma > 1e-9 {
			t.Errorf("%s: μ %v, μ* %v, σ %v; want μ = μ* = %v, σ = 0", r.Parameter, r.Mu, r.MuStar, r.Sigma, w)
		}
	}
}
