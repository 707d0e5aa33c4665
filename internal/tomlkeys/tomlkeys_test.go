package tomlkeys

import "testing"

func TestLines(t *testing.T) {
	text := `name = "x"   # a comment with = sign
"quoted.key" = 1
[scenario]
"policy.cap" = 0.1
a.b = 2

[[arms]]
name = "one"
[arms.overrides]
"x.y" = 3

[[arms]]
name = 'two' # second
s = "a # not a comment"
[[labs]]
name = "openai"
[[labs]]
name = "anthropic"
[[labs.notes]]
text = "nested"
`
	want := map[string]int{
		"name":                  1,
		"quoted.key":            2,
		"scenario":              3,
		"scenario.policy.cap":   4,
		"scenario.a.b":          5,
		"arms[0]":               7,
		"arms[0].name":          8,
		"arms[0].overrides":     9,
		"arms[0].overrides.x.y": 10,
		"arms[1]":               12,
		"arms[1].name":          13,
		"arms[1].s":             14,
		"labs[0].name":          16,
		"labs[1]":               17,
		"labs[1].name":          18,
		"labs[1].notes[0]":      19,
		"labs[1].notes[0].text": 20,
	}
	got := Lines(text)
	for k, l := range want {
		if got[k] != l {
			t.Errorf("%s: line %d, want %d", k, got[k], l)
		}
	}
	if _, ok := got["arms[2]"]; ok {
		t.Error("a third arm that does not exist has a line")
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"policy.revenue_share_cap", "logit.beta_k", "azure", "aws", "gcp"}
	for _, c := range []struct{ in, want string }{
		{"policy.revenue_shar_cap", "policy.revenue_share_cap"},
		{"beta_k", "logit.beta_k"},
		{"gpc", "gcp"},
		{"oracle", ""},
	} {
		if got := Suggest(c.in, cands); got != c.want {
			t.Errorf("Suggest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
