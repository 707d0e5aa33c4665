package estimation

import (
	"context"
	"math"
	"sort"
)

// Func is an objective on the unit cube [0, 1]^k.
type Func func(ctx context.Context, u []float64) (float64, error)

// Minimize runs a Nelder–Mead simplex search of f on the unit cube from u0:
// the initial simplex is u0 and u0 moved by 0.25 along each axis (away from
// the nearer face), trial points are clamped to the cube, and the standard
// coefficients are used (reflection 1, expansion 2, contraction ½, shrink
// ½). It stops after maxEval evaluations of f, or when the simplex spans
// at most tol in every coordinate and in objective. It is deterministic:
// the same f gives the same sequence of points. It returns the best point,
// its value, and whether the tolerance stopped it (not maxEval).
func Minimize(ctx context.Context, f Func, u0 []float64, maxEval int, tol float64) ([]float64, float64, bool, error) {
	k := len(u0)
	n := 0
	eval := func(u []float64) (float64, error) {
		n++
		return f(ctx, u)
	}
	type vertex struct {
		u []float64
		f float64
	}
	simplex := make([]vertex, k+1)
	clamp := func(u []float64) []float64 {
		for i := range u {
			u[i] = math.Max(0, math.Min(1, u[i]))
		}
		return u
	}
	for i := 0; i <= k; i++ {
		u := clamp(append([]float64(nil), u0...))
		if i > 0 {
			if u[i-1] <= 0.5 {
				u[i-1] += 0.25
			} else {
				u[i-1] -= 0.25
			}
		}
		v, err := eval(u)
		if err != nil {
			return nil, 0, false, err
		}
		simplex[i] = vertex{u, v}
	}
	order := func() {
		sort.SliceStable(simplex, func(a, b int) bool { return simplex[a].f < simplex[b].f })
	}
	along := func(c, d []float64, t float64) []float64 {
		u := make([]float64, k)
		for i := range u {
			u[i] = c[i] + t*(d[i]-c[i])
		}
		return clamp(u)
	}
	for {
		order()
		if small(simplex[0].u, simplex[0].f, func(j int) ([]float64, float64) { return simplex[j].u, simplex[j].f }, k, tol) {
			return simplex[0].u, simplex[0].f, true, nil
		}
		if n >= maxEval {
			return simplex[0].u, simplex[0].f, false, nil
		}
		c := make([]float64, k)
		for _, v := range simplex[:k] {
			for i := range c {
				c[i] += v.u[i] / float64(k)
			}
		}
		worst := simplex[k]
		r := along(c, worst.u, -1)
		fr, err := eval(r)
		if err != nil {
			return nil, 0, false, err
		}
		switch {
		case fr < simplex[0].f:
			e := along(c, worst.u, -2)
			fe, err := eval(e)
			if err != nil {
				return nil, 0, false, err
			}
			if fe < fr {
				simplex[k] = vertex{e, fe}
			} else {
				simplex[k] = vertex{r, fr}
			}
		case fr < simplex[k-1].f:
			simplex[k] = vertex{r, fr}
		default:
			var t float64 = 0.5 // inside contraction
			if fr < worst.f {
				t = -0.5 // outside contraction
			}
			ct := along(c, worst.u, t)
			fc, err := eval(ct)
			if err != nil {
				return nil, 0, false, err
			}
			if fc < math.Min(fr, worst.f) {
				simplex[k] = vertex{ct, fc}
				break
			}
			for j := 1; j <= k; j++ {
				u := along(simplex[0].u, simplex[j].u, 0.5)
				v, err := eval(u)
				if err != nil {
					return nil, 0, false, err
				}
				simplex[j] = vertex{u, v}
			}
		}
	}
}

// small reports whether every vertex j = 1..k lies within tol of the best
// (u0, f0) in every coordinate and in objective.
func small(u0 []float64, f0 float64, vertex func(j int) ([]float64, float64), k int, tol float64) bool {
	for j := 1; j <= k; j++ {
		u, f := vertex(j)
		if math.Abs(f-f0) > tol {
			return false
		}
		for i := range u {
			if math.Abs(u[i]-u0[i]) > tol {
				return false
			}
		}
	}
	return true
}
