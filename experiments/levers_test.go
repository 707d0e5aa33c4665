package experiments

import (
	"slices"
	"sort"
	"strconv"
	"testing"

	"frontiersim/agents"
)

// TestDefaultArmsAreThePolicyLevers: the default experiment's arms are the
// baseline and agents.PolicyLevers, with the same names, descriptions and
// parameter values (the lever set is defined once, on the model side; the
// sensitivity analysis and the tests read it from there).
func TestDefaultArmsAreThePolicyLevers(t *testing.T) {
	e, err := LoadDefault(MarketSimulator{})
	if err != nil {
		t.Fatal(err)
	}
	levers := agents.PolicyLevers()
	if len(e.Arms) != 1+len(levers) || e.Arms[0].Name != "baseline" {
		t.Fatalf("default arms %v, want baseline and %d levers", e.Arms, len(levers))
	}
	for i, l := range levers {
		a := e.Arms[1+i]
		var got, want []string
		for _, o := range a.Overrides {
			got = append(got, o.Name+"="+ftoa(o.Value))
		}
		for _, s := range l.Settings {
			want = append(want, s.Param+"="+ftoa(s.Value))
		}
		sort.Strings(got)
		sort.Strings(want)
		if a.Name != l.Name || a.Description != l.Description || !slices.Equal(got, want) {
			t.Errorf("arm %d: %s (%s) %v; lever %s (%s) %v", 1+i, a.Name, a.Description, got, l.Name, l.Description, want)
		}
	}
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
