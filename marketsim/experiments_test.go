package marketsim_test

import (
	"context"
	"fmt"
	"path"
	"strings"
	"testing"
	"time"

	"frontiersim/experiments"
	"frontiersim/marketsim"
)

// checkedMarket runs the AI-market model in check mode: every month of every
// replication asserts that money is conserved (every flow booked once out and
// once in, to 1e-9 relative), that shares lie in [0,1] and sum to 1, that cap
// tables sum to 1, and that no metric is NaN or Inf.
var checkedMarket = marketsim.Simulator{Check: true}

var fixedNow = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// TestSlowInvariantsShippedExperiments runs every shipped experiment, every
// arm and sweep point, in check mode (3 replications of 300 buyers each: the
// invariants do not depend on the population size).
func TestSlowInvariantsShippedExperiments(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: run with go test -run Slow")
	}
	for _, f := range experiments.ShippedFiles() {
		t.Run(path.Base(f), func(t *testing.T) {
			e, err := experiments.Load(f, experiments.ReadShipped, checkedMarket)
			if err != nil {
				t.Fatal(err)
			}
			e.Replications, e.Buyers = 3, 300
			e.Charts.Disable = true
			m, err := experiments.Execute(context.Background(), e, checkedMarket, experiments.RunOptions{Dir: t.TempDir(), Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d replications of %d arm(s) × %d point(s) held every invariant for %d months",
				e.Name, m.JobsDone, len(e.Arms), e.Points(), e.Months)
		})
	}
}

// TestSlowExtremeScenarios runs model-specific extreme but valid inputs in
// check mode: each completes with every invariant held. (Population, horizon
// and replication extremes are tested through the CLI in cmd/runsim.)
func TestSlowExtremeScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: run with go test -run Slow")
	}
	cases := []struct {
		name      string
		buyers    int
		overrides string
	}{
		{"a million buyers", 1_000_000, ""},
		{"one lab until the last month", 2000, `"labs.anthropic.founded" = 83
"labs.mistral.founded" = 83
"labs.other.founded" = 83`},
		{"no strategic hyperscaler investments", 2000, `"finance.threat_lambda" = 0
"finance.shock_threat" = 0
"finance.strategic_frac" = 0`},
		{"every lever at its extreme", 2000, `"policy.revenue_share_cap" = 0
"policy.leakage" = 1
"policy.ban_exclusive" = 3
"policy.merger_control" = 1
"policy.stake_threshold" = 0
"policy.switching_cost_multiplier" = 0
"policy.ban_covenants" = 1`},
		{"historical replay", 2000, `"mode.replay" = 1`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := fmt.Sprintf("name = \"extreme\"\nreplications = 2\nbuyers = %d\n[charts]\nenabled = false\n[scenario]\n%s\n", c.buyers, c.overrides)
			e, err := experiments.Load("extreme.toml", func(string) ([]byte, error) { return []byte(text), nil }, checkedMarket)
			if err != nil {
				t.Fatal(err)
			}
			m, err := experiments.Execute(context.Background(), e, checkedMarket, experiments.RunOptions{Dir: t.TempDir(), Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d replications × %d months × %d buyers in check mode (%s)", c.name, m.JobsDone, e.Months, e.Buyers,
				strings.ReplaceAll(c.overrides, "\n", ", "))
		})
	}
}
