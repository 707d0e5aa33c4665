package calibration

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"frontiersim/agents"
	"frontiersim/stats"
)

// The validation report (docs/validation.md, make validation-report): every
// stylized fact of domain-model §6, and the validation checks of model-v2.md
// §5, with its measured value, interval, criterion and verdict, and the run
// that produced it. The facts are validation, never calibration targets
// (model-v2.md principle 5): the report states them; it tunes nothing.

// ReportOnly lists the stylized facts that a change of model v2 breaks,
// each with the change that broke it, until the recalibration issue refits
// calibration/calibrated.json. Such a fact moves from a hard assertion of
// the TestSlowSF* tests into the validation report: its test skips it,
// naming docs/validation.md, and the report marks it "report only until the
// recalibration issue".
//
// The rule: never loosen a criterion and never delete a fact. A fact enters
// this list, with its reason, in the commit whose model change breaks it,
// and leaves it when the recalibration passes it again; the report shows
// every fact, its measured values and its verdict either way. Mechanism
// tests, reference cases and invariants never go here: they stay hard
// assertions of make test.
var ReportOnly = map[string]string{
	"SF1": "model v2 part 1 (labs choose training compute, inference is a cost, rounds from finite capital): the OpenAI-like lab's revenue and losses " +
		"now follow its compute rule, so the effective share 24 months after the $2B crossing stays higher (0.255, CI 0.232-0.277, after the round and " +
		"training-rule fixes, 0.308 after item 3, against <= 0.20); calibrated.json was fitted to model v1's burn path. " +
		"Model v2 part 3b (compute exclusivity chosen, leakage retired): the share before the crossing falls to 0.157 (CI 0.14-0.173, against >= 0.30; " +
		"0.199 before), the parts after the crossing pass (0.033 at 24 months, CI 0.025-0.041; declining, -0.061). " +
		"Model v2 part 3a merged (Nash-in-Nash agreements in the loop, resale an agreement from the partnership's formation): the share before " +
		"the crossing is 0.118 (CI 0.108-0.128, against >= 0.30); after it 0.027 at 24 months (passes) and declining (-0.008, passes)",
	"SF2": "model v2 parts 1 and 2 merged (the demand system and pricing with part 1's training and round rules): the OpenAI-like lab's first round, " +
		"its partnership auction at m0, is sized by a plan that follows pi_K from the part-2 demand seam and exceeds US$5B (US$9.3-10.1B, seeds 1-3), so the " +
		"backer's first >= US$5B investment is at m0 in every replication, before any rival lab but the in-house one exists: no other hyperscaler invests " +
		">= US$1B in a rival within 12 months (0% of 200 replications, against >= 80%)",
	// SF4 left the list with model v2 part 3a (resale an agreement that forms
	// on its gain from trade, so each replication has its own resale start):
	// every part passes (lagged releases by m83 1.64, CI 1.31-1.96; the
	// conflict index 0 before the start and 0.526 over the 6 months from it).
	// Before, part 3b's convex lag cost had left lagged releases at 0.47-0.73
	// against >= 1.
	"SF6": "model v2 part 3b (compute exclusivity is chosen, agents/exclusivity.go; no calendar in endogenous mode): the parts measured from each " +
		"replication's own exclusivity months have almost no data, because the OpenAI-like lab sells its backer exclusivity in 1 of 200 replications " +
		"(its shadow cost of cash is mostly at compute.round_cost and its compute-surplus loss from exclusivity is 1.5-4 times the backer's margin gain); " +
		"the backer's compute share at m83 still passes (0.11, CI 0.075-0.144). Model v2 part 3a merged (Nash-in-Nash agreements, resale from " +
		"the partnership's formation): the lab sells exclusivity in none of 200 replications (no data for those parts); the share at m83 passes (0.252, CI 0.207-0.296)",
	"SF12": "model v2 part 1: the Anthropic-like lab's rounds come from finite capital and are sized by its compute plan; since its funds follow on " +
		"beyond pro rata and investors value it on expected revenue its rounds are larger and fail less, so it raises less often: " +
		"0.89 primary rounds a year in 2023-2025 (CI 0.80-0.98, against >= 1; 0.99 after item 3, when insiders bought only pro rata and the pool " +
		"needed revenue). Model v2 part 3b (compute exclusivity chosen: the OpenAI-like lab rarely sells it and buys at every cloud, " +
		"at lower prices): its operating cash flow in 2025 rises to 0.28 US$B/yr (CI -1.6 to 2.16; 39% of replications < 0; -14.5 before), " +
		"2023 and 2024 stay negative",
	"SF9": "issue 18 (the Azure- and AWS-like hyperscalers' own models declared in the shipped world, products of the demand system): they take 17% " +
		"of enterprise spend at m47 and 7% at m83 (means of 40 replications of 2000 buyers; brand intercept 0, above every lab's calibrated brand) and compete with the labs' prices, so the OpenAI-like " +
		"lab loses more (operating cash flow 2025 -28 US$B/yr, CI -29.8 to -26.3, against -14.5 before) and raises more often (2.0 primary rounds a year " +
		"in 2023-2025 against 1.33; 9.9 months between rounds against 13.2): each round steps up less, 1.94 (CI 1.89-1.98, 44% of 200 replications in " +
		"1.9-3x; 2.09, CI 1.96-2.23, before) against 1.9-3x; the multiple (33.6x) and the interval pass",
	"SF5": "model v2 part 4 (acquisitions are valued decisions; stakes carry rights): the VC-funded labs are no longer bought at 1.3x their last post-money " +
		"whenever the hazard fires, so the tie lift among the VCs' portfolio buyers is 1.22 (CI 1.19-1.25, 38% of replications meet it; 1.23, CI 1.20-1.26, before) " +
		"against >= 1.2; the backer-as-customer part still passes (1.31, CI 1.24-1.38). " +
		"Model v2 part 3b (portfolio steering is each fund's decision with a cost, finance.steer_cost; backer purchases follow a declared token path): " +
		"funds steer only toward labs where their stake in the revenue gain exceeds the cost, so the tie lift falls from 1.38 (CI 1.34-1.42, 75% of " +
		"replications) to 1.18 (CI 1.15-1.21, 40%); the backer-as-customer part has no measured month on either side (n = 0: the backer's first " +
		"investment of US$5B or more is its partnership round at m0, and its 36-month window closes before the enterprise market opens at m46)",
}

// KnownFailures are the facts the calibrated model v1 does not reproduce,
// with the reason. Their criteria are never weakened: the TestSlowSF* tests
// skip a known failure with its measured values (and report one that starts
// passing, so that it can be removed from this list); the validation report
// gives the reason.
var KnownFailures = map[string]string{
	"SF3": "the criterion holds for the OpenAI-like lab (gap 0.312, CI 0.304-0.321) and Cramér's V (0.255), but not for the Anthropic-like lab, " +
		"whose gap is 0.108 (CI 0.093-0.123; 36% of replications reach 0.15): until this fact was measured for every lab with a partner cloud, " +
		"only the OpenAI-like lab's gap was tested; the calibration never saw the Anthropic-like gap",
	"SF7": "the leader's share erodes too little (0.46 in 2023 -> 0.39 by mid-2025, CI 0.375-0.414) and the second lab starts too strong (0.20 in 2023, " +
		"CI 0.18-0.22) while reaching 0.32 by mid-2025 (passes): the calibration trades the 2023 level against the catch-up, because the challenger's " +
		"capability gain comes only from its exogenous burn path (funding does not buy compute) and its compute growth (C-graded) is not searched; " +
		"across replications the shares are very dispersed (5-95%: 0.16-0.64)",
}

// StaleNote heads docs/calibration.md and docs/sensitivity.md (their
// generators write it, so that regeneration keeps it) while model v2
// changes the model and calibration/calibrated.json is held fixed.
const StaleNote = "> **Stale during model v2.** `calibration/calibrated.json` is held fixed (not refitted) while model v2 changes the model, " +
	"so this page shows model v1; the recalibration issue refits the parameters and regenerates it. " +
	"The current model's stylized facts are in `docs/validation.md` (`make validation-report`).\n\n"

// Sources of validation facts.
const (
	SourceDomain  = "domain-model §6"
	SourceModelV2 = "model-v2.md"
)

// ValidationFact is one fact of the validation report as its source states
// it, and what the measurement leaves out or reads in its own way.
type ValidationFact struct {
	ID        string
	Source    string // SourceDomain or SourceModelV2
	Statement string
	Criterion string // the pass criterion, as the source states it
	Evidence  string
	// Unmeasured, when set, says why the current model does not measure
	// the fact: the report lists it as "not measured" with this reason. A
	// fact that is neither measured nor explained is an error of the
	// report, never a silent omission.
	Unmeasured string
	// NotMeasured are clauses of the criterion that the measurement leaves
	// out, each with why.
	NotMeasured []string
	// Notes say how the measurement reads the criterion where it is not
	// literal.
	Notes []string
}

// ValidationFacts returns the facts of the validation report in order:
// every row of domain-model §6 (SF1-SF9, SF12, SF13; §6 has no SF10 or
// SF11), then the validation facts that model-v2.md adds.
func ValidationFacts() []ValidationFact {
	return []ValidationFact{
		{ID: "SF1", Source: SourceDomain,
			Statement:   "the lab's revenue share to its backer falls after renegotiation once revenue passes a threshold and outside options grow",
			Criterion:   "mean share ≥ 0.30 (effective, incl. profit interest) before ARR crosses $2B; ≤ 0.20 within 24 months of crossing; declining path thereafter (toward ≈ 0.08–0.10 if run to 2030)",
			Evidence:    "seed 001; §5.1",
			NotMeasured: []string{"the level toward ≈ 0.08–0.10 by 2030: the horizon ends in December 2025 (m83)"},
			Notes: []string{"measured on the OpenAI-like lab; the crossing is its first month with ARR ≥ US$2B; \"within 24 months\" is the mean of the 3 months ending 24 months after a crossing by m71, so that the window is observed",
				"the share before the crossing is averaged over months from m46 with ARR > US$0.2B"}},
		{ID: "SF2", Source: SourceDomain,
			Statement: "a second hyperscaler funds a rival lab",
			Criterion: "within 12 months of backer 1's large ($10B-scale) investment, another hyperscaler invests ≥ $1B in a rival lab in ≥ 80% of replications (history: Jan 2023 → Sep/Oct 2023)",
			Evidence:  "seed 001; §5.3",
			Notes:     []string{fmt.Sprintf("a $10B-scale investment is read as the backer's first month with a strategic investment ≥ US$%gB; replications without one are left out of the share (the context row counts them)", BigInvestment)}},
		{ID: "SF3", Source: SourceDomain,
			Statement:   "enterprise vendor choice correlates with existing cloud",
			Criterion:   "P(lab j | primary cloud = partner cloud of j) − P(lab j | other cloud) ≥ 0.15; Cramér's V between primary cloud and chosen lab's partner cloud ≥ 0.2",
			Evidence:    "seed 002",
			NotMeasured: []string{"the gap for labs other than the two with partner clouds (the world file's metrics.labs: the OpenAI-like and Anthropic-like labs)"}},
		{ID: "SF4", Source: SourceDomain,
			Statement: "channel conflict appears once both sell to the same customers",
			Criterion: "conflict index is 0 before the backer starts resale (m48) and > 0 within 6 months after; at least one model release with lag L > 0 to the backer channel",
			Evidence:  "seed 002",
			Notes: []string{"measured from each replication's own resale-start month: the first month its backer has resale revenue from the OpenAI-like lab's models (the windows were m0-47 and m48-53 while resale started on a calendar date)",
				"in endogenous mode resale is an agreement that forms on its gain from trade (agents/agreements.go), so the month differs by replication (NOCAL below shows the spread); contract.resale_start (m48) is the replay date"}},
		{ID: "SF5", Source: SourceDomain,
			Statement: "investors become customers",
			Criterion: "the backer is the lab's largest single customer within 36 months of investing; VC-portfolio firms adopt the VC's lab at ≥ 1.2× the base rate",
			Evidence:  "seed 000",
			Notes:     []string{"the largest customer is compared with the largest simulated buyer whose main vendor is the lab (an upper bound on one buyer's spend with it), from the backer's first investment ≥ US$5B"}},
		{ID: "SF6", Source: SourceDomain,
			Statement: "multi-homing after exclusivity relaxes",
			Criterion: "backer's share of the lab's compute: 1.0 before m72 (replay), < 0.7 by m84",
			Evidence:  "§5.1",
			Notes: []string{"\"by m84\" is read at m83, the last month of the horizon (December 2025)",
				"endogenous mode has no exclusivity calendar (model v2 part 3b): the lab sells compute exclusivity to its backer when the bargain has gains for both and gives it up when its outside option grows (agents/exclusivity.go); the own-month parts read metric exclusive_openai, each replication from its own months, and cover only replications where exclusivity holds (n counts them)"}},
		{ID: "SF7", Source: SourceDomain,
			Statement: "leader's enterprise share erodes as a rival's capability catches up",
			Criterion: "leader 45–55% (2023) → 25–35% (mid-2025); second lab 10–15% → 25–40%",
			Evidence:  "§5.4",
			Notes:     []string{"mid-2025 is April–September 2025 (m75–m80), centred on the Menlo mid-year update"}},
		{ID: "SF8", Source: SourceDomain,
			Statement: "prices fall fast while spend rises",
			Criterion: "quality-adjusted price index falls 4–40×/yr (target 10×); total enterprise LLM spend rises ≥ 3×/yr in 2023–2024",
			Evidence:  "§5.5, §5.4",
			Notes:     []string{"the price fall is the annualised ratio of the price index at fixed capability, January 2023 to December 2024; the spend rise is spend in 2024 over spend in 2023"}},
		{ID: "SF9", Source: SourceDomain,
			Statement: "rounds at high revenue multiples, rising valuations",
			Criterion: "round multiples 20–50× ARR; interval 6–15 months; step-ups 1.9–3×",
			Evidence:  "§5.2–5.3",
			Notes:     []string{"primary rounds of the two frontier labs from m46; multiples of rounds at ARR ≥ US$0.1B"}},
		{ID: "SF12", Source: SourceDomain,
			Statement: "frontier labs lose money and depend on rounds",
			Criterion: "operating cash flow < 0 for frontier labs through 2025 (OpenAI ≈ −$5B on $3.7B revenue in 2024); ≥ 1 primary round per year",
			Evidence:  "§5.2",
			Notes:     []string{"measured for the two frontier labs in the calendar years 2023, 2024 and 2025; the OpenAI figure for 2024 is evidence, not a criterion"}},
		{ID: "SF13", Source: SourceDomain,
			Statement: "circular compute spending",
			Criterion: "≥ 40% of hyperscaler investment returns as the investor's cloud revenue within 24 months",
			Evidence:  "FTC 6(b); Semafor (B)",
			Notes:     []string{"investments to m59, so that the 24-month window is observed, matched first in, first out with the investor's cloud revenue from labs it has invested in"}},
		{ID: "NOCAL", Source: SourceModelV2,
			Statement: "no calendar in endogenous mode",
			Criterion: "the month exclusivity ends, the month resale starts and the revenue-share path have distributions with positive variance; SF1, SF4 and SF6 are judged on those distributions",
			Evidence:  "model-v2.md §5 and principle 1",
			Notes: []string{"positive variance: the replications do not all have the same value",
				"the OpenAI-like lab and its backer: resale starts in the first month with resale revenue; exclusivity ends in the first month metric exclusive_openai is 0 after it has been 1 (a replication in which the lab never sells exclusivity, or keeps it to m83, has no end month)",
				"each month row gives the 5/50/95% months over the replications that have one"}},
		{ID: "H100", Source: SourceModelV2,
			Statement: "the compute price path beside the observed H100 rental points",
			Criterion: "reported beside ≈ $8–12/GPU-h (2023) → ≈ $2.85–2.99 (2024) → ≈ $1.70 (Oct 2025 low); a validation fact, not a target",
			Evidence:  "model-v2.md: the H100 rental path is a validation fact, not an exogenous input; the points of domain-model §3.4 and §5.5, SemiAnalysis via secondary pages (C)",
			Notes: []string{"the model's compute price is the quantity-weighted mean over clouds and labs of the price per H100-equivalent GPU-hour (metric compute_price, endogenous mode), " +
				"averaged over the months of 2023 (m48-m59) and 2024 (m60-m71), and read in October 2025 (m81); each row is reported beside the observed point, not judged"}},
		{ID: "MA", Source: SourceModelV2,
			Statement: "acquisitions of non-frontier labs and quasi-mergers",
			Criterion: "reported per replication (zero allowed, with the reason); no criterion is tuned",
			Evidence:  "model-v2.md §3.4; issue 21; the public record: Microsoft/Inflection (licence and hire, March 2024), no hyperscaler acquisition of a lab in 2019-2025",
			Notes: []string{"counts to m83 per replication: acquisitions (metric acquisitions), of which of labs more than 0.5 K behind the frontier (acquisitions_nonfrontier), licence-and-hire deals (acquihires), " +
				"and quasi-mergers (quasi_mergers: licence-and-hire deals plus hyperscaler positions in independent labs that reach material influence or more under the UK rule); each row is reported, not judged",
				"a bid needs the buyer's gain to exceed the price, the gain being the buyer's profit in the month's pricing game re-solved with the target's products its own " +
					"(plus the compute it no longer buys from rivals) less the two standalone profits of the game as it is; the frontier labs' governance (capped-profit, PBC) refuses every bid, " +
					"so acquisitions can only be of the for-profit labs, and a lab whose move to the buyer's channel loses more sales than the deal saves draws none",
				"a licence is worth to the buyer the profit it gains in the game re-solved with the weak target's products withdrawn (its buyers divert to the rest, the buyer's channel among them) " +
					"and the buyer's own model, if it sells one, at the gap the hired team closes it to; measured before the shipped world declared the Azure- and AWS-like hyperscalers' " +
					"own models, when the gain was the diverted sales only, it was below the target's going-concern value plus the hiring cost in almost every weak lab-month; " +
					"with the own models declared the count is still the one above (zero deals is a result, not a bound; the reason with own models is not yet traced)"}},
	}
}

// Deals measures the validation fact MA on endogenous replications: the
// counts per replication, to m83, of acquisitions, acquisitions of
// non-frontier labs, licence-and-hire deals and quasi-mergers, each a
// context row (model-v2.md §3.4). It judges nothing.
func Deals(reps []*Rep) Fact {
	names := []struct{ col, name string }{
		{"acquisitions", "(context) acquisitions per replication"},
		{"acquisitions_nonfrontier", "(context) acquisitions of non-frontier labs (more than 0.5 K behind) per replication"},
		{"acquihires", "(context) licence-and-hire deals per replication"},
		{"quasi_mergers", "(context) quasi-mergers per replication (licence and hire, positions reaching material influence)"},
	}
	f := Fact{ID: "MA", Statement: "acquisitions of non-frontier labs and quasi-mergers"}
	for _, n := range names {
		c := Col(n.col)
		var xs []float64
		for _, r := range reps {
			xs = append(xs, r.Get(Months-1, c))
		}
		sm := Summarize(xs)
		sm.Fraction = math.NaN()
		f.Parts = append(f.Parts, Part{Name: n.name, Criterion: "reported", Summary: sm, Pass: true})
	}
	return f
}

// H100 measures the validation fact H100 on endogenous replications: the
// model's compute price (compute_price, US$ per H100-equivalent GPU-hour)
// in 2023, 2024 and October 2025, each a context row beside the observed
// H100 rental point (domain-model §3.4, §5.5; grade C). It is never a
// target.
func H100(reps []*Rep) Fact {
	c := Col("compute_price")
	mean := func(r *Rep, from, to int) float64 {
		x, n := 0.0, 0
		for m := from; m <= to; m++ {
			if p := r.Get(m, c); p > 0 {
				x += p
				n++
			}
		}
		if n == 0 {
			return math.NaN()
		}
		return x / float64(n)
	}
	var y23, y24, oct25 []float64
	for _, r := range reps {
		y23 = append(y23, mean(r, 48, 59))
		y24 = append(y24, mean(r, 60, 71))
		oct25 = append(oct25, mean(r, 81, 81))
	}
	ctx := func(name string, xs []float64) Part {
		sm := Summarize(xs)
		sm.Fraction = math.NaN()
		return Part{Name: name, Criterion: "reported", Summary: sm, Pass: true}
	}
	return Fact{ID: "H100", Statement: "the compute price path beside the observed H100 rental points", Parts: []Part{
		ctx("(context) compute price 2023, US$ per GPU-hour (observed ≈ 8–12)", y23),
		ctx("(context) compute price 2024, US$ per GPU-hour (observed ≈ 2.85–2.99)", y24),
		ctx("(context) compute price October 2025, US$ per GPU-hour (observed ≈ 1.70)", oct25),
	}}
}

// NoCalendar measures the check NOCAL of model-v2.md §5 on endogenous
// replications: the spread across replications of the month the backer
// starts reselling the OpenAI-like lab's models, of the month its compute
// exclusivity ends, and of the lab's effective revenue share at m83.
func NoCalendar(reps []*Rep) Fact {
	var resale, exclEnd, share, held []float64
	for _, r := range reps {
		resale = append(resale, resaleStart(r))
		exclEnd = append(exclEnd, exclusivityEnd(r))
		h := 0.0
		if !math.IsNaN(firstMonth(func(m int) bool { return r.Get(m, cExclO) == 1 }, 0)) {
			h = 1
		}
		held = append(held, h)
		share = append(share, r.Get(Months-1, cEffO))
	}
	const crit = "variance > 0 across replications"
	hs := Summarize(held)
	hs.Fraction = hs.Mean
	return Fact{ID: "NOCAL", Statement: "no calendar in endogenous mode", Parts: []Part{
		spreadPart("month the backer starts reselling the OpenAI-like lab's models (first month of its resale revenue)"+quantiles(resale), crit, resale),
		spreadPart("month the backer's compute exclusivity ends (first month exclusive_openai = 0 after it was 1; replications where it ends by m83)"+quantiles(exclEnd), crit, exclEnd),
		{Name: "(context) replications in which the OpenAI-like lab sells its backer compute exclusivity by m83", Criterion: "reported", Summary: hs, Pass: true, Share: true},
		spreadPart("effective revenue share of the OpenAI-like lab at m83", crit, share),
	}}
}

var cResale = [3]int{Col("hs_resale_revenue_azure"), Col("hs_resale_revenue_aws"), Col("hs_resale_revenue_gcp")}

// quantiles formats the 5/50/95% quantiles of the months xs (NaN dropped).
func quantiles(xs []float64) string {
	s := Summarize(xs)
	if s.N == 0 {
		return ": none"
	}
	return fmt.Sprintf(": 5/50/95%% m%.0f/m%.0f/m%.0f", s.P05, s.Median, s.P95)
}

// firstMonth is the first month from from on where ok holds, NaN if none.
func firstMonth(ok func(m int) bool, from int) float64 {
	for m := from; m < Months; m++ {
		if ok(m) {
			return float64(m)
		}
	}
	return math.NaN()
}

// spreadPart passes when the values (NaN dropped) vary across
// replications: not all are the same.
func spreadPart(name, crit string, xs []float64) Part {
	s := Summarize(xs)
	s.Fraction = math.NaN()
	varies := false
	for _, x := range s.values {
		varies = varies || x != s.values[0]
	}
	return Part{Name: name, Criterion: crit, Summary: s, Pass: varies}
}

// ValidationRun says how a validation report was produced.
type ValidationRun struct {
	Command  string // the command that wrote it
	Revision string // the commit of the code ("" if unknown)
	Dirty    bool   // the working tree had uncommitted changes
	Reps     int    // replications of each mode (endogenous, historical replay)
	Buyers   int    // enterprise buyers per replication
	Seed     uint64 // replication r runs on engine.NewStreams(Seed, r)
}

// Validation is a validation report: the run, the facts to report
// (ValidationFacts), the measured facts by ID, and how the TestSlowSF*
// tests treat them (ReportOnly, KnownFailures).
type Validation struct {
	Run        ValidationRun
	Facts      []ValidationFact
	Measured   []Fact
	ReportOnly map[string]string
	Known      map[string]string
}

// MeasureValidation runs run.Reps replications of the calibrated default
// scenario in endogenous mode and as many in historical replay, with
// run.Buyers buyers and seed run.Seed (the batch of the TestSlowSF* tests
// at FactReps, FactBuyers and FactSeed), and measures every fact.
// progress, if not nil, is told what runs.
func MeasureValidation(ctx context.Context, run ValidationRun, progress func(format string, a ...any)) (Validation, error) {
	say := func(f string, a ...any) {
		if progress != nil {
			progress(f, a...)
		}
	}
	v := Validation{Run: run, Facts: ValidationFacts(), ReportOnly: ReportOnly, Known: KnownFailures}
	s := agents.DefaultScenario()
	t0 := time.Now()
	say("endogenous mode: %d replications of %d buyers", run.Reps, run.Buyers)
	reps, err := RunAll(ctx, s, run.Buyers, run.Seed, run.Reps)
	if err != nil {
		return v, fmt.Errorf("validation, endogenous mode: %w", err)
	}
	say("endogenous mode done (%.1fs); historical replay: %d replications", time.Since(t0).Seconds(), run.Reps)
	s.Mode.Replay = true
	replay, err := RunAll(ctx, s, run.Buyers, run.Seed, run.Reps)
	if err != nil {
		return v, fmt.Errorf("validation, historical replay: %w", err)
	}
	say("historical replay done (%.1fs); measuring the facts", time.Since(t0).Seconds())
	v.Measured = append(Facts(reps, replay), NoCalendar(reps), H100(reps), Deals(reps))
	return v, nil
}

// Verdict words of the report.
const (
	VerdictPass        = "pass"
	VerdictFail        = "FAIL"
	VerdictNotMeasured = "not measured"
	// VerdictReported is the verdict of a fact whose every row is context
	// (reported beside the evidence, not judged).
	VerdictReported = "reported"
	// ReportOnlyMark marks a fact of ReportOnly.
	ReportOnlyMark = "report only until the recalibration issue"
)

// Markdown renders the report. The rendering is deterministic: the same
// Validation gives the same bytes. It is an error if a fact of v.Facts is
// neither measured nor explained (Unmeasured), if a fact is both, or if a
// measured fact is not one of v.Facts.
func (v Validation) Markdown() ([]byte, error) {
	measured := map[string]Fact{}
	for _, f := range v.Measured {
		measured[f.ID] = f
	}
	listed := map[string]bool{}
	for _, vf := range v.Facts {
		listed[vf.ID] = true
		f, ok := measured[vf.ID]
		switch {
		case !ok && vf.Unmeasured == "":
			return nil, fmt.Errorf("validation report: %s is not measured and no reason is given", vf.ID)
		case ok && vf.Unmeasured != "":
			return nil, fmt.Errorf("validation report: %s is measured but listed as not measured (%s)", vf.ID, vf.Unmeasured)
		case ok && len(f.Parts) == 0:
			return nil, fmt.Errorf("validation report: %s has no measured statistic", vf.ID)
		}
	}
	for _, f := range v.Measured {
		if !listed[f.ID] {
			return nil, fmt.Errorf("validation report: measured fact %s is not a fact of the report", f.ID)
		}
	}

	var b bytes.Buffer
	w := func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }
	r := v.Run
	w("# Validation of the default scenario: the stylized facts\n\n")
	w("**Generated file; do not edit by hand.** Written by `make validation-report`, here by `%s`; regenerate it with that command. ", r.Command)
	w("Each stylized fact of domain-model §6, and each validation fact that model-v2.md adds, with its measured value, 95%% interval, criterion and verdict. ")
	w("The facts are validation, never calibration targets: nothing is tuned to them, no criterion is loosened and no fact is deleted; a fact the model does not reproduce stays here with its verdict and the reason.\n\n")
	w("- Commit: %s\n", revisionText(r))
	w("- Replications: %d of the calibrated default scenario in endogenous mode and %d in historical replay (for SF6), %d enterprise buyers each, seed %d: replication r runs on `engine.NewStreams(%d, r)` in both modes.\n",
		r.Reps, r.Reps, r.Buyers, r.Seed, r.Seed)
	if r.Reps < 200 {
		w("- **Fewer than the 200 replications domain-model §6 asks for: the verdicts are indicative only.**\n")
	}
	w("- Scenario: `agents.DefaultScenario` (world `agents/worlds/%s.toml`) with the parameters of `calibration/calibrated.json`, held fixed during model v2 until the recalibration issue refits them. Month 0 is January 2019, month %d December %d.\n\n",
		agents.DefaultWorld, Months-1, 2019+(Months-1)/12)
	w("Reading of the criteria: each fact is reduced to per-replication statistics. Where the criterion states a share of replications (SF2: 80%%), the share of replications is compared with it and its interval is the 95%% Wilson interval of that share; ")
	w("otherwise the whole 95%% t interval of the replication mean must satisfy the criterion (a mean that satisfies it only on average does not pass), and the share of replications meeting the criterion is shown beside it. A fact passes when every part passes; a context row is reported, not judged. ")
	w("The facts of §6 are asserted by the `TestSlowSF*` tests of package calibration (`go test -run Slow ./calibration/`, part of `make test`) on the batch of %d + %d replications of %d buyers, seed %d; a known failure of model v1 is skipped there with its reason, and a fact that a change of model v2 breaks moves into this report until the recalibration issue (`calibration.ReportOnly`).\n\n",
		FactReps, FactReps, FactBuyers, FactSeed)

	w("## Summary\n\n| fact | statement | verdict | in the tests |\n|---|---|---|---|\n")
	for _, vf := range v.Facts {
		f, ok := measured[vf.ID]
		w("| %s | %s | %s | %s |\n", vf.ID, cell(vf.Statement), verdict(f, ok), v.status(vf, ok))
	}
	section := ""
	for _, vf := range v.Facts {
		if vf.Source != section {
			section = vf.Source
			switch section {
			case SourceDomain:
				w("\n## Stylized facts (domain-model §6)\n")
			case SourceModelV2:
				w("\n## Validation facts of model v2 (model-v2.md)\n")
			default:
				w("\n## %s\n", section)
			}
		}
		f, ok := measured[vf.ID]
		w("\n### %s: %s\n\n", vf.ID, vf.Statement)
		w("Criterion (%s): %s. Evidence: %s.\n\n", vf.Source, strings.TrimSuffix(vf.Criterion, "."), vf.Evidence)
		if ok {
			w("Verdict: **%s**; %s.\n\n", verdict(f, ok), v.status(vf, ok))
		} else {
			w("Verdict: **%s**.\n\n", VerdictNotMeasured)
		}
		if why, ro := v.ReportOnly[vf.ID]; ro {
			w("Report only until the recalibration issue: %s.\n\n", strings.TrimSuffix(why, "."))
		}
		if why, kn := v.Known[vf.ID]; kn {
			w("Known failure of model v1: %s.\n\n", strings.TrimSuffix(why, "."))
		}
		if !ok {
			w("Not measured: %s.\n", strings.TrimSuffix(vf.Unmeasured, "."))
			continue
		}
		w("| statistic | n | measured | 95%% interval | 5–95%% across replications | replications meeting it | criterion | verdict |\n|---|---|---|---|---|---|---|---|\n")
		for _, p := range f.Parts {
			w("| %s |\n", strings.Join(partCells(p), " | "))
		}
		if len(vf.NotMeasured) > 0 {
			w("\nNot measured:\n\n")
			for _, s := range vf.NotMeasured {
				w("- %s.\n", strings.TrimSuffix(s, "."))
			}
		}
		if len(vf.Notes) > 0 {
			w("\nHow it is measured:\n\n")
			for _, s := range vf.Notes {
				w("- %s.\n", strings.TrimSuffix(s, "."))
			}
		}
	}
	return b.Bytes(), nil
}

func revisionText(r ValidationRun) string {
	if r.Revision == "" {
		return "unknown (built without version-control information)"
	}
	if r.Dirty {
		return "`" + r.Revision + "` with uncommitted changes (dirty)"
	}
	return "`" + r.Revision + "` (clean working tree)"
}

// status says how the tests treat a fact.
func (v Validation) status(vf ValidationFact, measured bool) string {
	switch {
	case !measured:
		return "not measured, so not tested"
	case hasKey(v.ReportOnly, vf.ID):
		return ReportOnlyMark
	case vf.Source != SourceDomain:
		return "reported only (a validation fact of model v2, not a test)"
	case hasKey(v.Known, vf.ID):
		return "known failure of model v1, skipped by its test"
	default:
		return "asserted by its test"
	}
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

func verdict(f Fact, measured bool) string {
	switch {
	case !measured:
		return VerdictNotMeasured
	case contextOnly(f):
		return VerdictReported
	case f.Pass():
		return VerdictPass
	default:
		return VerdictFail
	}
}

// contextOnly reports whether every part of a measured fact is reported,
// not judged (H100): its verdict is VerdictReported, never a pass.
func contextOnly(f Fact) bool {
	for _, p := range f.Parts {
		if !isContext(p) {
			return false
		}
	}
	return len(f.Parts) > 0
}

// isContext reports whether a part is reported, not judged.
func isContext(p Part) bool { return p.Criterion == "reported" }

// partCells are the table cells of one measured statistic.
func partCells(p Part) []string {
	ver := VerdictFail
	switch {
	case isContext(p):
		ver = "context"
	case p.Pass:
		ver = VerdictPass
	}
	cells := []string{cell(p.Name), fmt.Sprint(p.N)}
	switch {
	case p.N == 0:
		cells = append(cells, "no data", "–", "–", "–")
	case p.Share:
		k := int(math.Round(p.Mean * float64(p.N)))
		lo, hi := stats.Wilson(k, p.N)
		cells = append(cells, fmt.Sprintf("%s (%d of %d)", pct(p.Mean), k, p.N), pct(lo)+" to "+pct(hi)+" (Wilson)", "–", "–")
	default:
		meet := "–"
		if !math.IsNaN(p.Fraction) && !isContext(p) {
			meet = pct(p.Fraction)
		}
		cells = append(cells, num(p.Mean), num(p.Lo)+" to "+num(p.Hi), num(p.P05)+" to "+num(p.P95), meet)
	}
	return append(cells, cell(p.Criterion), ver)
}

// num formats a statistic to 3 significant digits.
func num(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	if x == 0 {
		return "0" // no "-0"
	}
	return fmt.Sprintf("%.3g", x)
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

// cell escapes the table separator.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
