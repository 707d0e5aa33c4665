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
		{Name: "revenue_share_cap", Description: "revenue share capped at 10% (leakage retired: what the cap pushes into other terms comes out of the bargain)",
			Settings: []Setting{{"policy.revenue_share_cap", 0.10}}, Metric: "revenue_share_paid", From: 48, Sign: -1},
		{Name: "ban_exclusive", Description: "no compute exclusivity, no right of first refusal, no API exclusivity",
			Settings: []Setting{{"policy.ban_exclusive", float64(BanBoth)}}, Metric: "backer_compute_share_openai", From: 12, Sign: -1},
		{Name: "merger_control", Description: "the agencies' review of acquisitions, licence-and-hire deals and stakes (UK rule and tests; horizontal, vertical and distribution screens); stakes above 20% blocked",
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

// SwitchLevers sets the policy levers to p and the remedies to rem from the
// next month stepped on
// (a lever that starts at month t is switched after month t-1 and before
// Step(t)). The regulator applies them from then on, to what exists and to
// what forms: a ban on exclusivity ends the exclusive terms of existing
// contracts in the month's contract phase, a cap clamps existing revenue
// shares there, merger control blocks the deals attempted from then on
// (stakes and acquisitions made before stay), lower switching costs apply
// to the next switches. Nothing is redrawn: the random streams go on as
// they were, so the months before the switch are those of a run without it.
func (w *World) SwitchLevers(p PolicyParams, rem RemedyParams) {
	w.S.Policy, w.S.Remedies = p, rem
	w.Reg.setPolicy(p)
}

// setPolicy sets the regulator's levers from p.
func (r *Regulator) setPolicy(p PolicyParams) {
	r.RevenueShareCap = p.RevenueShareCap
	r.BanCompute, r.BanAPI = p.BanExclusive.Compute(), p.BanExclusive.API()
	r.MergerControl, r.StakeThreshold = p.MergerControl, p.StakeThreshold
	r.Psi, r.BanCovenants = p.SwitchingCostMultiplier, p.BanCovenants
}

// Remedies returns the remedies the agencies use, as levers outside the
// default experiment's arms (model-v2.md §3.4; control.go): each acts
// through a rule, and its metric is one the rule moves by construction
// (so a run's finding is what the remedy does to the other metrics).
func Remedies() []Lever {
	return []Lever{
		{Name: "nondiscriminatory_compute", Description: "clouds give their own and partner labs no priority for capacity",
			Settings: []Setting{{"policy.nondiscriminatory_compute", 1}}, Metric: "compute_price", From: 24, Sign: -1},
		{Name: "stake_divestiture", Description: "hyperscalers sell stakes above 10% of an independent lab",
			Settings: []Setting{{"policy.stake_divestiture", 0.1}}, Metric: "stake_divested", From: 24, Sign: +1},
		{Name: "prior_notification", Description: "stakes giving material influence are notified and reviewed, with merger control",
			Settings: []Setting{{"policy.prior_notification", 1}, {"policy.merger_control", 1}, {"policy.stake_threshold", 1}}, Metric: "blocked_horizontal", From: 24, Sign: +1},
		{Name: "information_firewall", Description: "hyperscalers' information rights void; their stakes leave compute pricing",
			Settings: []Setting{{"policy.information_firewall", 1}}, Metric: "partnerships_material_influence", From: 24, Sign: -1},
	}
}
