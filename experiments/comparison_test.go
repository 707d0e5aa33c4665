package experiments

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
	"frontiersim/results"
	"frontiersim/stats"
)

// TestComparisonWindows: comparison.csv has the horizon's rows, a row per
// reported month and per named window; a window's row is the paired
// comparison of each replication's mean over the window, as computed by
// hand from the replication store; the horizon's rows are those of a run
// without windows, bit for bit; an arm that sets a declared lever is
// marked definitional on that lever's metrics only.
func TestComparisonWindows(t *testing.T) {
	e := loadString(t, toyExperiment+`
[report]
months = [5, 23]
windows = [{name = "late", from = 12, to = 23}, {name = "all", from = 0, to = 23}]
`)
	dir := t.TempDir()
	run(t, e, dir, RunOptions{Workers: 2})
	d, err := results.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	plan := d.Manifest.Plan
	type key struct{ arm, window, metric string }
	rows := map[key]results.ComparisonRow{}
	windows := map[string]bool{}
	for _, r := range d.Comparison {
		rows[key{r.Arm, r.Window, r.Metric}] = r
		windows[r.Window] = true
	}
	if want := 2 * 4 * 4; len(d.Comparison) != want || len(windows) != 4 || !windows["horizon"] || !windows["m5"] || !windows["late"] || !windows["all"] {
		t.Fatalf("%d rows over windows %v, want %d: horizon, m5 (m23 is the horizon), late and all", len(d.Comparison), windows, want)
	}

	// By hand, from the store.
	h := results.StoreHeader{Months: plan.Months, Metrics: len(plan.Metrics), PlanHash: planHash(e, plan)}
	ix, err := results.IndexStore(filepath.Join(dir, results.StoreFile), h)
	if err != nil {
		t.Fatal(err)
	}
	rr, err := ix.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	nm := len(plan.Metrics)
	mean := func(arm, rep, c, from, to int) float64 {
		path := make([]float64, plan.Months*nm)
		if err := rr.Read(plan.JobIndex(arm, 0, rep), path); err != nil {
			t.Fatal(err)
		}
		s := 0.0
		for m := from; m <= to; m++ {
			s += path[m*nm+c]
		}
		return s / float64(to-from+1)
	}
	for _, c := range []struct {
		window   string
		from, to int
	}{{"late", 12, 23}, {"all", 0, 23}, {"m5", 5, 5}, {"horizon", 23, 23}} {
		for a := 1; a < len(plan.Arms); a++ {
			for col, mt := range plan.Metrics {
				r, ok := rows[key{plan.Arms[a].Name, c.window, mt.Name}]
				if !ok {
					t.Fatalf("no row for %s %s %s", plan.Arms[a].Name, c.window, mt.Name)
				}
				n := plan.Replications
				diffs := make([]float64, n)
				sum, base := 0.0, 0.0
				for rep := 0; rep < n; rep++ {
					b := mean(0, rep, col, c.from, c.to)
					diffs[rep] = mean(a, rep, col, c.from, c.to) - b
					sum += diffs[rep]
					base += b
				}
				diff := sum / float64(n)
				ss := 0.0
				for _, x := range diffs {
					ss += (x - diff) * (x - diff)
				}
				sd := math.Sqrt(ss / float64(n-1))
				half := stats.TQuantile(0.975, float64(n-1)) * sd / math.Sqrt(float64(n))
				close := func(got, want float64) bool { return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want)) }
				if r.N != n || r.From != c.from || r.Month != c.to || !close(r.Diff, diff) || !close(r.BaselineMean, base/float64(n)) ||
					!close(r.DiffSD, sd) || !close(r.PairedLo, diff-half) || !close(r.PairedHi, diff+half) {
					t.Errorf("%s %s %s: n %d months %d-%d diff %v sd %v [%v, %v], base %v; by hand n %d months %d-%d diff %v sd %v [%v, %v], base %v",
						r.Arm, c.window, mt.Name, r.N, r.From, r.Month, r.Diff, r.DiffSD, r.PairedLo, r.PairedHi, r.BaselineMean,
						n, c.from, c.to, diff, sd, diff-half, diff+half, base/float64(n))
				}
				wantDef := plan.Arms[a].Name == "cap" && (mt.Name == "model_share_a" || mt.Name == "model_share_b")
				if r.Definitional != wantDef {
					t.Errorf("%s %s %s: definitional %t, want %t", r.Arm, c.window, mt.Name, r.Definitional, wantDef)
				}
			}
		}
	}

	// Without windows or months, the horizon rows are the same.
	e2 := loadString(t, toyExperiment)
	dir2 := t.TempDir()
	run(t, e2, dir2, RunOptions{Workers: 1})
	d2, err := results.ReadDir(dir2)
	if err != nil {
		t.Fatal(err)
	}
	var horizon []results.ComparisonRow
	for _, r := range d2.Comparison {
		if r.Window == results.HorizonWindow {
			horizon = append(horizon, r)
		}
	}
	if len(horizon) != 2*4 {
		t.Fatalf("%d horizon rows without windows, want 8", len(horizon))
	}
	for _, r := range horizon {
		if a, b := rowText(r), rowText(rows[key{r.Arm, r.Window, r.Metric}]); a != b {
			t.Errorf("horizon row of a run without windows:\n%s\nwith windows:\n%s", a, b)
		}
	}
}

// TestInheritedWindowPastTheHorizon: a base file's window past a shorter
// horizon is dropped with a note; the file's own is a problem.
func TestInheritedWindowPastTheHorizon(t *testing.T) {
	files := map[string]string{
		"base.toml":  toyExperiment + "\n[report]\nwindows = [{name = \"late\", from = 12, to = 23}, {name = \"early\", from = 0, to = 5}]\n",
		"short.toml": "extends = \"base.toml\"\nname = \"short\"\nmonths = 12\n",
		"own.toml":   "extends = \"base.toml\"\nname = \"own\"\nmonths = 12\n[report]\nwindows = [{name = \"late\", from = 6, to = 12}]\n",
	}
	read := func(path string) ([]byte, error) { return []byte(files[filepath.Base(path)]), nil }
	e, err := Load("short.toml", read, toysim.Simulator{})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Report.Windows) != 1 || e.Report.Windows[0].Name != "early" || len(e.Notes) != 1 || !strings.Contains(e.Notes[0], `"late", months 12 to 23, from base.toml) is not within the horizon (months 0 to 11)`) {
		t.Errorf("windows %v, notes %q", e.Report.Windows, e.Notes)
	}
	_, err = Load("own.toml", read, toysim.Simulator{})
	var inv *InvalidError
	if !errors.As(err, &inv) || len(inv.Problems) != 1 || !strings.Contains(inv.Problems[0].String(), "own.toml:5: report.windows[0].to: month 12 is outside the horizon: allowed 0 to 11") {
		t.Errorf("own window past the horizon: got %v", err)
	}
}

// TestMatrixSettings: [report] adjust and matrix_window reach the plan and
// the experiment as run; the matrix window may be a named window or a
// compared month.
func TestMatrixSettings(t *testing.T) {
	for _, c := range []struct{ extra, adjust, window string }{
		{"", "", ""},
		{"adjust = \"bh\"\nmatrix_window = \"late\"\n", "bh", "late"},
		{"adjust = \"none\"\nmatrix_window = \"m11\"\n", "none", "m11"},
	} {
		e := loadString(t, toyExperiment+"\n[report]\nwindows = [{name = \"late\", from = 12, to = 23}]\n"+c.extra)
		if r := e.Plan(toysim.Simulator{}).Report; r.Adjust != c.adjust || r.MatrixWindow != c.window {
			t.Errorf("%q: adjust %q, matrix_window %q", c.extra, r.Adjust, r.MatrixWindow)
		}
		canon := string(e.Canonical())
		if c.adjust != "" && (!strings.Contains(canon, `adjust = "`+c.adjust+`"`) || !strings.Contains(canon, `matrix_window = "`+c.window+`"`)) {
			t.Errorf("%q: the experiment as run lacks them:\n%s", c.extra, canon)
		}
		if c.adjust == "" && strings.Contains(canon, "adjust") {
			t.Errorf("the experiment as run names an adjustment it was not given:\n%s", canon)
		}
	}
}
