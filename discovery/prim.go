package discovery

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// PRIMOptions are the parameters of PRIM; a zero field takes its default.
type PRIMOptions struct {
	// Alpha is the share of the box's runs that one peel removes and one
	// paste adds (α; default 0.05, Friedman and Fisher's choice).
	Alpha float64
	// MinMass stops the peeling before a box would hold fewer than this
	// share of all runs (β0, the minimum support; default 0.05).
	MinMass float64
	// MinDensity, if set, chooses the box on the trajectory: the one of
	// highest coverage among those of density at least MinDensity, or the
	// densest if none is that dense. Without it the chosen box is the one
	// of highest F1 score, the harmonic mean 2cd/(c+d) of its coverage c and
	// density d (the box read as a classifier of the cases of interest:
	// coverage is its recall, density its precision).
	MinDensity float64
}

func (o PRIMOptions) withDefaults() (PRIMOptions, error) {
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	if o.MinMass == 0 {
		o.MinMass = 0.05
	}
	if !(o.Alpha > 0 && o.Alpha < 0.5) || !(o.MinMass > 0 && o.MinMass < 1) || !(o.MinDensity >= 0 && o.MinDensity <= 1) {
		return o, fmt.Errorf("discovery: PRIM options α %v, minimum mass %v, minimum density %v: want 0 < α < 0.5, 0 < mass < 1, 0 <= density <= 1", o.Alpha, o.MinMass, o.MinDensity)
	}
	return o, nil
}

// Restriction is one dimension a box restricts, with the box's coverage
// and density if that restriction were dropped (its limits reset to the
// data's range): a restriction whose removal barely lowers the density
// does little.
type Restriction struct {
	Dim                             int
	Lo, Hi                          float64
	CoverageWithout, DensityWithout float64
}

// PRIMResult is the outcome of PRIM.
type PRIMResult struct {
	// Limits is the data's range, the box before peeling.
	Limits Box
	// Trajectory is the peeling trajectory: step 0 is the whole data, each
	// later step one peel; along it the density rises and the coverage
	// falls.
	Trajectory []Stats
	// Chosen is the step of the trajectory chosen (by F1 score or
	// MinDensity), Box that
	// box after pasting, and Restricted the dimensions Box restricts, in
	// increasing order.
	Chosen     int
	Box        Stats
	Restricted []Restriction
}

// PRIM runs Friedman and Fisher's patient rule induction method on the
// runs x with cases of interest y (J. H. Friedman and N. I. Fisher, "Bump
// hunting in high-dimensional data", Statistics and Computing 9 (1999)
// 123–143, §§4–5), as scenario discovery uses it (Bryant and Lempert 2010):
//
//   - Peeling. From the data's range, each step considers, in every
//     dimension j, removing the runs below the α-quantile of x_j in the box
//     (the lower bound rises to the (⌊αn_B⌋+1)-th smallest value of the n_B
//     runs in the box, at least one run removed) or above the
//     (1-α)-quantile (the upper bound falls likewise), and keeps the peel
//     that leaves the highest density (ties: more runs left, then the lower
//     dimension, then the lower side). It stops when every peel would leave
//     fewer than MinMass of all runs, or none removes a run. Each box is a
//     step of the trajectory.
//   - Choice. The step of highest F1 score 2cd/(c+d) of coverage c and
//     density d or, with MinDensity, the step of highest coverage among
//     those of density at least MinDensity, or the densest step (ties: the
//     earlier step).
//   - Pasting. From the chosen box, each step considers, in every dimension
//     and on each side, widening the box to take in the nearest ⌈αn_B⌉
//     runs outside it that satisfy its other limits (and any tied with the
//     last), and keeps the widening that gives the highest density (ties:
//     more runs, the lower dimension, the lower side) if that density is at
//     least the box's; it stops when none is. Friedman and Fisher paste
//     only to raise the density; a widening that keeps it adds coverage at
//     no cost, which is what scenario discovery asks of a box. Every paste
//     adds runs, so pasting ends.
//
// y[i] says whether run i is a case of interest. PRIM needs at least one
// case of interest.
func PRIM(x [][]float64, y []bool, opt PRIMOptions) (PRIMResult, error) {
	d, err := check(x, len(y))
	if err != nil {
		return PRIMResult{}, err
	}
	if opt, err = opt.withDefaults(); err != nil {
		return PRIMResult{}, err
	}
	total := 0
	for _, v := range y {
		if v {
			total++
		}
	}
	if total == 0 {
		return PRIMResult{}, fmt.Errorf("discovery: PRIM: no case of interest among %d runs", len(y))
	}
	n := len(x)
	limits := Bounds(x)
	res := PRIMResult{Limits: limits.Clone()}
	box := limits.Clone()
	in := make([]int, n)
	for i := range in {
		in[i] = i
	}
	stats := func(b Box, members []int) Stats {
		s := Stats{Box: b.Clone(), N: len(members)}
		for _, i := range members {
			if y[i] {
				s.Interest++
			}
		}
		return finish(s, total, n)
	}
	res.Trajectory = append(res.Trajectory, stats(box, in))
	minN := int(math.Ceil(opt.MinMass * float64(n)))
	vals := make([]float64, 0, n)
	for {
		k := max(1, int(opt.Alpha*float64(len(in))))
		if k >= len(in) {
			break // a peel of k runs would empty the box
		}
		best := peel{dim: -1}
		for j := range d {
			vals = vals[:0]
			for _, i := range in {
				vals = append(vals, x[i][j])
			}
			slices.Sort(vals)
			for _, upper := range []bool{false, true} {
				bound := vals[k]
				if upper {
					bound = vals[len(vals)-1-k]
				}
				if (!upper && bound == vals[0]) || (upper && bound == vals[len(vals)-1]) {
					continue // every run below the bound ties with it: nothing to remove
				}
				left, interest := 0, 0
				for _, i := range in {
					if v := x[i][j]; (!upper && v >= bound) || (upper && v <= bound) {
						left++
						if y[i] {
							interest++
						}
					}
				}
				if left < minN {
					continue
				}
				c := peel{dim: j, upper: upper, bound: bound, left: left, density: float64(interest) / float64(left)}
				if c.better(best) {
					best = c
				}
			}
		}
		if best.dim < 0 {
			break
		}
		if best.upper {
			box.Hi[best.dim] = best.bound
		} else {
			box.Lo[best.dim] = best.bound
		}
		in = slices.DeleteFunc(in, func(i int) bool { return !box.Contains(x[i]) })
		res.Trajectory = append(res.Trajectory, stats(box, in))
	}
	res.Chosen = choose(res.Trajectory, opt.MinDensity)
	res.Box = paste(x, y, res.Trajectory[res.Chosen].Box, opt.Alpha)
	for j := range d {
		if res.Box.Box.Lo[j] > limits.Lo[j] || res.Box.Box.Hi[j] < limits.Hi[j] {
			without := res.Box.Box.Clone()
			without.Lo[j], without.Hi[j] = limits.Lo[j], limits.Hi[j]
			w := Measure(x, y, without)
			res.Restricted = append(res.Restricted, Restriction{Dim: j, Lo: res.Box.Box.Lo[j], Hi: res.Box.Box.Hi[j], CoverageWithout: w.Coverage, DensityWithout: w.Density})
		}
	}
	return res, nil
}

// F1 is the harmonic mean of a box's coverage and density, 2cd/(c+d): 0
// for a box without cases of interest.
func F1(s Stats) float64 {
	if s.Interest == 0 {
		return 0
	}
	return 2 * s.Coverage * s.Density / (s.Coverage + s.Density)
}

// peel is a candidate peel (or paste) of one side of one dimension.
type peel struct {
	dim     int
	upper   bool
	bound   float64
	left    int // runs in the box after it
	density float64
}

// better orders candidates: higher density, then more runs, then the
// first considered (lower dimension, lower side).
func (c peel) better(than peel) bool {
	if than.dim < 0 {
		return true
	}
	if c.density != than.density {
		return c.density > than.density
	}
	return c.left > than.left
}

// choose returns the step of highest F1 score (minDensity 0) or of highest
// coverage among those of density at least minDensity, else the densest
// step; the earliest on ties.
func choose(traj []Stats, minDensity float64) int {
	if minDensity == 0 {
		best, score := 0, -1.0
		for s, st := range traj {
			if f := F1(st); f > score {
				best, score = s, f
			}
		}
		return best
	}
	best := -1
	for s, st := range traj {
		if st.Density >= minDensity && (best < 0 || st.Coverage > traj[best].Coverage) {
			best = s
		}
	}
	if best >= 0 {
		return best
	}
	best = 0
	for s, st := range traj {
		if st.Density > traj[best].Density {
			best = s
		}
	}
	return best
}

// paste widens box b while a widening keeps or raises its density
// (Friedman and Fisher 1999, §5).
func paste(x [][]float64, y []bool, b Box, alpha float64) Stats {
	box := b.Clone()
	cur := Measure(x, y, box)
	d := len(box.Lo)
	type outside struct {
		v        float64
		interest bool
	}
	var cands []outside
	for {
		k := int(math.Ceil(alpha * float64(cur.N)))
		best := peel{dim: -1}
		for j := range d {
			for _, upper := range []bool{false, true} {
				// The runs outside the box only by dimension j, on this side.
				cands = cands[:0]
				for i, p := range x {
					v := p[j]
					if (!upper && v >= box.Lo[j]) || (upper && v <= box.Hi[j]) {
						continue
					}
					lo, hi := box.Lo[j], box.Hi[j]
					box.Lo[j], box.Hi[j] = math.Inf(-1), math.Inf(1)
					inOthers := box.Contains(p)
					box.Lo[j], box.Hi[j] = lo, hi
					if inOthers {
						cands = append(cands, outside{v, y[i]})
					}
				}
				if len(cands) == 0 {
					continue
				}
				slices.SortFunc(cands, func(a, b outside) int {
					if upper {
						return cmp.Compare(a.v, b.v)
					}
					return cmp.Compare(b.v, a.v)
				})
				m := min(max(k, 1), len(cands))
				bound := cands[m-1].v
				for m < len(cands) && cands[m].v == bound {
					m++ // ties with the new bound come in too
				}
				interest := cur.Interest
				for _, c := range cands[:m] {
					if c.interest {
						interest++
					}
				}
				c := peel{dim: j, upper: upper, bound: bound, left: cur.N + m, density: float64(interest) / float64(cur.N+m)}
				if c.better(best) {
					best = c
				}
			}
		}
		if best.dim < 0 || best.density < cur.Density {
			return cur
		}
		if best.upper {
			box.Hi[best.dim] = best.bound
		} else {
			box.Lo[best.dim] = best.bound
		}
		cur = Measure(x, y, box)
	}
}
