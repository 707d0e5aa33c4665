package experiments

import (
	"fmt"
	"sort"
	"strings"

	"frontiersim/internal/tomlkeys"
)

// Problem is one thing wrong with an experiment file.
type Problem struct {
	File string // the file the key comes from
	Line int    // 1-based line, 0 when unknown
	Key  string // dotted key path, e.g. arms[1].overrides.policy.revenue_share_cap
	Msg  string // what is wrong and what is allowed
}

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

// InvalidError lists every problem found in an experiment.
type InvalidError struct {
	Problems []Problem
}

func (e *InvalidError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid experiment: %d problem(s)", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// suggest returns the closest of candidates to s, if it is close enough to
// be a likely typo (see tomlkeys.Suggest).
func suggest(s string, candidates []string) string { return tomlkeys.Suggest(s, candidates) }

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}
