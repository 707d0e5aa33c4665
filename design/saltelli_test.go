package design

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSaltelli(t *testing.T) {
	for _, c := range []struct{ n, d int }{{1, 1}, {8, 3}, {64, 20}, {4, SobolMaxDimension / 2}} {
		pts, err := Saltelli(c.n, c.d)
		if err != nil {
			t.Fatal(err)
		}
		if len(pts) != (c.d+2)*c.n {
			t.Fatalf("n %d, d %d: %d rows, want %d", c.n, c.d, len(pts), (c.d+2)*c.n)
		}
		base, err := Sobol(c.n, 2*c.d)
		if err != nil {
			t.Fatal(err)
		}
		for j := range c.n {
			a, b := base[j][:c.d], base[j][c.d:]
			if !slices.Equal(pts[j], a) || !slices.Equal(pts[c.n+j], b) {
				t.Fatalf("n %d, d %d, base point %d: A or B is not the Sobol point split in two", c.n, c.d, j)
			}
			for i := range c.d {
				ab := pts[(2+i)*c.n+j]
				for l := range c.d {
					want := a[l]
					if l == i {
						want = b[l]
					}
					if ab[l] != want {
						t.Fatalf("n %d, d %d: AB_%d row %d, column %d = %v, want %v", c.n, c.d, i, j, l, ab[l], want)
					}
				}
			}
		}
	}
}

func TestSaltelliErrors(t *testing.T) {
	for _, c := range []struct{ n, d int }{{0, 2}, {8, 0}, {8, SobolMaxDimension/2 + 1}} {
		if _, err := Saltelli(c.n, c.d); err == nil {
			t.Errorf("Saltelli(%d, %d): no error", c.n, c.d)
		}
	}
}

func TestMorris(t *testing.T) {
	for _, c := range []struct{ r, k, p int }{{1, 1, 2}, {10, 8, 4}, {25, 3, 6}, {5, 20, 10}} {
		pts, err := Morris(c.r, c.k, c.p, rand.NewPCG(3, 4))
		if err != nil {
			t.Fatal(err)
		}
		if len(pts) != c.r*(c.k+1) {
			t.Fatalf("%d points, want %d", len(pts), c.r*(c.k+1))
		}
		delta := c.p / 2 // Δ in level steps
		for _, p := range pts {
			for _, x := range p {
				l := x * float64(c.p-1)
				if l != float64(int(l+0.5)) || x < 0 || x > 1 {
					t.Fatalf("r %d k %d p %d: coordinate %v is not a level i/%d", c.r, c.k, c.p, x, c.p-1)
				}
			}
		}
		for tr := range c.r {
			moved := make([]bool, c.k)
			for s := 1; s <= c.k; s++ {
				prev, cur := pts[tr*(c.k+1)+s-1], pts[tr*(c.k+1)+s]
				changed := -1
				for i := range c.k {
					if prev[i] == cur[i] {
						continue
					}
					if changed >= 0 {
						t.Fatalf("trajectory %d, step %d: factors %d and %d both move", tr, s, changed, i)
					}
					changed = i
					if steps := (cur[i] - prev[i]) * float64(c.p-1); math.Abs(math.Abs(steps)-float64(delta)) > 1e-9 {
						t.Fatalf("trajectory %d, step %d: factor %d moves %v levels, want ±%d", tr, s, i, steps, delta)
					}
				}
				if changed < 0 || moved[changed] {
					t.Fatalf("trajectory %d, step %d: moved factor %d (moved before: %v)", tr, s, changed, changed >= 0 && moved[changed])
				}
				moved[changed] = true
			}
		}
	}
}

// TestMorrisDraws: the design is a function of the source, and over many
// trajectories every level, both directions and every position in the
// order come up.
func TestMorrisDraws(t *testing.T) {
	const r, k, p = 400, 4, 4
	a, _ := Morris(r, k, p, rand.NewChaCha8([32]byte{1}))
	b, _ := Morris(r, k, p, rand.NewChaCha8([32]byte{1}))
	c, _ := Morris(r, k, p, rand.NewChaCha8([32]byte{2}))
	if !slices.EqualFunc(a, b, slices.Equal) {
		t.Error("the same source gave another design")
	}
	if slices.EqualFunc(a, c, slices.Equal) {
		t.Error("another source gave the same design")
	}
	levels := make([]int, p)
	up := 0
	first := make([]int, k)
	for tr := range r {
		start := a[tr*(k+1)]
		for _, x := range start {
			levels[int(x*(p-1)+0.5)]++
		}
		next := a[tr*(k+1)+1]
		for i := range k {
			if next[i] != start[i] {
				first[i]++
				if next[i] > start[i] {
					up++
				}
			}
		}
	}
	// Each start level has probability 1/4 (a base level of 2 and a
	// direction of 2); the first mover goes up half the time and is each
	// factor a quarter of the time. 400 trajectories: a share off by more
	// than 0.1 is a 5-sigma event.
	for l, n := range levels {
		if share := float64(n) / (r * k); share < 0.15 || share > 0.35 {
			t.Errorf("start level %d: share %.3f, want 0.25", l, share)
		}
	}
	if share := float64(up) / r; share < 0.38 || share > 0.62 {
		t.Errorf("first steps up: share %.3f, want 0.5", share)
	}
	for i, n := range first {
		if share := float64(n) / r; share < 0.15 || share > 0.35 {
			t.Errorf("factor %d moves first: share %.3f, want 0.25", i, share)
		}
	}
}

func TestMorrisErrors(t *testing.T) {
	for _, c := range []struct{ r, k, p int }{{0, 3, 4}, {3, 0, 4}, {3, 3, 3}, {3, 3, 0}} {
		if _, err := Morris(c.r, c.k, c.p, rand.NewPCG(1, 1)); err == nil {
			t.Errorf("Morris(%d, %d, %d): no error", c.r, c.k, c.p)
		}
	}
}
