package discovery

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// TreeOptions are the parameters of a CART tree; a zero field takes its
// default.
type TreeOptions struct {
	// MaxDepth is the depth of the deepest split (default 3: at most eight
	// leaves, a tree one reads at a glance).
	MaxDepth int
	// MinLeaf is the fewest runs a leaf may hold (default 20).
	MinLeaf int
}

func (o TreeOptions) withDefaults() (TreeOptions, error) {
	if o.MaxDepth == 0 {
		o.MaxDepth = 3
	}
	if o.MinLeaf == 0 {
		o.MinLeaf = 20
	}
	if o.MaxDepth < 0 || o.MinLeaf < 0 {
		return o, fmt.Errorf("discovery: tree options depth %d, leaf size %d: want positive values", o.MaxDepth, o.MinLeaf)
	}
	return o, nil
}

// Node is a node of a Tree. A split sends a run to Left when
// x[Feature] <= Threshold and to Right otherwise; a leaf has Feature -1.
type Node struct {
	Feature     int
	Threshold   float64
	Left, Right int // indices in Tree.Nodes; 0 for a leaf
	Depth       int // the root's is 0
	// N is the number of runs in the node, Mean the mean of their target
	// (for Classification the share of cases of interest), SSE the sum of
	// squared deviations from it (n·p(1-p), half the node's Gini impurity
	// times n, for a share p), and Gain the fall of SSE its split achieves.
	N         int
	Mean, SSE float64
	Gain      float64
}

// Leaf reports whether the node is a leaf.
func (n Node) Leaf() bool { return n.Feature < 0 }

// Tree is a binary regression or classification tree; Nodes[0] is the
// root and a node's children come after it.
type Tree struct {
	Nodes []Node
}

// Regression grows a CART regression tree of y on the runs x (L. Breiman,
// J. H. Friedman, R. A. Olshen and C. J. Stone, Classification and
// Regression Trees, Wadsworth 1984, ch. 8): each node splits on the
// dimension and threshold that most reduce the sum of squared deviations
// from the node's mean,
//
//	gain = SSE(node) - SSE(left) - SSE(right),   SSE = Σ (y - ȳ)²,
//
// over thresholds midway between consecutive distinct values that leave at
// least MinLeaf runs on each side (ties: the lower dimension, then the lower
// threshold). A node does not split at depth MaxDepth, with SSE 0, or when
// no split gains. The tree is not pruned: MaxDepth and MinLeaf keep it
// small (Breiman et al.'s cost-complexity pruning is for trees grown large).
func Regression(x [][]float64, y []float64, opt TreeOptions) (Tree, error) {
	if _, err := check(x, len(y)); err != nil {
		return Tree{}, err
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Tree{}, fmt.Errorf("discovery: run %d: target %v is not a finite value", i, v)
		}
	}
	opt, err := opt.withDefaults()
	if err != nil {
		return Tree{}, err
	}
	g := grower{x: x, y: y, opt: opt}
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	g.grow(idx, 0)
	return Tree{Nodes: g.nodes}, nil
}

// Classification grows a CART classification tree of the cases of
// interest y with the Gini index of impurity (Breiman et al. 1984, ch. 4):
// with two classes the Gini impurity of a node of n runs, p of them cases
// of interest, is 2p(1-p), and n times it is twice the SSE of the 0/1
// target, so the splits are Regression's on y as 0 and 1 and each node's
// Mean is its share of cases of interest.
func Classification(x [][]float64, y []bool, opt TreeOptions) (Tree, error) {
	v := make([]float64, len(y))
	for i, b := range y {
		if b {
			v[i] = 1
		}
	}
	return Regression(x, v, opt)
}

// Predict returns the Mean of the leaf that x falls in.
func (t Tree) Predict(x []float64) float64 {
	n := t.Nodes[0]
	for !n.Leaf() {
		if x[n.Feature] <= n.Threshold {
			n = t.Nodes[n.Left]
		} else {
			n = t.Nodes[n.Right]
		}
	}
	return n.Mean
}

// TreeLeaf is a leaf of a tree as a box: the limits of its path within
// limits (Lo < x_j for a right turn is written as the box's closed Lo =
// threshold, which only a run exactly on the threshold tells apart).
type TreeLeaf struct {
	Node int
	Box  Box
}

// Leaves returns the leaves of the tree, left to right, each with the box
// of its path inside limits (the data's range: Bounds).
func (t Tree) Leaves(limits Box) []TreeLeaf {
	var out []TreeLeaf
	var walk func(i int, b Box)
	walk = func(i int, b Box) {
		n := t.Nodes[i]
		if n.Leaf() {
			out = append(out, TreeLeaf{Node: i, Box: b})
			return
		}
		l, r := b.Clone(), b.Clone()
		l.Hi[n.Feature] = min(l.Hi[n.Feature], n.Threshold)
		r.Lo[n.Feature] = max(r.Lo[n.Feature], n.Threshold)
		walk(n.Left, l)
		walk(n.Right, r)
	}
	walk(0, limits.Clone())
	return out
}

type grower struct {
	x     [][]float64
	y     []float64
	opt   TreeOptions
	nodes []Node
}

// grow appends the node of the runs idx and, if it splits, its subtrees;
// it returns the node's index.
func (g *grower) grow(idx []int, depth int) int {
	sum, sq := 0.0, 0.0
	for _, i := range idx {
		sum += g.y[i]
		sq += float64(g.y[i] * g.y[i])
	}
	n := float64(len(idx))
	mean := sum / n
	node := Node{Feature: -1, Depth: depth, N: len(idx), Mean: mean, SSE: max(0, sq-float64(sum*sum)/n)}
	at := len(g.nodes)
	g.nodes = append(g.nodes, node)
	if depth >= g.opt.MaxDepth || node.SSE == 0 || len(idx) < 2*g.opt.MinLeaf {
		return at
	}
	minLeaf := max(g.opt.MinLeaf, 1)
	bestGain, bestDim, bestThr := 0.0, -1, 0.0
	order := make([]int, len(idx))
	for j := range len(g.x[0]) {
		copy(order, idx)
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(g.x[a][j], g.x[b][j]) })
		left := 0.0
		for k := 0; k < len(order)-1; k++ {
			left += g.y[order[k]]
			nl := k + 1
			nr := len(order) - nl
			if nl < minLeaf {
				continue
			}
			if nr < minLeaf {
				break
			}
			v, next := g.x[order[k]][j], g.x[order[k+1]][j]
			if v == next {
				continue
			}
			right := sum - left
			// SSE(node) - SSE(left) - SSE(right) = L²/nl + R²/nr - S²/n.
			gain := float64(left*left)/float64(nl) + float64(right*right)/float64(nr) - float64(sum*sum)/n
			if gain > bestGain {
				thr := v + (next-v)/2
				if thr >= next {
					thr = v // adjacent floats: the midpoint rounds up
				}
				bestGain, bestDim, bestThr = gain, j, thr
			}
		}
	}
	// A gain at the rounding level of the sums is no gain.
	if bestDim < 0 || bestGain <= 1e-12*max(node.SSE, 1e-300) {
		return at
	}
	var li, ri []int
	for _, i := range idx {
		if g.x[i][bestDim] <= bestThr {
			li = append(li, i)
		} else {
			ri = append(ri, i)
		}
	}
	l := g.grow(li, depth+1)
	r := g.grow(ri, depth+1)
	g.nodes[at].Feature, g.nodes[at].Threshold = bestDim, bestThr
	g.nodes[at].Left, g.nodes[at].Right, g.nodes[at].Gain = l, r, bestGain
	return at
}
