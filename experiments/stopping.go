package experiments

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat"

	"frontiersim/results"
	"frontiersim/stats"
)

// Defaults of a [stopping] table.
const (
	DefaultStoppingBatch = 10
	// DefaultStoppingMin is the fewest replications the rule stops at
	// (fewer than max_replications allows): a paired interval of fewer
	// replications is too rough to trust its width.
	DefaultStoppingMin = MinPairedReplications
)

// stoppingKeys are the keys of a [stopping] table.
var stoppingKeys = []string{"metric", "half_width", "max_replications", "min_replications", "batch", "arm", "arms", "lever", "window"}

// stopping reads [stopping]: the rule that ends the replications once the
// targeted paired intervals are narrow enough. It runs after the arms and
// [report] are read (it names an arm and may name a report window), and
// sets e.Replications to the rule's max_replications (which defaults to
// replications).
func (v *validator) stopping(raw map[string]any, e *Experiment) *results.StoppingRule {
	m := v.table(raw, "", "stopping")
	if m == nil {
		return nil
	}
	v.unknownKeys("stopping", m, stoppingKeys...)
	s := &results.StoppingRule{}
	n := len(v.problems)

	s.Metric = v.str(m, "stopping", "metric", "")
	if _, ok := m["metric"]; !ok {
		v.add("stopping", "metric is missing: name the metric whose paired effect the rule makes precise")
	} else if s.Metric != "" {
		found := slices.ContainsFunc(v.sim.Metrics(), func(mt results.Metric) bool { return mt.Name == s.Metric })
		if !found {
			var names []string
			for _, mt := range v.sim.Metrics() {
				names = append(names, mt.Name)
			}
			msg := fmt.Sprintf("unknown metric %q", s.Metric)
			if sg := v.suggest(s.Metric, names); sg != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sg)
			}
			v.add("stopping.metric", "%s; runsim params -metrics lists them", msg)
		}
	}

	if x, ok := m["half_width"]; !ok {
		v.add("stopping", "half_width is missing: the half-width of the paired 95%% interval to reach, in the metric's units")
	} else if f, isNum := number(x); !isNum || !(f > 0) || math.IsInf(f, 0) {
		v.add("stopping.half_width", "want a positive number (the half-width of the paired 95%% interval to reach, in the metric's units), got %s", describe(x))
	} else {
		s.HalfWidth = f
	}

	s.MaxReplications = int(v.integer(m, "stopping", "max_replications", int64(e.Replications), 2, MaxReplications))
	if _, ok := m["max_replications"]; ok {
		if _, set := raw["replications"]; set && e.Replications != s.MaxReplications {
			v.add("stopping.max_replications", "%d differs from replications = %d (%s): with a stopping rule, replications is the most it runs; set one of them, or both to the same number",
				s.MaxReplications, e.Replications, v.where("replications"))
		}
	} else if e.Replications < 2 {
		v.add("replications", "a stopping rule needs at least 2 replications to compute an interval; got %d", e.Replications)
	}
	s.Batch = int(v.integer(m, "stopping", "batch", int64(min(DefaultStoppingBatch, s.MaxReplications)), 1, MaxReplications))
	s.MinReplications = int(v.integer(m, "stopping", "min_replications", int64(min(DefaultStoppingMin, s.MaxReplications)), 2, MaxReplications))
	if s.MinReplications > s.MaxReplications {
		v.add("stopping.min_replications", "%d is more than max_replications (%d)", s.MinReplications, s.MaxReplications)
	}
	if s.Batch > s.MaxReplications {
		v.add("stopping.batch", "%d is more than max_replications (%d)", s.Batch, s.MaxReplications)
	}

	s.Arms = v.stoppingArms(m, e)
	v.stoppingWindow(m, e, s)
	if len(v.problems) > n {
		return nil
	}
	e.Replications = s.MaxReplications
	v.notes = append(v.notes, fmt.Sprintf("[stopping]: the replications are the most it runs; it runs them in batches of %d and stops after the first batch from %d replications on where the paired 95%% interval of the effect of %s on %s over %s (months %d to %d) has a half-width below %s at every sweep point",
		s.Batch, s.MinReplications, strings.Join(s.Arms, ", "), s.Metric, s.Window, s.From, s.To, results.FormatFloat(s.HalfWidth)))
	return s
}

// stoppingArms resolves the targeted arms: arm (one name), arms (a list)
// or lever (every arm that sets that parameter); every policy arm without
// any of them.
func (v *validator) stoppingArms(m map[string]any, e *Experiment) []string {
	var given []string
	for _, k := range []string{"arm", "arms", "lever"} {
		if _, ok := m[k]; ok {
			given = append(given, k)
		}
	}
	if len(given) > 1 {
		v.add("stopping."+given[1], "give one of arm, arms and lever, not %s", strings.Join(given, " and "))
		return nil
	}
	if len(e.Arms) < 2 {
		v.add("stopping", "a stopping rule targets the paired effect of a policy arm, and the experiment has none: add [[arms]]")
		return nil
	}
	var policy []string
	for _, a := range e.Arms[1:] {
		policy = append(policy, a.Name)
	}
	checkArm := func(key, name string) bool {
		if slices.Contains(policy, name) {
			return true
		}
		msg := fmt.Sprintf("%q is not a policy arm of the experiment", name)
		if sg := v.suggest(name, policy); sg != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sg)
		}
		v.add(key, "%s: want one of %s", msg, strings.Join(policy, ", "))
		return false
	}
	switch {
	case len(given) == 0:
		return policy
	case given[0] == "arm":
		name := v.str(m, "stopping", "arm", "")
		if _, isStr := m["arm"].(string); isStr && checkArm("stopping.arm", name) {
			return []string{name}
		}
	case given[0] == "arms":
		var out []string
		for _, el := range v.strings(m, "stopping", "arms") {
			key := fmt.Sprintf("stopping.arms[%d]", el.i)
			switch {
			case slices.Contains(out, el.s):
				v.add(key, "arm %q is listed twice", el.s)
			case checkArm(key, el.s):
				out = append(out, el.s)
			}
		}
		if _, isArr := m["arms"].([]any); isArr && len(out) == 0 && len(v.strings(m, "stopping", "arms")) == 0 {
			v.add("stopping.arms", "the list is empty: name at least one policy arm, or leave arms out to target every one")
		}
		return out
	default:
		lever := v.str(m, "stopping", "lever", "")
		if _, isStr := m["lever"].(string); !isStr {
			return nil
		}
		var out []string
		for _, a := range e.Arms[1:] {
			if slices.ContainsFunc(a.Overrides, func(o results.ParamValue) bool { return o.Name == lever }) {
				out = append(out, a.Name)
			}
		}
		if len(out) == 0 {
			v.add("stopping.lever", "no arm sets the parameter %q: name a parameter one of the arms overrides, or the arm itself (arm = \"NAME\")", lever)
		}
		return out
	}
	return nil
}

// stoppingWindow resolves the window the effect is measured over:
// "horizon" (the default), "m" and a month index, a [report] window, or the
// window of an arm's lever start ("from" and the month, as in from84).
func (v *validator) stoppingWindow(m map[string]any, e *Experiment, s *results.StoppingRule) {
	s.Window = v.str(m, "stopping", "window", results.HorizonWindow)
	h := e.Months - 1
	if s.Window == results.HorizonWindow {
		s.From, s.To = h, h
		return
	}
	if rest, ok := strings.CutPrefix(s.Window, "m"); ok && results.IsReservedWindowName(s.Window) {
		t, err := strconv.Atoi(rest)
		if err != nil || t < 0 || t > h {
			v.add("stopping.window", "%q: month %s is outside the horizon: allowed m0 to m%d", s.Window, rest, h)
			return
		}
		s.From, s.To = t, t
		if t == h {
			s.Window = results.HorizonWindow
		}
		return
	}
	names := []string{results.HorizonWindow}
	windows := slices.Clone(e.Report.Windows)
	for _, a := range e.Arms {
		if w := results.FromWindow(a.From); a.From > 0 && !slices.ContainsFunc(windows, func(x results.Window) bool { return x.Name == w }) {
			windows = append(windows, results.Window{Name: w, From: a.From, To: h})
		}
	}
	for _, w := range windows {
		if w.Name == s.Window {
			s.From, s.To = w.From, w.To
			return
		}
		names = append(names, w.Name)
	}
	msg := fmt.Sprintf("%q is not a window of the experiment", s.Window)
	if sg := v.suggest(s.Window, names); sg != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", sg)
	}
	v.add("stopping.window", "%s: want \"horizon\", a month as \"m\" and its index (m0 to m%d), a name of [report] windows or a lever start's window (%s)",
		msg, h, strings.Join(names[1:], ", "))
}

// canonicalStopping is [stopping] in experiment.toml: the targeted arms
// resolved, every default filled in.
type canonicalStopping struct {
	Metric          string   `toml:"metric"`
	Arms            []string `toml:"arms"`
	Window          string   `toml:"window"`
	HalfWidth       float64  `toml:"half_width"`
	Batch           int      `toml:"batch"`
	MinReplications int      `toml:"min_replications"`
	MaxReplications int      `toml:"max_replications"`
}

func toCanonicalStopping(s *results.StoppingRule) *canonicalStopping {
	if s == nil {
		return nil
	}
	return &canonicalStopping{Metric: s.Metric, Arms: s.Arms, Window: s.Window, HalfWidth: s.HalfWidth,
		Batch: s.Batch, MinReplications: s.MinReplications, MaxReplications: s.MaxReplications}
}

// stopper applies a plan's stopping rule. It keeps, for every targeted arm
// and the baseline at every sweep point, each replication's mean of the
// rule's metric over its window, fed record by record in any order, and
// decides batch by batch in plan order, so that its decision depends only
// on the records, never on the order they came in.
type stopper struct {
	plan   results.Plan // Replications: the rule's max
	rule   results.StoppingRule
	metric int
	arms   []int       // targeted arm indices
	means  [][]float64 // [arm*points+point][rep]
	fed    []bool      // by job
	prefix int         // jobs 0 to prefix-1 are all fed
	next   int         // checkpoints before next were checked and not met
	checks []results.StoppingCheck
}

func newStopper(plan results.Plan) *stopper {
	r := *plan.Stopping
	s := &stopper{plan: plan, rule: r, metric: plan.MetricIndex(r.Metric)}
	for a, arm := range plan.Arms {
		if slices.Contains(r.Arms, arm.Name) {
			s.arms = append(s.arms, a)
		}
	}
	s.means = make([][]float64, len(plan.Arms)*len(plan.Points))
	for i := range s.means {
		s.means[i] = make([]float64, r.MaxReplications)
	}
	s.fed = make([]bool, plan.Jobs())
	return s
}

// add feeds one finished replication (its months × metrics path).
func (s *stopper) add(job int, path []float64) {
	a, p, r := s.plan.Job(job)
	w := results.Window{From: s.rule.From, To: s.rule.To}
	s.means[a*len(s.plan.Points)+p][r] = windowMean(path, w, len(s.plan.Metrics), s.metric)
	s.fed[job] = true
}

// checkpoints returns the replication counts after which the rule is
// checked: every multiple of the batch from MinReplications on, and
// MaxReplications.
func (s *stopper) checkpoints() []int {
	var out []int
	for n := s.rule.Batch; n < s.rule.MaxReplications; n += s.rule.Batch {
		if n >= s.rule.MinReplications {
			out = append(out, n)
		}
	}
	return append(out, s.rule.MaxReplications)
}

// batchEnds returns the replication counts at which batches end: every
// multiple of the batch, and MaxReplications.
func (s *stopper) batchEnds() []int {
	var out []int
	for n := s.rule.Batch; n < s.rule.MaxReplications; n += s.rule.Batch {
		out = append(out, n)
	}
	return append(out, s.rule.MaxReplications)
}

// complete reports whether every job of the first n replications was fed.
func (s *stopper) complete(n int) bool {
	for s.prefix < len(s.fed) && s.fed[s.prefix] {
		s.prefix++
	}
	return s.prefix >= n*len(s.plan.Arms)*len(s.plan.Points)
}

// widest returns the widest half-width of the targeted paired intervals
// over the first n replications, and the arm and point where it is (NaN
// if any is undefined). The half-width is that of comparison.csv's paired
// interval (PairedHi − PairedLo)/2 for the window.
func (s *stopper) widest(n int) (hw float64, arm, point int) {
	d := make([]float64, n)
	hw, arm, point = -1, s.arms[0], 0
	P := len(s.plan.Points)
	for _, a := range s.arms {
		for p := 0; p < P; p++ {
			base, x := s.means[p], s.means[a*P+p]
			for r := range d {
				d[r] = x[r] - base[r]
			}
			h := stats.TQuantile(0.975, float64(n-1)) * stat.StdDev(d, nil) / math.Sqrt(float64(n))
			if math.IsNaN(h) {
				return h, a, p
			}
			if h > hw {
				hw, arm, point = h, a, p
			}
		}
	}
	return hw, arm, point
}

// decide applies the rule to the replications fed so far: at each
// checkpoint in order whose replications are all fed, it stops if every
// targeted half-width is below the target. done is false when it reaches
// a checkpoint whose replications are not all fed yet (the run must go on
// to it); otherwise the decision is in out.
func (s *stopper) decide() (out results.Stopped, done bool) {
	cps := s.checkpoints()
	for ; s.next < len(cps); s.next++ {
		i, n := s.next, cps[s.next]
		if !s.complete(n) {
			return out, false
		}
		hw, a, p := s.widest(n)
		out = results.Stopped{Replications: n, Arm: s.plan.Arms[a].Name, Point: s.plan.Points[p].Name, Batches: i + 1}
		if !math.IsNaN(hw) && !math.IsInf(hw, 0) { // JSON has neither
			out.HalfWidth = &hw
		}
		out.Met = hw < s.rule.HalfWidth
		s.checks = append(s.checks, results.StoppingCheck{Replications: n, HalfWidth: out.HalfWidth, Arm: out.Arm, Point: out.Point, Met: out.Met})
		if out.Met {
			return out, true
		}
		if s.next == len(cps)-1 {
			return out, true
		}
	}
	return out, true
}

// executionManifest returns m with the plan as it runs: a finished run's
// manifest records the replications its stopping rule needed; resuming it
// runs (and compares) the plan with the rule's max.
func executionManifest(m results.Manifest) results.Manifest {
	if m.Stopped != nil && m.Plan.Stopping != nil {
		m.Plan.Replications = m.Plan.Stopping.MaxReplications
	}
	return m
}

// stoppedPlan returns the plan and jobs as run and the edit that makes
// the complete manifest say so: plan and jobs themselves without a
// decision (no rule, or a shard, which runs every replication).
func stoppedPlan(plan results.Plan, jobs []int, st *results.Stopped) (results.Plan, []int, func(*results.Manifest)) {
	if st == nil {
		return plan, jobs, nil
	}
	final := plan
	final.Replications = st.Replications
	finalJobs := ShardSpec{}.Jobs(final.Jobs()) // jobs 0 to R × cells − 1 (replication-major)
	return final, finalJobs, func(m *results.Manifest) {
		m.Plan = final
		m.JobsTotal = len(finalJobs)
		m.JobsDone = len(finalJobs)
		m.Stopped = st
	}
}

// runStopping runs a whole plan with a stopping rule, batch by batch: the
// jobs of the next batch of replications (every arm and point; those done
// is missing), then the rule, until it stops or the rule's max is run. The
// records already in the store (a resumed run) are read first. The batch
// boundaries and the rule depend only on the records, so the decision and
// the replications run are the same for any worker count.
func runStopping(ctx context.Context, e *Experiment, sim Simulator, plan results.Plan, jobs []int, done map[int]bool,
	storePath string, h results.StoreHeader, opt RunOptions, store *results.StoreWriter, finished *int, man *results.Manifest) (*results.Stopped, error) {
	st := newStopper(plan)
	if len(done) > 0 {
		if err := feedFromStore(ctx, st, store, storePath, h, done); err != nil {
			return nil, err
		}
	}
	cells := len(plan.Arms) * len(plan.Points)
	prev := 0
	for _, end := range st.batchEnds() {
		out, ok := st.decide()
		if len(st.checks) > len(man.StoppingChecks) {
			man.StoppingChecks = slices.Clone(st.checks)
			man.JobsDone = *finished
			if err := results.WriteManifest(opt.Dir, *man); err != nil {
				return nil, err
			}
		}
		if ok {
			return &out, nil
		}
		var todo []int
		for _, j := range jobs[prev*cells : end*cells] {
			if !done[j] {
				todo = append(todo, j)
			}
		}
		prev = end
		if err := runJobs(ctx, e, sim, plan, todo, opt, store, finished, len(jobs), man, st.add); err != nil {
			return nil, err
		}
	}
	out, _ := st.decide()
	man.StoppingChecks = slices.Clone(st.checks)
	return &out, nil
}

// feedFromStore feeds st the records of the done jobs, read from the store
// being appended to (flushed first).
func feedFromStore(ctx context.Context, st *stopper, store *results.StoreWriter, path string, h results.StoreHeader, done map[int]bool) error {
	if err := store.Flush(); err != nil {
		return fmt.Errorf("replication store: %w", err)
	}
	ix, err := results.IndexStore(path, h)
	if err != nil {
		return fmt.Errorf("replication store: %w", err)
	}
	rr, err := ix.Open()
	if err != nil {
		return err
	}
	defer rr.Close()
	values := make([]float64, h.Months*h.Metrics)
	for _, j := range ix.Jobs() {
		if !done[j] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := rr.Read(j, values); err != nil {
			return err
		}
		st.add(j, values)
	}
	return nil
}

// ErrStopFile is returned (wrapped) by Execute when a shard stopped at a
// batch's end because RunOptions.StopFile exists.
var ErrStopFile = errors.New("stopped: the stop file exists")

// runShardBatches runs a shard of a plan with a stopping rule batch by
// batch (its jobs of each batch of replications), syncing the store and
// the manifest after each, so that a merge of the partial shards can read
// them, and stops once opt.StopFile exists.
func runShardBatches(ctx context.Context, e *Experiment, sim Simulator, plan results.Plan, jobs []int, done map[int]bool,
	opt RunOptions, store *results.StoreWriter, finished *int, man *results.Manifest) error {
	cells := len(plan.Arms) * len(plan.Points)
	st := newStopper(plan)
	next := 0 // index into jobs (increasing)
	for _, end := range st.batchEnds() {
		if _, err := os.Stat(opt.StopFile); err == nil {
			return fmt.Errorf("%w (%s)", ErrStopFile, opt.StopFile)
		}
		var todo []int
		for ; next < len(jobs) && jobs[next] < end*cells; next++ {
			if !done[jobs[next]] {
				todo = append(todo, jobs[next])
			}
		}
		if err := runJobs(ctx, e, sim, plan, todo, opt, store, finished, len(jobs), man, nil); err != nil {
			return err
		}
		if err := store.Flush(); err != nil {
			return fmt.Errorf("replication store: %w", err)
		}
		man.JobsDone = *finished
		if err := results.WriteManifest(opt.Dir, *man); err != nil {
			return err
		}
	}
	return nil
}
