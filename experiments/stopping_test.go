package experiments

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
	"frontiersim/results"
	"frontiersim/stats"
)

// toyStopping is toySweep (two arms, six points) with a stopping rule on
// arm cap's effect on model_share_a at the horizon: its widest half-width
// is 0.0520 at 40 replications and above 0.055 at 30 (see
// TestStoppingStopsWhereAFixedRunSays).
var toyStopping = strings.Replace(toySweep, "replications = 12\n", "", 1) + `
[stopping]
metric = "model_share_a"
arm = "cap"
half_width = 0.055
max_replications = 60
batch = 10
min_replications = 20
`

const toyStoppingNeeds = 40

func TestStoppingSameForAnyWorkerCount(t *testing.T) {
	e := loadString(t, toyStopping)
	ref := t.TempDir()
	m := run(t, e, ref, RunOptions{Workers: 1})
	if m.Stopped == nil || m.Stopped.Replications != toyStoppingNeeds || !m.Stopped.Met {
		t.Fatalf("stopped %+v, want %d replications, met", m.Stopped, toyStoppingNeeds)
	}
	if m.Plan.Replications != toyStoppingNeeds || m.JobsTotal != 3*6*toyStoppingNeeds {
		t.Errorf("manifest plan has %d replications and %d jobs, want %d and %d", m.Plan.Replications, m.JobsTotal, toyStoppingNeeds, 3*6*toyStoppingNeeds)
	}
	var at []int
	for i, c := range m.StoppingChecks {
		at = append(at, c.Replications)
		if c.Met != (i == len(m.StoppingChecks)-1) || c.HalfWidth == nil || (*c.HalfWidth < 0.055) != c.Met {
			t.Errorf("check %d: %+v", i, c)
		}
	}
	if !slices.Equal(at, []int{20, 30, 40}) || m.Stopped.Batches != 3 {
		t.Errorf("checks at %v (%d batches), want 20, 30, 40", at, m.Stopped.Batches)
	}
	for _, w := range []int{2, 8} {
		dir := t.TempDir()
		mw := run(t, e, dir, RunOptions{Workers: w})
		if mw.Stopped.Replications != m.Stopped.Replications {
			t.Errorf("%d workers: %d replications, 1 worker: %d", w, mw.Stopped.Replications, m.Stopped.Replications)
		}
		sameFiles(t, ref, dir)
	}
	d, err := results.ReadTables(ref, *m)
	if err != nil {
		t.Fatalf("the stopped run's tables do not check against its manifest: %v", err)
	}
	if rep, err := Verify(context.Background(), ref, toysim.Simulator{}, VerifyOptions{Sample: 6, Workers: 2}); err != nil || len(rep.Jobs) != 6 {
		t.Errorf("verify of the stopped run: %v (%d re-run)", err, len(rep.Jobs))
	}
	// The rule's half-width is comparison.csv's paired interval's.
	widest := 0.0
	for _, r := range d.Comparison {
		if r.Arm == "cap" && r.Metric == "model_share_a" && r.Window == results.HorizonWindow {
			widest = max(widest, (r.PairedHi-r.PairedLo)/2)
		}
	}
	if got := *m.Stopped.HalfWidth; math.Abs(got-widest) > 1e-12 || widest >= 0.055 {
		t.Errorf("the manifest's half-width %v, comparison.csv's widest %v (target 0.055)", got, widest)
	}
}

// A stopped run is the fixed run of the replications it needed: the same
// tables, byte for byte; and the fixed run of one batch fewer has an
// interval wider than the target.
func TestStoppingStopsWhereAFixedRunSays(t *testing.T) {
	stopped := t.TempDir()
	run(t, loadString(t, toyStopping), stopped, RunOptions{Workers: 2})
	fixed := func(reps string) string {
		dir := t.TempDir()
		run(t, loadString(t, strings.Replace(toySweep, "replications = 12", "replications = "+reps, 1)), dir, RunOptions{Workers: 2})
		return dir
	}
	at40 := fixed("40")
	for _, f := range []string{results.RunsFile, results.TimeseriesFile, results.ComparisonFile} {
		x, _ := os.ReadFile(filepath.Join(stopped, f))
		y, _ := os.ReadFile(filepath.Join(at40, f))
		if len(x) == 0 || string(x) != string(y) {
			t.Errorf("%s of the stopped run differs from that of a fixed run of %d replications", f, toyStoppingNeeds)
		}
	}
	at30 := fixed("30")
	m, err := results.ReadManifest(at30)
	if err != nil {
		t.Fatal(err)
	}
	d, err := results.ReadTables(at30, m)
	if err != nil {
		t.Fatal(err)
	}
	widest := 0.0
	for _, r := range d.Comparison {
		if r.Arm == "cap" && r.Metric == "model_share_a" && r.Window == results.HorizonWindow {
			widest = max(widest, (r.PairedHi-r.PairedLo)/2)
		}
	}
	if widest < 0.055 {
		t.Errorf("at 30 replications the widest half-width is %v, below the target: the rule should have stopped there", widest)
	}
}

func TestStoppingShardsMerged(t *testing.T) {
	e := loadString(t, toyStopping)
	ref := t.TempDir()
	run(t, e, ref, RunOptions{Workers: 2})
	var dirs []string
	for k := 1; k <= 3; k++ {
		d := t.TempDir()
		m := run(t, e, d, RunOptions{Workers: 2, Shard: ShardSpec{k, 3}})
		if m.Stopped != nil || m.Plan.Replications != 60 {
			t.Errorf("shard %d/3: stopped %+v, %d replications; want every one of the 60 and no decision", k, m.Stopped, m.Plan.Replications)
		}
		dirs = append(dirs, d)
	}
	out := t.TempDir()
	m, err := Merge(context.Background(), out, dirs, toysim.Simulator{}, fixedNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Stopped == nil || m.Stopped.Replications != toyStoppingNeeds {
		t.Errorf("merged: stopped %+v, want %d replications", m.Stopped, toyStoppingNeeds)
	}
	sameFiles(t, ref, out)
}

func TestStoppingInterruptAndResume(t *testing.T) {
	e := loadString(t, toyStopping)
	ref := t.TempDir()
	run(t, e, ref, RunOptions{Workers: 2})
	// 18 jobs a replication: stops inside the first batch, at a batch's
	// end, inside the last batch run.
	for _, stopAfter := range []int{5, 180, 361, 600} {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		sim := toysim.CancelAfter(toysim.Simulator{}, stopAfter, cancel)
		_, err := Execute(ctx, e, sim, RunOptions{Dir: dir, Workers: 2, Now: fixedNow})
		cancel()
		if !errors.Is(err, ErrInterrupted) {
			t.Fatalf("stop after %d: got %v, want ErrInterrupted", stopAfter, err)
		}
		run(t, e, dir, RunOptions{Workers: 2, Resume: true})
		sameFiles(t, ref, dir)
	}
	// Resuming a finished run finds the same decision and the same bytes.
	run(t, e, ref, RunOptions{Workers: 1, Resume: true})
	again := t.TempDir()
	run(t, e, again, RunOptions{Workers: 1})
	sameFiles(t, again, ref)
}

func TestStoppingTargetNotReached(t *testing.T) {
	e := loadString(t, strings.Replace(toyStopping, "half_width = 0.055", "half_width = 1e-6", 1))
	m := run(t, e, t.TempDir(), RunOptions{Workers: 2})
	if m.Stopped == nil || m.Stopped.Met || m.Stopped.Replications != 60 || m.Plan.Replications != 60 {
		t.Errorf("stopped %+v, want all 60 replications, not met", m.Stopped)
	}
	if s := m.StoppingSummary(); !strings.Contains(s, "not reached in the 60 replications") {
		t.Errorf("summary %q", s)
	}
}

func TestStoppingCanonicalReloads(t *testing.T) {
	e := loadString(t, strings.Replace(toyStopping, `arm = "cap"`, `lever = "toy.cap"`, 1))
	again := loadString(t, string(e.Canonical()))
	if again.Hash() != e.Hash() || again.Stopping == nil || strings.Join(again.Stopping.Arms, ",") != "cap" || again.Replications != 60 {
		t.Errorf("reloaded %+v (replications %d): want the same rule and hash", again.Stopping, again.Replications)
	}
}

func TestStoppingValidation(t *testing.T) {
	base := strings.Replace(toySweep, "replications = 12\n", "", 1) + "\n[report]\nwindows = [{name = \"late\", from = 12, to = 23}]\n"
	cases := []struct {
		name, stopping, key, want string
	}{
		{"no metric", `half_width = 0.1`, "stopping", "metric is missing"},
		{"unknown metric", "metric = \"model_share_x\"\nhalf_width = 0.1", "stopping.metric", `unknown metric "model_share_x"`},
		{"no half-width", `metric = "spend"`, "stopping", "half_width is missing"},
		{"negative half-width", "metric = \"spend\"\nhalf_width = -1", "stopping.half_width", "want a positive number"},
		{"unknown arm", "metric = \"spend\"\nhalf_width = 0.1\narm = \"cpa\"", "stopping.arm", `"cpa" is not a policy arm of the experiment (did you mean "cap"?)`},
		{"arm and lever", "metric = \"spend\"\nhalf_width = 0.1\narm = \"cap\"\nlever = \"toy.cap\"", "stopping.lever", "give one of arm, arms and lever"},
		{"lever no arm sets", "metric = \"spend\"\nhalf_width = 0.1\nlever = \"toy.noise\"", "stopping.lever", `no arm sets the parameter "toy.noise"`},
		{"unknown window", "metric = \"spend\"\nhalf_width = 0.1\nwindow = \"lat\"", "stopping.window", `"lat" is not a window of the experiment (did you mean "late"?)`},
		{"month past horizon", "metric = \"spend\"\nhalf_width = 0.1\nwindow = \"m24\"", "stopping.window", "outside the horizon: allowed m0 to m23"},
		{"batch over max", "metric = \"spend\"\nhalf_width = 0.1\nmax_replications = 20\nbatch = 30", "stopping.batch", "30 is more than max_replications (20)"},
		{"min over max", "metric = \"spend\"\nhalf_width = 0.1\nmax_replications = 20\nmin_replications = 21", "stopping.min_replications", "21 is more than max_replications (20)"},
		{"max of one", "metric = \"spend\"\nhalf_width = 0.1\nmax_replications = 1", "stopping.max_replications", "out of range"},
		{"unknown key", "metric = \"spend\"\nhalf_width = 0.1\nhalfwidth = 2", "stopping.halfwidth", `did you mean "half_width"?`},
	}
	for _, c := range cases {
		text := base + "\n[stopping]\n" + c.stopping + "\n"
		problems := mustInvalid(t, "exp.toml", files(map[string]string{"exp.toml": text}), toysim.Simulator{})
		p := findProblem(t, problems, c.key)
		if p.File != "exp.toml" || p.Line == 0 || !strings.Contains(p.Msg, c.want) {
			t.Errorf("%s: got %s:%d: %s: %s, want exp.toml:LINE: %s: ...%s...", c.name, p.File, p.Line, p.Key, p.Msg, c.key, c.want)
		}
	}
	// replications and max_replications that differ, named at the rule.
	text := toySweep + "\n[stopping]\nmetric = \"spend\"\nhalf_width = 0.1\nmax_replications = 50\n"
	p := findProblem(t, mustInvalid(t, "exp.toml", files(map[string]string{"exp.toml": text}), toysim.Simulator{}), "stopping.max_replications")
	if !strings.Contains(p.Msg, "differs from replications = 12 (replications on line 5)") {
		t.Errorf("got %q", p.Msg)
	}
	// No policy arm to target.
	text = "name = \"x\"\n[stopping]\nmetric = \"spend\"\nhalf_width = 0.1\n"
	p = findProblem(t, mustInvalid(t, "exp.toml", files(map[string]string{"exp.toml": text}), toysim.Simulator{}), "stopping")
	if !strings.Contains(p.Msg, "the experiment has none") || p.Line != 2 {
		t.Errorf("got line %d: %q", p.Line, p.Msg)
	}
}

// The stopper's half-width is stats.ComparePaired's paired interval on
// the window means, and its decision does not depend on the order the
// records come in.
func TestStopperAgainstComparePaired(t *testing.T) {
	plan := results.Plan{
		Arms:   []results.Arm{{Name: "baseline"}, {Name: "a"}, {Name: "b"}},
		Points: []results.Point{{Name: "p1"}, {Name: "p2"}}, Months: 3,
		Metrics: []results.Metric{{Name: "x"}, {Name: "y"}}, Replications: 40,
		Stopping: &results.StoppingRule{Metric: "y", Arms: []string{"a", "b"}, Window: "w", From: 1, To: 2,
			HalfWidth: 0.9, Batch: 7, MinReplications: 10, MaxReplications: 40},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	paths := make([][]float64, plan.Jobs())
	for j := range paths {
		a, _, _ := plan.Job(j)
		paths[j] = make([]float64, plan.Months*len(plan.Metrics))
		for i := range paths[j] {
			paths[j][i] = rng.NormFloat64() * float64(1+a)
		}
	}
	mean := func(j int) float64 { return (paths[j][1*2+1] + paths[j][2*2+1]) / 2 }
	decide := func(order []int) results.Stopped {
		st := newStopper(plan)
		for _, j := range order {
			st.add(j, paths[j])
		}
		out, done := st.decide()
		if !done {
			t.Fatal("not done with every record fed")
		}
		return out
	}
	order := rng.Perm(plan.Jobs())
	got := decide(order)
	slices.Sort(order)
	if again := decide(order); !reflect.DeepEqual(again, got) {
		t.Errorf("in job order %+v, shuffled %+v", again, got)
	}
	// Brute force: the first checkpoint (14, 21, ..., 35, 40) where every
	// targeted interval is narrower than the target.
	want := 40
	for _, n := range []int{14, 21, 28, 35, 40} {
		widest := 0.0
		for _, a := range []int{1, 2} {
			for p := range plan.Points {
				base, arm := make([]float64, n), make([]float64, n)
				for r := range n {
					base[r], arm[r] = mean(plan.JobIndex(0, p, r)), mean(plan.JobIndex(a, p, r))
				}
				s := stats.ComparePaired(base, arm, rand.New(rand.NewPCG(0, 0)), make([]float64, 2*n+stats.BootstrapResamples))
				widest = max(widest, (s.PairedHi-s.PairedLo)/2)
			}
		}
		if widest < 0.9 {
			want = n
			if math.Abs(*got.HalfWidth-widest) > 1e-12 {
				t.Errorf("at %d: half-width %v, ComparePaired %v", n, *got.HalfWidth, widest)
			}
			break
		}
	}
	if got.Replications != want || !got.Met || want == 40 {
		t.Errorf("stopped at %d (met %v), brute force %d (the data should stop before the max)", got.Replications, got.Met, want)
	}
}

// Shards run with a stop file stop at the end of the batch in which it
// appears; a merge of partial shards uses the replications every shard
// holds: too few, and it says the rule has not stopped yet (and writes no
// stop file); enough, and it gives the whole run's bytes and writes the
// stop file.
func TestStoppingStopFile(t *testing.T) {
	e := loadString(t, toyStopping)
	ref := t.TempDir()
	run(t, e, ref, RunOptions{Workers: 2})
	stop := filepath.Join(t.TempDir(), "STOP")
	var dirs []string
	for k := 1; k <= 3; k++ {
		d := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		_, err := Execute(ctx, e, toysim.CancelAfter(toysim.Simulator{}, 30, cancel), RunOptions{Dir: d, Workers: 2, Now: fixedNow, Shard: ShardSpec{k, 3}, StopFile: stop})
		cancel()
		if !errors.Is(err, ErrInterrupted) {
			t.Fatalf("shard %d: %v, want interrupted", k, err)
		}
		dirs = append(dirs, d)
	}
	_, err := MergeWith(context.Background(), toysim.Simulator{}, MergeOptions{Dir: t.TempDir(), Shards: dirs, Now: fixedNow, StopFile: stop})
	if !errors.Is(err, ErrStopNotReached) || !strings.Contains(err.Error(), "its next check is at 20") {
		t.Fatalf("merge of shards with 5 replications: %v, want ErrStopNotReached", err)
	}
	if _, err := os.Stat(stop); !os.IsNotExist(err) {
		t.Fatalf("the stop file was written before the rule stopped")
	}
	// Each shard, resumed, sees the stop file appear during replication
	// 38 or so (6 jobs a replication): it stops at the batch's end, 40.
	for k, d := range dirs {
		create := func() { os.WriteFile(stop, nil, 0o644) }
		_, err := Execute(context.Background(), e, toysim.CancelAfter(toysim.Simulator{}, 200, create), RunOptions{Dir: d, Workers: 2, Now: fixedNow, Shard: ShardSpec{k + 1, 3}, StopFile: stop, Resume: true})
		if !errors.Is(err, ErrStopFile) {
			t.Fatalf("shard %d: %v, want ErrStopFile", k+1, err)
		}
		if m, _ := results.ReadManifest(d); m.Status != results.StatusPartial || m.JobsDone != 240 {
			t.Errorf("shard %d stopped with %d jobs (%s), want 240: 40 replications × 6", k+1, m.JobsDone, m.Status)
		}
		os.Remove(stop)
	}
	out := t.TempDir()
	m, err := MergeWith(context.Background(), toysim.Simulator{}, MergeOptions{Dir: out, Shards: dirs, Now: fixedNow, StopFile: stop})
	if err != nil {
		t.Fatal(err)
	}
	if m.Stopped.Replications != toyStoppingNeeds {
		t.Errorf("merged: %d replications, want %d", m.Stopped.Replications, toyStoppingNeeds)
	}
	sameFiles(t, ref, out)
	if _, err := os.Stat(stop); err != nil {
		t.Errorf("the merge wrote no stop file: %v", err)
	}
}
