package results

import "fmt"

// StoppingSummary describes in one sentence what the manifest's stopping
// rule decided: how many replications it needed, and the widest targeted
// half-width then. It is "" without a decision (no rule, a shard, a
// partial run).
func (m Manifest) StoppingSummary() string {
	rule, st := m.Plan.Stopping, m.Stopped
	if rule == nil || st == nil {
		return ""
	}
	hw := "undefined"
	if st.HalfWidth != nil {
		hw = FormatFloat(*st.HalfWidth)
	}
	if st.Met {
		return fmt.Sprintf("%d replications per arm and point were needed (of at most %d, in batches of %d): the widest paired 95%% half-width of the effect on %s over %s is %s (arm %s, point %s), below the target %s",
			st.Replications, rule.MaxReplications, rule.Batch, rule.Metric, rule.Window, hw, st.Arm, st.Point, FormatFloat(rule.HalfWidth))
	}
	return fmt.Sprintf("the target was not reached in the %d replications allowed: the widest paired 95%% half-width of the effect on %s over %s is %s (arm %s, point %s), the target %s",
		st.Replications, rule.Metric, rule.Window, hw, st.Arm, st.Point, FormatFloat(rule.HalfWidth))
}
