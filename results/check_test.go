package results

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
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
		comp = append(comp, ComparisonRow{Arm: "cap", Point: "-", Metric: mt.Name, Month: 2, N: 2})
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
