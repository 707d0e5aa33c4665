package marketsim

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"frontiersim/agents"
	"frontiersim/engine"
)

// checkedMarket runs the AI-market model in check mode: every month of every
// replication asserts that money is conserved (every flow booked once out and
// once in, to 1e-9 relative), that shares lie in [0,1] and sum to 1, that cap
// tables sum to 1, and that no metric is NaN or Inf.
var checkedMarket = Simulator{Check: true}

// TestSlowInvariantsRandomScenarios draws 500 valid scenarios — each
// parameter, with probability 1/4, uniform over its documented range (whole
// numbers where the parameter takes them), else at its default, so that
// most draws satisfy the scenario's cross-parameter constraints (shares of
// a whole summing to at most 1, ordered dates, r_min <= r_max) — and runs each for the default 84 months in check
// mode with 200 buyers. A drawn scenario that fails the scenario's own
// cross-parameter validation is redrawn (and counted); a scenario that is
// valid must run without violating any invariant.
func TestSlowInvariantsRandomScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: run with go test -run Slow")
	}
	const scenarios = 500
	params := checkedMarket.Params()
	rng := rand.New(rand.NewPCG(2026, 11))
	type draw struct {
		vec  []float64
		seed uint64
	}
	var draws []draw
	rejected := 0
	r, err := checkedMarket.NewRunner(200, agents.DefaultMonths)
	if err != nil {
		t.Fatal(err)
	}
	mr := r.(*runner)
	for len(draws) < scenarios {
		v := make([]float64, len(params))
		for i, p := range params {
			if rng.IntN(4) != 0 {
				v[i] = p.Default
				continue
			}
			x := p.Min + rng.Float64()*(p.Max-p.Min)
			if p.Integer {
				x = math.Min(p.Max, math.Floor(x+0.5))
			}
			v[i] = x
		}
		if _, err := mr.scenario(v); err != nil {
			rejected++
			if rejected > 100*scenarios {
				t.Fatalf("only %d valid scenarios in %d draws: last error %v", len(draws), len(draws)+rejected, err)
			}
			continue
		}
		draws = append(draws, draw{v, uint64(len(draws))})
	}
	out := make([]float64, agents.DefaultMonths*len(checkedMarket.Metrics()))
	failures := 0
	for i, d := range draws {
		if err := r.Run(context.Background(), d.vec, engine.NewStreams(99, d.seed), out); err != nil {
			failures++
			if failures <= 5 {
				t.Errorf("scenario %d: %v", i, err)
				for j, p := range params {
					if d.vec[j] != p.Default {
						t.Logf("  %s = %v", p.Name, d.vec[j])
					}
				}
			}
		}
	}
	t.Logf("%d valid scenarios (%d draws rejected by Scenario.Validate) × 84 months × 200 buyers: %d violated an invariant",
		len(draws), rejected, failures)
}
