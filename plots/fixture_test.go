package plots

import (
	"fmt"
	"math"
	"sort"

	"frontiersim/results"
)

// lcg is a tiny deterministic generator for fixtures (stable across Go
// versions, unlike math/rand's unexported algorithms).
type lcg uint64

func (s *lcg) float() float64 {
	*s = *s*6364136223846793005 + 1442695040888963407
	return float64(uint64(*s)>>11) / (1 << 53)
}

func (s *lcg) norm() float64 {
	u1, u2 := s.float(), s.float()
	if u1 < 1e-300 {
		u1 = 1e-300
	}
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

var fixtureMetrics = []results.Metric{
	{Name: "hhi_model", Unit: "HHI, 0-10,000", Description: "Concentration of the model market"},
	{Name: "consumer_surplus", Unit: "USD bn/month", Description: "Consumer surplus"},
	{Name: "price_index", Unit: "2019-01 = 100", Description: "Quality-adjusted price index", Scale: results.ScaleLog},
	{Name: "model_share_openai", Unit: "share", Description: "Spend share of openai", Group: results.GroupModelShare},
	{Name: "model_share_anthropic", Unit: "share", Description: "Spend share of anthropic", Group: results.GroupModelShare},
	{Name: "model_share_google", Unit: "share", Description: "Spend share of google", Group: results.GroupModelShare},
	{Name: "model_share_open", Unit: "share", Description: "Spend share of open-weight models", Group: results.GroupModelShare},
	{Name: "cloud_share_aws", Unit: "share", Description: "Revenue share of aws", Group: results.GroupCloudShare},
	{Name: "cloud_share_azure", Unit: "share", Description: "Revenue share of azure", Group: results.GroupCloudShare},
	{Name: "cloud_share_gcp", Unit: "share", Description: "Revenue share of gcp", Group: results.GroupCloudShare},
}

// fixture builds a small result directory by hand: 3 arms, 24 months from
// 2019-01, 3 ordinary metrics and two share markets; sweep is "" (one
// point), "grid" (3×3) or "lhs" (10 points).
func fixture(sweep string) *results.Dir {
	d, _ := fixtureValues(sweep)
	return d
}

// fixtureValues is fixture with its replications' values:
// values[arm][point][rep][month][metric].
func fixtureValues(sweep string) (*results.Dir, [][][][][]float64) {
	return fixtureOf(fixtureOpts{sweep: sweep, arms: 3})
}

// fixtureOpts shape a fixture: its number of arms (1 to 9, the baseline
// included), whether their names are long, and the sweep: "" (one point),
// "grid" (3×3), "grid43" (4×3) or "lhs" (10 points).
type fixtureOpts struct {
	sweep string
	arms  int
	long  bool
}

// fixtureArms are the arms of the fixtures, in order; longArmNames are
// their long names.
var (
	fixtureArms = []results.Arm{
		{Name: "baseline", Description: "status quo"},
		{Name: "compute_cap", Description: "cap on training compute <b>&</b>",
			Overrides: []results.ParamValue{{Name: "policy.compute_cap", Value: 1e25}}},
		{Name: "open_weights_subsidy", Description: "subsidise open-weight releases",
			Overrides: []results.ParamValue{{Name: "policy.open_subsidy", Value: 0.3}}},
		{Name: "ban_exclusive", Description: "no exclusive deals", Overrides: []results.ParamValue{{Name: "policy.ban", Value: 1}}},
		{Name: "merger_control", Description: "no vertical mergers", Overrides: []results.ParamValue{{Name: "policy.merger", Value: 1}}},
		{Name: "lower_switching_costs", Description: "switching costs halved", Overrides: []results.ParamValue{{Name: "policy.switch", Value: 0.5}}},
		{Name: "revenue_share_cap", Description: "revenue share capped", Overrides: []results.ParamValue{{Name: "policy.cap", Value: 0.1}}},
		{Name: "ban_covenants", Description: "no covenants", Overrides: []results.ParamValue{{Name: "policy.covenants", Value: 1}}},
		{Name: "all_levers", Description: "every lever at once", Overrides: []results.ParamValue{{Name: "policy.all", Value: 1}}},
	}
	longArmNames = []string{"baseline_status_quo_calibrated_2019_2025",
		"compute_cap_at_ten_to_the_twenty_five_flop", "open_weights_subsidy_of_thirty_percent",
		"ban_on_exclusive_compute_and_api_deals", "merger_control_above_twenty_percent_stakes",
		"lower_switching_costs_halved_for_all_buyers", "revenue_share_cap_at_ten_percent_with_leakage",
		"ban_on_investment_covenants_everywhere", "all_levers_together_at_their_strongest_setting"}
)

func fixtureOf(o fixtureOpts) (*results.Dir, [][][][][]float64) {
	sweep := o.sweep
	arms := append([]results.Arm(nil), fixtureArms[:max(1, min(o.arms, len(fixtureArms)))]...)
	if o.long {
		for i := range arms {
			arms[i].Name = longArmNames[i]
		}
	}
	plan := results.Plan{
		Arms:         arms,
		Replications: 20,
		Months:       24,
		Buyers:       500,
		StartYear:    2019,
		StartMonth:   1,
		Metrics:      fixtureMetrics,
		Charts:       results.ChartSpec{Format: "png"},
	}
	switch sweep {
	case "":
		plan.Points = []results.Point{{Name: ""}}
	case "grid":
		plan.Replications = 8
		plan.Sweep = &results.SweepSpec{Kind: "grid", Parameters: []string{"demand.elasticity", "cost.scale"}}
		for i, e := range []float64{0.5, 1, 1.5} {
			for j, c := range []float64{0.8, 1, 1.2} {
				plan.Points = append(plan.Points, results.Point{Name: fmt.Sprintf("p%d", i*3+j),
					Params: []results.ParamValue{{Name: "demand.elasticity", Value: e}, {Name: "cost.scale", Value: c}}})
			}
		}
		plan.Charts.Heatmap = "consumer_surplus"
	case "grid43":
		plan.Replications = 8
		plan.Sweep = &results.SweepSpec{Kind: "grid", Parameters: []string{"policy.revenue_share_cap", "policy.switching_cost_multiplier"}}
		for i, e := range []float64{0.05, 0.1, 0.2, 1} {
			for j, c := range []float64{0.25, 0.5, 1} {
				plan.Points = append(plan.Points, results.Point{Name: fmt.Sprintf("p%d", i*3+j),
					Params: []results.ParamValue{{Name: "policy.revenue_share_cap", Value: e}, {Name: "policy.switching_cost_multiplier", Value: c}}})
			}
		}
		plan.Charts.Heatmap = "consumer_surplus"
	case "lhs":
		plan.Replications = 6
		plan.Sweep = &results.SweepSpec{Kind: "lhs", Parameters: []string{"demand.elasticity", "cost.scale"}}
		s := lcg(99)
		for i := 0; i < 10; i++ {
			e := 0.5 + (float64(i)+s.float())/10
			c := 0.8 + (float64((i*7)%10)+s.float())/10*0.4
			plan.Points = append(plan.Points, results.Point{Name: fmt.Sprintf("p%d", i),
				Params: []results.ParamValue{{Name: "demand.elasticity", Value: e}, {Name: "cost.scale", Value: c}}})
		}
	}
	m := results.Manifest{
		Experiment: "fixture <policy> & \"levers\"", Description: "Hand-made fixture: does a <compute cap> lower concentration?",
		ExperimentHash: "abc123", ProgramVersion: "test", GoVersion: "go1.26", Seed: 42, Plan: plan,
		Status: results.StatusComplete, StartTime: "2025-01-01T00:00:00Z", EndTime: "2025-01-01T00:01:00Z",
	}
	m.JobsTotal = plan.Jobs()
	m.JobsDone = m.JobsTotal
	d := &results.Dir{Path: "fixture", Manifest: m}

	nm := len(plan.Metrics)
	// values[arm][point][rep][month][metric]
	values := make([][][][][]float64, len(plan.Arms))
	for a := range plan.Arms {
		values[a] = make([][][][]float64, len(plan.Points))
		for pi, pt := range plan.Points {
			el, cs := 1.0, 1.0
			for k, pv := range pt.Params { // the first swept parameter moves demand, the second costs
				if k == 0 {
					el = pv.Value
				} else {
					cs = pv.Value
				}
			}
			values[a][pi] = make([][][]float64, plan.Replications)
			for r := 0; r < plan.Replications; r++ {
				s := lcg(uint64(1000*pi + r + 1)) // common random numbers across arms
				own := lcg(uint64(77777*a + 1000*pi + r + 1))
				walk := make([]float64, nm)
				shares := []float64{0.5, 0.3, 0.15, 0.05}
				cloud := []float64{0.45, 0.35, 0.2}
				vs := make([][]float64, plan.Months)
				for t := 0; t < plan.Months; t++ {
					for k := range walk {
						walk[k] += s.norm() + 0.4*own.norm()
					}
					ft := float64(t)
					v := make([]float64, nm)
					v[0] = 3500 + 40*ft - float64(a)*12*ft + 90*walk[0]*(1+0.2*float64(a)) + 300*(cs-1)
					v[1] = 10 + 0.8*ft*el + float64(a)*0.15*ft + 1.2*walk[1]
					v[2] = 100 * math.Exp(-0.15*ft*cs) * (1 - 0.01*float64(a)) * (1 + 0.01*walk[2])
					// model shares drift from openai to open weights under arm 2.
					sh := append([]float64{}, shares...)
					shift := 0.004 * ft * (1 + float64(a))
					sh[0] -= shift
					sh[3] += shift
					sh[1] += 0.003 * walk[3]
					sh[2] -= 0.003 * walk[3]
					copy(v[3:7], sh)
					cl := append([]float64{}, cloud...)
					cl[0] -= 0.002 * ft
					cl[2] += 0.002 * ft
					copy(v[7:10], cl)
					vs[t] = v
				}
				values[a][pi][r] = vs
			}
		}
	}
	for a, arm := range plan.Arms {
		for pi, pt := range plan.Points {
			for r := 0; r < plan.Replications; r++ {
				d.Runs = append(d.Runs, results.Run{Arm: arm.Name, Point: pt.Name, Replication: r,
					Values: append([]float64{}, values[a][pi][r][plan.Months-1]...)})
			}
		}
	}
	q := func(s []float64, p float64) float64 { // s sorted
		h := p * float64(len(s)-1)
		lo := int(math.Floor(h))
		if lo >= len(s)-1 {
			return s[len(s)-1]
		}
		return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
	}
	for a, arm := range plan.Arms {
		for pi, pt := range plan.Points {
			for t := 0; t < plan.Months; t++ {
				for k, met := range plan.Metrics {
					xs := make([]float64, plan.Replications)
					for r := range xs {
						xs[r] = values[a][pi][r][t][k]
					}
					mean, sd := meanSD(xs)
					sort.Float64s(xs)
					n := float64(len(xs))
					se := sd / math.Sqrt(n)
					d.Series = append(d.Series, results.SeriesRow{Arm: arm.Name, Point: pt.Name, Month: t,
						Date: plan.MonthLabel(t), Metric: met.Name, N: len(xs), Mean: mean, SD: sd, SE: se,
						CILo: mean - 2.09*se, CIHi: mean + 2.09*se, Median: q(xs, 0.5),
						P05: q(xs, 0.05), P25: q(xs, 0.25), P75: q(xs, 0.75), P95: q(xs, 0.95)})
				}
			}
		}
	}
	h := plan.Months - 1
	for a := 1; a < len(plan.Arms); a++ {
		for pi, pt := range plan.Points {
			for k, met := range plan.Metrics {
				diffs := make([]float64, plan.Replications)
				bs := make([]float64, plan.Replications)
				as := make([]float64, plan.Replications)
				for r := range diffs {
					bs[r] = values[0][pi][r][h][k]
					as[r] = values[a][pi][r][h][k]
					diffs[r] = as[r] - bs[r]
				}
				dm, dsd := meanSD(diffs)
				bm, bsd := meanSD(bs)
				am, asd := meanSD(as)
				n := float64(len(diffs))
				hw := 2.09 * dsd / math.Sqrt(n)
				uw := 2.02 * math.Sqrt(bsd*bsd/n+asd*asd/n)
				gain := 0.0
				if hw > 0 {
					gain = uw / hw
				}
				d.Comparison = append(d.Comparison, results.ComparisonRow{Arm: plan.Arms[a].Name, Point: pt.Name,
					Metric: met.Name, Window: results.HorizonWindow, From: h, Month: h, N: len(diffs), BaselineMean: bm, BaselineSD: bsd, ArmMean: am, Diff: dm, DiffSD: dsd,
					PairedLo: dm - hw, PairedHi: dm + hw, BootLo: dm - 0.95*hw, BootHi: dm + 1.02*hw,
					UnpairedLo: dm - uw, UnpairedHi: dm + uw, PairingGain: gain})
			}
		}
	}
	return d, values
}

// dataWithPaths is the drawing data of a fixture with its replications'
// paths (values) served from memory, as the replication store would (the
// effect charts draw from it).
func dataWithPaths(d *results.Dir, values [][][][][]float64) *data {
	x := newData(d)
	x.pathsOf = func(point int, arms ...int) ([][][]float64, error) {
		out := make([][][]float64, len(arms))
		for i, a := range arms {
			for _, rep := range values[a][point] {
				var path []float64
				for _, month := range rep {
					path = append(path, month...)
				}
				out[i] = append(out[i], path)
			}
		}
		return out, nil
	}
	return x
}

// withWindow adds to a fixture the named window "late" (months 12 to 23)
// and its comparison rows, and declares the compute cap to move hhi_model
// by definition.
func withWindow(d *results.Dir, values [][][][][]float64) *results.Dir {
	plan := &d.Manifest.Plan
	plan.Report.Windows = []results.Window{{Name: "late", From: 12, To: 23}}
	plan.Definitional = []results.DefinitionalEffect{{Lever: "policy.compute_cap", Metric: "hhi_model", Why: "the cap bounds the leaders' compute"}}
	plan.Parameters = []results.ParamValue{{Name: "policy.compute_cap", Value: 0}, {Name: "policy.open_subsidy", Value: 0}}
	arms := map[string]results.Arm{}
	for _, a := range plan.Arms {
		arms[a.Name] = a
	}
	for i := range d.Comparison {
		c := &d.Comparison[i]
		c.Definitional = plan.IsDefinitional(arms[c.Arm], c.Metric)
	}
	addWindowRows(d, values, results.Window{Name: "late", From: 12, To: 23})
	return d
}

// withLeverStart makes the fixture's last arm switch its levers on at month
// 12 ([[arms]] from = 12) and adds the comparison rows of its window from12
// (months 12 to 23), as comparison.csv has them.
func withLeverStart(d *results.Dir, values [][][][][]float64) *results.Dir {
	plan := &d.Manifest.Plan
	plan.Arms[len(plan.Arms)-1].From = 12
	addWindowRows(d, values, results.Window{Name: results.FromWindow(12), From: 12, To: 23})
	return d
}

// addWindowRows adds the comparison rows of window w (each replication's
// mean over the window, paired) to a fixture.
func addWindowRows(d *results.Dir, values [][][][][]float64, w results.Window) {
	plan := &d.Manifest.Plan
	for a := 1; a < len(plan.Arms); a++ {
		for pi, pt := range plan.Points {
			for k, met := range plan.Metrics {
				diffs := make([]float64, plan.Replications)
				bs := make([]float64, plan.Replications)
				for r := range diffs {
					var b, x float64
					for t := w.From; t <= w.To; t++ {
						b += values[0][pi][r][t][k]
						x += values[a][pi][r][t][k]
					}
					n := float64(w.To - w.From + 1)
					diffs[r] = (x - b) / n
					bs[r] = b / n
				}
				dm, dsd := meanSD(diffs)
				_, bsd := meanSD(bs)
				hw := 2.09 * dsd / math.Sqrt(float64(len(diffs)))
				d.Comparison = append(d.Comparison, results.ComparisonRow{Arm: plan.Arms[a].Name, Point: pt.Name,
					Metric: met.Name, Window: w.Name, From: w.From, Month: w.To, N: len(diffs), BaselineSD: bsd, Diff: dm, DiffSD: dsd,
					PairedLo: dm - hw, PairedHi: dm + hw, BootLo: dm - 0.9*hw, BootHi: dm + 0.95*hw,
					Definitional: plan.IsDefinitional(plan.Arms[a], met.Name)})
			}
		}
	}
}

func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	if len(xs) > 1 {
		sd = math.Sqrt(sd / float64(len(xs)-1))
	}
	return
}
