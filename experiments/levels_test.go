package experiments

import (
	"reflect"
	"strings"
	"testing"

	"frontiersim/results"
)

// TestCategoricalSweepValues: a categorical parameter (an enumeration or a
// flag) is swept, and set, by its labels (strings; booleans for a flag) as
// well as by its numbers; the plan records the labels for the tables'
// columns.
func TestCategoricalSweepValues(t *testing.T) {
	text := `name = "x"
[scenario]
"policy.ban_exclusive" = "api"
[[arms]]
name = "cap"
[arms.overrides]
"policy.revenue_share_cap" = 0.1
[sweep]
kind = "grid"
[[sweep.parameters]]
name = "mode.replay"
values = [false, true]
[[sweep.parameters]]
name = "policy.switching_cost_multiplier"
values = [0.25, 0.5, 1]
`
	e, err := Load("x.toml", files(map[string]string{"x.toml": text}), leverSim{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := scenarioValue(e, "policy.ban_exclusive"); v != 2 {
		t.Errorf(`[scenario] "policy.ban_exclusive" = "api": value %v, want 2`, v)
	}
	if got := e.Sweep.Parameters[0].Values; !reflect.DeepEqual(got, []float64{0, 1}) {
		t.Errorf("mode.replay swept over %v, want [0 1]", got)
	}
	plan := e.Plan(leverSim{})
	if want := map[string][]string{"mode.replay": {"false", "true"}}; !reflect.DeepEqual(plan.Sweep.Levels, want) {
		t.Errorf("plan levels %v, want %v (a numeric parameter has none)", plan.Sweep.Levels, want)
	}
	cols := plan.SweepColumns()
	if len(cols) != 2 || cols[0].Column() != (results.Column{Name: "mode.replay", Kind: results.Text}) ||
		cols[1].Column() != (results.Column{Name: "policy.switching_cost_multiplier", Kind: results.Float}) {
		t.Errorf("sweep columns %+v", cols)
	}
}

// TestCategoricalValuesAreValidated: a label that is not one of the
// parameter's, or a label for a numeric parameter, is a problem naming
// file, line and key, and the labels.
func TestCategoricalValuesAreValidated(t *testing.T) {
	sweep := func(name, values string) string {
		return "name = \"x\"\n[sweep]\nkind = \"grid\"\n[[sweep.parameters]]\nname = \"" + name + "\"\nvalues = " + values + "\n"
	}
	for _, c := range []struct {
		name, text, key string
		line            int
		msg             string
	}{
		{"a label outside the enumeration", sweep("policy.ban_exclusive", `["off", "partial"]`), "sweep.parameters[0].values[1]", 6,
			`"partial" is not a value of policy.ban_exclusive: want one of "off", "compute", "api", "both"`},
		{"a typo", sweep("policy.ban_exclusive", `["bth"]`), "sweep.parameters[0].values[0]", 6, `did you mean "both"?`},
		{"a number outside the enumeration", sweep("policy.ban_exclusive", `[0, 4]`), "sweep.parameters[0].values[1]", 6, "out of range"},
		{"a boolean for an enumeration", sweep("policy.ban_exclusive", `[true]`), "sweep.parameters[0].values[0]", 6, `"true" is not a value of policy.ban_exclusive`},
		{"a label for a number", sweep("policy.switching_cost_multiplier", `["high"]`), "sweep.parameters[0].values[0]", 6, "policy.switching_cost_multiplier is not categorical"},
		{"a label in [scenario]", "name = \"x\"\n[scenario]\n\"policy.ban_exclusive\" = \"all\"\n", "scenario.policy.ban_exclusive", 3,
			`"all" is not a value of policy.ban_exclusive`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := findProblem(t, mustInvalid(t, "x.toml", files(map[string]string{"x.toml": c.text}), leverSim{}), c.key)
			if p.File != "x.toml" || p.Line != c.line || !strings.Contains(p.Msg, c.msg) {
				t.Errorf("got %s:%d: %s: %s; want x.toml:%d: %s: ...%s...", p.File, p.Line, p.Key, p.Msg, c.line, c.key, c.msg)
			}
		})
	}
}
