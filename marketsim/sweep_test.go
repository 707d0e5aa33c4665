package marketsim_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"frontiersim/experiments"
	"frontiersim/marketsim"
	"frontiersim/results"
)

// TestSweepColumnsOfAGrid runs a 4 × 3 grid sweep (testdata/
// sweep_ban_switching.toml) and reads its CSVs as a user's script would:
// each carries both swept values in columns named by the parameters after
// point, the ban on exclusive deals as its label and the switching-cost
// multiplier as a number, the values of the row's sweep point in the
// manifest, and all twelve combinations.
func TestSweepColumnsOfAGrid(t *testing.T) {
	var sim marketsim.Simulator
	e, err := experiments.Load("testdata/sweep_ban_switching.toml", os.ReadFile, sim)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	man, err := experiments.Execute(context.Background(), e, sim, experiments.RunOptions{Dir: dir, Now: fixedNow, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	plan := man.Plan
	const ban, psi = "policy.ban_exclusive", "policy.switching_cost_multiplier"
	if want := map[string][]string{ban: {"off", "compute", "api", "both"}}; !reflect.DeepEqual(plan.Sweep.Levels, want) {
		t.Fatalf("manifest sweep levels %v, want %v", plan.Sweep.Levels, want)
	}
	point := map[string][2]string{} // the manifest's values of each point, as the tables write them
	for _, pt := range plan.Points {
		point[pt.Name] = [2]string{plan.Sweep.Levels[ban][int(pt.Params[0].Value)], strconv.FormatFloat(pt.Params[1].Value, 'g', -1, 64)}
	}
	for _, file := range []string{results.RunsFile, results.TimeseriesFile, results.ComparisonFile} {
		t.Run(file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			recs, err := csv.NewReader(f).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if got := recs[0][:4]; !reflect.DeepEqual(got, []string{"arm", "point", ban, psi}) {
				t.Fatalf("header begins %v, want arm, point, %s, %s", got, ban, psi)
			}
			seen := map[[2]string]bool{}
			for i, r := range recs[1:] {
				got, want := [2]string{r[2], r[3]}, point[r[1]]
				if got != want {
					t.Fatalf("line %d (point %s): swept values %v, want the manifest's %v", i+2, r[1], got, want)
				}
				if _, err := strconv.ParseFloat(r[3], 64); err != nil {
					t.Fatalf("line %d: %s = %q is not a number", i+2, psi, r[3])
				}
				seen[got] = true
			}
			if len(seen) != 12 {
				t.Errorf("%d combinations of the swept values, want 4 × 3 = 12: %v", len(seen), seen)
			}
			for _, label := range []string{"off", "compute", "api", "both"} {
				for _, x := range []string{"0.25", "0.5", "1"} {
					if !seen[[2]string{label, x}] {
						t.Errorf("no row at %s = %s, %s = %s", ban, label, psi, x)
					}
				}
			}
		})
	}
	if _, err := results.ReadDir(dir); err != nil {
		t.Errorf("the result directory does not read back: %v", err)
	}
	t.Logf("%d points × %d arms × %d replications", len(plan.Points), len(plan.Arms), plan.Replications)
}
