package discovery

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// planted is the synthetic data of the acceptance tests: n runs uniform on
// [0, 1)^5, the cases of interest those inside the box 0.1 <= x_0 <= 0.9,
// 0.2 <= x_2 <= 0.8 (volume 0.48), each label flipped with probability
// noise. With 5% noise the planted box itself has density 0.95 and
// coverage 0.95·0.48/(0.95·0.48 + 0.05·0.52) = 0.946.
func planted(n int, noise float64, seed uint64) (x [][]float64, y []bool, truth Box) {
	rng := rand.New(rand.NewPCG(seed, 24))
	truth = Box{Lo: []float64{0.1, 0, 0.2, 0, 0}, Hi: []float64{0.9, 1, 0.8, 1, 1}}
	for range n {
		p := make([]float64, 5)
		for j := range p {
			p[j] = rng.Float64()
		}
		in := truth.Contains(p)
		if rng.Float64() < noise {
			in = !in
		}
		x, y = append(x, p), append(y, in)
	}
	return x, y, truth
}

// TestPRIMPlantedBox is the acceptance test of PRIM: on 2,000 runs with 5%
// label noise, asked for a density of 0.9, PRIM chooses a box of coverage
// and density at least 0.9 that restricts exactly the two planted
// dimensions, its limits within 0.05 of the planted ones; dropping either
// restriction costs density. By F1 score (the default choice) it finds the
// same restrictions, trading a little coverage for density (both at least
// 0.88). Five data sets.
func TestPRIMPlantedBox(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		x, y, truth := planted(2000, 0.05, seed)
		for _, opt := range []PRIMOptions{{}, {MinDensity: 0.9}} {
			res, err := PRIM(x, y, opt)
			if err != nil {
				t.Fatal(err)
			}
			b := res.Box
			t.Logf("seed %d, min density %v: step %d of %d, coverage %.3f density %.3f, x0 [%.3f, %.3f] x2 [%.3f, %.3f]",
				seed, opt.MinDensity, res.Chosen, len(res.Trajectory), b.Coverage, b.Density, b.Box.Lo[0], b.Box.Hi[0], b.Box.Lo[2], b.Box.Hi[2])
			floor := 0.9
			if opt.MinDensity == 0 {
				floor = 0.88
			}
			if b.Coverage < floor || b.Density < floor {
				t.Errorf("seed %d, %+v: coverage %.3f, density %.3f; want both >= %v", seed, opt, b.Coverage, b.Density, floor)
			}
			var dims []int
			for _, r := range res.Restricted {
				dims = append(dims, r.Dim)
				if math.Abs(r.Lo-truth.Lo[r.Dim]) > 0.05 || math.Abs(r.Hi-truth.Hi[r.Dim]) > 0.05 {
					t.Errorf("seed %d: x%d in [%.3f, %.3f], planted [%g, %g]", seed, r.Dim, r.Lo, r.Hi, truth.Lo[r.Dim], truth.Hi[r.Dim])
				}
				if !(r.DensityWithout < b.Density-0.1) {
					t.Errorf("seed %d: dropping x%d leaves density %.3f of %.3f", seed, r.Dim, r.DensityWithout, b.Density)
				}
			}
			if !slices.Equal(dims, []int{0, 2}) {
				t.Errorf("seed %d, %+v: restricted dimensions %v, want [0 2]", seed, opt, dims)
			}
		}
	}
}

// TestPRIMTrajectory: the trajectory starts from the data's range, each
// peel removes runs and moves one limit inwards, and the last box keeps at
// least the minimum mass while no peel of it would.
func TestPRIMTrajectory(t *testing.T) {
	x, y, _ := planted(1000, 0.05, 7)
	opt := PRIMOptions{Alpha: 0.1, MinMass: 0.1}
	res, err := PRIM(x, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	tr := res.Trajectory
	if tr[0].N != len(x) || tr[0].Coverage != 1 || tr[0].Mass != 1 || !slices.Equal(tr[0].Box.Lo, Bounds(x).Lo) {
		t.Errorf("step 0: %+v, want the whole data", tr[0])
	}
	for s := 1; s < len(tr); s++ {
		prev, cur := tr[s-1], tr[s]
		if cur.N >= prev.N || cur.Coverage > prev.Coverage {
			t.Errorf("step %d: %d runs, coverage %.3f after %d, %.3f", s, cur.N, cur.Coverage, prev.N, prev.Coverage)
		}
		// Each peel removes about α of the box: at least one run, at most
		// ⌊αn⌋ plus ties (none with continuous data).
		if removed := prev.N - cur.N; removed != max(1, int(opt.Alpha*float64(prev.N))) {
			t.Errorf("step %d: removed %d of %d runs, want ⌊αn⌋", s, removed, prev.N)
		}
		moved := 0
		for j := range cur.Box.Lo {
			if cur.Box.Lo[j] != prev.Box.Lo[j] {
				moved++
				if cur.Box.Lo[j] < prev.Box.Lo[j] {
					t.Errorf("step %d: lower limit %d moved out", s, j)
				}
			}
			if cur.Box.Hi[j] != prev.Box.Hi[j] {
				moved++
				if cur.Box.Hi[j] > prev.Box.Hi[j] {
					t.Errorf("step %d: upper limit %d moved out", s, j)
				}
			}
		}
		if moved != 1 {
			t.Errorf("step %d: %d limits moved, want 1", s, moved)
		}
		if m := Measure(x, y, cur.Box); m.N != cur.N || m.Interest != cur.Interest {
			t.Errorf("step %d: %d runs, %d of interest; the box holds %d and %d", s, cur.N, cur.Interest, m.N, m.Interest)
		}
	}
	last := tr[len(tr)-1]
	if last.Mass < opt.MinMass || float64(last.N)*(1-opt.Alpha) >= opt.MinMass*float64(len(x))+1 {
		t.Errorf("last box: mass %.3f with %d runs; the peeling stopped too early or too late", last.Mass, last.N)
	}
}

// TestPRIMPeelByHand: one dimension, ten runs at 0 ... 9, the cases of
// interest at 4 ... 9. With α = 0.1 each peel removes one run; removing
// from below raises the density until the box is {4 ... 9}, removing the
// top never does.
func TestPRIMPeelByHand(t *testing.T) {
	var x [][]float64
	var y []bool
	for i := range 10 {
		x, y = append(x, []float64{float64(i)}), append(y, i >= 4)
	}
	res, err := PRIM(x, y, PRIMOptions{Alpha: 0.1, MinMass: 0.3, MinDensity: 1})
	if err != nil {
		t.Fatal(err)
	}
	var los []float64
	for _, s := range res.Trajectory {
		los = append(los, s.Box.Lo[0])
	}
	// Peels 0, 1, 2, 3 from below (densities 6/9 ... 6/6), then removing
	// 4 or 9 both leave density 1 with 5 runs: the lower side goes first,
	// down to three runs, the minimum mass.
	if want := []float64{0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(los, want) {
		t.Errorf("lower limits along the trajectory %v, want %v", los, want)
	}
	if res.Chosen != 4 || res.Box.Coverage != 1 || res.Box.Density != 1 || res.Box.Box.Lo[0] != 4 || res.Box.Box.Hi[0] != 9 {
		t.Errorf("chosen step %d, box %+v; want step 4, [4, 9], coverage and density 1", res.Chosen, res.Box)
	}
	if len(res.Restricted) != 1 || res.Restricted[0].DensityWithout != 0.6 || res.Restricted[0].CoverageWithout != 1 {
		t.Errorf("restrictions %+v", res.Restricted)
	}
}

// TestPaste: from a box cut short of the planted one on noiseless data,
// pasting widens it back to the planted limits (within the granularity of
// its steps of ⌈αn_B⌉ runs), density staying 1.
func TestPaste(t *testing.T) {
	x, y, truth := planted(2000, 0, 3)
	short := truth.Clone()
	short.Lo[0], short.Hi[2] = 0.3, 0.6
	before := Measure(x, y, short)
	after := paste(x, y, short, 0.05)
	if before.Density != 1 || after.Density != 1 {
		t.Fatalf("density %.3f before pasting, %.3f after; want 1", before.Density, after.Density)
	}
	if !(after.Coverage > 0.9 && before.Coverage < 0.5) {
		t.Errorf("coverage %.3f before pasting, %.3f after", before.Coverage, after.Coverage)
	}
	if math.Abs(after.Box.Lo[0]-0.1) > 0.05 || math.Abs(after.Box.Hi[2]-0.8) > 0.05 {
		t.Errorf("pasted limits x0 >= %.3f, x2 <= %.3f; planted 0.1 and 0.8", after.Box.Lo[0], after.Box.Hi[2])
	}
	// Pasting a box that cannot gain density leaves it alone.
	if again := paste(x, y, after.Box, 0.05); !slices.Equal(again.Box.Lo, after.Box.Lo) || !slices.Equal(again.Box.Hi, after.Box.Hi) {
		t.Errorf("pasting twice moved the box: %+v to %+v", after.Box, again.Box)
	}
}

func TestChoose(t *testing.T) {
	traj := []Stats{
		{Coverage: 1, Density: 0.5, Interest: 10},
		{Coverage: 0.9, Density: 0.8, Interest: 9},
		{Coverage: 0.8, Density: 0.9, Interest: 8},
		{Coverage: 0.5, Density: 0.95, Interest: 5},
	}
	for _, c := range []struct {
		minDensity float64
		want       int
	}{
		{0, 1},    // F1 0.667, 0.847, 0.847, 0.655: the earlier of the tie
		{0.8, 1},  // steps 1-3 qualify, step 1 covers most
		{0.85, 2}, // steps 2 and 3
		{0.99, 3}, // none: the densest
	} {
		if got := choose(traj, c.minDensity); got != c.want {
			t.Errorf("minimum density %v: step %d, want %d", c.minDensity, got, c.want)
		}
	}
}

func TestMeasure(t *testing.T) {
	x := [][]float64{{0, 0}, {1, 1}, {2, 2}, {3, 3}}
	y := []bool{true, false, true, true}
	s := Measure(x, y, Box{Lo: []float64{0.5, -1}, Hi: []float64{3, 2}})
	if s.N != 2 || s.Interest != 1 || s.Coverage != 1.0/3 || s.Density != 0.5 || s.Mass != 0.5 {
		t.Errorf("%+v", s)
	}
	if f := F1(s); math.Abs(f-2*(1.0/3)*0.5/(1.0/3+0.5)) > 1e-15 {
		t.Errorf("F1 %v", f)
	}
	empty := Measure(x, y, Box{Lo: []float64{9, 9}, Hi: []float64{10, 10}})
	if empty.N != 0 || !math.IsNaN(empty.Density) || empty.Coverage != 0 || F1(empty) != 0 {
		t.Errorf("empty box: %+v", empty)
	}
	if b := Bounds(x); !slices.Equal(b.Lo, []float64{0, 0}) || !slices.Equal(b.Hi, []float64{3, 3}) {
		t.Errorf("bounds %+v", b)
	}
}

func TestPRIMErrors(t *testing.T) {
	x := [][]float64{{0}, {1}, {2}}
	for _, c := range []struct {
		name string
		x    [][]float64
		y    []bool
		opt  PRIMOptions
	}{
		{"no runs", nil, nil, PRIMOptions{}},
		{"targets missing", x, []bool{true}, PRIMOptions{}},
		{"no case of interest", x, []bool{false, false, false}, PRIMOptions{}},
		{"ragged runs", [][]float64{{0}, {1, 2}}, []bool{true, false}, PRIMOptions{}},
		{"no parameters", [][]float64{{}, {}}, []bool{true, false}, PRIMOptions{}},
		{"NaN", [][]float64{{0}, {math.NaN()}}, []bool{true, false}, PRIMOptions{}},
		{"α too large", x, []bool{true, false, true}, PRIMOptions{Alpha: 0.5}},
		{"mass of 1", x, []bool{true, false, true}, PRIMOptions{MinMass: 1}},
		{"density above 1", x, []bool{true, false, true}, PRIMOptions{MinDensity: 1.5}},
	} {
		if _, err := PRIM(c.x, c.y, c.opt); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func BenchmarkPRIM(b *testing.B) {
	x, y, _ := planted(2000, 0.05, 1)
	for b.Loop() {
		if _, err := PRIM(x, y, PRIMOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPRIMFewRuns: on a few runs the minimum mass allows a box of one run,
// which no peel may empty; PRIM stops there instead of reading past the
// box's runs.
func TestPRIMFewRuns(t *testing.T) {
	for n := 2; n <= 40; n++ {
		x := make([][]float64, n)
		y := make([]bool, n)
		for i := range x {
			x[i] = []float64{float64((i * 7) % n), float64((i * 3) % n)}
			y[i] = i%3 == 0
		}
		res, err := PRIM(x, y, PRIMOptions{})
		if err != nil {
			t.Fatalf("n = %d: %v", n, err)
		}
		if last := res.Trajectory[len(res.Trajectory)-1]; last.N < 1 {
			t.Errorf("n = %d: the last box holds %d runs", n, last.N)
		}
	}
}
