package marketsim

import (
	"context"
	"slices"
	"strings"
	"testing"

	"frontiersim/agents"
	"frontiersim/engine"
)

// TestMarketGroups: the optional metric groups are off by default, come
// after the default metrics when named, and fill the runner's output; an
// unknown group leaves the metrics alone and fails NewRunner.
func TestMarketGroups(t *testing.T) {
	def := Simulator{}.Metrics()
	sim := Simulator{Groups: []string{agents.GroupCalibration}}
	with := sim.Metrics()
	if len(with) <= len(def) || !slices.Equal(with[:len(def)], def) {
		t.Fatalf("%d metrics with the calibration group, %d without: the defaults must come first, unchanged", len(with), len(def))
	}
	r, err := sim.NewRunner(50, 12)
	if err != nil {
		t.Fatal(err)
	}
	var params []float64
	for _, p := range sim.Params() {
		params = append(params, p.Default)
	}
	out := make([]float64, 12*len(with))
	if err := r.Run(context.Background(), params, engine.NewStreams(1, 0), out); err != nil {
		t.Fatal(err)
	}
	bad := Simulator{Groups: []string{"no such group"}}
	if got := bad.Metrics(); !slices.Equal(got, def) {
		t.Errorf("an unknown group changed the metrics")
	}
	if _, err := bad.NewRunner(50, 12); err == nil || !strings.Contains(err.Error(), "no such group") {
		t.Errorf("NewRunner with an unknown group: %v", err)
	}
}
