package marketsim

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"frontiersim/agents"
	"frontiersim/engine"
	"frontiersim/results"
	"frontiersim/simulator"
)

// TestParamsAndMetricsAreTheModels: the adapter passes on every parameter
// and metric of package agents, in order, field for field.
func TestParamsAndMetricsAreTheModels(t *testing.T) {
	var want []simulator.Param
	for _, s := range agents.Params() {
		want = append(want, simulator.Param{Name: s.Name, Unit: s.Unit, Description: s.Description, Source: s.Source,
			Grade: s.Grade, Default: s.Default, Min: s.Min, Max: s.Max, Integer: s.Integer, Enum: s.Enum, Lever: strings.HasPrefix(s.Name, "policy.")})
	}
	if got := (Simulator{}).Params(); !reflect.DeepEqual(got, want) {
		t.Errorf("Params:\n%v\nwant\n%v", got, want)
	}
	var metrics []results.Metric
	for _, s := range agents.Metrics() {
		metrics = append(metrics, results.Metric{Name: s.Name, Unit: s.Unit, Description: s.Description, Group: s.Group, Scale: s.Scale})
	}
	if got := (Simulator{}).Metrics(); !slices.Equal(got, metrics) {
		t.Errorf("Metrics:\n%v\nwant\n%v", got, metrics)
	}
	if got := (Simulator{}).CalibratedMonths(); got != agents.DefaultMonths {
		t.Errorf("CalibratedMonths %d, want %d", got, agents.DefaultMonths)
	}
}

// defaults is the default scenario as a parameter vector.
func defaults() []float64 {
	var v []float64
	for _, p := range (Simulator{}).Params() {
		v = append(v, p.Default)
	}
	return v
}

// TestRunnerReusesItsWorld: a runner builds its World once and resets it
// for every replication, so the same streams give the same bits whatever
// ran before, in check mode or not; the output must have the recorded size,
// and an invalid scenario is refused.
func TestRunnerReusesItsWorld(t *testing.T) {
	const buyers, months = 50, 12
	n := months * len((Simulator{}).Metrics())
	run := func(r simulator.Runner, params []float64, rep uint64) []float64 {
		t.Helper()
		out := make([]float64, n)
		if err := r.Run(context.Background(), params, engine.NewStreams(7, rep), out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	fresh := func(check bool) simulator.Runner {
		t.Helper()
		r, err := Simulator{Check: check}.NewRunner(buyers, months)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := run(fresh(false), defaults(), 1)
	reused := fresh(false)
	run(reused, defaults(), 0)
	if again := run(reused, defaults(), 1); !slices.Equal(again, first) {
		t.Error("replication 1 after replication 0 differs from replication 1 on a fresh runner")
	}
	if checked := run(fresh(true), defaults(), 1); !slices.Equal(checked, first) {
		t.Error("check mode changes the results")
	}
	if err := reused.Run(context.Background(), defaults(), engine.NewStreams(7, 1), make([]float64, n-1)); err == nil || !strings.Contains(err.Error(), "recorded") {
		t.Errorf("short output: %v", err)
	}
	bad := defaults()
	for i, p := range (Simulator{}).Params() {
		if p.Name == "policy.revenue_share_cap" {
			bad[i] = 2
		}
	}
	if err := fresh(false).Run(context.Background(), bad, engine.NewStreams(7, 1), make([]float64, n)); err == nil {
		t.Error("policy.revenue_share_cap = 2 ran")
	}
	if err := fresh(false).Run(context.Background(), defaults()[1:], engine.NewStreams(7, 1), make([]float64, n)); err == nil {
		t.Error("a parameter vector one short ran")
	}
}

// TestDefinitionalEffects: the market model declares the lever effects
// that hold by definition, each naming one of its parameters and metrics,
// with a reason; the default world's include the ones the levers are known
// for.
func TestDefinitionalEffects(t *testing.T) {
	sim := Simulator{}
	params := map[string]bool{}
	for _, p := range sim.Params() {
		params[p.Name] = true
	}
	metrics := map[string]bool{}
	for _, m := range sim.Metrics() {
		metrics[m.Name] = true
	}
	have := map[[2]string]bool{}
	for _, d := range sim.DefinitionalEffects() {
		if !params[d.Lever] || !metrics[d.Metric] || d.Why == "" {
			t.Errorf("%+v: want a parameter, a metric and a reason", d)
		}
		have[[2]string{d.Lever, d.Metric}] = true
	}
	for _, want := range [][2]string{
		{"policy.revenue_share_cap", "revenue_share_paid"},
		{"policy.revenue_share_cap", "effective_share_openai"},
		{"policy.revenue_share_cap", "effective_share_anthropic"},
		{"policy.ban_exclusive", "backer_compute_share_openai"},
		{"policy.ban_exclusive", "backer_compute_share_anthropic"},
		{"policy.merger_control", "lab_independence"},
		{"policy.merger_control", "blocked_stake_cap"},
	} {
		if !have[want] {
			t.Errorf("%s -> %s is not declared", want[0], want[1])
		}
	}
	if have[[2]string{"policy.switching_cost_multiplier", "hhi_model"}] {
		t.Error("lower switching costs move the HHI through behaviour, not by definition")
	}
	if have[[2]string{"policy.merger_control", "acquisitions"}] {
		t.Error("merger control reviews acquisitions: the deals that pass, and those the buyers then value, are the market's response (model v2 part 4)")
	}
}

// TestRunLevers: levers switched on at month 0 are a run with them from the
// start, bit for bit; a parameter that is not a lever cannot switch, and a
// start outside the horizon is refused.
func TestRunLevers(t *testing.T) {
	const buyers, months = 50, 12
	n := months * len((Simulator{}).Metrics())
	r, err := Simulator{Check: true}.NewRunner(buyers, months)
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]int{}
	for i, p := range (Simulator{}).Params() {
		index[p.Name] = i
	}
	base := defaults()
	arm := defaults()
	arm[index["policy.revenue_share_cap"]] = 0.05
	arm[index["policy.ban_exclusive"]] = float64(agents.BanBoth)
	st := engine.NewStreams(7, 3)
	whole, switched := make([]float64, n), make([]float64, n)
	if err := r.Run(context.Background(), arm, st, whole); err != nil {
		t.Fatal(err)
	}
	lr := r.(simulator.LeverRunner)
	if err := lr.RunLevers(context.Background(), base, arm, 0, st, switched); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(whole, switched) {
		t.Error("levers from month 0 differ from a run with them from the start")
	}
	notLever := slices.Clone(base)
	notLever[index["logit.gamma"]] = 2
	if err := lr.RunLevers(context.Background(), base, notLever, 6, st, switched); err == nil || !strings.Contains(err.Error(), "logit.gamma is not a policy lever") {
		t.Errorf("a switched parameter that is not a lever: %v", err)
	}
	for _, from := range []int{-1, months} {
		if err := lr.RunLevers(context.Background(), base, arm, from, st, switched); err == nil || !strings.Contains(err.Error(), "outside the horizon") {
			t.Errorf("levers from month %d: %v", from, err)
		}
	}
}
