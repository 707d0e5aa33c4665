package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"frontiersim/discovery"
	"frontiersim/results"
)

// toyLHS is a Latin-hypercube sweep of the toy model without noise: the
// capped arm's effect on firm A's share is toyShare(g, l, 0.6) −
// toyShare(g, l, 1), below -0.1 where growth over the months after the lag
// is high.
const toyLHS = `name = "toy-lhs"
seed = 3
replications = 2
months = 12
buyers = 10

[scenario]
"toy.noise" = 0

[[arms]]
name = "capped"
overrides = { "toy.cap" = 0.6 }

[sweep]
kind = "lhs"
points = 120

[[sweep.parameters]]
name = "toy.growth"
min = 0
max = 0.3

[[sweep.parameters]]
name = "toy.lag"
min = 0
max = 11

[charts]
enabled = false
`

func discoverFiles() []string {
	return []string{results.DiscoveryTargetFile, results.DiscoveryTrajectoryFile, results.DiscoveryBoxFile, results.DiscoveryTreeFile}
}

// TestDiscoverToy runs runsim discover on a Latin-hypercube sweep of the
// toy model: the cases of interest are those of the closed form, the
// chosen box's coverage and density are those the box has on the points
// (brute force), it restricts the growth rate from below (the policy
// backfires where firm A grows), and every CART leaf's counts add up.
func TestDiscoverToy(t *testing.T) {
	file := writeToy(t, toyLHS)
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runToy(t, context.Background(), nil, "run", file, "-o", dir, "-q"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runToy(t, context.Background(), nil, "discover", dir, "-arm", "capped", "-metric", "model_share_a", "-threshold", "-0.1", "-min-density", "0.9")
	if code != exitOK {
		t.Fatalf("discover: exit %d: %s", code, stderr)
	}
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	target, err := results.ReadRows(filepath.Join(dir, results.DiscoveryTargetFile), results.DiscoveryTargetTable())
	if err != nil || len(target) != 120 {
		t.Fatalf("target: %d rows, %v", len(target), err)
	}
	x := make([][]float64, len(target))
	y := make([]bool, len(target))
	cases := 0
	for i, r := range target {
		pt := m.Plan.Points[i]
		g, l := pt.Params[0].Value, pt.Params[1].Value
		want := toyShare(g, l, 0.6) - toyShare(g, l, 1)
		if r.Point != pt.Name || !near(r.Effect, want) || r.Interest != (r.Effect < -0.1) {
			t.Errorf("%s: effect %v, interest %v; want %v (growth %v, lag %v)", r.Point, r.Effect, r.Interest, want, g, l)
		}
		x[i], y[i] = []float64{g, l}, r.Interest
		if y[i] {
			cases++
		}
	}
	if cases < 10 || cases > 110 {
		t.Fatalf("%d cases of interest of 120: the test needs both kinds", cases)
	}
	traj, err := results.ReadRows(filepath.Join(dir, results.DiscoveryTrajectoryFile), results.DiscoveryTrajectoryTable())
	if err != nil || len(traj) < 3 {
		t.Fatalf("trajectory: %d rows, %v", len(traj), err)
	}
	if traj[0].Step != 0 || traj[0].N != 120 || traj[0].Coverage != 1 {
		t.Errorf("step 0 is not the whole sweep: %+v", traj[0])
	}
	for i := 1; i < len(traj)-1; i++ {
		if traj[i].N >= traj[i-1].N || traj[i].Coverage > traj[i-1].Coverage {
			t.Errorf("peel %d: %d points, coverage %v after %d, %v: the trajectory must shrink", i, traj[i].N, traj[i].Coverage, traj[i-1].N, traj[i-1].Coverage)
		}
	}
	box, err := results.ReadRows(filepath.Join(dir, results.DiscoveryBoxFile), results.DiscoveryBoxTable())
	if err != nil || len(box) != 2 {
		t.Fatalf("box: %d rows, %v", len(box), err)
	}
	b := discovery.Box{Lo: []float64{box[0].Lo, box[1].Lo}, Hi: []float64{box[0].Hi, box[1].Hi}}
	brute := discovery.Measure(x, y, b)
	chosen := traj[len(traj)-1]
	if chosen.Stage != "pasted" || chosen.N != brute.N || chosen.Interest != brute.Interest || chosen.Coverage != brute.Coverage || chosen.Density != brute.Density {
		t.Errorf("chosen box %+v; on the points it holds %d, %d cases (coverage %v, density %v)", chosen, brute.N, brute.Interest, brute.Coverage, brute.Density)
	}
	if !box[0].Restricted || box[0].Lo <= box[0].RangeLo || box[0].Parameter != "toy.growth" {
		t.Errorf("the box does not restrict toy.growth from below: %+v", box[0])
	}
	if chosen.Density < 0.9 || chosen.Coverage < 0.3 {
		t.Errorf("chosen box with -min-density 0.9: coverage %v, density %v; want density 0.9 or more", chosen.Coverage, chosen.Density)
	}
	leaves, err := results.ReadRows(filepath.Join(dir, results.DiscoveryTreeFile), results.DiscoveryTreeTable())
	if err != nil || len(leaves) < 2 {
		t.Fatalf("tree: %d leaves, %v", len(leaves), err)
	}
	n, cov := 0, 0.0
	for _, l := range leaves {
		n += l.N
		cov += l.Coverage
	}
	if n != 120 || !near(cov, 1) {
		t.Errorf("the leaves hold %d points and coverage %v; want 120 and 1", n, cov)
	}
	if !strings.Contains(stdout, "toy.growth in [") || !strings.Contains(stdout, "CART leaves:") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

// cancelAfterChecks is a context whose Err reports cancellation from its
// after+1-th call on: an interruption (as by SIGINT) at a known checkpoint.
type cancelAfterChecks struct {
	context.Context
	n     *atomic.Int64
	after int64
}

func (c cancelAfterChecks) Err() error {
	if c.n.Add(1) > c.after {
		return context.Canceled
	}
	return nil
}

// TestDiscoverResume: runsim discover interrupted at a checkpoint (as by
// SIGINT: while reading the store, between tables, while drawing) exits
// 130, and running it again gives the bytes of an uninterrupted run:
// tables, and with charts the charts and the report.
func TestDiscoverResume(t *testing.T) {
	for _, c := range []struct {
		name   string
		charts string
		after  []int64
	}{
		{"tables", "enabled = false", []int64{0, 20, 40, 41, 42, 43}},
		{"charts", "enabled = true\nmetrics = [\"model_share_a\"]", []int64{20}},
	} {
		t.Run(c.name, func(t *testing.T) {
			points := "points = 40"
			if c.name == "charts" {
				points = "points = 16" // drawing costs: fewer points (16 checks reading the store, 4 writing)
			}
			file := writeToy(t, toyLHS, "points = 120", points, "enabled = false", c.charts)
			dir := filepath.Join(t.TempDir(), "out")
			if code, _, stderr := runToy(t, context.Background(), nil, "run", file, "-o", dir, "-q"); code != exitOK {
				t.Fatalf("run: exit %d: %s", code, stderr)
			}
			args := []string{"discover", dir, "-arm", "capped", "-metric", "model_share_a", "-threshold", "-0.1", "-window", "horizon"}
			snapshot := func() map[string][]byte {
				out := map[string][]byte{}
				files := discoverFiles()
				if c.name == "charts" {
					files = append(files, results.ReportFile)
				}
				for _, f := range files {
					b, err := os.ReadFile(filepath.Join(dir, f))
					if err != nil {
						t.Fatal(err)
					}
					out[f] = b
				}
				charts, _ := filepath.Glob(filepath.Join(dir, results.ChartsDir, "*"))
				for _, c := range charts {
					b, _ := os.ReadFile(c)
					out[filepath.Base(c)] = b
				}
				return out
			}
			if code, _, stderr := runToy(t, context.Background(), nil, args...); code != exitOK {
				t.Fatalf("discover: exit %d: %s", code, stderr)
			}
			ref := snapshot()
			if _, ok := ref["prim_tradeoff.png"]; !ok && c.name == "charts" {
				t.Errorf("no PRIM chart among %d files", len(ref))
			}
			if c.name == "charts" && !bytes.Contains(ref[results.ReportFile], []byte(`id="discovery"`)) {
				t.Errorf("the report has no discovery section")
			}
			for _, after := range c.after {
				for _, f := range discoverFiles() { // stale tables (of another target, say) must be rewritten
					os.WriteFile(filepath.Join(dir, f), []byte("stale\n"), 0o644)
				}
				ctx := cancelAfterChecks{context.Background(), new(atomic.Int64), after}
				if code, _, stderr := runToy(t, ctx, nil, args...); code != exitInterrupted {
					t.Fatalf("after %d checks: exit %d, want %d: %s", after, code, exitInterrupted, stderr)
				}
				if code, _, stderr := runToy(t, context.Background(), nil, args...); code != exitOK {
					t.Fatalf("discover again: exit %d: %s", code, stderr)
				}
				got := snapshot()
				for f, b := range ref {
					if !bytes.Equal(got[f], b) {
						t.Errorf("interrupted after %d checks, then run again: %s differs", after, f)
					}
				}
			}
		})
	}
}

// TestDiscoverBadInput: discover's usage errors exit 2 and say what to
// give.
func TestDiscoverBadInput(t *testing.T) {
	lhs := writeToy(t, toyLHS, "points = 120", "points = 20")
	dir := filepath.Join(t.TempDir(), "lhs")
	if code, _, stderr := runToy(t, context.Background(), nil, "run", lhs, "-o", dir, "-q"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	grid := filepath.Join(t.TempDir(), "grid")
	if code, _, stderr := runToy(t, context.Background(), nil, "run", writeToy(t, toyStudy), "-o", grid, "-q", "-no-charts"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	shard := filepath.Join(t.TempDir(), "shard")
	if code, _, stderr := runToy(t, context.Background(), nil, "run", lhs, "-o", shard, "-q", "-shard", "1/2"); code != exitOK {
		t.Fatalf("run -shard 1/2: exit %d: %s", code, stderr)
	}
	base := []string{"-arm", "capped", "-metric", "model_share_a", "-threshold", "-0.1"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"discover", dir, "-metric", "model_share_a", "-threshold", "0"}, "-arm: missing"},
		{[]string{"discover", dir, "-arm", "capped", "-metric", "model_share_a"}, "-threshold: missing"},
		{append([]string{"discover", dir, "-threshold", "x"}, base[:4]...), `-threshold "x": want a finite number`},
		{append([]string{"discover", dir}, "-arm", "baseline", "-metric", "model_share_a", "-threshold", "0"), `-arm "baseline": not a policy arm`},
		{append([]string{"discover", dir}, "-arm", "capped", "-metric", "share_a", "-threshold", "0"), `-metric "share_a": this run records no such metric`},
		{append(append([]string{"discover", dir}, base...), "-month", "12"), `-month/-window "m12": not a month of the horizon (0 to 11)`},
		{append(append([]string{"discover", dir}, base...), "-month", "3", "-window", "horizon"), "give -month or -window, not both"},
		{append([]string{"discover", dir}, "-arm", "capped", "-metric", "model_share_a", "-threshold", "-5"), "below -5 at none of the 20 sweep points"},
		{append([]string{"discover", grid}, "-arm", "cap", "-metric", "model_share_a", "-threshold", "0"), "scenario discovery needs a Latin-hypercube sweep"},
		{append([]string{"discover", filepath.Join(t.TempDir(), "none")}, base...), "no such file"},
		{append([]string{"discover", shard}, base...), "is shard 1 of 2: merge the shards"},
	} {
		code, _, stderr := runToy(t, context.Background(), nil, c.args...)
		if code != exitUsage && !(c.want == "no such file" && code == exitFailure) || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args[2:], code, stderr, c.want)
		}
	}
}
