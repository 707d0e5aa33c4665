package tomlkeys

import "testing"

func TestKeyLinesOfTables(t *testing.T) {
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
	got := KeyLines(text)
	for k, l := range want {
		if len(got[k]) == 0 || got[k][0] != l {
			t.Errorf("%s: lines %v, want %d first", k, got[k], l)
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

// TestKeyLines: the scanner of key lines is not fooled by multi-line
// strings, comments, quoted keys or arrays over several lines.
func TestKeyLines(t *testing.T) {
	text := `name = "x"
description = """
[[arms]]
seed = 3
"""
seed = 1
notes = '''
[report]
'''
"quoted.key" = 1
dotted . key = 2
inline = {a = 1, b = {c = "}"}}
list = [
  "a # not a comment",
  { name = "b" }, # [x]
]
[[arms]]
name = "a"
[arms.overrides]
"p.q" = 1
[[arms]]
name = "b"
str = "\"[[arms]]\""
`
	lines := KeyLines(text)
	want := map[string]int{
		"name": 1, "description": 2, "seed": 6, "notes": 7, "quoted.key": 10, "dotted.key": 11,
		"inline": 12, "inline.a": 12, "inline.b": 12, "inline.b.c": 12, "list": 13, "list[0]": 14, "list[1]": 15, "list[1].name": 15,
		"arms[0]": 17, "arms[0].name": 18, "arms[0].overrides": 19, "arms[0].overrides.p.q": 20,
		"arms[1]": 21, "arms[1].name": 22, "arms[1].str": 23,
	}
	for k, l := range want {
		if got := lines[k]; len(got) != 1 || got[0] != l {
			t.Errorf("%s: lines %v, want [%d]", k, got, l)
		}
	}
	for k := range lines {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected key %q at %v", k, lines[k])
		}
	}
}

// TestCheckNesting counts every kind of nesting, and nothing inside strings
// and comments.
func TestCheckNesting(t *testing.T) {
	for _, c := range []struct {
		text  string
		depth int
	}{
		{"a = 1", 1},
		{"a.b.c = 1", 3},
		{"[a.b]\nc.d = 1", 4},
		{"[[a.b]]\nc = {d = {e = 1}}", 5},
		{"a = [[1], [2]]", 3},
		{"a = [1.5, 2.5]\nb.c = 0.1", 2},
		{"a = {b.c = 1.5, d = {e = 0.5}}", 3},
		{"a = \"{{{{[[[[....\"", 1},
		{"a = '''\n{{{{\n[[[[\n'''", 1},
		{"a = \"\"\"\n\\\"\"\"{{{{\n\"\"\"", 1},
		{"# {{{{[[[[\na = 1", 1},
		{"\"a.b.c\" = 1", 1},
	} {
		if np := CheckNesting(c.text, c.depth); np != nil {
			t.Errorf("%q: nesting %d reported over %d", c.text, np.Depth, c.depth)
		}
		if c.depth > 1 {
			if np := CheckNesting(c.text, c.depth-1); np == nil {
				t.Errorf("%q: not reported over %d", c.text, c.depth-1)
			}
		}
	}
}
