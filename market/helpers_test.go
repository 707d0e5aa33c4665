package market

import (
	"math"
	"testing"
)

// Tolerances of domain-model.md section 4: absolute 1e-4 on shares and
// probabilities, relative 1e-4 on money amounts. The tables quote 4
// significant figures, so a quoted value is itself uncertain by half a unit
// in its 4th significant digit; each check allows the larger of the stated
// tolerance and that rounding (cases marked exact use a tight tolerance).
const (
	absTol = 1e-4
	relTol = 1e-4
)

// quoteTol is half a unit in the 4th significant digit of want.
func quoteTol(want float64) float64 {
	if want == 0 || math.IsInf(want, 0) || math.IsNaN(want) {
		return 0
	}
	return 0.5 * math.Pow(10, math.Floor(math.Log10(math.Abs(want)))-3) * (1 + 1e-9)
}

// checkAbs compares a share or probability quoted to 4 s.f.
func checkAbs(t *testing.T, name string, got, want float64) {
	t.Helper()
	checkTol(t, name, got, want, math.Max(absTol, quoteTol(want)))
}

// checkRel compares a money amount (or other magnitude) quoted to 4 s.f.
func checkRel(t *testing.T, name string, got, want float64) {
	t.Helper()
	checkTol(t, name, got, want, math.Max(relTol*math.Abs(want), quoteTol(want)))
}

// checkExact compares a value quoted as exact.
func checkExact(t *testing.T, name string, got, want float64) {
	t.Helper()
	checkTol(t, name, got, want, 1e-12*math.Max(1, math.Abs(want)))
}

func checkTol(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.10g, want %.10g (tol %.3g)", name, got, want, tol)
	}
}

// checkFinite fails if any x is NaN or infinite.
func checkFinite(t *testing.T, name string, xs ...float64) {
	t.Helper()
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			t.Errorf("%s[%d] = %g, want finite", name, i, x)
		}
	}
}
