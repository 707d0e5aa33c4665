package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestParamsJSON: params -json is a JSON array of every parameter of the
// model, field for field; -metrics -json of every metric.
func TestParamsJSON(t *testing.T) {
	code, out, stderr := dispatchT(t, "params", "-json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var ps []paramJSON
	if err := json.Unmarshal([]byte(out), &ps); err != nil {
		t.Fatalf("params -json does not parse: %v", err)
	}
	want := simulator().Params()
	if len(ps) != len(want) {
		t.Fatalf("%d parameters, the model has %d", len(ps), len(want))
	}
	for i, p := range want {
		if g := ps[i]; g.Name != p.Name || g.Default != p.Default || g.Min != p.Min || g.Max != p.Max || g.Integer != p.Integer ||
			g.Unit != p.Unit || g.Grade != p.Grade || g.Source != p.Source || g.Description != p.Description ||
			!slices.Equal(g.Enum, p.Enum) || g.Lever != p.Lever {
			t.Errorf("parameter %d: %+v, want %+v", i, g, p)
		}
	}
	code, out, _ = dispatchT(t, "params", "-metrics", "-json")
	var ms []metricJSON
	if err := json.Unmarshal([]byte(out), &ms); code != exitOK || err != nil || len(ms) != len(simulator().Metrics()) || ms[0].Name != simulator().Metrics()[0].Name {
		t.Errorf("params -metrics -json: exit %d, %v, %d metrics", code, err, len(ms))
	}
}

// TestParamsFilter: PREFIX arguments keep the names that start with one
// of them; a prefix that matches nothing is a usage error with a
// did-you-mean; text fits in 100 columns.
func TestParamsFilter(t *testing.T) {
	code, out, _ := dispatchT(t, "params", "policy.", "-json")
	var ps []paramJSON
	if err := json.Unmarshal([]byte(out), &ps); code != exitOK || err != nil || len(ps) < 4 {
		t.Fatalf("params policy. -json: exit %d, %v, %d parameters", code, err, len(ps))
	}
	n := 0
	for _, p := range simulator().Params() {
		if strings.HasPrefix(p.Name, "policy.") {
			n++
		}
	}
	for _, p := range ps {
		if !strings.HasPrefix(p.Name, "policy.") {
			t.Errorf("params policy. lists %s", p.Name)
		}
	}
	if len(ps) != n {
		t.Errorf("params policy. lists %d parameters, the model has %d", len(ps), n)
	}
	code, out, _ = dispatchT(t, "params", "policy.revenue_share_cap", "logit.")
	if code != exitOK || !strings.Contains(out, "policy.revenue_share_cap") || !strings.Contains(out, "logit.") || strings.Contains(out, "policy.leakage") {
		t.Errorf("two prefixes: exit %d:\n%s", code, out)
	}
	code, out, _ = dispatchT(t, "params", "-metrics", "hhi_")
	if code != exitOK || !strings.Contains(out, "hhi_model") || strings.Contains(out, "enterprise_surplus") {
		t.Errorf("params -metrics hhi_: exit %d:\n%s", code, out)
	}
	code, _, stderr := dispatchT(t, "params", "polcy.")
	if code != exitUsage || !strings.Contains(stderr, `no parameter name starts with polcy. (did you mean "policy."?)`) {
		t.Errorf("params polcy.: exit %d: %s", code, stderr)
	}
	for _, args := range [][]string{{"params"}, {"params", "-metrics"}} {
		_, out, _ := dispatchT(t, args...)
		for _, l := range strings.Split(out, "\n") {
			if utf8.RuneCountInString(l) > 100 {
				t.Errorf("%v: a line of %d columns:\n%s", args, utf8.RuneCountInString(l), l)
				break
			}
		}
	}
}
