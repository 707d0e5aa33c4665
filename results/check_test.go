package results

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// smallDir writes a consistent complete result directory by hand: 2 arms,
// no sweep, 2 replications, 3 months, 2 metrics; it returns its path and
// manifest.
// writeTable writes rows as table tab into dir.
func writeTable[R any](t *testing.T, dir string, tab Table[R], rows []R) {
	t.Helper()
	tw, err := CreateTable(filepath.Join(dir, tab.File), tab)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := tw.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
}

func smallDir(t *testing.T) (string, Manifest) {
	t.Helper()
	dir := t.TempDir()
	plan := Plan{Arms: []Arm{{Name: "baseline"}, {Name: "cap"}}, Points: []Point{{Name: "-"}},
		Replications: 2, Months: 3, Buyers: 5, StartYear: 2019, StartMonth: 1, Metrics: fuzzMetrics}
	m := Manifest{Experiment: "x", ExperimentHash: "ab", ProgramVersion: "v", Seed: 3, Plan: plan,
		Status: StatusComplete, JobsTotal: plan.Jobs(), JobsDone: plan.Jobs(), StartTime: "2026-01-01T00:00:00Z"}
	if err := WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	var runs []Run
	for i := 0; i < plan.Jobs(); i++ {
		a, p, r := plan.Job(i)
		runs = append(runs, Run{Arm: plan.Arms[a].Name, Point: plan.Points[p].Name, Replication: r, Values: []float64{0.5, 5000}})
	}
	writeTable(t, dir, RunsTable(plan.Metrics), runs)
	var series []SeriesRow
	for _, a := range plan.Arms {
		for t := 0; t < plan.Months; t++ {
			for _, mt := range plan.Metrics {
				series = append(series, SeriesRow{Arm: a.Name, Point: "-", Month: t, Date: plan.MonthLabel(t), Metric: mt.Name, N: 2})
			}
		}
	}
	writeTable(t, dir, SeriesTable(), series)
	var comp []ComparisonRow
	for _, mt := range plan.Metrics {
		comp = append(comp, ComparisonRow{Arm: "cap", Point: "-", Metric: mt.Name, Window: HorizonWindow, From: 2, Month: 2, N: 2})
	}
	writeTable(t, dir, ComparisonTable(), comp)
	w, err := CreateStore(filepath.Join(dir, StoreFile), StoreHeader{Months: 3, Metrics: 2})
	if err != nil {
		t.Fatal(err)
	}
	for j := 0; j < plan.Jobs(); j++ {
		if err := w.Append(j, make([]float64, 6)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, m
}

// editManifest writes the manifest's JSON edited by fn, as a hand edit
// would (no check on the way out).
func editManifest(t *testing.T, dir string, m Manifest, fn func(*Manifest)) {
	t.Helper()
	b, _ := json.Marshal(m)
	m = Manifest{}
	if err := json.Unmarshal(b, &m); err != nil { // a deep copy
		t.Fatal(err)
	}
	fn(&m)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadDirChecksHandEditedManifests: a manifest edited by hand so that
// it contradicts itself, its tables or its store is refused with an error
// that wraps ErrInconsistent and names what disagrees.
func TestReadDirChecksHandEditedManifests(t *testing.T) {
	dir, m := smallDir(t)
	if _, err := ReadDir(dir); err != nil {
		t.Fatalf("the consistent directory is refused: %v", err)
	}
	cases := []struct {
		name string
		edit func(*Manifest)
		want string
	}{
		{"start month 99", func(m *Manifest) { m.Plan.StartMonth = 99 }, "start_month is 99"},
		{"start month 0", func(m *Manifest) { m.Plan.StartMonth = 0 }, "start_month is 0"},
		{"start year", func(m *Manifest) { m.Plan.StartYear = -99999999999 }, "start_year"},
		{"start month 2", func(m *Manifest) { m.Plan.StartMonth = 2 }, "2019-02"},
		{"months", func(m *Manifest) { m.Plan.Months = 99 }, "timeseries.csv has 12 rows"},
		{"report month", func(m *Manifest) { m.Plan.Report.Months = []int{99} }, "report.months[0] is 99"},
		{"arm removed", func(m *Manifest) {
			m.Plan.Arms = m.Plan.Arms[:1]
			m.JobsTotal, m.JobsDone = 2, 2
		}, `runs.csv line 4: arm "cap" is not in the manifest's plan`},
		{"arm renamed", func(m *Manifest) { m.Plan.Arms[1].Name = "cap2" }, `arm "cap" is not in the manifest's plan`},
		{"arms swapped", func(m *Manifest) { m.Plan.Arms[0].Name, m.Plan.Arms[1].Name = "cap", "baseline" }, `runs.csv line 2 is arm "baseline"`},
		{"arm twice", func(m *Manifest) { m.Plan.Arms[1].Name = "baseline" }, "listed twice"},
		{"jobs total", func(m *Manifest) { m.Plan.Replications = 3 }, "jobs_total is 4"},
		{"metric renamed", func(m *Manifest) { m.Plan.Metrics = []Metric{{Name: "share"}, {Name: "hhi2"}} }, `"hhi", but the manifest makes it "hhi2"`},
		{"chart metric", func(m *Manifest) { m.Plan.Charts.Metrics = []string{"nope"} }, `"nope" is not one of the plan's metrics`},
		{"report metric", func(m *Manifest) { m.Plan.Report.Metrics = []string{"hhi"} }, "timeseries.csv has 12 rows, but the manifest's plan reports 6"},
		{"window added", func(m *Manifest) { m.Plan.Report.Windows = []Window{{Name: "w", From: 0, To: 1}} },
			"comparison.csv has 2 rows, but the manifest's plan compares 4 (1 policy arm(s) × 1 point(s) × 2 window(s) × 2 metric(s))"},
		{"window past the horizon", func(m *Manifest) { m.Plan.Report.Windows = []Window{{Name: "w", From: 1, To: 3}} }, "is months 1 to 3: want 0 <= from <= to <= 2"},
		{"window backwards", func(m *Manifest) { m.Plan.Report.Windows = []Window{{Name: "w", From: 2, To: 1}} }, "is months 2 to 1"},
		{"window reserved", func(m *Manifest) { m.Plan.Report.Windows = []Window{{Name: "m1", From: 1, To: 1}} }, `"m1" is reserved`},
		{"window twice", func(m *Manifest) { m.Plan.Report.Windows = []Window{{Name: "w", To: 1}, {Name: "w", To: 2}} }, `window "w" is listed twice`},
		{"matrix window", func(m *Manifest) { m.Plan.Report.MatrixWindow = "late" }, `matrix_window "late" is not one of the windows`},
		{"month row", func(m *Manifest) { m.Plan.Report.Months = []int{1} }, "timeseries.csv has 12 rows, but the manifest's plan reports 4"},
		{"definitional metric", func(m *Manifest) { m.Plan.Definitional = []DefinitionalEffect{{Lever: "cap", Metric: "nope"}} }, `plan.definitional[0]: "nope" is not`},
		{"definitional flag", func(m *Manifest) {
			m.Plan.Definitional = []DefinitionalEffect{{Lever: "x.cap", Metric: "hhi"}}
			m.Plan.Arms[1].Overrides = []ParamValue{{Name: "x.cap", Value: 0.1}}
		}, "comparison.csv line 3: definitional is false, but the manifest's plan makes it true"},
		{"lever start past the horizon", func(m *Manifest) { m.Plan.Arms[1].From = 3 }, `plan.arms[1] ("cap"): its levers switch on at month 3: want 0 to 2`},
		{"lever start on the baseline", func(m *Manifest) { m.Plan.Arms[0].From = 1 }, "the baseline, has levers switching on at month 1"},
		{"lever start added", func(m *Manifest) { m.Plan.Arms[1].From = 1 }, "comparison.csv has 2 rows, but the manifest's plan compares 4"},
		{"levels of a parameter not swept", func(m *Manifest) {
			m.Plan.Sweep = &SweepSpec{Kind: "grid", Levels: map[string][]string{"x.flag": {"false", "true"}}}
		}, `plan.sweep.levels names "x.flag", which the sweep does not sweep`},
		{"point added", func(m *Manifest) { m.Plan.Points = append(m.Plan.Points, Point{Name: "p2"}) }, "2 sweep points but no sweep"},
		{"done", func(m *Manifest) { m.JobsDone = 1 }, "status is complete but jobs_done is 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			editManifest(t, dir, m, c.edit)
			_, err := ReadDir(dir)
			if !errors.Is(err, ErrInconsistent) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want ErrInconsistent naming %q", err, c.want)
			}
		})
	}
	editManifest(t, dir, m, func(*Manifest) {})
	// A store of another shape, or with a replication missing.
	store := filepath.Join(dir, StoreFile)
	b, _ := os.ReadFile(store)
	os.WriteFile(store, b[:len(b)-10], 0o644)
	if _, err := ReadDir(dir); !errors.Is(err, ErrInconsistent) || !strings.Contains(err.Error(), "replications.bin is") {
		t.Errorf("truncated store: got %v", err)
	}
	w, _ := CreateStore(store, StoreHeader{Months: 4, Metrics: 2})
	w.Close()
	if _, err := ReadDir(dir); !errors.Is(err, ErrInconsistent) || !strings.Contains(err.Error(), "4 months × 2 metrics") {
		t.Errorf("store of another shape: got %v", err)
	}
}

// TestComparisonWindows: the rows comparison.csv has per arm, point and
// metric: the horizon, the reported months (or the year ends), the named
// windows.
func TestComparisonWindows(t *testing.T) {
	w := func(name string, from, to int) Window { return Window{name, from, to} }
	cases := []struct {
		name string
		plan Plan
		want []Window
	}{
		{"year ends", Plan{Months: 36, StartYear: 2019, StartMonth: 1},
			[]Window{w("horizon", 35, 35), w("m11", 11, 11), w("m23", 23, 23)}},
		{"year ends from July", Plan{Months: 12, StartYear: 2019, StartMonth: 7},
			[]Window{w("horizon", 11, 11), w("m5", 5, 5)}},
		{"one year", Plan{Months: 12, StartYear: 2019, StartMonth: 1}, []Window{w("horizon", 11, 11)}},
		{"listed months, the horizon among them", Plan{Months: 84, StartYear: 2019, StartMonth: 1,
			Report: ReportSpec{Months: []int{0, 47, 83}, Windows: []Window{w("2023-2025", 48, 83)}}},
			[]Window{w("horizon", 83, 83), w("m0", 0, 0), w("m47", 47, 47), w("2023-2025", 48, 83)}},
		{"lever starts, in order, each once", Plan{Months: 120, StartYear: 2019, StartMonth: 1, Report: ReportSpec{Months: []int{83}},
			Arms: []Arm{{Name: "baseline"}, {Name: "late", From: 96}, {Name: "a", From: 84}, {Name: "b", From: 84}, {Name: "now"}}},
			[]Window{w("horizon", 119, 119), w("m83", 83, 83), w("from84", 84, 119), w("from96", 96, 119)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.plan.ComparisonWindows(); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	for name, want := range map[string]bool{"horizon": true, "m0": true, "m47": true, "m": false, "m4x": false, "2023-2025": false, "mid": false,
		"from84": true, "from": false, "from_84": false, "fromage": false} {
		if got := IsReservedWindowName(name); got != want {
			t.Errorf("IsReservedWindowName(%q) = %t", name, got)
		}
	}
}

// TestIsDefinitional: an arm moves a metric by definition when it sets a
// declared lever of that metric to a value other than the scenario's.
func TestIsDefinitional(t *testing.T) {
	p := Plan{Parameters: []ParamValue{{Name: "cap", Value: 1}, {Name: "ban", Value: 0}},
		Definitional: []DefinitionalEffect{{Lever: "cap", Metric: "paid"}, {Lever: "ban", Metric: "backer", Values: []float64{1, 3}}}}
	arm := func(pv ...ParamValue) Arm { return Arm{Name: "a", Overrides: pv} }
	cases := []struct {
		arm    Arm
		metric string
		want   bool
	}{
		{arm(ParamValue{"cap", 0.1}), "paid", true},
		{arm(ParamValue{"cap", 0.1}), "backer", false},
		{arm(ParamValue{"cap", 1}), "paid", false}, // the scenario's value: no lever
		{arm(ParamValue{"other", 3}, ParamValue{"ban", 3}), "backer", true},
		{arm(ParamValue{"ban", 2}), "backer", false}, // not one of the effect's values
		{arm(), "paid", false},
	}
	for i, c := range cases {
		if got := p.IsDefinitional(c.arm, c.metric); got != c.want {
			t.Errorf("case %d: IsDefinitional(%v, %q) = %t, want %t", i, c.arm.Overrides, c.metric, got, c.want)
		}
	}
}
