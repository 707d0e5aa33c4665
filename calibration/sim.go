package calibration

import (
	"context"
	"fmt"

	"frontiersim/agents"
	"frontiersim/experiments"
	"frontiersim/marketsim"
	"frontiersim/results"
)

// Months is the horizon of every run: Jan 2019 (month 0) to Dec 2025.
const Months = agents.DefaultMonths

// Simulator returns the AI-market model as the calibration runs it: with
// the invariant checks of every month (money conserved, shares, cap
// tables, finite metrics; they only read the state, so the results are the
// same without them) and with the calibration metrics
// (agents.GroupCalibration) recorded after the default ones.
func Simulator() experiments.Simulator {
	return marketsim.Simulator{Check: true, Groups: []string{agents.GroupCalibration}}
}

// metrics are the recorded columns of a calibration replication.
var metrics = Simulator().Metrics()

// columns maps a metric name to its column.
var columns = func() map[string]int {
	c := make(map[string]int, len(metrics))
	for i, m := range metrics {
		c[m.Name] = i
	}
	return c
}()

// defaultWorld is the name of the world the calibration runs.
var defaultWorld = agents.DefaultScenario().Cast().Name

// Rep is one replication: the monthly values of the calibration's metrics
// (Simulator().Metrics(), read with Get and Col).
type Rep struct {
	data []float64
}

// NewRep returns the replication of one job of plan as the in-memory
// runner (experiments.Replicate) hands it over: out holds months ×
// metrics values, month-major. plan must be a plan of Simulator() over the
// calibration's horizon (see Plan).
func NewRep(plan results.Plan, out []float64) (*Rep, error) {
	if plan.Months != Months {
		return nil, fmt.Errorf("calibration: a plan of %d months, the calibration reads %d", plan.Months, Months)
	}
	if len(plan.Metrics) != len(metrics) {
		return nil, fmt.Errorf("calibration: a plan of %d metrics, the calibration's simulator records %d", len(plan.Metrics), len(metrics))
	}
	for i, m := range plan.Metrics {
		if m.Name != metrics[i].Name {
			return nil, fmt.Errorf("calibration: the plan's metric %d is %q, the calibration's %q: plan with calibration.Simulator()", i, m.Name, metrics[i].Name)
		}
	}
	if len(out) != Months*len(metrics) {
		return nil, fmt.Errorf("calibration: %d values for %d months of %d metrics", len(out), Months, len(metrics))
	}
	return &Rep{data: out}, nil
}

// Get returns metric column c in month m.
func (r *Rep) Get(m, c int) float64 { return r.data[m*len(metrics)+c] }

// Col returns the column index of a metric name; it panics on an unknown
// name (names are fixed by agents.MetricsWith(agents.GroupCalibration)).
func Col(name string) int {
	c, ok := columns[name]
	if !ok {
		panic(fmt.Sprintf("calibration: unknown metric %q", name))
	}
	return c
}

// Arm returns scenario s of the default world as an arm of a plan of
// Simulator(): its overrides are the parameters whose values differ from
// the defaults, so that the runner rebuilds s exactly.
func Arm(name string, s agents.Scenario) (results.Arm, error) {
	switch c := s.Cast(); {
	case c == nil:
		return results.Arm{}, fmt.Errorf("calibration: a scenario without a world (use agents.DefaultScenario)")
	case c.Name != defaultWorld:
		return results.Arm{}, fmt.Errorf("calibration: a scenario of world %q; the calibration runs the default world %q", c.Name, defaultWorld)
	}
	arm := results.Arm{Name: name}
	for _, p := range Simulator().Params() {
		v, err := s.Get(p.Name)
		if err != nil {
			return results.Arm{}, err
		}
		if v != p.Default {
			arm.Overrides = append(arm.Overrides, results.ParamValue{Name: p.Name, Value: v})
		}
	}
	return arm, nil
}

// Plan returns the plan of reps replications of each scenario (one arm
// each, in order) with the given number of buyers over the calibration's
// horizon. Replication r of every arm runs on engine.NewStreams(seed, r)
// (experiments.Replicate), so the arms share common random numbers.
func Plan(buyers, reps int, scenarios ...agents.Scenario) (results.Plan, error) {
	plan := results.Plan{Points: []results.Point{{}}, Replications: reps, Months: Months, Buyers: buyers, Metrics: metrics}
	for i, s := range scenarios {
		arm, err := Arm(fmt.Sprintf("scenario %d", i), s)
		if err != nil {
			return results.Plan{}, err
		}
		plan.Arms = append(plan.Arms, arm)
	}
	return plan, nil
}

// Batch runs reps replications of scenario s with the given number of
// buyers and seed on all cores, and calls emit for each in replication
// order. Replication r uses engine.NewStreams(seed, r), so scenarios run
// with the same seed share common random numbers.
func Batch(ctx context.Context, s agents.Scenario, buyers int, seed uint64, reps int, emit func(r int, rep *Rep) error) error {
	return batch(ctx, buyers, seed, reps, []agents.Scenario{s}, func(_, r int, rep *Rep) error { return emit(r, rep) })
}

// RunAll runs a batch and keeps every replication.
func RunAll(ctx context.Context, s agents.Scenario, buyers int, seed uint64, reps int) ([]*Rep, error) {
	all, err := RunScenarios(ctx, buyers, seed, reps, s)
	if err != nil {
		return nil, err
	}
	return all[0], nil
}

// RunScenarios runs reps replications of every scenario in one batch and
// keeps them all: those of scenarios[i] are RunScenarios(...)[i], and
// replication r of each is the one RunAll runs.
func RunScenarios(ctx context.Context, buyers int, seed uint64, reps int, scenarios ...agents.Scenario) ([][]*Rep, error) {
	out := make([][]*Rep, len(scenarios))
	for i := range out {
		out[i] = make([]*Rep, reps)
	}
	err := batch(ctx, buyers, seed, reps, scenarios, func(arm, r int, rep *Rep) error { out[arm][r] = rep; return nil })
	return out, err
}

// batch runs the plan of the scenarios on the in-memory runner
// (experiments.Replicate on Simulator(), all cores) and calls emit for each
// replication, arm by arm in replication order.
func batch(ctx context.Context, buyers int, seed uint64, reps int, scenarios []agents.Scenario, emit func(arm, r int, rep *Rep) error) error {
	plan, err := Plan(buyers, reps, scenarios...)
	if err != nil {
		return err
	}
	jobs := make([]int, plan.Jobs())
	for j := range jobs {
		jobs[j] = j
	}
	return experiments.Replicate(ctx, Simulator(), seed, plan, jobs, 0, func(job int, out []float64) error {
		rep, err := NewRep(plan, out)
		if err != nil {
			return err
		}
		arm, _, r := plan.Job(job)
		return emit(arm, r, rep)
	})
}

// EndogenousAndReplay runs reps replications of the default scenario in
// endogenous mode and reps in historical replay, in one batch: the
// populations of the stylized facts (Facts) and of the report.
func EndogenousAndReplay(ctx context.Context, buyers int, seed uint64, reps int) (endogenous, replay []*Rep, err error) {
	s := agents.DefaultScenario()
	rs := s
	rs.Mode.Replay = true
	all, err := RunScenarios(ctx, buyers, seed, reps, s, rs)
	if err != nil {
		return nil, nil, err
	}
	return all[0], all[1], nil
}
