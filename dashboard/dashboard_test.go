package dashboard

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontiersim/experiments"
	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// toyExperiment is a small experiment of the toy model: a baseline and two
// policy arms, with a window of its own.
const toyExperiment = `name = "toy-dash"
seed = 11
replications = 8
months = 14
buyers = 10

[report]
windows = [{ name = "late", from = 8, to = 13 }]

[[arms]]
name = "cap"
overrides = { "toy.cap" = 0.6 }

[[arms]]
name = "slow"
overrides = { "toy.growth" = 0.01 }
`

// runToy runs the toy experiment into dir (a shard of it with shard
// "K/N") on sim (nil: the toy model) and returns the error of the run.
func runToy(t *testing.T, ctx context.Context, dir, shard string, sim experiments.Simulator) error {
	t.Helper()
	if sim == nil {
		sim = toysim.Simulator{}
	}
	file := filepath.Join(t.TempDir(), "toy.toml")
	if err := os.WriteFile(file, []byte(toyExperiment), 0o644); err != nil {
		t.Fatal(err)
	}
	exp, err := experiments.Load(file, os.ReadFile, sim)
	if err != nil {
		t.Fatal(err)
	}
	opt := experiments.RunOptions{Dir: dir, Workers: 1}
	if shard != "" {
		if opt.Shard, err = experiments.ParseShard(shard); err != nil {
			t.Fatal(err)
		}
	}
	_, err = experiments.Execute(ctx, exp, sim, opt)
	return err
}

func newServer(t *testing.T, dirs ...string) *Server {
	t.Helper()
	s, err := New(Options{Dirs: dirs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

// TestEffectsMatchComparison: on a complete run, the view's paired effect
// of every arm on every metric over every window, and its fan's median,
// are those of comparison.csv and timeseries.csv, which runsim computes
// on its own (stats.ComparePaired, stats.Summarize).
func TestEffectsMatchComparison(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if err := runToy(t, context.Background(), dir, "", nil); err != nil {
		t.Fatal(err)
	}
	d, err := results.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(t, dir)
	s.Poll()
	checked := 0
	for _, row := range d.Comparison {
		v := s.Snapshot(ViewRequest{Metric: row.Metric, Window: row.Window}).View
		if v == nil || v.Metric.Name != row.Metric || v.Window != row.Window {
			t.Fatalf("view %+v for metric %s, window %s", v, row.Metric, row.Window)
		}
		var e *Effect
		for i := range v.Effects {
			if v.Effects[i].Arm == row.Arm {
				e = &v.Effects[i]
			}
		}
		if e == nil {
			t.Fatalf("no effect of arm %s", row.Arm)
		}
		if e.N != row.N || !near(float64(e.Diff), row.Diff) || !near(float64(e.Lo), row.PairedLo) || !near(float64(e.Hi), row.PairedHi) ||
			!near(float64(e.BaseMean), row.BaselineMean) || !near(float64(e.ArmMean), row.ArmMean) {
			t.Errorf("%s %s %s: view n %d diff %g [%g, %g] means %g %g; comparison.csv n %d diff %g [%g, %g] means %g %g",
				row.Arm, row.Metric, row.Window, e.N, e.Diff, e.Lo, e.Hi, e.BaseMean, e.ArmMean,
				row.N, row.Diff, row.PairedLo, row.PairedHi, row.BaselineMean, row.ArmMean)
		}
		if last := len(e.PathN) - 1; e.PathN[last] != e.N || e.PathD[last] != e.Diff || e.PathLo[last] != e.Lo {
			t.Errorf("%s %s: the narrowing path ends at n %d, not at the estimate", row.Arm, row.Metric, e.PathN[last])
		}
		checked++
	}
	if checked < 3*4*2 {
		t.Fatalf("checked %d rows of comparison.csv", checked)
	}
	for _, row := range d.Series {
		if row.Point != "-" && row.Point != "" {
			continue
		}
		v := s.Snapshot(ViewRequest{Metric: row.Metric}).View
		for _, f := range v.Fans {
			if f.Arm == row.Arm && !near(float64(f.Median[row.Month]), row.Median) {
				t.Errorf("%s %s month %d: fan median %g, timeseries.csv %g", row.Arm, row.Metric, row.Month, f.Median[row.Month], row.Median)
			}
		}
	}
}

// TestPairedEffect checks the paired estimate and its narrowing path
// against the closed form: d = arm − base, mean ± t(0.975, k−1)·sd/√k.
func TestPairedEffect(t *testing.T) {
	e := pairedEffect([]float64{1, 2, 3}, []float64{2, 4, 3}) // d = 1, 2, 0
	t975 := map[int]float64{1: 12.706204736174698, 2: 4.302652729749464}
	want := []struct{ n, diff, h float64 }{
		{1, 1, math.NaN()},
		{2, 1.5, t975[1] * math.Sqrt(0.5) / math.Sqrt(2)},
		{3, 1, t975[2] * 1 / math.Sqrt(3)},
	}
	if len(e.PathN) != 3 {
		t.Fatalf("path of %d points, want 3", len(e.PathN))
	}
	for i, w := range want {
		if e.PathN[i] != int(w.n) || !near(float64(e.PathD[i]), w.diff) ||
			!near(float64(e.PathLo[i]), w.diff-w.h) || !near(float64(e.PathHi[i]), w.diff+w.h) {
			t.Errorf("after %v pairs: %v [%v, %v], want %v ± %v", w.n, e.PathD[i], e.PathLo[i], e.PathHi[i], w.diff, w.h)
		}
	}
	if e.N != 3 || e.Diff != 1 || !near(float64(e.BaseMean), 2) || !near(float64(e.ArmMean), 3) {
		t.Errorf("effect %+v", e)
	}
	if e := pairedEffect(nil, nil); e.N != 0 || !math.IsNaN(float64(e.Diff)) {
		t.Errorf("no pairs: %+v", e)
	}
	// A long path is thinned to at most maxPath points and ends at n.
	base := make([]float64, 1001)
	arm := make([]float64, 1001)
	for i := range arm {
		arm[i] = float64(i % 7)
	}
	e = pairedEffect(base, arm)
	if len(e.PathN) > maxPath+1 || e.PathN[len(e.PathN)-1] != 1001 {
		t.Errorf("path of %d points ending at %d", len(e.PathN), e.PathN[len(e.PathN)-1])
	}
}

// TestPartialAndShards: an interrupted run shows what it finished (plan
// order: the baseline's replications first, so a policy arm pairs only
// those it has), and the shards of an array, found under their parent
// directory, add up to the whole plan with the whole run's effects.
func TestPartialAndShards(t *testing.T) {
	root := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// 8 replications × 3 arms: stop after 11 (the baseline's 8 and 3 of cap).
	err := runToy(t, ctx, filepath.Join(root, "partial"), "", toysim.CancelAfter(toysim.Simulator{}, 11, cancel))
	if !errors.Is(err, experiments.ErrInterrupted) {
		t.Fatalf("interrupted run: %v", err)
	}
	whole := filepath.Join(root, "whole")
	if err := runToy(t, context.Background(), whole, "", nil); err != nil {
		t.Fatal(err)
	}
	array := filepath.Join(root, "array", "toy-dash")
	for _, k := range []string{"1/3", "2/3", "3/3"} {
		if err := runToy(t, context.Background(), filepath.Join(array, "shard-"+k[:1]+"-of-3"), k, nil); err != nil {
			t.Fatal(err)
		}
	}
	// Things that are not result directories, or not to be entered.
	os.MkdirAll(filepath.Join(root, "array", "toy-dash", "shard-1-of-3", "charts", "x"), 0o755)
	os.MkdirAll(filepath.Join(root, ".hidden"), 0o755)
	os.WriteFile(filepath.Join(root, ".hidden", results.ManifestFile), []byte("{}"), 0o644)
	if err := os.Symlink(whole, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}

	// whole is given twice: listed once.
	s := newServer(t, filepath.Join(root, "partial"), filepath.Join(root, "array"), whole, whole)
	s.Poll()
	snap := s.Snapshot(ViewRequest{})
	var paths []string
	for _, r := range snap.Runs {
		paths = append(paths, r.Dir+":"+r.Path+":"+r.State)
	}
	want := "0:.:stopped 1:toy-dash/shard-1-of-3:complete 1:toy-dash/shard-2-of-3:complete 1:toy-dash/shard-3-of-3:complete 2:.:complete"
	if got := strings.Join(paths, " "); got != want {
		t.Fatalf("runs %s\nwant %s", got, want)
	}
	if snap.Runs[0].Done != 11 || snap.Runs[0].Total != 24 {
		t.Errorf("partial run: %d of %d done, want 11 of 24", snap.Runs[0].Done, snap.Runs[0].Total)
	}
	if len(snap.Groups) != 1 || snap.Groups[0].Done != 24 || snap.Groups[0].Total != 24 || snap.Groups[0].Runs != 5 {
		t.Fatalf("groups %+v: want one of 5 runs with 24 of 24 done", snap.Groups)
	}

	// The partial run alone: the baseline's 8, cap's first 3, slow's none.
	p := newServer(t, filepath.Join(root, "partial"))
	p.Poll()
	v := p.Snapshot(ViewRequest{Metric: "hhi_model"}).View
	if v.Fans[0].N != 8 || v.Fans[1].N != 3 || v.Fans[2].N != 0 {
		t.Errorf("partial fans of %d, %d, %d replications; want 8, 3, 0", v.Fans[0].N, v.Fans[1].N, v.Fans[2].N)
	}
	if v.Effects[0].N != 3 || v.Effects[1].N != 0 || !math.IsNaN(float64(v.Fans[2].Median[0])) {
		t.Errorf("partial effects of %d and %d pairs, slow's median %v; want 3 and 0 pairs, no median", v.Effects[0].N, v.Effects[1].N, v.Fans[2].Median[0])
	}
	if _, err := json.Marshal(p.Snapshot(ViewRequest{})); err != nil {
		t.Errorf("a snapshot with no data for an arm does not encode: %v", err)
	}

	// The shards alone make the whole run's effects.
	a := newServer(t, filepath.Join(root, "array"))
	a.Poll()
	w := newServer(t, whole)
	w.Poll()
	for _, win := range []string{"horizon", "late"} {
		got := a.Snapshot(ViewRequest{Metric: "spend", Window: win}).View
		exp := w.Snapshot(ViewRequest{Metric: "spend", Window: win}).View
		for i := range exp.Effects {
			g, e := got.Effects[i], exp.Effects[i]
			if g.N != e.N || g.Diff != e.Diff || g.Lo != e.Lo || g.Hi != e.Hi {
				t.Errorf("window %s, arm %s: shards give %d pairs, %g [%g, %g]; whole run %d, %g [%g, %g]",
					win, e.Arm, g.N, g.Diff, g.Lo, g.Hi, e.N, e.Diff, e.Lo, e.Hi)
			}
		}
	}
}

// TestNewRefuses: a path that is not a directory cannot be followed.
func TestNewRefuses(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	for _, dirs := range [][]string{nil, {filepath.Join(t.TempDir(), "missing")}, {file}} {
		if s, err := New(Options{Dirs: dirs}); !errors.Is(err, ErrNoDir) {
			t.Errorf("New(%q): %v, want ErrNoDir", dirs, err)
			if s != nil {
				s.Close()
			}
		}
	}
}

// TestEvents follows a run as it grows: the event stream sends an update
// at once, and another with a larger version and more replications done
// once the store gains records; when the context ends, Serve ends the
// stream and returns nil.
func TestEvents(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	ctx0, cancel0 := context.WithCancel(context.Background())
	defer cancel0()
	err := runToy(t, ctx0, dir, "", toysim.CancelAfter(toysim.Simulator{}, 5, cancel0))
	if !errors.Is(err, experiments.ErrInterrupted) {
		t.Fatalf("interrupted run: %v", err)
	}
	s, err := New(Options{Dirs: []string{dir}, Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	resp, err := http.Get("http://" + ln.Addr().String() + "/events?metric=spend")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	events := make(chan Snapshot)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<24)
		kind := ""
		for sc.Scan() {
			line := sc.Text()
			if k, ok := strings.CutPrefix(line, "event: "); ok {
				kind = k
			}
			if d, ok := strings.CutPrefix(line, "data: "); ok && kind == "update" {
				var snap Snapshot
				if err := json.Unmarshal([]byte(d), &snap); err != nil {
					t.Errorf("update event: %v", err)
					return
				}
				events <- snap
			}
		}
	}()
	next := func() Snapshot {
		t.Helper()
		select {
		case snap, ok := <-events:
			if !ok {
				t.Fatal("the event stream ended")
			}
			return snap
		case <-time.After(time.Minute):
			t.Fatal("no update event within a minute")
		}
		panic("unreachable")
	}
	first := next()
	if len(first.Runs) != 1 || first.Runs[0].Done != 5 || first.View == nil || first.View.Metric.Name != "spend" {
		t.Fatalf("first update: %+v", first.Runs)
	}
	// Resume the run: the store gains records, and an update says so.
	exp, err := experiments.Load(filepath.Join(dir, results.ExperimentFile), os.ReadFile, toysim.Simulator{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := experiments.Execute(context.Background(), exp, toysim.Simulator{}, experiments.RunOptions{Dir: dir, Workers: 1, Resume: true}); err != nil {
		t.Fatal(err)
	}
	for snap := first; snap.Runs[0].State != "complete"; {
		snap = next()
		if snap.Version <= first.Version {
			t.Fatalf("update of version %d after %d", snap.Version, first.Version)
		}
		if snap.Runs[0].Done < 5 {
			t.Fatalf("progress went back to %d", snap.Runs[0].Done)
		}
	}
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve after the context ended: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Serve did not return within a minute of the context's end")
	}
	if _, err := io.ReadAll(resp.Body); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Logf("event stream after shutdown: %v", err)
	}
}

// TestRateAndETA follows a run on a clock of the test's: the rate is the
// replications done over the span of the samples up to now, the ETA what
// remains at that rate, and a stall lowers the rate as time goes on. The
// array's ETA is its slowest shard's, once every shard has been seen.
func TestRateAndETA(t *testing.T) {
	root := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := filepath.Join(root, "toy-dash", "shard-1-of-2")
	if err := runToy(t, ctx, dir, "1/2", toysim.CancelAfter(toysim.Simulator{}, 4, cancel)); !errors.Is(err, experiments.ErrInterrupted) {
		t.Fatalf("interrupted shard: %v", err)
	}
	// A run still going says so by an empty end time.
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.EndTime = ""
	if err := results.WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s, err := New(Options{Dirs: []string{root}, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Poll()
	st := s.Snapshot(ViewRequest{}).Runs[0]
	if st.State != "running" || st.Done != 4 || st.Total != 12 || !math.IsNaN(float64(st.Rate)) || !math.IsNaN(float64(st.ETASeconds)) {
		t.Fatalf("first look: %+v; want running, 4 of 12, no rate yet", st)
	}
	// 20 s later, 4 more: 0.2 replications a second, 4 left: 20 s.
	clock = clock.Add(20 * time.Second)
	r := s.w.runs[runKey(0, "toy-dash/shard-1-of-2")]
	for j := 100; j < 104; j++ {
		r.jobs[j] = make([]float64, 14*4)
	}
	s.Poll()
	snap := s.Snapshot(ViewRequest{})
	st = snap.Runs[0]
	if !near(float64(st.Rate), 0.2) || !near(float64(st.ETASeconds), 20) {
		t.Errorf("after 4 in 20 s: rate %v, ETA %v; want 0.2/s and 20 s", st.Rate, st.ETASeconds)
	}
	if g := snap.Groups[0]; g.Shards != 2 || g.Runs != 1 || !math.IsNaN(float64(g.ETASeconds)) {
		t.Errorf("array with shard 2 unseen: %+v; want no ETA", g)
	}
	// Nothing more for 20 s: the rate halves, the ETA doubles.
	clock = clock.Add(20 * time.Second)
	st = s.Snapshot(ViewRequest{}).Runs[0]
	if !near(float64(st.Rate), 0.1) || !near(float64(st.ETASeconds), 40) {
		t.Errorf("after a stall of 20 s: rate %v, ETA %v; want 0.1/s and 40 s", st.Rate, st.ETASeconds)
	}
}

// TestUnreadable: a directory whose manifest does not decode is listed
// with the reason, and the view skips it.
func TestUnreadable(t *testing.T) {
	root := t.TempDir()
	bad := filepath.Join(root, "bad")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, results.ManifestFile), []byte(`{"status": "sideways"}`), 0o644)
	s := newServer(t, root)
	s.Poll()
	snap := s.Snapshot(ViewRequest{})
	if len(snap.Runs) != 1 || snap.Runs[0].State != "unreadable" || !strings.Contains(snap.Runs[0].Problem, "sideways") || snap.View != nil {
		t.Fatalf("snapshot %+v", snap)
	}
}

// TestWindowLabels: the window choices say which months they cover.
func TestWindowLabels(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if err := runToy(t, context.Background(), dir, "", nil); err != nil {
		t.Fatal(err)
	}
	s := newServer(t, dir)
	s.Poll()
	g := s.Snapshot(ViewRequest{}).Groups[0]
	got := strings.Join(g.WindowLabels, "; ")
	if want := "horizon (2020-02); m11 (2019-12); late (2019-09 to 2020-02)"; got != want {
		t.Errorf("window labels %q, want %q", got, want)
	}
}
