package design

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"
)

// LatinHypercube returns n points of a Latin hypercube sample of the unit
// cube [0, 1)^d: in every dimension each of the n strata [k/n, (k+1)/n)
// holds exactly one point. It is gonum's samplemv.LatinHypercube of the
// unit uniform distribution with src as its only source of randomness, so a
// source in the same state gives the same points.
func LatinHypercube(n, d int, src rand.Source) [][]float64 {
	if n <= 0 || d <= 0 {
		return make([][]float64, max(n, 0))
	}
	m := mat.NewDense(n, d, nil)
	samplemv.LatinHypercube{Q: distmv.NewUnitUniform(d, src), Src: src}.Sample(m)
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = m.RawRowView(i)
	}
	return pts
}

// Grid returns the full factorial design of values (one list of levels per
// dimension): every combination, the last dimension varying fastest. With
// no dimensions it is one empty point; a dimension without levels makes it
// empty.
func Grid(values [][]float64) [][]float64 {
	rows := [][]float64{{}}
	for _, vals := range values {
		next := make([][]float64, 0, len(rows)*len(vals))
		for _, r := range rows {
			for _, x := range vals {
				next = append(next, append(append(make([]float64, 0, len(values)), r...), x))
			}
		}
		rows = next
	}
	return rows
}

// Linspace returns n evenly spaced levels from lo to hi, both included (hi
// exactly); n <= 1 gives lo alone.
func Linspace(lo, hi float64, n int) []float64 {
	if n <= 1 {
		return []float64{lo}
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	out[n-1] = hi
	return out
}

// Scale maps a unit coordinate u in [0, 1) onto [lo, hi): lo + u(hi-lo).
func Scale(u, lo, hi float64) float64 { return lo + u*(hi-lo) }

// ScaleWhole maps a unit coordinate u in [0, 1) onto the whole numbers
// lo, lo+1, ..., hi (lo and hi whole), each taking an equal share of the
// unit interval: min(lo + ⌊u(hi-lo+1)⌋, hi). On a Latin hypercube whose n is
// a multiple of hi-lo+1 each number is drawn equally often.
func ScaleWhole(u, lo, hi float64) float64 {
	return min(lo+math.Floor(u*(hi-lo+1)), hi)
}
