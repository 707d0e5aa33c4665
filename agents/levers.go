package agents

import (
	"fmt"
	"strings"
)

// Setting is one parameter value.
type Setting struct {
	Param string
	Value float64
}

// Lever is one policy lever of domain model §7.1 as the default experiment
// sets it (its arm's parameter values), with the metric it targets: its
// effect is the mean over months [From, horizon) of the metric in the arm
// minus the baseline, paired by replication, and Sign is the direction the
// lever is expected to move it.
type Lever struct {
	Name        string // arm name in the default experiment
	Description string
	Settings    []Setting
	Metric      string
	From        int
	Sign        float64 // +1 or -1
}

// PolicyLevers returns the four policy levers of domain model §7.1: the
// one definition the default experiment's arms, the sensitivity analysis
// and the tests share.
func PolicyLevers() []Lever {
	return []Lever{
		{Name: "revenue_share_cap", Description: "revenue share capped at 10%; the backer recovers half the capped surplus through its compute price",
			Settings: []Setting{{"policy.revenue_share_cap", 0.10}, {"policy.leakage", 0.5}}, Metric: "revenue_share_paid", From: 48, Sign: -1},
		{Name: "ban_exclusive", Description: "no compute exclusivity, no right of first refusal, no API exclusivity",
			Settings: []Setting{{"policy.ban_exclusive", float64(BanBoth)}}, Metric: "backer_compute_share_openai", From: 12, Sign: -1},
		{Name: "merger_control", Description: "vertical acquisitions, acqui-hires and stakes above 20% blocked",
			Settings: []Setting{{"policy.merger_control", 1}, {"policy.stake_threshold", 0.2}}, Metric: "lab_independence", From: 24, Sign: +1},
		{Name: "lower_switching_costs", Description: "vendor switching cost and cloud migration cost halved",
			Settings: []Setting{{"policy.switching_cost_multiplier", 0.5}}, Metric: "enterprise_surplus", From: 48, Sign: +1},
	}
}

// Apply sets the lever's parameters in s.
func (l Lever) Apply(s *Scenario) error {
	for _, st := range l.Settings {
		if err := s.Set(st.Param, st.Value); err != nil {
			return fmt.Errorf("lever %s: %w", l.Name, err)
		}
	}
	return nil
}

// IsLever reports whether parameter name is a policy lever (the policy.*
// parameters of domain model §7.1): a lever can switch on at a month after
// the first (World.SwitchLevers), every other parameter holds from month 0.
func IsLever(name string) bool { return strings.HasPrefix(name, "policy.") }

// SwitchLevers sets the policy levers to p from the next month stepped on
// (a lever that starts at month t is switched after month t-1 and before
// Step(t)). The regulator applies them from then on, to what exists and to
// what forms: a ban on exclusivity ends the exclusive terms of existing
// contracts in the month's contract phase, a cap clamps existing revenue
// shares there, merger control blocks the deals attempted from then on
// (stakes and acquisitions made before stay), lower switching costs apply
// to the next switches. Nothing is redrawn: the random streams go on as
// they were, so the months before the switch are those of a run without it.
func (w *World) SwitchLevers(p PolicyParams) {
	w.S.Policy = p
	w.Reg.setPolicy(p)
}

// setPolicy sets the regulator's levers from p.
func (r *Regulator) setPolicy(p PolicyParams) {
	r.RevenueShareCap = p.RevenueShareCap
	r.BanCompute, r.BanAPI = p.BanExclusive.Compute(), p.BanExclusive.API()
	r.MergerControl, r.StakeThreshold = p.MergerControl, p.StakeThreshold
	r.Psi, r.BanCovenants = p.SwitchingCostMultiplier, p.BanCovenants
}
