package market

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ChoiceMemo's NestedLogit is bit for bit the package function over a
// sequence of calls whose utilities move a few alternatives at a time, and
// whose layout (alternatives, nests) changes on the way.
func TestChoiceMemoIsNestedLogit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var m ChoiceMemo
	for _, size := range []struct{ J, G int }{{6, 2}, {6, 2}, {9, 3}, {4, 1}, {9, 3}} {
		v := make([]float64, size.J)
		nest := make([]int, size.J)
		lambda := make([]float64, size.G)
		for g := range lambda {
			lambda[g] = 0.3 + 0.7*rng.Float64()
		}
		for j := range v {
			v[j] = 3 * rng.NormFloat64()
			nest[j] = j % size.G
		}
		v[0] = math.Inf(-1) // an unavailable alternative
		got, want := make([]float64, size.J), make([]float64, size.J)
		gs, ws := make([]float64, 2*size.G), make([]float64, 2*size.G)
		for call := 0; call < 50; call++ {
			if call > 0 {
				j := 1 + rng.IntN(size.J-1)
				v[j] += rng.NormFloat64() // one or two alternatives move
				if call%3 == 0 {
					v[1+rng.IntN(size.J-1)] -= 0.5
				}
			}
			lg, errG := m.NestedLogit(v, nest, lambda, got, gs)
			lw, errW := NestedLogit(v, nest, lambda, want, ws)
			if errG != nil || errW != nil {
				t.Fatalf("J=%d call %d: %v, %v", size.J, call, errG, errW)
			}
			if lg != lw {
				t.Fatalf("J=%d call %d: log-sum %v, want %v", size.J, call, lg, lw)
			}
			for j := range want {
				if got[j] != want[j] {
					t.Fatalf("J=%d call %d: P(%d) = %v, want %v", size.J, call, j, got[j], want[j])
				}
			}
			for g := range ws {
				if gs[g] != ws[g] {
					t.Fatalf("J=%d call %d: scratch[%d] = %v, want %v", size.J, call, g, gs[g], ws[g])
				}
			}
		}
	}
}

// A ChoiceMemo that has the problem's size allocates nothing.
func TestChoiceMemoDoesNotAllocate(t *testing.T) {
	var m ChoiceMemo
	v := []float64{1, 2, 0.5, -1}
	nest := []int{0, 1, 0, 1}
	lambda := []float64{0.5, 0.8}
	out, scratch := make([]float64, 4), make([]float64, 4)
	if _, err := m.NestedLogit(v, nest, lambda, out, scratch); err != nil {
		t.Fatal(err)
	}
	if a := testing.AllocsPerRun(20, func() {
		v[2] += 0.1
		_, _ = m.NestedLogit(v, nest, lambda, out, scratch)
	}); a != 0 {
		t.Errorf("%g allocations per call", a)
	}
}
