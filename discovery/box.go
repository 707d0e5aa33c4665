package discovery

import (
	"fmt"
	"math"
)

// Box is the hyperrectangle Lo[j] <= x_j <= Hi[j] for every dimension j
// (closed on both sides; ±Inf leaves a side open).
type Box struct {
	Lo, Hi []float64
}

// Contains reports whether x lies in the box.
func (b Box) Contains(x []float64) bool {
	for j, v := range x {
		if v < b.Lo[j] || v > b.Hi[j] {
			return false
		}
	}
	return true
}

// Clone returns a copy of the box that shares no memory with it.
func (b Box) Clone() Box {
	return Box{Lo: append([]float64(nil), b.Lo...), Hi: append([]float64(nil), b.Hi...)}
}

// Bounds is the smallest box holding every point: the data's range in
// each dimension, the box PRIM starts from.
func Bounds(x [][]float64) Box {
	if len(x) == 0 {
		return Box{}
	}
	b := Box{Lo: append([]float64(nil), x[0]...), Hi: append([]float64(nil), x[0]...)}
	for _, p := range x[1:] {
		for j, v := range p {
			b.Lo[j], b.Hi[j] = min(b.Lo[j], v), max(b.Hi[j], v)
		}
	}
	return b
}

// Stats describes the runs inside a box: how many there are, how many of
// them are cases of interest, and the box's
//
//	coverage = cases of interest in the box / all cases of interest,
//	density  = cases of interest in the box / runs in the box,
//	mass     = runs in the box / all runs
//
// (Bryant and Lempert 2010, §2.2). Coverage is NaN when there is no case of
// interest at all, density when the box is empty.
type Stats struct {
	Box                     Box
	N, Interest             int
	Coverage, Density, Mass float64
}

// Measure returns the statistics of box b on the runs x with cases of
// interest y.
func Measure(x [][]float64, y []bool, b Box) Stats {
	total := 0
	for _, v := range y {
		if v {
			total++
		}
	}
	s := Stats{Box: b.Clone()}
	for i, p := range x {
		if b.Contains(p) {
			s.N++
			if y[i] {
				s.Interest++
			}
		}
	}
	return finish(s, total, len(x))
}

// finish fills the shares of s from its counts.
func finish(s Stats, total, n int) Stats {
	s.Coverage, s.Density, s.Mass = math.NaN(), math.NaN(), math.NaN()
	if total > 0 {
		s.Coverage = float64(s.Interest) / float64(total)
	}
	if s.N > 0 {
		s.Density = float64(s.Interest) / float64(s.N)
	}
	if n > 0 {
		s.Mass = float64(s.N) / float64(n)
	}
	return s
}

// check validates the runs: at least one, all with the same number d >= 1
// of finite coordinates, and n targets.
func check(x [][]float64, n int) (d int, err error) {
	if len(x) == 0 {
		return 0, fmt.Errorf("discovery: no runs")
	}
	if n != len(x) {
		return 0, fmt.Errorf("discovery: %d runs, %d targets", len(x), n)
	}
	d = len(x[0])
	if d == 0 {
		return 0, fmt.Errorf("discovery: runs without parameters")
	}
	for i, p := range x {
		if len(p) != d {
			return 0, fmt.Errorf("discovery: run %d has %d parameters, run 0 has %d", i, len(p), d)
		}
		for j, v := range p {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("discovery: run %d, parameter %d: %v is not a finite value", i, j, v)
			}
		}
	}
	return d, nil
}
