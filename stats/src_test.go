package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestStandardizedRegressionClosedForm: for y = 3a - b + noise on
// independent inputs the coefficients are b_j s_j / s_y, computed here
// from the sample moments directly; without noise R² = 1.
func TestStandardizedRegressionClosedForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 400
	x := make([][]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i] = []float64{rng.Float64(), 2 * rng.Float64(), rng.Float64()}
		y[i] = 3*x[i][0] - x[i][1] + 0*x[i][2]
	}
	s, err := StandardizedRegression(x, y)
	if err != nil {
		t.Fatal(err)
	}
	sdOf := func(f func(i int) float64) float64 {
		m := 0.0
		for i := range n {
			m += f(i)
		}
		m /= float64(n)
		v := 0.0
		for i := range n {
			v += (f(i) - m) * (f(i) - m)
		}
		return math.Sqrt(v / float64(n-1))
	}
	sy := sdOf(func(i int) float64 { return y[i] })
	want := []float64{3 * sdOf(func(i int) float64 { return x[i][0] }) / sy, -sdOf(func(i int) float64 { return x[i][1] }) / sy, 0}
	for j := range want {
		if math.Abs(s.Coef[j]-want[j]) > 1e-9 {
			t.Errorf("SRC[%d] = %v, want %v", j, s.Coef[j], want[j])
		}
	}
	if math.Abs(s.R2-1) > 1e-12 {
		t.Errorf("R² = %v, want 1", s.R2)
	}
	// Noise lowers R² below 1.
	for i := range y {
		y[i] += 2 * rng.NormFloat64()
	}
	s, _ = StandardizedRegression(x, y)
	if !(s.R2 > 0 && s.R2 < 0.9) {
		t.Errorf("with noise R² = %v, want well below 1", s.R2)
	}
}

func TestStandardizedRegressionErrors(t *testing.T) {
	if _, err := StandardizedRegression([][]float64{{1}, {2}}, []float64{1, 2}); err == nil {
		t.Error("2 runs on 1 input: no error")
	}
	s, err := StandardizedRegression([][]float64{{1}, {2}, {3}, {4}}, []float64{5, 5, 5, 5})
	if err != nil || !math.IsNaN(s.Coef[0]) || !math.IsNaN(s.R2) {
		t.Errorf("constant output: %+v, %v; want NaN", s, err)
	}
}
