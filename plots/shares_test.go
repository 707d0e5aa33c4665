package plots

import (
	"slices"
	"testing"

	"frontiersim/results"
)

// TestShareMetricsByGroup: the stacked-share charts take the metrics of a
// market's group, whatever their names; a plan without groups (written by
// runsim before 0.3) falls back to the names' prefixes.
func TestShareMetricsByGroup(t *testing.T) {
	names := func(ms []results.Metric) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return out
	}
	grouped := []results.Metric{
		{Name: "spend_share_x", Group: results.GroupModelShare},
		{Name: "model_share_decoy", Group: "lab"},
		{Name: "spend_share_y", Group: results.GroupModelShare},
		{Name: "revenue_share_k", Group: results.GroupCloudShare},
		{Name: "hhi_model", Group: "concentration"},
	}
	ungrouped := []results.Metric{{Name: "model_share_a"}, {Name: "model_share_b"}, {Name: "cloud_share_k"}, {Name: "hhi_model"}}
	for _, c := range []struct {
		metrics      []results.Metric
		model, cloud []string
		perMetric    []string
	}{
		{grouped, []string{"spend_share_x", "spend_share_y"}, []string{"revenue_share_k"}, []string{"model_share_decoy", "hhi_model"}},
		{ungrouped, []string{"model_share_a", "model_share_b"}, []string{"cloud_share_k"}, []string{"hhi_model"}},
	} {
		x := &data{plan: results.Plan{Metrics: c.metrics}}
		if got := names(x.shareMetrics(shareMarkets[0])); !slices.Equal(got, c.model) {
			t.Errorf("model shares %v, want %v", got, c.model)
		}
		if got := names(x.shareMetrics(shareMarkets[1])); !slices.Equal(got, c.cloud) {
			t.Errorf("cloud shares %v, want %v", got, c.cloud)
		}
		if got := names(chartMetrics(x.plan)); !slices.Equal(got, c.perMetric) {
			t.Errorf("per-metric charts %v, want %v", got, c.perMetric)
		}
	}
}
