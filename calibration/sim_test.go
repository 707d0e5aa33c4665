package calibration

import (
	"context"
	"slices"
	"strings"
	"testing"

	"frontiersim/agents"
	"frontiersim/engine"
	"frontiersim/marketsim"
	"frontiersim/results"
)

// TestBatchReplicatesWorld: replication r of a batch is the world of its
// scenario run on engine.NewStreams(seed, r) with the calibration metrics,
// bit for bit, whichever other scenarios share the batch; so the search
// and the facts see the replications they saw before they ran on the
// experiments' runner.
func TestBatchReplicatesWorld(t *testing.T) {
	const buyers, reps, seed = 150, 3, 77
	base := agents.DefaultScenario()
	moved := base
	if err := moved.Set("logit.beta_a", 2.1); err != nil {
		t.Fatal(err)
	}
	replay := base
	replay.Mode.Replay = true
	scenarios := []agents.Scenario{base, moved, replay}
	all, err := RunScenarios(context.Background(), buyers, seed, reps, scenarios...)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := RunAll(context.Background(), moved, buyers, seed, reps)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range scenarios {
		for r := 0; r < reps; r++ {
			w, err := agents.NewWorld(s, buyers, engine.NewStreams(seed, uint64(r)), Months, true, agents.GroupCalibration)
			if err != nil {
				t.Fatal(err)
			}
			if err := engine.Run(context.Background(), w, Months); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(all[i][r].data, w.Recorder().Data()) {
				t.Errorf("scenario %d, replication %d: the batch differs from the world run on its streams", i, r)
			}
		}
	}
	for r := range alone {
		if !slices.Equal(alone[r].data, all[1][r].data) {
			t.Errorf("replication %d of a scenario differs alone and in a batch with others", r)
		}
	}
	if slices.Equal(all[0][0].data, all[1][0].data) {
		t.Errorf("the moved parameter changed nothing: the test compares nothing")
	}
}

// TestArm: a scenario's arm overrides exactly the parameters it moved.
func TestArm(t *testing.T) {
	s := agents.DefaultScenario()
	arm, err := Arm("a", s)
	if err != nil || len(arm.Overrides) != 0 {
		t.Fatalf("default scenario: %+v, %v", arm, err)
	}
	if err := s.Set("buyers.review_rate", 0.2); err != nil {
		t.Fatal(err)
	}
	s.Mode.Replay = true
	arm, err = Arm("a", s)
	want := []results.ParamValue{{Name: "mode.replay", Value: 1}, {Name: "buyers.review_rate", Value: 0.2}}
	if err != nil || !slices.Equal(arm.Overrides, want) {
		t.Errorf("overrides %v (%v), want %v", arm.Overrides, err, want)
	}
	if _, err := Arm("a", agents.Scenario{}); err == nil {
		t.Errorf("a scenario without a world made an arm")
	}
}

// TestNewRep: a replication is read only from a plan of the calibration's
// simulator.
func TestNewRep(t *testing.T) {
	plan, err := Plan(10, 1, agents.DefaultScenario())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, Months*len(plan.Metrics))
	out[5*len(plan.Metrics)+Col("cramer_v_cloud")] = 0.25
	rep, err := NewRep(plan, out)
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Get(5, Col("cramer_v_cloud")); got != 0.25 {
		t.Errorf("Get = %v, want 0.25", got)
	}
	def := plan
	def.Metrics = marketsim.Simulator{}.Metrics()
	for _, c := range []struct {
		name string
		plan results.Plan
		n    int
		want string
	}{
		{"default metrics", def, Months * len(def.Metrics), "metrics"},
		{"short horizon", results.Plan{Months: 12, Metrics: plan.Metrics}, 12 * len(plan.Metrics), "months"},
		{"short output", plan, 7, "values"},
	} {
		if _, err := NewRep(c.plan, make([]float64, c.n)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error about %s", c.name, err, c.want)
		}
	}
}
