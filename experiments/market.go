package experiments

import (
	"context"
	"fmt"

	"frontiersim/agents"
	"frontiersim/engine"
	"frontiersim/results"
)

// MarketSimulator is the AI-market model of package agents as a Simulator.
// With Check set, every month of every replication asserts the model's
// invariants (money conserved, shares in [0,1] summing to 1, cap tables
// summing to 1, no NaN or Inf); a violation fails the replication.
type MarketSimulator struct {
	Check bool
	// Groups names optional metric groups (agents.OptionalGroups) to record
	// after the default metrics; the default experiment records none.
	// Metrics leaves out a name that is not an optional group, and
	// NewRunner reports it.
	Groups []string
}

// Params implements Simulator.
func (MarketSimulator) Params() []Param {
	specs := agents.Params()
	out := make([]Param, len(specs))
	for i, s := range specs {
		out[i] = Param{Name: s.Name, Unit: s.Unit, Description: s.Description, Source: s.Source, Grade: s.Grade,
			Default: s.Default, Min: s.Min, Max: s.Max, Integer: s.Integer}
	}
	return out
}

// Metrics implements Simulator.
func (m MarketSimulator) Metrics() []results.Metric {
	specs, err := agents.MetricsWith(m.Groups...)
	if err != nil {
		specs = agents.Metrics()
	}
	out := make([]results.Metric, len(specs))
	for i, s := range specs {
		out[i] = results.Metric{Name: s.Name, Unit: s.Unit, Description: s.Description}
	}
	return out
}

// BytesPerBuyer implements Simulator.
func (MarketSimulator) BytesPerBuyer() float64 { return 150 }

// CalibratedMonths implements Simulator: the calibration (package
// calibration) fits the targets of January 2019 to December 2025, the
// default horizon.
func (MarketSimulator) CalibratedMonths() int { return agents.DefaultMonths }

// NewRunner implements Simulator.
func (m MarketSimulator) NewRunner(buyers, months int) (Runner, error) {
	if _, err := agents.MetricsWith(m.Groups...); err != nil {
		return nil, err
	}
	return &marketRunner{buyers: buyers, months: months, check: m.Check, groups: m.Groups}, nil
}

type marketRunner struct {
	buyers, months int
	check          bool
	groups         []string
	world          *agents.World
}

// scenario builds the scenario of a parameter vector and validates it.
func (r *marketRunner) scenario(params []float64) (agents.Scenario, error) {
	s := agents.DefaultScenario()
	if err := s.SetAll(params); err != nil {
		return s, err
	}
	return s, s.Validate()
}

// Run sets the parameters by index (agents.Scenario.SetAll) and runs one
// replication; NewWorld or Reset validates the scenario, once.
func (r *marketRunner) Run(ctx context.Context, params []float64, st engine.Streams, out []float64) error {
	s := agents.DefaultScenario()
	if err := s.SetAll(params); err != nil {
		return err
	}
	if r.world == nil {
		w, err := agents.NewWorld(s, r.buyers, st, r.months, r.check, r.groups...)
		if err != nil {
			return err
		}
		r.world = w
	} else if err := r.world.Reset(s, st); err != nil {
		return err
	}
	if err := engine.Run(ctx, r.world, r.months); err != nil {
		return err
	}
	data := r.world.Recorder().Data()
	if len(data) != len(out) {
		return fmt.Errorf("market model recorded %d values, want %d", len(data), len(out))
	}
	copy(out, data)
	return nil
}
