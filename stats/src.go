package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// SRC holds the standardized regression coefficients of an output on k
// inputs (StandardizedRegression).
type SRC struct {
	N    int       // runs used
	Coef []float64 // Coef[j] = b_j s_j / s_y: the OLS slope of input j scaled by the inputs' and output's standard deviations
	R2   float64   // the regression's coefficient of determination
}

// StandardizedRegression regresses y on the inputs x (one row per run, k
// columns) by ordinary least squares with an intercept and returns the
// standardized regression coefficients b_j s_j / s_y and R² (A. Saltelli
// et al., Global Sensitivity Analysis: The Primer, Wiley 2008, §1.2.5).
// For a linear model with independent inputs SRC_j² is input j's share of
// the output's variance and the squares sum to R²; a low R² says the output
// is driven by what a linear model misses (nonlinearity, interactions,
// noise) and the SRCs say less. It needs more runs than k + 1. A constant
// output or input gives NaN coefficients (and R² NaN for the output).
func StandardizedRegression(x [][]float64, y []float64) (SRC, error) {
	n := len(y)
	if len(x) != n {
		return SRC{}, fmt.Errorf("stats: standardized regression: %d runs of inputs, %d outputs", len(x), n)
	}
	if n == 0 {
		return SRC{}, fmt.Errorf("stats: standardized regression: no runs")
	}
	k := len(x[0])
	if k < 1 || n <= k+1 {
		return SRC{}, fmt.Errorf("stats: standardized regression of %d runs on %d inputs: want more than k+1 = %d runs", n, k, k+1)
	}
	nan := math.NaN()
	out := SRC{N: n, Coef: make([]float64, k), R2: nan}
	for j := range out.Coef {
		out.Coef[j] = nan
	}
	z := mat.NewDense(n, k+1, nil)
	for i, row := range x {
		if len(row) != k {
			return SRC{}, fmt.Errorf("stats: standardized regression: run %d has %d inputs, run 0 has %d", i, len(row), k)
		}
		z.Set(i, 0, 1)
		for j, v := range row {
			z.Set(i, j+1, v)
		}
	}
	sd := func(col func(i int) float64) (m, s float64) {
		for i := range n {
			m += col(i)
		}
		m /= float64(n)
		for i := range n {
			d := col(i) - m
			s += d * d
		}
		return m, math.Sqrt(s / float64(n-1))
	}
	my, sy := sd(func(i int) float64 { return y[i] })
	if sy == 0 || math.IsNaN(sy) {
		return out, nil
	}
	var qr mat.QR
	qr.Factorize(z)
	var b mat.VecDense
	if err := qr.SolveVecTo(&b, false, mat.NewVecDense(n, append([]float64(nil), y...))); err != nil {
		return out, nil // collinear inputs: no unique coefficients
	}
	var fit mat.VecDense
	fit.MulVec(z, &b)
	ss, st := 0.0, 0.0
	for i := range n {
		r := y[i] - fit.AtVec(i)
		ss += r * r
		d := y[i] - my
		st += d * d
	}
	out.R2 = 1 - ss/st
	for j := range k {
		_, sx := sd(func(i int) float64 { return x[i][j] })
		if sx > 0 {
			out.Coef[j] = b.AtVec(j+1) * sx / sy
		}
	}
	return out, nil
}
