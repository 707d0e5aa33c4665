package agents

import (
	"context"
	"fmt"
	"math"
	"testing"

	"frontiersim/engine"
)

// runSummary runs one replication of s and returns the mean of metric over
// months [from, to).
func runMean(s Scenario, buyers int, seed, rep uint64, metricName string, from, to int, check bool) (float64, error) {
	w, err := NewWorld(s, buyers, engine.NewStreams(seed, rep), DefaultMonths, check)
	if err != nil {
		return 0, err
	}
	if err := w.Run(context.Background()); err != nil {
		return 0, err
	}
	c, err := MetricIndex(metricName)
	if err != nil {
		return 0, err
	}
	sum := 0.0
	for m := from; m < to; m++ {
		sum += w.Recorder().Get(m, c)
	}
	return sum / float64(to-from), nil
}

// pairedCI returns the mean paired difference and its 95% t confidence
// interval (t quantile for n-1 degrees of freedom, normal beyond 120).
func pairedCI(d []float64) (mean, lo, hi float64) {
	n := float64(len(d))
	for _, x := range d {
		mean += x
	}
	mean /= n
	ss := 0.0
	for _, x := range d {
		ss += (x - mean) * (x - mean)
	}
	se := math.Sqrt(ss/(n-1)) / math.Sqrt(n)
	tq := 1.984 // t(0.975, 99)
	if len(d) > 120 {
		tq = 1.96
	}
	return mean, mean - tq*se, mean + tq*se
}

// leverDirectionReportOnly lists the levers whose model-v1 direction on its
// target metric a change of model v2 no longer gives, with the reason. Under
// model v2 a lever's effect is an outcome, reported whatever its sign
// (model-v2.md §5); the expected direction is never changed here: the test
// logs the measured effect and skips, and says when the direction holds
// again so that the entry can go.
var leverDirectionReportOnly = map[string]string{
	// revenue_share_cap left the list with model v2 part 4 (deals valued on
	// the re-solved pricing game): -0.023 US$B/month, CI -0.033 to -0.013
	// (100 replications of 2,000 buyers, after merging part 3b's chosen
	// exclusivity; -0.0046, CI -0.014 to 0.005, before part 4)
	"revenue_share_cap": "model v2 part 3a in the loop (issue 19: every lab × hyperscaler agreement Nash-in-Nash bargained, agreements formed on a " +
		"gain from trade): already off on main a0ab782 (+0.0011 US$B/month, CI -0.0029 to 0.0051); with formation at triggers and the loop's " +
		"looser price tolerance (nin3) revenue_share_paid (m48-83) +0.0039, CI -0.00005 to 0.0079 (100 replications of 2,000 buyers); " +
		"why the paid share no longer falls on average is not traced yet; the cap's mechanism stays " +
		"asserted on hand-built worlds (contract shares never above min(cap, Nash share) + band, TestNoShareStuckDefault)",
	"ban_exclusive": "model v2 part 3b (compute exclusivity is chosen, agents/exclusivity.go): the baseline OpenAI-like lab rarely sells its backer " +
		"exclusivity (1 of 200 replications in docs/validation.md), so the ban has almost nothing to remove: backer_compute_share_openai " +
		"(m12-83) +0.0009, CI -0.018 to 0.019 (100 replications of 2,000 buyers); the ban's mechanism is asserted on hand-built worlds " +
		"(TestBanExclusivityMovesCompute, TestBanLowersExcludedLabsComputeCost, TestBanRemovesChosenExclusivity)",
}

// TestSlowPolicyLevers: each lever of §7.1 (PolicyLevers, the default
// experiment's arms) moves its target metric in the expected direction
// against baseline over 100 replications with common random numbers (2,000
// buyers, check mode on), unless leverDirectionReportOnly lists it.
func TestSlowPolicyLevers(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical test; run with -run Slow")
	}
	const reps, buyers = 100, 2000
	const seed = 20190101
	for _, lv := range PolicyLevers() {
		t.Run(lv.Name, func(t *testing.T) {
			arm := DefaultScenario()
			if err := lv.Apply(&arm); err != nil {
				t.Fatal(err)
			}
			diffs := make([]float64, reps)
			var baseSum float64
			err := engine.Replicate(context.Background(), reps, 0,
				func(ctx context.Context, r int) ([2]float64, error) {
					b, err := runMean(DefaultScenario(), buyers, seed, uint64(r), lv.Metric, lv.From, DefaultMonths, true)
					if err != nil {
						return [2]float64{}, fmt.Errorf("baseline: %w", err)
					}
					a, err := runMean(arm, buyers, seed, uint64(r), lv.Metric, lv.From, DefaultMonths, true)
					if err != nil {
						return [2]float64{}, fmt.Errorf("lever: %w", err)
					}
					return [2]float64{b, a}, nil
				},
				func(r int, v [2]float64) error {
					diffs[r] = v[1] - v[0]
					baseSum += v[0]
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			mean, lo, hi := pairedCI(diffs)
			t.Logf("%s (%s): %s (mean over months %d-83), baseline mean %.4g, paired difference %.4g, 95%% CI [%.4g, %.4g], n = %d",
				lv.Name, lv.Description, lv.Metric, lv.From, baseSum/reps, mean, lo, hi, reps)
			holds := !(lv.Sign < 0 && !(hi < 0) || lv.Sign > 0 && !(lo > 0))
			why, reportOnly := leverDirectionReportOnly[lv.Name]
			switch {
			case reportOnly && holds:
				t.Errorf("%s moves %s in the expected direction again (CI [%g, %g]): remove it from leverDirectionReportOnly", lv.Name, lv.Metric, lo, hi)
			case reportOnly:
				t.Skipf("report only: %s", why)
			case !holds:
				t.Errorf("%s does not move %s in the expected direction: CI [%g, %g]", lv.Name, lv.Metric, lo, hi)
			}
		})
	}
}

// TestSlowCheckModeDefault: 200 replications of the default scenario
// (endogenous mode, 2,000 buyers each: a small population, same mechanisms)
// in check mode: money conserved, shares valid, cap tables sum to 1, no
// NaN or Inf metric, in every month.
func TestSlowCheckModeDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("200 replications; run with -run Slow")
	}
	const reps, buyers = 200, 2000
	err := engine.Replicate(context.Background(), reps, 0,
		func(ctx context.Context, r int) (struct{}, error) {
			w, err := NewWorld(DefaultScenario(), buyers, engine.NewStreams(7, uint64(r)), DefaultMonths, true)
			if err != nil {
				return struct{}{}, err
			}
			return struct{}{}, w.Run(ctx)
		},
		func(int, struct{}) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("check mode held in every month of %d replications (%d buyers each)", reps, buyers)
	replay := DefaultScenario()
	replay.Mode.Replay = true
	err = engine.Replicate(context.Background(), 50, 0,
		func(ctx context.Context, r int) (struct{}, error) {
			w, err := NewWorld(replay, buyers, engine.NewStreams(7, uint64(r)), DefaultMonths, true)
			if err != nil {
				return struct{}{}, err
			}
			return struct{}{}, w.Run(ctx)
		},
		func(int, struct{}) error { return nil })
	if err != nil {
		t.Fatalf("replay mode: %v", err)
	}
	t.Logf("check mode held in every month of 50 replay-mode replications")
}
