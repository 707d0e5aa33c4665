package experiments

import (
	"sort"

	"frontiersim/internal/tomlkeys"
)

// Problem is one thing wrong with an experiment file.
type Problem = tomlkeys.Problem

// InvalidError lists every problem found in an experiment.
type InvalidError struct {
	Problems []Problem
}

func (e *InvalidError) Error() string { return tomlkeys.ListProblems("experiment", e.Problems) }

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
