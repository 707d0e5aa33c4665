package calibration

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestAcceptanceReport: a small acceptance run pairs every arm with the
// baseline on every measure, counts the non-zero pairs within the pairs,
// renders deterministically, and the arms change what they say they
// change (the ban's arm and the non-strategic arm each differ from the
// baseline in at least one pair of some measure: an arm whose setting did
// not reach the model would leave every pair equal).
func TestAcceptanceReport(t *testing.T) {
	run := ValidationRun{Command: "test", Reps: 4, Buyers: 200, Seed: FactSeed}
	a, err := MeasureAcceptance(context.Background(), run, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(AcceptanceArms()) * len(AcceptanceMeasures()); len(a.Effects) != want {
		t.Fatalf("%d effects, want %d", len(a.Effects), want)
	}
	moved := map[string]bool{}
	for _, e := range a.Effects {
		if e.N != run.Reps || e.NonZero < 0 || e.NonZero > e.N {
			t.Errorf("%s %s: %d pairs, %d non-zero", e.Arm, e.Measure, e.N, e.NonZero)
		}
		if e.NonZero > 0 {
			moved[e.Arm] = true
		}
	}
	for _, arm := range AcceptanceArms() {
		if !moved[arm.Name] {
			t.Errorf("arm %s: every pair of every measure equals the baseline's", arm.Name)
		}
	}
	b1, err := a.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := a.Markdown()
	if !bytes.Equal(b1, b2) {
		t.Error("the report is not deterministic")
	}
	mc := a.MergerControl
	if mc == nil || len(mc.Effects) != len(MergerControlMeasures()) {
		t.Fatalf("part 4: %+v", mc)
	}
	mcMoved := false
	for _, e := range mc.Effects {
		if e.N != run.Reps {
			t.Errorf("part 4 %s: %d pairs", e.Measure, e.N)
		}
		mcMoved = mcMoved || e.NonZero > 0
	}
	if !mcMoved {
		t.Error("part 4: merger control leaves every pair of every measure equal to the baseline's")
	}
	for _, s := range []string{"## ban_exclusive", "## aws_not_strategic", "capability at m83", "non-zero pairs",
		"## Part 4: merger control", "**lab independence is definitional**", "| lab independence at m83 | definitional |", "blocked by the vertical input-foreclosure screen"} {
		if !strings.Contains(string(b1), s) {
			t.Errorf("report lacks %q", s)
		}
	}
	// part 2: every lever paired at every month, the cap's prices, the
	// bands of every arm, the pricing counts; no solve fails
	p := a.Part2
	nl, nm := len(p.Levers), len(AcceptanceMonths)
	if nl != 4 || len(p.CSPerSpend) != nm || len(p.LeverCS) != nl*nm || len(p.CapPrices) != 3*nm || len(p.Bands) != (1+nl)*nm || len(p.Pricing) != 1+nl {
		t.Fatalf("part 2: %d levers, %d CS/spend, %d lever effects, %d cap effects, %d bands, %d pricing counts", nl, len(p.CSPerSpend), len(p.LeverCS), len(p.CapPrices), len(p.Bands), len(p.Pricing))
	}
	for _, s := range p.CSPerSpend {
		if !(s.Mean > 0) {
			t.Errorf("CS ÷ spend %g, want > 0", s.Mean)
		}
	}
	capMoved := false
	for _, e := range p.CapPrices {
		capMoved = capMoved || e.NonZero > 0
	}
	if !capMoved {
		t.Error("the revenue-share cap moves none of the capped lab's prices or its effective share in any pair")
	}
	for _, c := range p.Bands {
		if !(c.P05 <= c.Mean && c.Mean <= c.P95 && c.P05 > 0 && c.P95 < 1) {
			t.Errorf("band %s m%d %s: mean %g, 5-95%% %g-%g", c.Arm, c.Month, c.Cloud, c.Mean, c.P05, c.P95)
		}
	}
	for _, c := range p.Pricing {
		if !(c.Solves > 0) || c.Failed != 0 {
			t.Errorf("%s: %g pricing solves, %g not converged, want > 0 and 0", c.Arm, c.Solves, c.Failed)
		}
	}
	for _, s := range []string{"## Part 2", "ΔCS ÷ spend at m83", "direct price of openai at m47", "Band of the largest cloud", "Non-converged pricing solves", "lower_switching_costs"} {
		if !strings.Contains(string(b1), s) {
			t.Errorf("report lacks %q", s)
		}
	}
	if _, err := (Acceptance{}).Markdown(); err == nil {
		t.Error("an empty report renders")
	}
}
