package calibration

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"

	"frontiersim/agents"
	"frontiersim/stats"
)

// The acceptance figures of model v2 part 4 (issue 21; docs/acceptance.md,
// section "Part 4"): merger control's paired effect, in the default
// experiment, on consumer surplus, prices and capability, which are
// outcomes of the model (blocked deals change prices, capability and
// surplus, or do not), beside its effect on lab independence, which is
// definitional (the index is built from the stakes and the ownership the
// lever caps and blocks), and what the regime blocks, screen by screen.
// It measures; it tunes nothing.

// MergerControlArm is the default experiment's merger-control arm
// (experiments/shipped/default.toml, arm merger_control).
func MergerControlArm() AcceptanceArm {
	return AcceptanceArm{Name: "merger_control",
		Description: "the agencies' review of acquisitions, licence-and-hire deals and stakes (UK rule and tests; horizontal, vertical and distribution screens); " +
			"stakes above 20% blocked (policy.merger_control = 1, policy.stake_threshold = 0.2)",
		Set: []ParamSetting{{"policy.merger_control", 1}, {"policy.stake_threshold", 0.2}}}
}

// MergerControlMeasure is one quantity the part-4 section pairs; Kind is
// "outcome" (a result of the model), "definitional" (moved by the lever by
// the metric's definition) or "what it blocks" (the review's counters).
type MergerControlMeasure struct {
	AcceptanceMeasure
	Kind string
}

// atHorizon reads metric col at m83; meanOver its mean over months [from, Months).
func atHorizon(name string) func(r *Rep) float64 {
	c := Col(name)
	return func(r *Rep) float64 { return r.Get(Months-1, c) }
}

func meanOver(name string, from int) func(r *Rep) float64 {
	c := Col(name)
	return func(r *Rep) float64 {
		x := 0.0
		for m := from; m < Months; m++ {
			x += r.Get(m, c)
		}
		return x / float64(Months-from)
	}
}

// MergerControlMeasures are the outcomes (consumer surplus, prices,
// capability), lab independence, and the counts of what the review does.
func MergerControlMeasures() []MergerControlMeasure {
	h := Months - 1
	out := func(name, unit string, of func(r *Rep) float64) MergerControlMeasure {
		return MergerControlMeasure{AcceptanceMeasure{Name: name, Unit: unit, Of: of}, "outcome"}
	}
	blocks := func(name, metric string) MergerControlMeasure {
		return MergerControlMeasure{AcceptanceMeasure{Name: name, Unit: "count to m83", Of: atHorizon(metric)}, "what it blocks"}
	}
	return []MergerControlMeasure{
		out("consumer surplus, discounted m0-m83", "US$B", atHorizon("consumer_surplus_discounted")),
		out(fmt.Sprintf("consumer surplus at m%d", h), "US$B/month", atHorizon("enterprise_surplus")),
		out("price index, mean m48-m83", "US$ per Mtok, fixed capability", meanOver("price_index", 48)),
		out(fmt.Sprintf("price index at m%d", h), "US$ per Mtok, fixed capability", atHorizon("price_index")),
		out(fmt.Sprintf("frontier capability at m%d", h), "K units", atHorizon("frontier_capability")),
		out(fmt.Sprintf("challenger's capability at m%d", h), "K units", atHorizon("capability_"+AcceptanceLab)),
		out(fmt.Sprintf("frontier labs at m%d", h), "count", atHorizon("frontier_labs")),
		{AcceptanceMeasure{Name: fmt.Sprintf("lab independence at m%d", h), Unit: "index 0-1", Of: atHorizon("lab_independence")}, "definitional"},
		blocks("acquisition bids", "acquisition_bids"),
		blocks("acquisitions", "acquisitions"),
		blocks("quasi-mergers", "quasi_mergers"),
		blocks("blocked by the horizontal screen", "blocked_horizontal"),
		blocks("blocked by the vertical input-foreclosure screen", "blocked_vertical_input"),
		blocks("blocked by the distribution screen", "blocked_distribution"),
		blocks("blocked by the stake threshold", "blocked_stake_cap"),
		blocks("not reviewable (no merger in law, or below the thresholds)", "deals_not_reviewable"),
	}
}

// MergerControlEffects is the part-4 section: the arm paired with the
// baseline on every MergerControlMeasures.
type MergerControlEffects struct {
	Arm      AcceptanceArm
	Measures []MergerControlMeasure
	Effects  []AcceptanceEffect // in the order of Measures
}

// measureMergerControl runs the merger-control arm on the plan of run
// (replication r on engine.NewStreams(run.Seed, r), the baseline's
// streams) and pairs it with the baseline's replications base.
func measureMergerControl(ctx context.Context, run ValidationRun, base []*Rep, progress func(format string, a ...any)) (*MergerControlEffects, error) {
	e := &MergerControlEffects{Arm: MergerControlArm(), Measures: MergerControlMeasures()}
	s := agents.DefaultScenario()
	for _, p := range e.Arm.Set {
		if err := s.Set(p.Name, p.Value); err != nil {
			return nil, fmt.Errorf("acceptance arm %s: %w", e.Arm.Name, err)
		}
	}
	if progress != nil {
		progress("acceptance, part 4: %s x %d replications of %d buyers", e.Arm.Name, run.Reps, run.Buyers)
	}
	all, err := RunScenarios(ctx, run.Buyers, run.Seed, run.Reps, s)
	if err != nil {
		return nil, fmt.Errorf("acceptance, part 4: %w", err)
	}
	arm := all[0]
	n := len(base)
	b, x := make([]float64, n), make([]float64, n)
	scratch := make([]float64, 2*n+stats.BootstrapResamples)
	for i, m := range e.Measures {
		nz := 0
		for r := range n {
			b[r], x[r] = m.Of(base[r]), m.Of(arm[r])
			if x[r] != b[r] {
				nz++
			}
		}
		// a fixed bootstrap stream per measure, apart from part 1's
		rng := rand.New(rand.NewPCG(run.Seed^0x4d43, uint64(i)))
		e.Effects = append(e.Effects, AcceptanceEffect{Arm: e.Arm.Name, Measure: m.Name, Unit: m.Unit,
			Paired: stats.ComparePaired(b, x, rng, scratch), NonZero: nz})
	}
	return e, nil
}

// markdown renders the part-4 section.
func (e *MergerControlEffects) markdown(b *bytes.Buffer) {
	fmt.Fprintf(b, "## Part 4: merger control (%s)\n\n%s.\n\n", e.Arm.Name, e.Arm.Description)
	fmt.Fprintf(b, "Issue 21: merger control acts through outcomes. Consumer surplus, prices and capability are results of the model ")
	fmt.Fprintf(b, "(a blocked deal leaves the target independent, and the month's pricing game, compute and bargaining follow); ")
	fmt.Fprintf(b, "**lab independence is definitional**: the index (1 - max over hyperscalers of 0.4 stake + 0.4 compute share + 0.2 revenue share, acquired labs 0) ")
	fmt.Fprintf(b, "is built from the stakes and the ownership the lever caps and blocks, so its effect follows from the metric's definition and is not evidence of an outcome. ")
	fmt.Fprintf(b, "The last rows record what the regime blocks, screen by screen (cumulative counts to m83 per replication, the baseline's being the screens that apply without merger control).\n\n")
	fmt.Fprintf(b, "| measure | kind | unit | baseline mean | arm mean | mean difference | 95%% interval | bootstrap 95%% | non-zero pairs |\n")
	fmt.Fprintf(b, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for i, x := range e.Effects {
		lo, hi := stats.Wilson(x.NonZero, x.N)
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s to %s | %s to %s | %d of %d (%s; %s-%s) |\n", cell(x.Measure), e.Measures[i].Kind, x.Unit,
			num(x.BaseMean), num(x.ArmMean), num(x.Diff), num(x.PairedLo), num(x.PairedHi), num(x.BootLo), num(x.BootHi),
			x.NonZero, x.N, pct(float64(x.NonZero)/float64(x.N)), pct(lo), pct(hi))
	}
	fmt.Fprintln(b)
}
