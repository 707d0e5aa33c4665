package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/results"
)

// TestLeverStartEndToEnd: a run of the market model with an arm whose lever
// switches on at month 24 and [report] matrix_window = "from24" compares
// the window from24 in comparison.csv, draws its forest plot, and writes a
// report whose effects matrix and comparison section are over it.
func TestLeverStartEndToEnd(t *testing.T) {
	if raceDetector {
		t.Skip("runs the market model and draws charts; slow under -race")
	}
	tmp := t.TempDir()
	file := relWrite(t, tmp, "late.toml", `name = "late"
seed = 7
replications = 3
months = 30
buyers = 200

[report]
metrics = ["revenue_share_paid", "hhi_model"]
matrix_window = "from24"

[charts]
metrics = ["revenue_share_paid"]

[[arms]]
name = "cap_late"
from = 24
[arms.overrides]
"policy.revenue_share_cap" = 0.1
`)
	dir := filepath.Join(tmp, "out")
	if code, _, stderr := dispatchT(t, "run", file, "-o", dir, "-q", "-workers", "2"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	d, err := results.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, c := range d.Comparison {
		if c.Window == "from24" {
			rows++
			if c.From != 24 || c.Month != 29 {
				t.Errorf("from24 row over months %d to %d, want 24 to 29", c.From, c.Month)
			}
		}
	}
	if rows == 0 {
		t.Fatal("comparison.csv has no rows of window from24")
	}
	if _, err := os.Stat(filepath.Join(dir, results.ChartsDir, "forest_revenue_share_paid.from24.png")); err != nil {
		t.Errorf("no forest plot of from24: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, results.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		"Effects at a glance, averaged over 2021-01 to 2021-06, from the month levers switch on (window from24)",
		`<h3 class="window">From 2021-01, when levers switch on (window from24, to 2021-06)</h3>`,
		"Policy effects over from24",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
