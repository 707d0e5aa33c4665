package calibration

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"

	"frontiersim/agents"
	"frontiersim/stats"
)

// The acceptance report of model v2 part 1 (docs/acceptance.md, make
// acceptance-report): the paired effect, at the horizon, of two changes on
// the challenger's training compute and capability in the default
// experiment; part 2's figures (acceptance2.go) come from the same batch. It measures; it tunes nothing, and it reports the figures
// whatever they are.

// AcceptanceLab is the challenger whose training compute and capability
// the acceptance figures follow: the Anthropic-like lab, the lab that an
// exclusive compute deal of its rival's backer and its own backer's
// pricing act on.
const AcceptanceLab = "anthropic"

// AcceptanceArm is one change the acceptance report pairs with the
// baseline: its name, what it is, and the parameters it sets on
// agents.DefaultScenario().
type AcceptanceArm struct {
	Name, Description string
	Set               []ParamSetting
}

// ParamSetting is one parameter value of an arm.
type ParamSetting struct {
	Name  string
	Value float64
}

// AcceptanceArms are the arms of the acceptance report: the default
// experiment's exclusivity ban (experiments/shipped/default.toml's
// ban_exclusive) and the world in which the second hyperscaler, the
// AWS-like cloud, is not strategic in its compute prices
// (clouds.aws.strategic_pricing = 0; docs/ODD.md, "The compute market").
func AcceptanceArms() []AcceptanceArm {
	return []AcceptanceArm{
		{Name: "ban_exclusive", Description: "no compute exclusivity, no right of first refusal, no API exclusivity (policy.ban_exclusive = 3)",
			Set: []ParamSetting{{"policy.ban_exclusive", 3}}},
		{Name: "aws_not_strategic", Description: "the AWS-like hyperscaler prices compute on its own margin alone, its stakes and revenue shares out of its prices (clouds.aws.strategic_pricing = 0)",
			Set: []ParamSetting{{"clouds.aws.strategic_pricing", 0}}},
	}
}

// AcceptanceMeasure is one quantity of the challenger the report pairs.
type AcceptanceMeasure struct {
	Name, Unit string
	// Of returns the quantity of a replication.
	Of func(r *Rep) float64
}

// AcceptanceMeasures are the challenger's training compute at the horizon
// month m83 (a monthly flow: training is lumpy, so in many replications
// neither arm trains that month), its cumulative training compute over
// m0-m83 (the stock its capability grows on) and its capability at m83.
func AcceptanceMeasures() []AcceptanceMeasure {
	h := Months - 1
	flop, capab := Col("training_flop_"+AcceptanceLab), Col("capability_"+AcceptanceLab)
	return []AcceptanceMeasure{
		{Name: fmt.Sprintf("training compute at m%d", h), Unit: "FLOP/month", Of: func(r *Rep) float64 { return r.Get(h, flop) }},
		{Name: fmt.Sprintf("cumulative training compute m0-m%d", h), Unit: "FLOP", Of: func(r *Rep) float64 {
			x := 0.0
			for m := 0; m <= h; m++ {
				x += r.Get(m, flop)
			}
			return x
		}},
		{Name: fmt.Sprintf("capability at m%d", h), Unit: "K units", Of: func(r *Rep) float64 { return r.Get(h, capab) }},
	}
}

// AcceptanceEffect is the paired comparison of one measure under one arm.
type AcceptanceEffect struct {
	Arm, Measure, Unit string
	stats.Paired
	NonZero int // pairs whose difference is not exactly 0
}

// Acceptance is the acceptance report: the run and the effects, arm by
// arm, measure by measure.
type Acceptance struct {
	Run     ValidationRun // Reps: replications of each arm
	Arms    []AcceptanceArm
	Effects []AcceptanceEffect
	Part2   AcceptancePart2 // model v2 part 2's figures (acceptance2.go)
	// MergerControl is the part-4 section (acceptance_part4.go).
	MergerControl *MergerControlEffects
}

// MeasureAcceptance runs run.Reps replications of the baseline
// (agents.DefaultScenario(), endogenous mode) and of each arm of
// AcceptanceArms with run.Buyers buyers, in one batch on common random
// numbers (replication r of every arm on engine.NewStreams(run.Seed, r)),
// and pairs each arm with the baseline on every AcceptanceMeasures.
func MeasureAcceptance(ctx context.Context, run ValidationRun, progress func(format string, a ...any)) (Acceptance, error) {
	a := Acceptance{Run: run, Arms: AcceptanceArms()}
	if run.Reps < 2 {
		return a, fmt.Errorf("acceptance: %d replications, want at least 2", run.Reps)
	}
	base := agents.DefaultScenario()
	scen := []agents.Scenario{base}
	for _, arm := range a.Arms {
		s := agents.DefaultScenario()
		for _, p := range arm.Set {
			if err := s.Set(p.Name, p.Value); err != nil {
				return a, fmt.Errorf("acceptance arm %s: %w", arm.Name, err)
			}
		}
		scen = append(scen, s)
	}
	levers, err := LeverArms()
	if err != nil {
		return a, err
	}
	for _, arm := range levers {
		s := agents.DefaultScenario()
		for _, p := range arm.Set {
			if err := s.Set(p.Name, p.Value); err != nil {
				return a, fmt.Errorf("acceptance lever %s: %w", arm.Name, err)
			}
		}
		scen = append(scen, s)
	}
	if progress != nil {
		progress("acceptance: %d arms x %d replications of %d buyers", len(scen), run.Reps, run.Buyers)
	}
	all, err := RunScenarios(ctx, run.Buyers, run.Seed, run.Reps, scen...)
	if err != nil {
		return a, fmt.Errorf("acceptance: %w", err)
	}
	k := 1 + len(a.Arms)
	a.Effects = acceptanceEffects(a.Arms, all[:k], run.Seed)
	a.Part2 = acceptancePart2(levers, all[0], all[k:], run.Seed)
	if a.MergerControl, err = measureMergerControl(ctx, run, all[0], progress); err != nil {
		return a, err
	}
	return a, nil
}

// acceptanceEffects pairs arm i (all[i+1]) with the baseline (all[0]).
func acceptanceEffects(arms []AcceptanceArm, all [][]*Rep, seed uint64) []AcceptanceEffect {
	n := len(all[0])
	b, x := make([]float64, n), make([]float64, n)
	scratch := make([]float64, 2*n+stats.BootstrapResamples)
	var out []AcceptanceEffect
	for i, arm := range arms {
		for _, m := range AcceptanceMeasures() {
			nz := 0
			for r := range n {
				b[r], x[r] = m.Of(all[0][r]), m.Of(all[i+1][r])
				if x[r] != b[r] {
					nz++
				}
			}
			// a fixed bootstrap stream per arm and measure: the report is
			// the same bytes for the same run
			rng := rand.New(rand.NewPCG(seed, uint64(len(out))))
			out = append(out, AcceptanceEffect{Arm: arm.Name, Measure: m.Name, Unit: m.Unit,
				Paired: stats.ComparePaired(b, x, rng, scratch), NonZero: nz})
		}
	}
	return out
}

// Markdown renders the report (deterministic: the same Acceptance gives
// the same bytes).
func (a Acceptance) Markdown() ([]byte, error) {
	if len(a.Effects) == 0 {
		return nil, fmt.Errorf("acceptance report: no effects measured")
	}
	var b bytes.Buffer
	r := a.Run
	fmt.Fprintf(&b, "# Acceptance figures of model v2 parts 1, 2 and 4\n\n")
	fmt.Fprintf(&b, "Generated by `make acceptance-report` (`%s`); not part of `make test`. Do not edit by hand.\n\n", r.Command)
	fmt.Fprintf(&b, "- Commit: %s\n", revisionText(r))
	fmt.Fprintf(&b, "- Replications: %d of each arm, paired with the baseline on common random numbers (replication r of every arm on engine.NewStreams(%d, r)), %d buyers each\n", r.Reps, r.Seed, r.Buyers)
	fmt.Fprintf(&b, "- Baseline: the default experiment's baseline (the calibrated default scenario, endogenous mode)\n")
	fmt.Fprintf(&b, "- Lab: the challenger, the %s-like lab\n\n", "Anthropic")
	fmt.Fprintf(&b, "The figures are measured, not targets: nothing is tuned to make an effect appear, and they are reported whatever they are. ")
	fmt.Fprintf(&b, "A difference is the arm's value minus the baseline's in the same replication; the interval is the 95%% Student-t interval of the mean paired difference ")
	fmt.Fprintf(&b, "(the bootstrap percentile interval beside it); a pair is non-zero when the two values differ at all (its share with a 95%% Wilson interval).\n\n")
	fmt.Fprintf(&b, "## Part 1: the challenger's compute and capability\n\n")
	for _, arm := range a.Arms {
		fmt.Fprintf(&b, "### %s\n\n%s.\n\n", arm.Name, arm.Description)
		fmt.Fprintf(&b, "| measure | unit | baseline mean | arm mean | mean difference | 95%% interval | bootstrap 95%% | non-zero pairs |\n")
		fmt.Fprintf(&b, "| --- | --- | --- | --- | --- | --- | --- | --- |\n")
		for _, e := range a.Effects {
			if e.Arm != arm.Name {
				continue
			}
			lo, hi := stats.Wilson(e.NonZero, e.N)
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s to %s | %s to %s | %d of %d (%s; %s-%s) |\n", cell(e.Measure), e.Unit,
				num(e.BaseMean), num(e.ArmMean), num(e.Diff), num(e.PairedLo), num(e.PairedHi), num(e.BootLo), num(e.BootHi),
				e.NonZero, e.N, pct(float64(e.NonZero)/float64(e.N)), pct(lo), pct(hi))
		}
		fmt.Fprintln(&b)
	}
	if len(a.Part2.CSPerSpend) > 0 {
		a.Part2.markdown(&b, r)
	}
	if a.MergerControl != nil {
		a.MergerControl.markdown(&b)
	}
	return b.Bytes(), nil
}
