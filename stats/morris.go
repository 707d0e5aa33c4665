package stats

import (
	"fmt"
	"math"
)

// Morris holds the elementary-effects statistics of k factors from r
// one-at-a-time trajectories (ElementaryEffects). Factor i is the design's
// column i.
type Morris struct {
	R int // trajectories
	// Effects[t][i] is the elementary effect of factor i in trajectory t.
	Effects [][]float64
	// Mu[i] is the mean elementary effect (Morris 1991), MuStar[i] the mean
	// of its absolute value (Campolongo et al. 2007), Sigma[i] its standard
	// deviation (divided by r-1; NaN for r = 1).
	Mu, MuStar, Sigma []float64
}

// ElementaryEffects computes Morris's elementary effects and their
// statistics from the points of r trajectories of k factors
// (design.Morris: r(k+1) points, trajectory t in rows t(k+1) ... t(k+1)+k,
// each step moving one factor, each factor once per trajectory) and y, the
// model's output at each point. The effect of the factor i that moves at
// the step from x to x' is
//
//	EE_i = (y(x') - y(x)) / (x'_i - x_i)
//
// in unit-cube coordinates, so that effects of factors of different ranges
// are comparable (M. D. Morris, Technometrics 33 (1991) 161–174). Over the
// trajectories t = 1 ... r,
//
//	μ_i = (1/r) Σ_t EE_i^t,   μ*_i = (1/r) Σ_t |EE_i^t|,   σ_i² = (1/(r-1)) Σ_t (EE_i^t - μ_i)²;
//
// μ* ranks the factors by importance (F. Campolongo, J. Cariboni and
// A. Saltelli, "An effective screening design for sensitivity analysis of
// large models", Environ. Model. Softw. 22 (2007) 1509–1518: μ alone lets
// effects of opposite signs cancel), and a σ comparable to μ* marks a
// factor whose effect depends on the others (nonlinear or interacting).
// The sums run in trajectory order. A step that moves no factor or several,
// or a factor moving twice in a trajectory, is an error.
func ElementaryEffects(points [][]float64, y []float64, k int) (Morris, error) {
	if k < 1 {
		return Morris{}, fmt.Errorf("stats: elementary effects of %d factors: at least 1", k)
	}
	if len(points) != len(y) {
		return Morris{}, fmt.Errorf("stats: elementary effects: %d points, %d outputs", len(points), len(y))
	}
	if len(points) == 0 || len(points)%(k+1) != 0 {
		return Morris{}, fmt.Errorf("stats: elementary effects of %d factors from %d points: want r(k+1) = %d·r, r >= 1", k, len(points), k+1)
	}
	r := len(points) / (k + 1)
	m := Morris{R: r, Effects: make([][]float64, r), Mu: make([]float64, k), MuStar: make([]float64, k), Sigma: make([]float64, k)}
	for t := range r {
		ee := make([]float64, k)
		moved := make([]bool, k)
		for s := 1; s <= k; s++ {
			row := t*(k+1) + s
			prev, cur := points[row-1], points[row]
			if len(prev) != k || len(cur) != k {
				return Morris{}, fmt.Errorf("stats: elementary effects: point %d has %d coordinates, want %d", row, len(cur), k)
			}
			f := -1
			for i := range k {
				if cur[i] != prev[i] {
					if f >= 0 {
						return Morris{}, fmt.Errorf("stats: elementary effects: trajectory %d, step %d moves factors %d and %d", t, s, f, i)
					}
					f = i
				}
			}
			if f < 0 {
				return Morris{}, fmt.Errorf("stats: elementary effects: trajectory %d, step %d moves no factor", t, s)
			}
			if moved[f] {
				return Morris{}, fmt.Errorf("stats: elementary effects: trajectory %d moves factor %d twice", t, f)
			}
			moved[f] = true
			ee[f] = (y[row] - y[row-1]) / (cur[f] - prev[f])
		}
		m.Effects[t] = ee
	}
	for i := range k {
		sum, abs := 0.0, 0.0
		for t := range r {
			sum += m.Effects[t][i]
			abs += math.Abs(m.Effects[t][i])
		}
		m.Mu[i], m.MuStar[i] = sum/float64(r), abs/float64(r)
		if r < 2 {
			m.Sigma[i] = math.NaN()
			continue
		}
		ss := 0.0
		for t := range r {
			e := m.Effects[t][i] - m.Mu[i]
			ss += float64(e * e)
		}
		m.Sigma[i] = math.Sqrt(ss / float64(r-1))
	}
	return m, nil
}
