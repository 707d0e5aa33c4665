// Package tomlkeys maps the dotted key paths of a TOML document to the lines
// on which they are set, so that a message about a key can name its line,
// and bounds a document's nesting before a decoder sees it. BurntSushi/toml
// does not report key positions (MetaData keeps them private), so KeyLines
// and CheckNesting scan the text with a lexer of TOML's lexical structure.
// The experiment loader (package experiments) and the world decoder
// (package agents) share them, the problem type (Problem, ListProblems),
// the did-you-mean of names (Suggest) and the kind of a decoded value for
// messages (Describe). It imports the standard library only.
package tomlkeys

import (
	"fmt"
	"strings"
)

// Suggest returns the candidate closest to s when it is close enough to be
// a likely typo (edit distance at most 2 + len(s)/5, case-insensitive), or
// a candidate that ends with "."+s (a dotted name given without its
// group); otherwise "".
func Suggest(s string, candidates []string) string {
	if len(s) > 100 {
		return "" // no typo of a name; and the distance costs len(s) × len(candidate)
	}
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(s), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= 2+len(s)/5 {
		return best
	}
	for _, c := range candidates {
		if strings.HasSuffix(c, "."+s) {
			return c
		}
	}
	return ""
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Describe names the kind of a decoded TOML value for a message ("a
// string", "an array of tables", ...).
func Describe(x any) string {
	switch x.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "an array of tables"
	default:
		return fmt.Sprintf("a %T", x)
	}
}

// Problem is one thing wrong with a TOML input file (an experiment file, a
// world file): where, and what is wrong and what is allowed.
type Problem struct {
	File string // the file the key comes from
	Line int    // 1-based line, 0 when unknown
	Key  string // dotted key path, e.g. arms[1].overrides.policy.revenue_share_cap
	Msg  string // what is wrong and what is allowed
}

// String reads FILE:LINE: KEY: MSG, leaving out what is unknown.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ListProblems is the text of an error listing problems: "invalid WHAT: N
// problem(s)", then one indented line per problem.
func ListProblems(what string, ps []Problem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid %s: %d problem(s)", what, len(ps))
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}
