package calibration

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"frontiersim/agents"
	"frontiersim/design"
	"frontiersim/engine"
	"frontiersim/stats"
)

// The headline policy results are the levers of agents.PolicyLevers (the
// default experiment's arms): the paired difference (lever minus baseline,
// common random numbers) of each lever's target metric averaged over months
// [From, 84), and of hhi_model over months [48, 84).

// Output names: each lever's effect on its metric and on hhi_model.
func outputNames() []string {
	var o []string
	levers := agents.PolicyLevers()
	for _, l := range levers {
		o = append(o, fmt.Sprintf("%s: Δ%s", l.Name, l.Metric))
	}
	for _, l := range levers {
		o = append(o, fmt.Sprintf("%s: Δhhi_model", l.Name))
	}
	return o
}

// SensParam is a D-graded parameter varied by the sensitivity analysis.
type SensParam struct {
	Name    string
	Default float64
	Lo, Hi  float64
	Integer bool
}

// SensParams are every D-graded parameter except the policy levers and the
// run mode: calibrated ones over their search range, the others over
// default x [0.5, 1.5] (default ± 0.5 for utilities at or below 0, ± 0.5 of
// the range otherwise), clipped to the parameter's range.
func SensParams() []SensParam {
	free := map[string]Free{}
	for _, f := range FreeParams() {
		free[f.Name] = f
	}
	var out []SensParam
	for _, p := range agents.Params() {
		if p.Grade != "D" || strings.HasPrefix(p.Name, "policy.") || p.Name == "mode.replay" {
			continue
		}
		sp := SensParam{Name: p.Name, Default: p.Default, Integer: p.Integer}
		if f, ok := free[p.Name]; ok {
			sp.Lo, sp.Hi = f.Lo, f.Hi
		} else if p.Default > 0 {
			sp.Lo, sp.Hi = 0.5*p.Default, 1.5*p.Default
		} else {
			sp.Lo, sp.Hi = p.Default-0.5, p.Default+0.5
		}
		sp.Lo, sp.Hi = math.Max(sp.Lo, p.Min), math.Min(sp.Hi, p.Max)
		if sp.Integer {
			sp.Lo, sp.Hi = math.Ceil(sp.Lo), math.Floor(sp.Hi)
		}
		if sp.Hi > sp.Lo {
			out = append(out, sp)
		}
	}
	return out
}

// SensConfig sizes the analysis.
type SensConfig struct {
	Seed               uint64
	Buyers, OATReps    int
	LHSPoints, LHSReps int
	Doc                string
}

// leverEffects returns the mean paired differences of the levers (target
// metric, then hhi_model) over reps replications of s: the baseline and
// every lever's arm in one batch, replication r of each on the same
// streams.
func leverEffects(ctx context.Context, s agents.Scenario, cfg SensConfig, reps int) ([]float64, error) {
	levers := agents.PolicyLevers()
	arms := []agents.Scenario{s}
	for _, l := range levers {
		a := s
		if err := l.Apply(&a); err != nil {
			return nil, err
		}
		arms = append(arms, a)
	}
	all, err := RunScenarios(ctx, cfg.Buyers, cfg.Seed, reps, arms...)
	if err != nil {
		return nil, err
	}
	out := make([]float64, 2*len(levers))
	hhi := Col("hhi_model")
	base := all[0]
	d, dh := make([]float64, reps), make([]float64, reps)
	for li, l := range levers {
		lv := all[li+1]
		c := Col(l.Metric)
		for r := range lv {
			d[r] = lv[r].mean(c, l.From, Months) - base[r].mean(c, l.From, Months)
			dh[r] = lv[r].mean(hhi, 48, Months) - base[r].mean(hhi, 48, Months)
		}
		out[li], out[len(levers)+li] = stats.MeanInOrder(d), stats.MeanInOrder(dh)
	}
	return out, nil
}

// oatResult holds the results at the low and high end of a parameter's range.
type oatResult struct{ lo, hi []float64 }

func setParam(s *agents.Scenario, p SensParam, v float64) error {
	if p.Integer {
		v = math.Round(v)
	}
	return s.Set(p.Name, v)
}

// Sensitivity runs the one-at-a-time analysis (each parameter at the ends
// of its range, the others at their defaults) and a Latin-hypercube
// analysis with standardized regression coefficients (SRC) of the headline
// policy results, and writes the report.
func Sensitivity(ctx context.Context, cfg SensConfig, logf func(string, ...any)) error {
	params := SensParams()
	outs := outputNames()
	base := agents.DefaultScenario()
	y0, err := leverEffects(ctx, base, cfg, cfg.OATReps)
	if err != nil {
		return err
	}
	logf("baseline done; %d parameters", len(params))
	oats := make([]oatResult, len(params))
	for i, p := range params {
		for end, v := range []float64{p.Lo, p.Hi} {
			s := base
			if err := setParam(&s, p, v); err != nil {
				return err
			}
			if err := s.Validate(); err != nil {
				// a range end that breaks a cross-parameter constraint: skip
				continue
			}
			y, err := leverEffects(ctx, s, cfg, cfg.OATReps)
			if err != nil {
				return err
			}
			if end == 0 {
				oats[i].lo = y
			} else {
				oats[i].hi = y
			}
		}
		if (i+1)%10 == 0 {
			logf("one-at-a-time %d/%d", i+1, len(params))
		}
	}
	// Latin hypercube over all parameters jointly
	k := len(params)
	X := mat.NewDense(cfg.LHSPoints, k, nil)
	for n, u := range design.LatinHypercube(cfg.LHSPoints, k, engine.NewStreams(cfg.Seed, 1).Source("sensitivity")) {
		X.SetRow(n, u)
	}
	Y := mat.NewDense(cfg.LHSPoints, len(outs), nil)
	valid := make([]bool, cfg.LHSPoints)
	for n := 0; n < cfg.LHSPoints; n++ {
		s := base
		for i, p := range params {
			if err := setParam(&s, p, design.Scale(X.At(n, i), p.Lo, p.Hi)); err != nil {
				return err
			}
		}
		if s.Validate() != nil {
			continue
		}
		y, err := leverEffects(ctx, s, cfg, cfg.LHSReps)
		if err != nil {
			return err
		}
		Y.SetRow(n, y)
		valid[n] = true
		if (n+1)%16 == 0 {
			logf("hypercube %d/%d", n+1, cfg.LHSPoints)
		}
	}
	src2, r2 := srcCoefficients(X, Y, valid)
	return writeSensitivity(cfg, params, outs, y0, oats, src2, r2, valid)
}

// srcCoefficients regresses each standardized output on the standardized
// inputs (OLS with intercept) and returns the coefficients [output][param]
// and each regression's R².
func srcCoefficients(X, Y *mat.Dense, valid []bool) ([][]float64, []float64) {
	var rows []int
	for i, v := range valid {
		if v {
			rows = append(rows, i)
		}
	}
	n := len(rows)
	_, k := X.Dims()
	_, q := Y.Dims()
	Z := mat.NewDense(n, k+1, nil)
	for i, r := range rows {
		Z.Set(i, 0, 1)
		for j := 0; j < k; j++ {
			Z.Set(i, j+1, X.At(r, j))
		}
	}
	std := func(col func(i int) float64) (m, s float64) {
		for i := 0; i < n; i++ {
			m += col(i)
		}
		m /= float64(n)
		for i := 0; i < n; i++ {
			s += (col(i) - m) * (col(i) - m)
		}
		return m, math.Sqrt(s / float64(n-1))
	}
	var qr mat.QR
	qr.Factorize(Z)
	coef := make([][]float64, q)
	r2 := make([]float64, q)
	for o := 0; o < q; o++ {
		y := mat.NewVecDense(n, nil)
		for i, r := range rows {
			y.SetVec(i, Y.At(r, o))
		}
		_, sy := std(func(i int) float64 { return y.AtVec(i) })
		var b mat.VecDense
		if err := qr.SolveVecTo(&b, false, y); err != nil || sy == 0 {
			coef[o] = make([]float64, k)
			continue
		}
		var fit mat.VecDense
		fit.MulVec(Z, &b)
		ss, st := 0.0, 0.0
		my, _ := std(func(i int) float64 { return y.AtVec(i) })
		for i := 0; i < n; i++ {
			d := y.AtVec(i) - fit.AtVec(i)
			ss += d * d
			st += (y.AtVec(i) - my) * (y.AtVec(i) - my)
		}
		r2[o] = 1 - ss/st
		coef[o] = make([]float64, k)
		for j := 0; j < k; j++ {
			_, sx := std(func(i int) float64 { return Z.At(i, j+1) })
			coef[o][j] = b.AtVec(j+1) * sx / sy
		}
	}
	return coef, r2
}

func writeSensitivity(cfg SensConfig, params []SensParam, outs []string, y0 []float64, oats []oatResult, src [][]float64, r2 []float64, valid []bool) error {
	var b strings.Builder
	w := func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }
	nv := 0
	for _, v := range valid {
		if v {
			nv++
		}
	}
	w("# Sensitivity of the headline policy results to the D-graded parameters\n\n")
	b.WriteString(StaleNote) // model v2: calibrated.json held fixed until the recalibration issue
	w("Generated by `make sensitivity` (`go run ./cmd/calibrate sensitivity`); do not edit by hand. ")
	w("Headline results: the paired difference (lever minus baseline, common random numbers) of each policy lever of domain model §7.1 on its target metric (mean over the months shown), and on the model-market HHI (mean m48-83). ")
	w("%d D-graded parameters are varied (all but the policy levers themselves): the calibrated ones over their search range, the others over default x [0.5, 1.5] (default ± 0.5 for utilities at or below zero), clipped to the parameter's admissible range.\n\n", len(params))
	w("* One at a time: each parameter at the low and high end of its range, the others at the calibrated default; %d replications of %d buyers per run (seed %d).\n", cfg.OATReps, cfg.Buyers, cfg.Seed)
	w("* Latin hypercube: %d points over all parameters jointly (%d valid after the cross-parameter constraints), %d replications each; standardized regression coefficients (SRC: OLS of the standardized result on the standardized parameters). SRC² approximates the first-order Sobol index when the regression's R² is high; where R² is low the result is driven by interactions or by Monte Carlo noise and the SRCs say less.\n", cfg.LHSPoints, nv, cfg.LHSReps)
	if df := nv - len(params) - 1; df < 2*len(params) {
		w("* **Caution:** %d valid points for %d parameters leave %d residual degrees of freedom: the regression nearly interpolates, R² is close to 1 by construction, and the SRCs are not reliable. Rely on the one-at-a-time swings, or rerun with more points (`calibrate sensitivity -lhs-points N`).\n", nv, len(params), df)
	}
	w("\n")
	w("## Baseline effects (calibrated default)\n\n| result | paired difference |\n|---|---|\n")
	for o, name := range outs {
		w("| %s | %.4g |\n", name, y0[o])
	}
	for o, name := range outs {
		type row struct {
			i     int
			swing float64
		}
		var rows []row
		for i := range params {
			lo, hi := math.NaN(), math.NaN()
			if oats[i].lo != nil {
				lo = oats[i].lo[o]
			}
			if oats[i].hi != nil {
				hi = oats[i].hi[o]
			}
			sw := math.Abs(hi - lo)
			if math.IsNaN(sw) {
				sw = 0
			}
			rows = append(rows, row{i, sw})
		}
		sort.SliceStable(rows, func(a, c int) bool { return rows[a].swing > rows[c].swing })
		w("\n## %s\n\nBaseline %.4g. Hypercube regression R² = %.2f.\n\n", name, y0[o], r2[o])
		w("| parameter | range | result at low end | at high end | swing | SRC (hypercube) | sign flips? |\n|---|---|---|---|---|---|---|\n")
		for _, r := range rows[:min(12, len(rows))] {
			p := params[r.i]
			lo, hi := math.NaN(), math.NaN()
			if oats[r.i].lo != nil {
				lo = oats[r.i].lo[o]
			}
			if oats[r.i].hi != nil {
				hi = oats[r.i].hi[o]
			}
			flip := ""
			if lo*y0[o] < 0 || hi*y0[o] < 0 {
				flip = "yes"
			}
			w("| `%s` | [%g, %g] | %.4g | %.4g | %.4g | %+.2f | %s |\n", p.Name, p.Lo, p.Hi, lo, hi, r.swing, src[o][r.i], flip)
		}
	}
	w("\nParameters not listed under a result move it less than the twelve shown (full one-at-a-time results are reproduced by the command).\n")
	return os.WriteFile(cfg.Doc, []byte(b.String()), 0o644)
}
