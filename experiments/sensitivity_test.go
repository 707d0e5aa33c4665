package experiments

import (
	"strings"
	"testing"

	"frontiersim/design"
	"frontiersim/engine"
	"frontiersim/internal/toysim"
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
