package calibration

import (
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"frontiersim/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the text goldens of testdata/")

// section6 are the ids of the table of domain-model §6, in order.
var section6 = []string{"SF1", "SF2", "SF3", "SF4", "SF5", "SF6", "SF7", "SF8", "SF9", "SF12", "SF13"}

func TestValidationFactsCoverSection6(t *testing.T) {
	var ids []string
	seen := map[string]bool{}
	for _, vf := range ValidationFacts() {
		if seen[vf.ID] {
			t.Errorf("%s is listed twice", vf.ID)
		}
		seen[vf.ID] = true
		if vf.Source == SourceDomain {
			ids = append(ids, vf.ID)
		}
		if vf.Statement == "" || vf.Criterion == "" || vf.Evidence == "" {
			t.Errorf("%s: statement, criterion and evidence must all be stated", vf.ID)
		}
	}
	if !slices.Equal(ids, section6) {
		t.Errorf("the §6 facts of the report are %v, want every row of domain-model §6: %v", ids, section6)
	}
	// Every fact is measured or says why not, and every measured fact is
	// one of the report (no empty replications needed: the rendering of
	// facts without data checks the same).
	v := Validation{Facts: ValidationFacts(), Measured: append(Facts(nil, nil), NoCalendar(nil), H100(nil), Deals(nil))}
	if _, err := v.Markdown(); err != nil {
		t.Error(err)
	}
}

func TestReportOnlyAndKnownFailuresNameFacts(t *testing.T) {
	for name, m := range map[string]map[string]string{"ReportOnly": ReportOnly, "KnownFailures": KnownFailures} {
		for id, why := range m {
			if !slices.Contains(section6, id) {
				t.Errorf("%s lists %s, which is not a fact of domain-model §6", name, id)
			}
			if strings.TrimSpace(why) == "" {
				t.Errorf("%s lists %s without the reason", name, id)
			}
		}
	}
}

// goldenValidation is a fixed report: hand-built measurements of five facts
// (a pass, a share with its Wilson interval, a known failure, a report-only
// failure, one with no data) and one fact not measured.
func goldenValidation() Validation {
	vals := func(xs ...float64) []float64 { return xs }
	facts := []ValidationFact{
		{ID: "SF1", Source: SourceDomain, Statement: "a share falls", Criterion: "≥ 0.30 before; ≤ 0.20 after", Evidence: "§5.1",
			NotMeasured: []string{"the level by 2030: the horizon ends in 2025"}, Notes: []string{"read on one lab"}},
		{ID: "SF2", Source: SourceDomain, Statement: "a second investor", Criterion: "in ≥ 80% of replications", Evidence: "§5.3"},
		{ID: "SF3", Source: SourceDomain, Statement: "choice | cloud", Criterion: "gap ≥ 0.15", Evidence: "seed 002"},
		{ID: "SF7", Source: SourceDomain, Statement: "the leader erodes", Criterion: "45–55% → 25–35%", Evidence: "§5.4"},
		{ID: "SF9", Source: SourceDomain, Statement: "rounds", Criterion: "20–50×", Evidence: "§5.2"},
		{ID: "NOCAL", Source: SourceModelV2, Statement: "no calendar", Criterion: "positive variance", Evidence: "model-v2.md §5"},
		{ID: "H100", Source: SourceModelV2, Statement: "compute price path", Criterion: "reported", Evidence: "§3.4", Unmeasured: "the model has no compute price"},
	}
	measured := []Fact{
		{ID: "SF1", Parts: []Part{
			part("share before", ">= 0.30", vals(0.31, 0.35, 0.33, 0.40), 0.30, inf),
			part("share after", "<= 0.20", vals(0.1, 0.12, -0.05, 0.08), -inf, 0.20)}},
		{ID: "SF2", Parts: []Part{
			fractionPart("rival invests", ">= 80% of replications", vals(1, 1, 1, 0, 1, 1, 1, 1, 1, 1), 0.8),
			{Name: "(context) with a big investment", Criterion: "reported", Summary: fracSummary(vals(1, 1, 0, 1)), Pass: true, Share: true}}},
		{ID: "SF3", Parts: []Part{part("gap | a pipe", ">= 0.15", vals(0.2, 0.1, 0.4), 0.15, inf)}},
		{ID: "SF7", Parts: []Part{part("leader 2023", "45-55%", vals(0.6, 0.7, 0.65), 0.45, 0.55)}},
		{ID: "SF9", Parts: []Part{part("multiple", "20-50x", nil, 20, 50)}},
		{ID: "NOCAL", Parts: []Part{
			spreadPart("resale month", "variance > 0", vals(48, 48, 48)),
			spreadPart("share at m83", "variance > 0", vals(0.1, 0.2, 0.15))}},
	}
	return Validation{
		Run: ValidationRun{Command: "go run ./cmd/calibrate validation -reps 10 -buyers 100 -seed 7 -o docs/validation.md",
			Revision: "0123456789abcdef0123456789abcdef01234567", Dirty: true, Reps: 10, Buyers: 100, Seed: 7},
		Facts: facts, Measured: measured,
		ReportOnly: map[string]string{"SF3": "a change of the choice model moves the gap"},
		Known:      map[string]string{"SF7": "the leader erodes too little"},
	}
}

func fracSummary(ind []float64) Summary {
	s := Summarize(ind)
	s.Fraction = s.Mean
	return s
}

func TestValidationMarkdownGolden(t *testing.T) {
	b, err := goldenValidation().Markdown()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "validation.md"), b, *update)
	b2, _ := goldenValidation().Markdown()
	if string(b2) != string(b) {
		t.Error("two renderings of the same report differ")
	}
}

func TestValidationMarksReportOnly(t *testing.T) {
	b, err := goldenValidation().Markdown()
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		"| SF3 | choice \\| cloud | FAIL | " + ReportOnlyMark + " |",        // the summary row: the fact, its verdict, the mark
		"Verdict: **FAIL**; " + ReportOnlyMark + ".",                        // its section
		"Report only until the recalibration issue: a change of the choice", // with the reason
		"| SF7 | the leader erodes | FAIL | known failure of model v1",
		"| H100 | compute price path | not measured |",
		"Not measured: the model has no compute price.",
		"| SF9 | rounds | FAIL |", // no data is no pass
		"with uncommitted changes (dirty)",
		"Fewer than the 200 replications",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

func TestValidationMarkdownRefusesGaps(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(v *Validation)
		want   string
	}{
		{"unmeasured without a reason", func(v *Validation) { v.Facts[6].Unmeasured = "" }, "H100 is not measured and no reason is given"},
		{"measured but listed as unmeasured", func(v *Validation) { v.Facts[0].Unmeasured = "stale" }, "SF1 is measured but listed as not measured"},
		{"measured but not a fact of the report", func(v *Validation) { v.Facts = v.Facts[1:] }, "measured fact SF1 is not a fact of the report"},
		{"measured without statistics", func(v *Validation) { v.Measured[0].Parts = nil }, "SF1 has no measured statistic"},
	} {
		v := goldenValidation()
		c.change(&v)
		_, err := v.Markdown()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

// newRep is a replication of zeros with the OpenAI-like lab backed by
// hyperscaler 0 (azure) from month signed.
func newRep(signed int) *Rep {
	r := &Rep{data: make([]float64, Months*len(metrics))}
	for m := range Months {
		r.set(m, cBackerO, -1)
		if m >= signed {
			r.set(m, cBackerO, 0)
		}
	}
	return r
}

func (r *Rep) set(m, c int, x float64) { r.data[m*len(metrics)+c] = x }

func TestNoCalendar(t *testing.T) {
	// Resale from months 48, 50, 52; exclusivity (exclusive_openai 1 from
	// m7) ending in months 73, 73, 73; effective shares at m83 0.1, 0.1, 0.1
	// or 0.1, 0.2, 0.3.
	build := func(resale []int, share []float64) []*Rep {
		var reps []*Rep
		for i, from := range resale {
			r := newRep(6)
			for m := from; m < Months; m++ {
				r.set(m, cResale[0], 0.01)
			}
			for m := 7; m < 73; m++ {
				r.set(m, cBackerCompute, 1)
				r.set(m, cExclO, 1)
			}
			for m := 73; m < Months; m++ {
				r.set(m, cBackerCompute, 0.6)
			}
			r.set(Months-1, cEffO, share[i])
			reps = append(reps, r)
		}
		return reps
	}
	f := NoCalendar(build([]int{48, 50, 52}, []float64{0.1, 0.2, 0.3}))
	want := []struct {
		mean float64
		pass bool
	}{{50, true}, {73, false}, {1, true}, {0.2, true}}
	for i, p := range f.Parts {
		if d := p.Mean - want[i].mean; d > 1e-12 || d < -1e-12 || p.Pass != want[i].pass || p.N != 3 {
			t.Errorf("%s: mean %g (n=%d) pass %v, want %g pass %v", p.Name, p.Mean, p.N, p.Pass, want[i].mean, want[i].pass)
		}
	}
	if f.Pass() {
		t.Error("NOCAL passes with the same exclusivity end in every replication")
	}
	if f := NoCalendar(build([]int{48, 48, 48}, []float64{0.1, 0.1, 0.1})); f.Parts[0].Pass || f.Parts[3].Pass {
		t.Error("a month that is the same in every replication passes NOCAL")
	}
}

func TestCheckFactSkipsReportOnly(t *testing.T) {
	failing := Fact{ID: "SF1", Parts: []Part{part("share before", ">= 0.30", []float64{0.1, 0.12, 0.11}, 0.30, inf)}}
	ReportOnly["SF1"] = "a test of the mechanism"
	defer delete(ReportOnly, "SF1")
	var inner *testing.T
	t.Run("SF1", func(t *testing.T) { inner = t; checkFact(t, failing) })
	if !inner.Skipped() {
		t.Error("a failing report-only fact is not skipped")
	}
}

// TestOwnMonths: SF4 and SF6 are measured from each replication's own
// resale-start and exclusivity-end months: resale from m50 and m60 with
// conflict from those months passes SF4's first two parts; exclusivity
// m7-m39 and m7-m59 with the backer hosting all compute then, and 0.5 a
// year after the end, passes SF6's own-month parts; a backer share below 1
// inside the replication's own exclusivity fails.
func TestOwnMonths(t *testing.T) {
	build := func(resale, end []int, dip bool) []*Rep {
		var reps []*Rep
		for i := range resale {
			r := newRep(6)
			for m := resale[i]; m < Months; m++ {
				r.set(m, cResale[0], 0.01)
				r.set(m, cConflict, 0.2)
			}
			for m := 7; m < end[i]; m++ {
				r.set(m, cExclO, 1)
				r.set(m, cBackerCompute, 1)
			}
			for m := end[i]; m < Months; m++ {
				r.set(m, cBackerCompute, 0.5)
			}
			if dip {
				r.set(end[i]-2, cBackerCompute, 0.9)
			}
			reps = append(reps, r)
		}
		return reps
	}
	reps := build([]int{50, 60}, []int{40, 60}, false)
	f4 := SF4(reps)
	if !f4.Parts[0].Pass || !f4.Parts[1].Pass || f4.Parts[0].N != 2 {
		t.Errorf("SF4 own months: %v", f4)
	}
	f6 := SF6(reps, nil)
	if !f6.Parts[2].Pass || !f6.Parts[3].Pass || f6.Parts[2].N != 2 || f6.Parts[3].N != 2 {
		t.Errorf("SF6 own months: %v", f6)
	}
	if got := exclusivityEnd(reps[0]); got != 40 {
		t.Errorf("exclusivity end m%g, want m40", got)
	}
	if f6 := SF6(build([]int{50, 60}, []int{40, 60}, true), nil); f6.Parts[2].Pass {
		t.Error("a backer share below 1 inside the replication's own exclusivity passes")
	}
	// a conflict before the replication's own resale start fails
	r := build([]int{50, 60}, []int{40, 60}, false)
	r[1].set(55, cConflict, 0.1) // before its own m60, after the other's m50
	if SF4(r).Parts[0].Pass {
		t.Error("conflict before the replication's own resale start passes")
	}
}
