package discovery

import (
	"math"
	"slices"
	"testing"
)

// TestClassificationPlantedBox is the acceptance test of CART: on the data
// of TestPRIMPlantedBox the first split is on a planted dimension (x0 or
// x2), at a planted limit, and so is the split of the impurer child (the
// other is nearly pure, and its split, if any, is on the label noise).
func TestClassificationPlantedBox(t *testing.T) {
	limits := map[int][]float64{0: {0.1, 0.9}, 2: {0.2, 0.8}}
	for seed := uint64(1); seed <= 5; seed++ {
		x, y, _ := planted(2000, 0.05, seed)
		tree, err := Classification(x, y, TreeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		root := tree.Nodes[0]
		t.Logf("seed %d: root x%d <= %.3f (gain %.1f), children x%d, x%d", seed, root.Feature, root.Threshold, root.Gain, tree.Nodes[root.Left].Feature, tree.Nodes[root.Right].Feature)
		impure := root.Left
		if tree.Nodes[root.Right].SSE > tree.Nodes[root.Left].SSE {
			impure = root.Right
		}
		for _, i := range []int{0, impure} {
			n := tree.Nodes[i]
			if n.Leaf() {
				continue
			}
			l, ok := limits[n.Feature]
			if !ok || math.Min(math.Abs(n.Threshold-l[0]), math.Abs(n.Threshold-l[1])) > 0.05 {
				t.Errorf("seed %d, node %d: split x%d <= %.3f, not at a planted limit", seed, i, n.Feature, n.Threshold)
			}
		}
	}
}

// TestRegressionByHand: ten runs at x = 0 ... 9 with y = 0 below 6 and 1
// from 6; the split is midway between 5 and 6 and removes all the SSE.
func TestRegressionByHand(t *testing.T) {
	var x [][]float64
	var y []float64
	for i := range 10 {
		x = append(x, []float64{float64(i)})
		y = append(y, 0)
		if i >= 6 {
			y[i] = 1
		}
	}
	tree, err := Regression(x, y, TreeOptions{MinLeaf: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Nodes) != 3 {
		t.Fatalf("%d nodes, want a root and two pure leaves", len(tree.Nodes))
	}
	root, l, r := tree.Nodes[0], tree.Nodes[tree.Nodes[0].Left], tree.Nodes[tree.Nodes[0].Right]
	// SSE of the root: n p (1-p) = 10 · 0.4 · 0.6 = 2.4.
	if root.Feature != 0 || root.Threshold != 5.5 || math.Abs(root.SSE-2.4) > 1e-12 || math.Abs(root.Gain-2.4) > 1e-12 || root.Mean != 0.4 {
		t.Errorf("root %+v", root)
	}
	if !l.Leaf() || l.N != 6 || l.Mean != 0 || !r.Leaf() || r.N != 4 || r.Mean != 1 || l.Depth != 1 {
		t.Errorf("leaves %+v %+v", l, r)
	}
	if tree.Predict([]float64{5.5}) != 0 || tree.Predict([]float64{5.6}) != 1 {
		t.Error("Predict does not send x <= threshold left")
	}
}

// TestRegressionLimits: MaxDepth and MinLeaf bound the tree, the leaves
// partition the runs, and each leaf's box holds exactly its runs.
func TestRegressionLimits(t *testing.T) {
	x, _, _ := planted(500, 0.05, 9)
	y := make([]float64, len(x))
	for i, p := range x {
		y[i] = math.Sin(6*p[0]) + p[1]*p[3]
	}
	for _, opt := range []TreeOptions{{MaxDepth: 1, MinLeaf: 5}, {MaxDepth: 4, MinLeaf: 30}, {MaxDepth: 8, MinLeaf: 1}} {
		tree, err := Regression(x, y, opt)
		if err != nil {
			t.Fatal(err)
		}
		leaves := tree.Leaves(Bounds(x))
		total := 0
		for _, lf := range leaves {
			n := tree.Nodes[lf.Node]
			if n.Depth > opt.MaxDepth || n.N < opt.MinLeaf {
				t.Errorf("%+v: leaf at depth %d with %d runs", opt, n.Depth, n.N)
			}
			total += n.N
			held, sum := 0, 0.0
			for i, p := range x {
				if lf.Box.Contains(p) {
					held++
					sum += y[i]
					if tree.Predict(p) != n.Mean {
						t.Errorf("%+v: a run in leaf %d's box is predicted %v, the leaf's mean is %v", opt, lf.Node, tree.Predict(p), n.Mean)
					}
				}
			}
			if held != n.N || math.Abs(sum/float64(held)-n.Mean) > 1e-12 {
				t.Errorf("%+v: leaf %d holds %d runs of mean %v; its box %d of mean %v", opt, lf.Node, n.N, n.Mean, held, sum/float64(held))
			}
		}
		if total != len(x) {
			t.Errorf("%+v: the leaves hold %d runs of %d", opt, total, len(x))
		}
		for _, n := range tree.Nodes {
			if !n.Leaf() && !(n.Gain > 0) {
				t.Errorf("%+v: a split without gain: %+v", opt, n)
			}
		}
	}
}

// TestTreeTies: of two identical dimensions the lower one splits; a
// constant target does not split; Classification is Regression on 0 and 1.
func TestTreeTies(t *testing.T) {
	var x [][]float64
	var y []bool
	var yf []float64
	for i := range 40 {
		v := float64(i % 7)
		x = append(x, []float64{0, v, v})
		y = append(y, v > 3)
		yf = append(yf, 0)
		if v > 3 {
			yf[i] = 1
		}
	}
	c, err := Classification(x, y, TreeOptions{MinLeaf: 2})
	if err != nil {
		t.Fatal(err)
	}
	if c.Nodes[0].Feature != 1 || c.Nodes[0].Threshold != 3.5 {
		t.Errorf("root splits x%d at %v, want x1 at 3.5", c.Nodes[0].Feature, c.Nodes[0].Threshold)
	}
	r, _ := Regression(x, yf, TreeOptions{MinLeaf: 2})
	if !slices.Equal(c.Nodes, r.Nodes) {
		t.Error("Classification differs from Regression on 0/1")
	}
	flat, _ := Regression(x, make([]float64, len(x)), TreeOptions{})
	if len(flat.Nodes) != 1 || !flat.Nodes[0].Leaf() {
		t.Errorf("constant target: %d nodes", len(flat.Nodes))
	}
}

func TestTreeErrors(t *testing.T) {
	x := [][]float64{{0}, {1}}
	if _, err := Regression(x, []float64{1}, TreeOptions{}); err == nil {
		t.Error("targets missing: no error")
	}
	if _, err := Regression(x, []float64{1, math.Inf(1)}, TreeOptions{}); err == nil {
		t.Error("infinite target: no error")
	}
	if _, err := Regression(x, []float64{1, 2}, TreeOptions{MaxDepth: -1}); err == nil {
		t.Error("negative depth: no error")
	}
	if _, err := Classification(nil, nil, TreeOptions{}); err == nil {
		t.Error("no runs: no error")
	}
}

func BenchmarkClassification(b *testing.B) {
	x, y, _ := planted(2000, 0.05, 1)
	for b.Loop() {
		if _, err := Classification(x, y, TreeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
