package design

import (
	"fmt"
	"math/rand/v2"
)

// Morris returns r random one-at-a-time trajectories of Morris's elementary
// effects method for k factors on a grid of p levels (M. D. Morris,
// "Factorial sampling plans for preliminary computational experiments",
// Technometrics 33 (1991) 161–174): r(k+1) points, trajectory t in rows
// t(k+1) ... t(k+1)+k. The levels are 0, 1/(p-1), ..., 1 (both ends
// included) and every step moves one factor by Δ = p/(2(p-1)):
//
//   - a base point x* draws each coordinate from the p/2 levels at most 1-Δ;
//   - each factor draws a direction: up (it starts at x*_i and steps to
//     x*_i+Δ) or down (it starts at x*_i+Δ and steps to x*_i);
//   - a random order of the factors says which moves at steps 1 ... k.
//
// This is Morris's B* = (J x* + (Δ/2)[(2B - J)D* + J])P* with B strictly
// lower triangular ones, D* the random ±1 diagonal and P* the random
// permutation. Each factor moves exactly once per trajectory, so the r
// trajectories give r elementary effects of each factor
// (stats.ElementaryEffects). p is even and at least 2; the points are draws
// of src only: for each trajectory k level indices (IntN(p/2)), k directions
// (IntN(2)) and a permutation of the factors (Perm(k)), in that order.
func Morris(r, k, p int, src rand.Source) ([][]float64, error) {
	if r < 1 || k < 1 {
		return nil, fmt.Errorf("design: Morris design of %d trajectories of %d factors: at least 1 of each", r, k)
	}
	if p < 2 || p%2 != 0 {
		return nil, fmt.Errorf("design: Morris design on %d levels: an even number, at least 2", p)
	}
	rng := rand.New(src)
	half := p / 2
	top := float64(p - 1)
	flat := make([]float64, r*(k+1)*k)
	pts := make([][]float64, r*(k+1))
	for i := range pts {
		pts[i] = flat[i*k : (i+1)*k : (i+1)*k]
	}
	base := make([]int, k)
	up := make([]bool, k)
	for t := range r {
		for i := range base {
			base[i] = rng.IntN(half)
		}
		for i := range up {
			up[i] = rng.IntN(2) == 1
		}
		order := rng.Perm(k)
		level := make([]int, k)
		for i := range level {
			level[i] = base[i]
			if !up[i] {
				level[i] += half
			}
		}
		row := t * (k + 1)
		for i, l := range level {
			pts[row][i] = float64(l) / top
		}
		for s, f := range order {
			if up[f] {
				level[f] += half
			} else {
				level[f] -= half
			}
			for i, l := range level {
				pts[row+s+1][i] = float64(l) / top
			}
		}
	}
	return pts, nil
}
