package marketsim

import (
	"strings"
	"testing"

	"frontiersim/results"
	"frontiersim/simulator"
)

// TestMarketShareGroups: the market model's share metrics carry the groups
// the charts read (results.GroupModelShare, results.GroupCloudShare), one
// per declared lab or share group and per hyperscaler that declares own
// models (which sum to 1 together), and one per cloud.
func TestMarketShareGroups(t *testing.T) {
	count := map[string]int{}
	for _, m := range (Simulator{}).Metrics() {
		count[m.Group]++
		if m.Group == results.GroupModelShare && !strings.HasPrefix(m.Name, "model_share_") && !strings.HasPrefix(m.Name, "own_model_share_") ||
			m.Group == results.GroupCloudShare && !strings.HasPrefix(m.Name, "cloud_share_") {
			t.Errorf("%s is in group %q", m.Name, m.Group)
		}
	}
	// 5 share groups and the own models of the Azure- and AWS-like clouds
	if count[results.GroupModelShare] != 5+2 || count[results.GroupCloudShare] != 4 {
		t.Errorf("%d model-share and %d cloud-share metrics in the default world, want 7 and 4", count[results.GroupModelShare], count[results.GroupCloudShare])
	}
}

// TestMarketWorldParams: every numeric attribute of every agent of a world
// is a parameter named by its path, unless a declared parameter sets it
// (then the declared one names it); the world's own values are the
// defaults.
func TestMarketWorldParams(t *testing.T) {
	ws, err := (Simulator{}).WithWorld("w.toml", []byte(`name = "tiny"
[[labs]]
name = "lab_a"
brand = 0.5
[[clouds]]
name = "hs"
strategic = true
buyer_share = 1
base_share = 1
[[clouds]]
name = "fringe"
strategic = false
[[parameters]]
name = "labs.lab_a.cash0"
sets = ["labs.lab_a.cash0"]
min = 0
max = 9
grade = "D"
source = "test"
description = "cash"
`))
	if err != nil {
		t.Fatal(err)
	}
	ps := map[string]simulator.Param{}
	for _, p := range ws.Params() {
		if _, dup := ps[p.Name]; dup {
			t.Errorf("parameter %s listed twice", p.Name)
		}
		ps[p.Name] = p
	}
	if p, ok := ps["labs.lab_a.brand"]; !ok || p.Default != 0.5 || p.Min != -10 || p.Max != 10 || p.Unit != "utils" {
		t.Errorf("labs.lab_a.brand: %+v, want default 0.5 in [-10, 10] utils", p)
	}
	if p := ps["labs.lab_a.cash0"]; p.Max != 9 || p.Grade != "D" {
		t.Errorf("the declared parameter does not name its attribute: %+v", p)
	}
	for _, name := range []string{"clouds.hs.growth", "clouds.fringe.price_factor", "labs.lab_a.founded"} {
		if _, ok := ps[name]; !ok {
			t.Errorf("no parameter %s", name)
		}
	}
}
