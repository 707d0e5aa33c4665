package estimation

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// Evaluate simulates the moments (the replication means of the targets, in
// order, and their replication standard deviations) at each parameter
// vector of xs, with common random numbers across the vectors.
type Evaluate func(ctx context.Context, xs [][]float64) (means, sds [][]float64, err error)

// Identification is the local identification of the estimated parameters
// at a point: the Jacobian of the moments by central finite differences
// (one-sided at a bound) under common random numbers.
type Identification struct {
	Parameters []string `json:"parameters"`
	Targets    []string `json:"targets"`
	// Jacobian[i][j] is d mean_i / d x_j, in the units of target i per
	// unit of parameter j.
	Jacobian [][]float64 `json:"jacobian"`
	// Scaled[i][j] is d z_i / d u_j: the standardized moment
	// z_i = sqrt(weight_i) × mean_i / sd_i against the parameter scaled to
	// its range, u_j = (x_j − min_j) / (max_j − min_j). Its singular values
	// are the ones below.
	Scaled    [][]float64 `json:"scaled"`
	Singular  []float64   `json:"singular_values"`
	Rank      int         `json:"rank"`
	Condition float64     `json:"-"` // σ_max / σ_min; +Inf when the rank is below the number of parameters
	// ConditionText is Condition as JSON has it: a number, or "+Inf".
	ConditionText string `json:"condition"`
	// PinnedBy lists, for each parameter, the targets whose |Scaled| is at
	// least a tenth of the largest in its column; none if the column is
	// zero.
	PinnedBy [][]string `json:"pinned_by"`
	// Unidentified[j] is the share of parameter j in the null space of
	// Scaled (the sum of its squared components in the right singular
	// vectors of the zero singular values): 1 for a parameter no target
	// depends on, 0 for a fully identified one.
	Unidentified []float64 `json:"null_share"`
	Step         float64   `json:"step"` // the finite-difference step, a fraction of each range
}

// RankTolerance: a singular value at most this fraction of the largest (or
// at most 1e-12) counts as zero.
const RankTolerance = 1e-6

// Identify takes the Jacobian of the moments at x by finite differences of
// step × range of each parameter, all 2k points in one call of eval (so
// under common random numbers), and its rank, condition number and the
// targets that pin down each parameter.
func Identify(ctx context.Context, eval Evaluate, params []Parameter, targets []Target, x []float64, step float64) (Identification, error) {
	k, m := len(params), len(targets)
	var xs [][]float64
	lo, hi := make([]float64, k), make([]float64, k)
	for j, p := range params {
		h := step * (p.Max - p.Min)
		lo[j], hi[j] = math.Max(p.Min, x[j]-h), math.Min(p.Max, x[j]+h)
		for _, v := range []float64{hi[j], lo[j]} {
			y := append([]float64(nil), x...)
			y[j] = v
			xs = append(xs, y)
		}
	}
	means, _, err := eval(ctx, xs)
	if err != nil {
		return Identification{}, fmt.Errorf("identification: %w", err)
	}
	id := Identification{Step: step, Jacobian: make([][]float64, m), Scaled: make([][]float64, m), PinnedBy: make([][]string, k), Unidentified: make([]float64, k)}
	for _, p := range params {
		id.Parameters = append(id.Parameters, p.Name)
	}
	s := mat.NewDense(max(m, 1), k, nil)
	for i, t := range targets {
		id.Targets = append(id.Targets, t.ID)
		id.Jacobian[i] = make([]float64, k)
		id.Scaled[i] = make([]float64, k)
		for j, p := range params {
			d := (means[2*j][i] - means[2*j+1][i]) / (hi[j] - lo[j])
			id.Jacobian[i][j] = d
			id.Scaled[i][j] = math.Sqrt(t.Weight) / t.SD * d * (p.Max - p.Min)
			s.Set(i, j, id.Scaled[i][j])
		}
	}
	var svd mat.SVD
	if !svd.Factorize(s, mat.SVDFull) {
		return Identification{}, fmt.Errorf("identification: the singular value decomposition of the %d×%d Jacobian failed", m, k)
	}
	id.Singular = svd.Values(nil)
	if m == 0 {
		id.Singular = nil
	}
	var v mat.Dense
	svd.VTo(&v)
	zero := 1e-12
	if len(id.Singular) > 0 {
		zero = math.Max(zero, RankTolerance*id.Singular[0])
	}
	for _, sv := range id.Singular {
		if sv > zero {
			id.Rank++
		}
	}
	id.Condition = math.Inf(1)
	if id.Rank == k && k > 0 {
		id.Condition = id.Singular[0] / id.Singular[k-1]
	}
	id.ConditionText = strconv.FormatFloat(id.Condition, 'g', -1, 64)
	for j := 0; j < k; j++ {
		for c := id.Rank; c < k; c++ {
			id.Unidentified[j] += v.At(j, c) * v.At(j, c)
		}
		big := 0.0
		for i := range targets {
			big = math.Max(big, math.Abs(id.Scaled[i][j]))
		}
		if big <= zero {
			continue
		}
		for i, t := range targets {
			if math.Abs(id.Scaled[i][j]) >= big/10 {
				id.PinnedBy[j] = append(id.PinnedBy[j], t.ID)
			}
		}
	}
	return id, nil
}
