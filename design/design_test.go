package design

import (
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"
)

func TestLatinHypercube(t *testing.T) {
	for _, c := range []struct {
		name string
		n, d int
	}{
		{"one point", 1, 2},
		{"one dimension", 7, 1},
		{"square", 10, 10},
		{"many points", 256, 14},
	} {
		t.Run(c.name, func(t *testing.T) {
			pts := LatinHypercube(c.n, c.d, rand.NewPCG(1, 2))
			if len(pts) != c.n {
				t.Fatalf("%d points, want %d", len(pts), c.n)
			}
			for j := 0; j < c.d; j++ {
				strata := make([]int, c.n)
				for i, p := range pts {
					if len(p) != c.d {
						t.Fatalf("point %d has %d coordinates, want %d", i, len(p), c.d)
					}
					if p[j] < 0 || p[j] >= 1 {
						t.Fatalf("point %d, dimension %d: %v outside [0, 1)", i, j, p[j])
					}
					strata[i] = int(p[j] * float64(c.n))
				}
				slices.Sort(strata)
				for k, s := range strata {
					if s != k {
						t.Fatalf("dimension %d: strata %v, want each of 0..%d once", j, strata, c.n-1)
					}
				}
			}
		})
	}
}

// The design is gonum's sampler on the source handed in, draw for draw:
// the sweeps and the calibration's hypercubes drawn before this package
// existed are the same points.
func TestLatinHypercubeIsSamplemv(t *testing.T) {
	const n, d = 33, 5
	key := [32]byte{1, 2, 3}
	src := rand.NewChaCha8(key)
	want := mat.NewDense(n, d, nil)
	samplemv.LatinHypercube{Q: distmv.NewUnitUniform(d, src), Src: src}.Sample(want)
	got := LatinHypercube(n, d, rand.NewChaCha8(key))
	for i := range n {
		for j := range d {
			if got[i][j] != want.At(i, j) {
				t.Fatalf("point %d, dimension %d: %v, samplemv gives %v", i, j, got[i][j], want.At(i, j))
			}
		}
	}
	again := LatinHypercube(n, d, rand.NewChaCha8(key))
	other := LatinHypercube(n, d, rand.NewChaCha8([32]byte{9}))
	if !slices.EqualFunc(got, again, slices.Equal) {
		t.Error("the same source state gave other points")
	}
	if slices.EqualFunc(got, other, slices.Equal) {
		t.Error("another source gave the same points")
	}
}

func TestLatinHypercubeEmpty(t *testing.T) {
	if pts := LatinHypercube(0, 3, rand.NewPCG(1, 1)); len(pts) != 0 {
		t.Errorf("n = 0: %d points", len(pts))
	}
	pts := LatinHypercube(3, 0, rand.NewPCG(1, 1))
	if len(pts) != 3 || len(pts[0]) != 0 {
		t.Errorf("d = 0: %v, want 3 empty points", pts)
	}
}

func TestGrid(t *testing.T) {
	for _, c := range []struct {
		name   string
		values [][]float64
		want   [][]float64
	}{
		{"no dimensions", nil, [][]float64{{}}},
		{"one dimension", [][]float64{{1, 2, 3}}, [][]float64{{1}, {2}, {3}}},
		{"last varies fastest", [][]float64{{1, 2}, {10, 20, 30}},
			[][]float64{{1, 10}, {1, 20}, {1, 30}, {2, 10}, {2, 20}, {2, 30}}},
		{"three dimensions", [][]float64{{0, 1}, {5}, {7, 8}},
			[][]float64{{0, 5, 7}, {0, 5, 8}, {1, 5, 7}, {1, 5, 8}}},
		{"a dimension without levels", [][]float64{{1, 2}, {}}, [][]float64{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Grid(c.values)
			if !slices.EqualFunc(got, c.want, slices.Equal) {
				t.Errorf("Grid(%v) = %v, want %v", c.values, got, c.want)
			}
		})
	}
	// Points do not share storage.
	g := Grid([][]float64{{1, 2}, {3, 4}})
	g[0][0] = 99
	if g[1][0] != 1 {
		t.Errorf("changing one point changed another: %v", g)
	}
}

func TestLinspace(t *testing.T) {
	for _, c := range []struct {
		name   string
		lo, hi float64
		n      int
		want   []float64
	}{
		{"quarters", 0, 1, 5, []float64{0, 0.25, 0.5, 0.75, 1}},
		{"decreasing", 1, -1, 3, []float64{1, 0, -1}},
		{"one level", 2, 9, 1, []float64{2}},
		{"no levels asked", 2, 9, 0, []float64{2}},
		// 0.2 + (0.9-0.2) is 0.8999999999999999: the last level is hi itself.
		{"hi is exact", 0.2, 0.9, 2, []float64{0.2, 0.9}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Linspace(c.lo, c.hi, c.n); !slices.Equal(got, c.want) {
				t.Errorf("Linspace(%v, %v, %d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
			}
		})
	}
}

func TestScale(t *testing.T) {
	for _, c := range []struct {
		name      string
		f         func(u, lo, hi float64) float64
		u, lo, hi float64
		want      float64
	}{
		{"continuous low end", Scale, 0, 2, 6, 2},
		{"continuous middle", Scale, 0.5, 2, 6, 4},
		{"continuous negative range", Scale, 0.25, -1, 1, -0.5},
		{"whole: first quarter is lo", ScaleWhole, 0.2499, 0, 3, 0},
		{"whole: second quarter", ScaleWhole, 0.25, 0, 3, 1},
		{"whole: last quarter is hi", ScaleWhole, 0.999, 0, 3, 3},
		{"whole: u = 1 stays at hi", ScaleWhole, 1, 0, 3, 3},
		{"whole: one number", ScaleWhole, 0.7, 5, 5, 5},
		{"whole: offset range", ScaleWhole, 0.5, 10, 13, 12},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.f(c.u, c.lo, c.hi); got != c.want {
				t.Errorf("(%v, %v, %v) = %v, want %v", c.u, c.lo, c.hi, got, c.want)
			}
		})
	}
}

// On a hypercube of 4k points, each of 4 whole numbers is drawn k times.
func TestScaleWholeOnHypercube(t *testing.T) {
	count := map[float64]int{}
	for _, p := range LatinHypercube(12, 1, rand.NewPCG(3, 4)) {
		count[ScaleWhole(p[0], 0, 3)]++
	}
	for v := 0.0; v <= 3; v++ {
		if count[v] != 3 {
			t.Errorf("counts %v, want 3 of each of 0..3", count)
			break
		}
	}
}
