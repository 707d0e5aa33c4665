package marketsim_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"frontiersim/experiments"
	"frontiersim/marketsim"
	"frontiersim/results"
)

// leverFromText is a 120-month experiment whose policy arm switches its
// levers on at month 84 (January 2026), past the calibrated period.
const leverFromText = `name = "from84"
months = 120
replications = 3
buyers = 400
[charts]
enabled = false
[scenario]
# no restructuring (and so no acquisition) of the capped-profit lab: its
# backer contract lasts for the cap to act on
"governance.capped_profit_capital_limit" = 100000
[[arms]]
name = "cap_and_ban_from_2026"
from = 84
[arms.overrides]
"policy.revenue_share_cap" = 0.05
"policy.ban_exclusive" = 3
"policy.merger_control" = 1
"policy.switching_cost_multiplier" = 0.5
`

// TestLeversFromMonth: an arm whose levers switch on at month 84 of a
// 120-month horizon stores, replication for replication, the baseline's
// monthly path bit for bit in months 0-83 (common random numbers up to the
// switch), and a different one after it; comparison.csv compares the
// months from 84 on (window from84), where the effect is not zero (its sign is the model's answer, not asserted), and
// the months before it, where it is zero by construction.
func TestLeversFromMonth(t *testing.T) {
	sim := marketsim.Simulator{Check: true}
	e, err := experiments.Load("from84.toml", func(string) ([]byte, error) { return []byte(leverFromText), nil }, sim)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := experiments.Execute(context.Background(), e, sim, experiments.RunOptions{Dir: dir, Now: fixedNow, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	d, err := results.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	plan := d.Manifest.Plan
	if plan.Arms[1].From != 84 {
		t.Fatalf("manifest: arm from %d, want 84", plan.Arms[1].From)
	}
	paths, err := d.ReadPaths(0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	nm, from := len(plan.Metrics), 84
	for r := range plan.Replications {
		base, arm := paths[0][r], paths[1][r]
		for i := range from * nm {
			if math.Float64bits(base[i]) != math.Float64bits(arm[i]) {
				t.Fatalf("replication %d: month %d, %s: arm %v, baseline %v: the months before the levers switch on must be the baseline's bit for bit",
					r, i/nm, plan.Metrics[i%nm].Name, arm[i], base[i])
			}
		}
		if slices.Equal(base[from*nm:], arm[from*nm:]) {
			t.Errorf("replication %d: months 84-119 equal the baseline's: the levers did not switch on", r)
		}
	}
	// months 84 on differ in the lever's own metric in every replication
	c := slices.IndexFunc(plan.Metrics, func(m results.Metric) bool { return m.Name == "revenue_share_paid" })
	for r := range plan.Replications {
		differ := false
		for tm := from; tm < plan.Months; tm++ {
			differ = differ || paths[0][r][tm*nm+c] != paths[1][r][tm*nm+c]
		}
		if !differ {
			t.Errorf("replication %d: revenue_share_paid is the baseline's in every month from 84 under a 5%% cap", r)
		}
	}
	var fromRow, beforeRow *results.ComparisonRow
	for i, row := range d.Comparison {
		switch {
		case row.Metric == "revenue_share_paid" && row.Window == "from84":
			fromRow = &d.Comparison[i]
		case row.Metric == "revenue_share_paid" && row.Window == "m83":
			beforeRow = &d.Comparison[i]
		}
	}
	if fromRow == nil || beforeRow == nil {
		t.Fatalf("comparison.csv lacks the from84 or m83 row of revenue_share_paid")
	}
	if fromRow.From != 84 || fromRow.Month != 119 || fromRow.Diff == 0 {
		t.Errorf("from84 row: months %d-%d, diff %v: want months 84-119 and an effect", fromRow.From, fromRow.Month, fromRow.Diff)
	}
	if beforeRow.Diff != 0 || beforeRow.DiffSD != 0 {
		t.Errorf("m83 row: diff %v (sd %v), want exactly 0 before the levers switch on", beforeRow.Diff, beforeRow.DiffSD)
	}
}
