package plots

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/results"
)

// sensFixture is one output's rows of each method over three parameters.
func sensFixture(method string) sensGroup {
	base := results.SensitivityRow{Method: method, Output: "effect", Arm: "cap", Metric: "hhi_model", Window: "horizon", Mean: -120, SD: 80}
	g := sensGroup{Method: method, Output: "effect", Arm: "cap", ArmIndex: 1, Window: "horizon", Metric: results.Metric{Name: "hhi_model", Unit: "HHI (0-10,000)"}}
	vals := []struct {
		name                           string
		s1, s1lo, s1hi, st, stlo, sthi float64
		mu, mus, sig                   float64
		lo, hi                         float64
		src                            float64
	}{
		{"logit.beta_k", 0.31, 0.22, 0.41, 0.56, 0.47, 0.66, -210, 260, 190, -300, 40, -0.55},
		{"bass.p", 0.44, 0.36, 0.52, 0.45, 0.39, 0.51, 150, 150, 20, -180, -20, 0.66},
		{"labs.frontier_burn_growth", -0.01, -0.06, 0.04, 0.24, 0.18, 0.31, 5, 60, 75, -140, -110, 0.02},
	}
	for _, v := range vals {
		r := base
		r.Parameter = v.name
		r.First, r.FirstLo, r.FirstHi, r.Total, r.TotalLo, r.TotalHi = v.s1, v.s1lo, v.s1hi, v.st, v.stlo, v.sthi
		r.Mu, r.MuStar, r.Sigma = v.mu, v.mus, v.sig
		r.Center, r.Low, r.High, r.Swing = -120, v.lo, v.hi, v.hi-v.lo
		r.SRC, r.R2 = v.src, 0.74
		r.N = 64
		if method == "morris" {
			r.N = 10
		}
		g.Rows = append(g.Rows, r)
	}
	return g
}

// discoveryFixture is a 2-D sweep of 60 points with cases of interest in
// the corner x > 0.6, y < 0.5, and a box found around it.
func discoveryFixture() *discoveryData {
	x := &discoveryData{params: []string{"policy.revenue_share_cap", "logit.beta_k", "bass.p"}}
	for i := range 60 {
		p := []float64{float64((i*37)%60) / 60, float64((i*17)%60) / 60, float64(i) / 60}
		x.points = append(x.points, p)
		in := p[0] > 0.6 && p[1] < 0.5 || i%23 == 0
		x.target = append(x.target, results.DiscoveryTargetRow{Point: "p", Arm: "cap", Metric: "hhi_model", Window: "horizon", Threshold: 0, Effect: -1, Interest: in})
	}
	cov, den := []float64{1, 0.95, 0.9, 0.86, 0.8}, []float64{0.25, 0.34, 0.52, 0.71, 0.88}
	for i := range cov {
		x.trajectory = append(x.trajectory, results.DiscoveryStepRow{Stage: "peel", Step: i, N: 60 - 10*i, Coverage: cov[i], Density: den[i], Chosen: i == 3})
	}
	x.trajectory = append(x.trajectory, results.DiscoveryStepRow{Stage: "pasted", Step: 3, N: 22, Coverage: 0.9, Density: 0.78, Mass: 0.37, Chosen: true})
	x.box = []results.DiscoveryBoxRow{
		{Parameter: "policy.revenue_share_cap", Lo: 0.6, Hi: 0.983, RangeLo: 0, RangeHi: 0.983, Restricted: true, CoverageWithout: 1, DensityWithout: 0.4},
		{Parameter: "logit.beta_k", Lo: 0, Hi: 0.48, RangeLo: 0, RangeHi: 0.983, Restricted: true, CoverageWithout: 0.95, DensityWithout: 0.5},
		{Parameter: "bass.p", Lo: 0, Hi: 0.983, RangeLo: 0, RangeHi: 0.983, CoverageWithout: math.NaN(), DensityWithout: math.NaN()},
	}
	return x
}

func TestAnalysisGolden(t *testing.T) {
	if raceDetector {
		t.Skip("pixel goldens are 10x slower under -race; make test-slow runs them without it")
	}
	d := discoveryFixture()
	cases := []struct {
		name string
		draw func() ([]byte, bool, error)
	}{
		{"sobol", func() ([]byte, bool, error) { return sobolChart(sensFixture("sobol"), "png") }},
		{"morris", func() ([]byte, bool, error) { return morrisChart(sensFixture("morris"), "png") }},
		{"oat", func() ([]byte, bool, error) { return oatChart(sensFixture("oat"), "png") }},
		{"src", func() ([]byte, bool, error) { return srcChart(sensFixture("src"), "png") }},
		{"prim_tradeoff", func() ([]byte, bool, error) { return d.tradeoffChart("png") }},
		{"prim_box", func() ([]byte, bool, error) { return d.boxChart("png") }},
		{"prim_map", func() ([]byte, bool, error) { return d.mapChart("png") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, ok, err := c.draw()
			if err != nil || !ok {
				t.Fatalf("draw: ok=%v err=%v", ok, err)
			}
			comparePNG(t, c.name, b)
		})
	}
}

// TestAnalysisNames: every analysis chart's file name is one a start-over
// removes, and an output's charts are told apart by method, arm and
// metric (a level's by the baseline's name, which no policy arm has).
func TestAnalysisNames(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range []string{"sobol", "morris", "oat", "src"} {
		for _, out := range []struct{ kind, arm string }{{"level", "baseline"}, {"effect", "cap"}, {"effect", "a b"}} {
			g := sensFixture(m)
			g.Output, g.Arm = out.kind, out.arm
			name := g.file() + ".png"
			if !results.IsChartFile(name) || seen[name] || !isAnalysisChart(g.file()) {
				t.Errorf("%s: IsChartFile %v, seen %v", name, results.IsChartFile(name), seen[name])
			}
			seen[name] = true
		}
	}
	for _, j := range (analysis{disc: discoveryFixture()}).jobs() {
		if !results.IsChartFile(j.name+".svg") || !isAnalysisChart(j.name) {
			t.Errorf("%s is not a chart file name of an analysis", j.name)
		}
	}
}

// TestReadDiscoveryIncomplete: a directory with some of the discovery
// tables only (an interrupted runsim discover) is an error that says to
// run it again, not a report without them.
func TestReadDiscoveryIncomplete(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, results.DiscoveryBoxFile), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := &results.Dir{Path: dir}
	if _, err := readDiscovery(d); err == nil || !strings.Contains(err.Error(), "header") && !strings.Contains(err.Error(), "run runsim discover again") {
		t.Errorf("err = %v", err)
	}
	empty := &results.Dir{Path: t.TempDir()}
	if x, err := readDiscovery(empty); x != nil || err != nil {
		t.Errorf("no discovery tables: %v, %v; want nil, nil", x, err)
	}
}
