package experiments

import (
	"strings"
	"testing"

	"frontiersim/results"
)

// TestWarningsOfTheMarketModel: the market model declares its calibrated
// period (January 2019 to December 2025); a longer horizon is warned about.
func TestWarningsOfTheMarketModel(t *testing.T) {
	e := &Experiment{Months: DefaultMonths, Replications: 100, Arms: make([]results.Arm, 2)}
	if w := Warnings(e, MarketSimulator{}); len(w) != 0 {
		t.Errorf("the default horizon warns: %v", w)
	}
	e.Months = DefaultMonths + 1
	if w := Warnings(e, MarketSimulator{}); len(w) != 1 || !strings.Contains(w[0], "to 2025-12") {
		t.Errorf("85 months: %v", w)
	}
}
