package experiments

import (
	"testing"

	"frontiersim/discovery"
)

// TestLeafRule: a leaf's rule is the interval of each feature on its path,
// in the order of the first split on it.
func TestLeafRule(t *testing.T) {
	leaf := discovery.Node{Feature: -1}
	tree := discovery.Tree{Nodes: []discovery.Node{
		{Feature: 0, Threshold: 2, Left: 1, Right: 2},        // 0: p <= 2
		{Feature: 1, Threshold: 0.123456, Left: 3, Right: 4}, // 1: q <= 0.123456
		{Feature: 0, Threshold: 5, Left: 5, Right: 6},        // 2: p <= 5
		leaf, leaf,
		{Feature: 1, Threshold: 1, Left: 7, Right: 8}, // 5: q <= 1
		leaf, leaf, leaf,
	}}
	names := []string{"p", "q"}
	for _, c := range []struct {
		leaf int
		want string
	}{
		{3, "p <= 2 and q <= 0.1235"},
		{4, "p <= 2 and q > 0.1235"},
		{6, "p > 5"},
		{7, "2 < p <= 5 and q <= 1"},
		{8, "2 < p <= 5 and q > 1"},
		{0, "all points"},
	} {
		if got := leafRule(tree, c.leaf, names); got != c.want {
			t.Errorf("leaf %d: %q, want %q", c.leaf, got, c.want)
		}
	}
}
