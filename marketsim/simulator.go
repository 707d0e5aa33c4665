package marketsim

import (
	"context"
	"fmt"
	"strings"

	"frontiersim/agents"
	"frontiersim/engine"
	"frontiersim/results"
	"frontiersim/simulator"
)

// Simulator is the AI-market model of package agents as a
// simulator.Simulator. With Check set, every month of every replication
// asserts the model's invariants (money conserved, shares in [0,1] summing
// to 1, cap tables summing to 1, no NaN or Inf); a violation fails the
// replication.
//
// Its zero value runs the default world (agents.DefaultWorld); WithWorld
// returns the simulator of another world.
type Simulator struct {
	Check bool
	// Groups names optional metric groups (agents.OptionalGroups) to record
	// after the default metrics; the default experiment records none.
	// Metrics leaves out a name that is not an optional group, and
	// NewRunner reports it.
	Groups []string
	cast   *agents.Cast // nil: the default world
}

// scenario0 is the default scenario of the simulator's world.
func (m Simulator) scenario0() agents.Scenario {
	if m.cast == nil {
		return agents.DefaultScenario()
	}
	return agents.NewScenario(m.cast)
}

// DefaultWorld implements simulator.Worlds.
func (Simulator) DefaultWorld() string { return agents.DefaultWorld }

// ShippedWorlds implements simulator.Worlds.
func (Simulator) ShippedWorlds() []string { return agents.ShippedWorlds() }

// ShippedWorld implements simulator.Worlds.
func (Simulator) ShippedWorld(name string) ([]byte, error) {
	return agents.ShippedWorldSource(name)
}

// WithWorld implements simulator.Worlds: the simulator of the world file's
// cast, with the same check mode.
func (m Simulator) WithWorld(file string, data []byte) (simulator.Simulator, error) {
	c, err := agents.DecodeWorld(file, data)
	if err != nil {
		return nil, err
	}
	return Simulator{Check: m.Check, Groups: m.Groups, cast: c}, nil
}

var _ simulator.Simulator = Simulator{}
var _ simulator.Worlds = Simulator{}

// Params implements simulator.Simulator.
func (m Simulator) Params() []simulator.Param {
	specs := m.scenario0().Params()
	out := make([]simulator.Param, len(specs))
	for i, s := range specs {
		out[i] = simulator.Param{Name: s.Name, Unit: s.Unit, Description: s.Description, Source: s.Source, Grade: s.Grade,
			Default: s.Default, Min: s.Min, Max: s.Max, Integer: s.Integer, Enum: s.Enum, Lever: agents.IsLever(s.Name)}
	}
	return out
}

// Metrics implements simulator.Simulator.
func (m Simulator) Metrics() []results.Metric {
	specs, err := m.scenario0().MetricsWith(m.Groups...)
	if err != nil {
		specs = m.scenario0().Metrics()
	}
	out := make([]results.Metric, len(specs))
	for i, s := range specs {
		out[i] = results.Metric{Name: s.Name, Unit: s.Unit, Description: s.Description, Group: s.Group, Scale: s.Scale}
	}
	return out
}

// DefinitionalEffects implements simulator.Definitional: the effects of
// the policy levers that hold by construction of the model, for the
// metrics the simulator records (the per-lab metrics of its world's labs).
func (m Simulator) DefinitionalEffects() []simulator.DefinitionalEffect {
	const (
		cap    = "policy.revenue_share_cap"
		ban    = "policy.ban_exclusive"
		merger = "policy.merger_control"
	)
	var out []simulator.DefinitionalEffect
	add := func(lever, metric, why string, values ...float64) {
		out = append(out, simulator.DefinitionalEffect{Lever: lever, Metric: metric, Why: why, Values: values})
	}
	for _, mt := range m.Metrics() {
		switch n := mt.Name; {
		case n == "revenue_share_paid":
			add(cap, n, "the cap bounds the revenue share labs pay their backers")
		case strings.HasPrefix(n, "effective_share_"):
			add(cap, n, "the cap bounds the share of its revenue a lab pays its backer")
		case strings.HasPrefix(n, "backer_compute_share_"):
			add(ban, n, "a ban on compute exclusivity ends the deals that tie a lab's compute to its backer's cloud",
				float64(agents.BanCompute), float64(agents.BanBoth))
		case n == "lab_independence":
			add(merger, n, "blocked acquisitions and stakes enter the independence index directly")
		case n == "blocked_mergers":
			add(merger, n, "only merger control blocks deals")
		case n == "blocked_vertical_input", n == "blocked_distribution", n == "blocked_stake_cap", n == "deals_not_reviewable":
			add(merger, n, "only merger control applies these screens and jurisdiction tests")
		case n == "stake_divested":
			add("policy.stake_divestiture", n, "the remedy's sales are what the metric counts")
		}
	}
	return out
}

var _ simulator.Definitional = Simulator{}

// BytesPerBuyer implements simulator.Simulator.
func (Simulator) BytesPerBuyer() float64 { return 150 }

// CalibratedMonths implements simulator.Simulator: the calibration (package
// calibration) fits the targets of January 2019 to December 2025, the
// default horizon.
func (Simulator) CalibratedMonths() int { return agents.DefaultMonths }

// NewRunner implements simulator.Simulator.
func (m Simulator) NewRunner(buyers, months int) (simulator.Runner, error) {
	if _, err := m.scenario0().MetricsWith(m.Groups...); err != nil {
		return nil, err
	}
	return &runner{buyers: buyers, months: months, check: m.Check, groups: m.Groups, s0: m.scenario0()}, nil
}

type runner struct {
	buyers, months int
	check          bool
	groups         []string
	s0             agents.Scenario // the world's default scenario
	world          *agents.World
}

// scenario builds the scenario of a parameter vector and validates it.
func (r *runner) scenario(params []float64) (agents.Scenario, error) {
	s := r.s0
	if err := s.SetAll(params); err != nil {
		return s, err
	}
	return s, s.Validate()
}

var _ simulator.LeverRunner = (*runner)(nil)

// RunLevers implements simulator.LeverRunner: the replication runs the
// scenario of params, and the policy levers of levers from month from on
// (agents.World.SwitchLevers). A parameter that is not a lever
// (agents.IsLever) must have the same value in both.
func (r *runner) RunLevers(ctx context.Context, params, levers []float64, from int, st engine.Streams, out []float64) error {
	if len(levers) != len(params) {
		return fmt.Errorf("market model: %d lever values for %d parameters", len(levers), len(params))
	}
	if from < 0 || from >= r.months {
		return fmt.Errorf("market model: levers from month %d, outside the horizon of months 0 to %d", from, r.months-1)
	}
	specs := r.s0.Params()
	for i := range params {
		if params[i] != levers[i] && !agents.IsLever(specs[i].Name) {
			return fmt.Errorf("market model: %s is not a policy lever: it cannot switch on at month %d", specs[i].Name, from)
		}
	}
	after := r.s0
	if err := after.SetAll(levers); err != nil {
		return err
	}
	if err := after.Validate(); err != nil {
		return err
	}
	return r.run(ctx, params, leverSwitch{from: from, policy: after.Policy, remedies: after.Remedies}, st, out)
}

// leverSwitch switches a world's levers on at month from.
type leverSwitch struct {
	w        *agents.World
	from     int
	policy   agents.PolicyParams
	remedies agents.RemedyParams
}

// Step implements engine.Model.
func (l leverSwitch) Step(ctx context.Context, t int) error {
	if t == l.from {
		l.w.SwitchLevers(l.policy, l.remedies)
	}
	return l.w.Step(ctx, t)
}

// Run sets the parameters by index (agents.Scenario.SetAll) and runs one
// replication; NewWorld or Reset validates the scenario, once.
func (r *runner) Run(ctx context.Context, params []float64, st engine.Streams, out []float64) error {
	return r.run(ctx, params, leverSwitch{from: -1}, st, out)
}

// run runs one replication of params, switching levers as sw says (from
// -1: never).
func (r *runner) run(ctx context.Context, params []float64, sw leverSwitch, st engine.Streams, out []float64) error {
	s := r.s0
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
	sw.w = r.world
	if err := engine.Run(ctx, sw, r.months); err != nil {
		return err
	}
	data := r.world.Recorder().Data()
	if len(data) != len(out) {
		return fmt.Errorf("market model recorded %d values, want %d", len(data), len(out))
	}
	copy(out, data)
	return nil
}
