package calibration

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"

	"frontiersim/agents"
	"frontiersim/experiments"
	"frontiersim/stats"
)

// The acceptance figures of model v2 part 2 (issue 18: the demand system
// with an outside good, absolute prices and Bertrand–Nash pricing), in the
// same report and batch as part 1's: consumer surplus per US$ of spend,
// each policy lever's paired effect on it, the revenue-share cap's paired
// effect on the capped lab's prices, the 5–95% band of the largest cloud's
// share and the pricing game's non-converged solves. Measured, reported
// whatever they are.

// AcceptanceCappedLab is the lab whose prices the revenue-share cap's
// paired effect is reported on: the OpenAI-like lab, the lab with the
// backer contract the cap binds (the world's metrics.backer_labs).
const AcceptanceCappedLab = "openai"

// AcceptanceCapArm is the default experiment's arm of the revenue-share
// cap.
const AcceptanceCapArm = "revenue_share_cap"

// AcceptanceMonths are the months of part 2's figures: m47 (December
// 2022, before resale starts) and m83 (the horizon, December 2025).
var AcceptanceMonths = []int{47, Months - 1}

// LeverArms returns the policy levers of the shipped default experiment
// (experiments/shipped/default.toml; its arms after the baseline) as arms
// on agents.DefaultScenario(), each with the experiment's scenario
// overrides and its own.
func LeverArms() ([]AcceptanceArm, error) {
	exp, err := experiments.LoadDefault(Simulator())
	if err != nil {
		return nil, fmt.Errorf("acceptance: the default experiment: %w", err)
	}
	var out []AcceptanceArm
	for _, a := range exp.Arms[1:] {
		if a.From != 0 {
			return nil, fmt.Errorf("acceptance: arm %s switches on at month %d; part 2 pairs whole runs", a.Name, a.From)
		}
		arm := AcceptanceArm{Name: a.Name, Description: a.Description}
		for _, p := range exp.Scenario {
			arm.Set = append(arm.Set, ParamSetting{p.Name, p.Value})
		}
		for _, p := range a.Overrides {
			arm.Set = append(arm.Set, ParamSetting{p.Name, p.Value})
		}
		out = append(out, arm)
	}
	return out, nil
}

// CloudBand is the distribution across replications of one cloud's share
// in one arm and month.
type CloudBand struct {
	Arm, Cloud string
	Month      int
	stats.Summary
}

// PricingCount is an arm's pricing solves and non-converged solves over
// all months of all replications, and the largest per-replication share of
// non-converged solves (pricing_failure_share at the horizon).
type PricingCount struct {
	Arm            string
	Solves, Failed float64
	MaxShare       float64
}

// AcceptancePart2 holds part 2's figures.
type AcceptancePart2 struct {
	Levers []AcceptanceArm
	// CSPerSpend[i] is the baseline's enterprise_surplus /
	// enterprise_spend at AcceptanceMonths[i].
	CSPerSpend []stats.Summary
	// LeverCS: each lever's consumer surplus and the baseline's, both
	// divided by the baseline's spend, paired: the difference is ΔCS ÷
	// spend.
	LeverCS []AcceptanceEffect
	// CapPrices: the cap's paired effects on the capped lab's prices and
	// its effective revenue share.
	CapPrices []AcceptanceEffect
	Bands     []CloudBand
	Pricing   []PricingCount
}

// acceptancePart2 computes part 2 from the baseline's replications base
// and the levers' (levers[i] those of arms[i]).
func acceptancePart2(arms []AcceptanceArm, base []*Rep, levers [][]*Rep, seed uint64) AcceptancePart2 {
	p := AcceptancePart2{Levers: arms}
	n := len(base)
	b, x := make([]float64, n), make([]float64, n)
	scratch := make([]float64, 2*n+stats.BootstrapResamples)
	cs, sp := Col("enterprise_surplus"), Col("enterprise_spend")
	stream := uint64(1 << 20) // bootstrap streams apart from part 1's
	paired := func(arm, measure, unit string, nz int) AcceptanceEffect {
		rng := rand.New(rand.NewPCG(seed, stream))
		stream++
		return AcceptanceEffect{Arm: arm, Measure: measure, Unit: unit, Paired: stats.ComparePaired(b, x, rng, scratch), NonZero: nz}
	}
	for _, m := range AcceptanceMonths {
		for r := range n {
			b[r] = base[r].Get(m, cs) / base[r].Get(m, sp)
		}
		p.CSPerSpend = append(p.CSPerSpend, stats.SummarizeInOrder(b, scratch))
	}
	for i, arm := range arms {
		for _, m := range AcceptanceMonths {
			nz := 0
			for r := range n {
				s := base[r].Get(m, sp)
				b[r], x[r] = base[r].Get(m, cs)/s, levers[i][r].Get(m, cs)/s
				if x[r] != b[r] {
					nz++
				}
			}
			p.LeverCS = append(p.LeverCS, paired(arm.Name, fmt.Sprintf("ΔCS ÷ spend at m%d", m), "US$ per US$", nz))
		}
		if arm.Name != AcceptanceCapArm {
			continue
		}
		for _, q := range []struct{ col, what, unit string }{
			{"price_direct_" + AcceptanceCappedLab, "direct price", "US$M per workload unit"},
			{"price_resale_" + AcceptanceCappedLab, "resale price", "US$M per workload unit"},
			{"effective_share_" + AcceptanceCappedLab, "effective revenue share", "fraction"},
		} {
			c := Col(q.col)
			for _, m := range AcceptanceMonths {
				nz := 0
				for r := range n {
					b[r], x[r] = base[r].Get(m, c), levers[i][r].Get(m, c)
					if x[r] != b[r] {
						nz++
					}
				}
				p.CapPrices = append(p.CapPrices, paired(arm.Name, fmt.Sprintf("%s of %s at m%d", q.what, AcceptanceCappedLab, m), q.unit, nz))
			}
		}
	}
	clouds := agents.DefaultScenario().Cast().Clouds
	all := append([][]*Rep{base}, levers...)
	names := append([]string{"baseline"}, armNames(arms)...)
	for _, m := range AcceptanceMonths {
		// the largest cloud: the largest mean share of the baseline
		best, bestMean := "", math.Inf(-1)
		for _, cl := range clouds {
			c := Col("cloud_share_" + cl.Name)
			for r := range n {
				b[r] = base[r].Get(m, c)
			}
			if mu := stats.MeanInOrder(b); mu > bestMean {
				best, bestMean = cl.Name, mu
			}
		}
		c := Col("cloud_share_" + best)
		for k, reps := range all {
			for r := range n {
				b[r] = reps[r].Get(m, c)
			}
			p.Bands = append(p.Bands, CloudBand{Arm: names[k], Cloud: best, Month: m, Summary: stats.SummarizeInOrder(b, scratch)})
		}
	}
	solves, fails, share := Col("pricing_solves"), Col("pricing_failures"), Col("pricing_failure_share")
	for k, reps := range all {
		pc := PricingCount{Arm: names[k]}
		for _, rep := range reps {
			for m := 0; m < Months; m++ {
				pc.Solves += rep.Get(m, solves)
				pc.Failed += rep.Get(m, fails)
			}
			pc.MaxShare = math.Max(pc.MaxShare, rep.Get(Months-1, share))
		}
		p.Pricing = append(p.Pricing, pc)
	}
	return p
}

func armNames(arms []AcceptanceArm) []string {
	out := make([]string, len(arms))
	for i, a := range arms {
		out[i] = a.Name
	}
	return out
}

// markdown renders part 2 (deterministic).
func (p AcceptancePart2) markdown(b *bytes.Buffer, r ValidationRun) {
	fmt.Fprintf(b, "## Part 2: demand, pricing and welfare\n\n")
	fmt.Fprintf(b, "The demand system with an outside good, absolute prices and Bertrand–Nash pricing (issue 18), in the same batch: the baseline and the default experiment's four policy levers (experiments/shipped/default.toml), %d replications of each, %d buyers, paired on common random numbers. ", r.Reps, r.Buyers)
	fmt.Fprintf(b, "Consumer surplus is `enterprise_surplus` (Small–Rosen with the outside good as the zero, US$B/month) and spend `enterprise_spend` (US$B/month), both in the month. ")
	fmt.Fprintf(b, "Prices are US$M per workload unit (the month's unit: demand.workload_mtok Mtok of fixed-capability workload at m46, growing at demand.workload_growth_per_year).\n\n")

	fmt.Fprintf(b, "### Consumer surplus ÷ spend (baseline)\n\n")
	fmt.Fprintf(b, "| month | mean | 95%% interval of the mean | 5-95%% of replications |\n| --- | --- | --- | --- |\n")
	for i, m := range AcceptanceMonths {
		s := p.CSPerSpend[i]
		fmt.Fprintf(b, "| m%d | %s | %s to %s | %s to %s |\n", m, num(s.Mean), num(s.CILo), num(s.CIHi), num(s.P05), num(s.P95))
	}
	fmt.Fprintln(b)

	fmt.Fprintf(b, "### Each lever's ΔCS ÷ spend\n\n")
	fmt.Fprintf(b, "In each replication the arm's consumer surplus less the baseline's, divided by the baseline's spend that month; the baseline column is the baseline's CS ÷ spend, the arm column the arm's CS over the baseline's spend.\n\n")
	effectTable(b, p.LeverCS)

	fmt.Fprintf(b, "### The revenue-share cap's paired effect on the capped lab's prices\n\n")
	fmt.Fprintf(b, "The capped lab is the %s-like lab (its backer contract is the one the cap binds); its effective revenue share shows whether the cap binds. A resale price is 0 in a replication in which no cloud resells the model that month (in endogenous mode resale is an agreement that forms on its gain from trade, agents/agreements.go, so the month differs by replication).\n\n", "OpenAI")
	effectTable(b, p.CapPrices)

	fmt.Fprintf(b, "### Band of the largest cloud's share\n\n")
	fmt.Fprintf(b, "The largest cloud is the cloud with the largest mean share of cloud revenue (`cloud_share_<cloud>`) in the baseline that month; the band is the 5th to 95th percentile across replications (empirical quantiles, stats.Summarize).\n\n")
	fmt.Fprintf(b, "| arm | month | cloud | mean | 5-95%% of replications |\n| --- | --- | --- | --- | --- |\n")
	for _, c := range p.Bands {
		fmt.Fprintf(b, "| %s | m%d | %s | %s | %s to %s |\n", c.Arm, c.Month, c.Cloud, num(c.Mean), num(c.P05), num(c.P95))
	}
	fmt.Fprintln(b)

	fmt.Fprintf(b, "### Non-converged pricing solves\n\n")
	fmt.Fprintf(b, "Bertrand–Nash solves (`pricing_solves`) and those that did not converge (`pricing_failures`, prices held) over all months of all replications; the largest share is the largest `pricing_failure_share` at m%d of any replication. Check mode (every run here) also requires every converged solve's first-order-condition residual to be at most 1e-6 x price.\n\n", Months-1)
	fmt.Fprintf(b, "| arm | solves | non-converged | share | largest share in a replication |\n| --- | --- | --- | --- | --- |\n")
	for _, c := range p.Pricing {
		share := math.NaN()
		if c.Solves > 0 {
			share = c.Failed / c.Solves
		}
		fmt.Fprintf(b, "| %s | %.0f | %.0f | %s | %s |\n", c.Arm, c.Solves, c.Failed, num(share), num(c.MaxShare))
	}
	fmt.Fprintln(b)
}

// effectTable renders paired effects.
func effectTable(b *bytes.Buffer, es []AcceptanceEffect) {
	fmt.Fprintf(b, "| arm | measure | unit | baseline mean | arm mean | mean difference | 95%% interval | bootstrap 95%% | non-zero pairs |\n")
	fmt.Fprintf(b, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, e := range es {
		lo, hi := stats.Wilson(e.NonZero, e.N)
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s to %s | %s to %s | %d of %d (%s; %s-%s) |\n", e.Arm, cell(e.Measure), e.Unit,
			num(e.BaseMean), num(e.ArmMean), num(e.Diff), num(e.PairedLo), num(e.PairedHi), num(e.BootLo), num(e.BootHi),
			e.NonZero, e.N, pct(float64(e.NonZero)/float64(e.N)), pct(lo), pct(hi))
	}
	fmt.Fprintln(b)
}
