package dashboard

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"frontiersim/results"
	"frontiersim/stats"
)

// num is a number that encodes as JSON null when it is not finite (no
// data, or an interval of fewer than two replications).
type num float64

func (x num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', 8, 64), nil
}

// Snapshot is what one update event carries: the progress of every run and
// group, and the charts of the view asked for.
type Snapshot struct {
	Version uint64        `json:"version"`
	Time    string        `json:"time"` // RFC 3339, UTC
	Dirs    []string      `json:"dirs"` // the given directories, as given
	Runs    []RunStatus   `json:"runs"`
	Groups  []GroupStatus `json:"groups"`
	View    *View         `json:"view,omitempty"` // nil without any readable run
}

// RunStatus is the progress of one result directory.
type RunStatus struct {
	Dir        string `json:"dir"` // index of the given directory
	Path       string `json:"path"`
	Group      string `json:"group,omitempty"`
	Experiment string `json:"experiment,omitempty"`
	Shard      string `json:"shard,omitempty"` // "K/N"
	// State is "running" (partial, no end time), "finishing" (every
	// replication done, the tables and charts being written), "stopped"
	// (partial, ended: interrupted or failed; resume it), "complete", or
	// "unreadable" (no manifest that decodes).
	State      string  `json:"state"`
	Done       int     `json:"done"`
	Total      int     `json:"total"`
	Rate       num     `json:"rate"`        // replications per second over the last minutes
	ETASeconds num     `json:"eta_seconds"` // null when unknown
	Changed    string  `json:"changed"`     // when its files last changed, RFC 3339
	Dropped    int     `json:"dropped,omitempty"`
	Problem    string  `json:"problem,omitempty"`
	Report     string  `json:"report,omitempty"` // link to its report.html, once written
	Fraction   float64 `json:"fraction"`
}

// GroupStatus is one experiment (one experiment hash and seed): a single
// run, or the shards of an array.
type GroupStatus struct {
	Key        string   `json:"key"`
	Experiment string   `json:"experiment"`
	Runs       int      `json:"runs"`
	Shards     int      `json:"shards"` // the array's shard count; 0 for a run of the whole plan
	Done       int      `json:"done"`
	Total      int      `json:"total"` // replications of the whole plan
	ETASeconds num      `json:"eta_seconds"`
	Arms       []string `json:"arms"`
	Points     []string `json:"points"`
	Metrics    []Metric `json:"metrics"`
	Windows    []string `json:"windows"`
	// WindowLabels say which months each of Windows covers.
	WindowLabels []string `json:"window_labels"`
	Charted      []string `json:"charted"` // the experiment's chart metrics: the first is shown first
}

// Metric names a metric the view can show.
type Metric struct {
	Name        string `json:"name"`
	Unit        string `json:"unit"`
	Description string `json:"description"`
}

// ViewRequest is what the page asks to see: a group, a sweep point, a
// metric and a comparison window. Zero values pick the defaults.
type ViewRequest struct {
	Group  string
	Point  int
	Metric string
	Window string
}

// View is the charts of one metric of one group at one sweep point.
type View struct {
	Group  string `json:"group"`
	Point  int    `json:"point"`
	Metric Metric `json:"metric"`
	Window string `json:"window"`
	// Months are the first instants of the plan's months, in seconds
	// since 1970 (UTC): the fan chart's x.
	Months []int64 `json:"months"`
	// Fans is one per arm: the median and 50% and 90% bands of the
	// finished replications, month by month.
	Fans []Fan `json:"fans"`
	// Effects is one per policy arm: the paired difference from the
	// baseline over the window, over the replications both have finished.
	Effects []Effect `json:"effects"`
}

// Fan is the distribution of one arm's finished replications over months.
type Fan struct {
	Arm    string `json:"arm"`
	N      int    `json:"n"`
	Median []num  `json:"median"`
	P05    []num  `json:"p05"`
	P25    []num  `json:"p25"`
	P75    []num  `json:"p75"`
	P95    []num  `json:"p95"`
}

// Effect is the paired difference arm − baseline of the window's value,
// replication by replication (common random numbers), with its 95% paired
// Student-t interval, and how the interval narrowed as pairs arrived.
type Effect struct {
	Arm          string `json:"arm"`
	N            int    `json:"n"` // pairs: replications both arms have finished
	BaseMean     num    `json:"base_mean"`
	ArmMean      num    `json:"arm_mean"`
	Diff         num    `json:"diff"`
	Lo           num    `json:"lo"`
	Hi           num    `json:"hi"`
	Definitional bool   `json:"definitional,omitempty"`
	// Path is the estimate after the first k pairs (in replication
	// order), for k in PathN (at most maxPath of them, the last being N).
	PathN  []int `json:"path_n"`
	PathLo []num `json:"path_lo"`
	PathHi []num `json:"path_hi"`
	PathD  []num `json:"path_diff"`
}

// maxPath bounds the points of an interval's narrowing path.
const maxPath = 200

// group is the runs of one experiment, as a view reads them.
type group struct {
	key  string
	runs []*run
	man  results.Manifest // the first run's: the plan is common to all
}

func groupKey(m results.Manifest) string {
	h := m.ExperimentHash
	if len(h) > 12 {
		h = h[:12]
	}
	return fmt.Sprintf("%s-%d", h, m.Seed)
}

// groups returns the runs with a manifest grouped by experiment, in the
// order of their experiment names. The caller holds w.mu.
func (w *watcher) groups() []*group {
	by := map[string]*group{}
	var out []*group
	for _, key := range sortedKeys(w.runs) {
		r := w.runs[key]
		if !r.hasMan {
			continue
		}
		k := groupKey(r.man)
		g, ok := by[k]
		if !ok {
			g = &group{key: k, man: r.man}
			by[k] = g
			out = append(out, g)
		}
		g.runs = append(g.runs, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].man.Experiment < out[j].man.Experiment })
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// snapshot returns the progress of every run and the view asked for. An
// unknown group, point, metric or window falls back to the default.
func (w *watcher) snapshot(req ViewRequest) *Snapshot {
	w.mu.RLock()
	defer w.mu.RUnlock()
	now := w.now()
	s := &Snapshot{Version: w.version, Time: now.UTC().Format(time.RFC3339), Dirs: w.names, Runs: []RunStatus{}, Groups: []GroupStatus{}}
	for _, key := range sortedKeys(w.runs) {
		s.Runs = append(s.Runs, w.runs[key].status(now))
	}
	gs := w.groups()
	var chosen *group
	for _, g := range gs {
		s.Groups = append(s.Groups, g.status(now))
		if g.key == req.Group || chosen == nil {
			chosen = g
		}
	}
	if chosen != nil {
		s.View = chosen.view(req)
	}
	return s
}

func (r *run) status(now time.Time) RunStatus {
	st := RunStatus{Dir: strconv.Itoa(r.root), Path: r.rel, Changed: r.changed.UTC().Format(time.RFC3339),
		Rate: num(math.NaN()), ETASeconds: num(math.NaN()), Dropped: r.store.Dropped}
	if !r.hasMan {
		st.State, st.Problem = "unreadable", r.manErr
		return st
	}
	m := r.man
	st.Group, st.Experiment = groupKey(m), m.Experiment
	if m.Shard != nil && m.Shard.Count > 1 {
		st.Shard = fmt.Sprintf("%d/%d", m.Shard.Index, m.Shard.Count)
	}
	st.Done, st.Total = r.done(), m.JobsTotal
	switch {
	case m.Status == results.StatusComplete:
		st.State = "complete"
		if fi, err := lstatRegular(r.dir, results.ReportFile); err == nil && fi {
			st.Report = fileURL(r.root, r.rel, results.ReportFile)
		}
	case m.EndTime == "" && st.Done == st.Total:
		st.State = "finishing" // the tables, charts and report being written
	case m.EndTime == "":
		st.State = "running"
		if rate := r.rate(now); rate > 0 {
			st.Rate = num(rate)
			st.ETASeconds = num(float64(st.Total-st.Done) / rate)
		}
	default:
		st.State = "stopped"
	}
	if st.Total > 0 {
		st.Fraction = float64(st.Done) / float64(st.Total)
	}
	st.Problem = r.manErr
	if r.storeErr != "" {
		st.Problem = r.storeErr
	}
	return st
}

func (g *group) status(now time.Time) GroupStatus {
	p := g.man.Plan
	gs := GroupStatus{Key: g.key, Experiment: g.man.Experiment, Runs: len(g.runs), Total: p.Jobs(), ETASeconds: num(math.NaN())}
	if g.man.Shard != nil && g.man.Shard.Count > 1 {
		gs.Shards = g.man.Shard.Count
	}
	gs.Done = len(g.jobs())
	for _, r := range g.runs {
		if r.man.Status == results.StatusComplete {
			gs.Done = max(gs.Done, r.man.JobsTotal) // a merged or complete run: whole
		}
	}
	gs.Done = min(gs.Done, gs.Total)
	// The ETA of the whole: the slowest running part, when every part of
	// the plan is being run (every shard seen) and each has a rate.
	eta, known := 0.0, gs.Done == gs.Total || gs.Shards == 0 || len(shardsSeen(g.runs)) == gs.Shards
	for _, r := range g.runs {
		st := r.status(now)
		switch {
		case st.State == "complete", st.State == "finishing":
		case st.State == "running" && !math.IsNaN(float64(st.ETASeconds)):
			eta = max(eta, float64(st.ETASeconds))
		default:
			known = false
		}
	}
	if known && gs.Done < gs.Total {
		gs.ETASeconds = num(eta)
	}
	for _, a := range p.Arms {
		gs.Arms = append(gs.Arms, a.Name)
	}
	for _, pt := range p.Points {
		gs.Points = append(gs.Points, pointName(pt))
	}
	for _, m := range p.Metrics {
		gs.Metrics = append(gs.Metrics, Metric{m.Name, m.Unit, m.Description})
	}
	for _, win := range p.ComparisonWindows() {
		gs.Windows = append(gs.Windows, win.Name)
		label := fmt.Sprintf("%s (%s)", win.Name, p.MonthLabel(win.To))
		if win.From != win.To {
			label = fmt.Sprintf("%s (%s to %s)", win.Name, p.MonthLabel(win.From), p.MonthLabel(win.To))
		}
		gs.WindowLabels = append(gs.WindowLabels, label)
	}
	gs.Charted = p.Charts.Metrics
	if len(gs.Charted) == 0 {
		gs.Charted = []string{p.Metrics[0].Name}
	}
	return gs
}

func shardsSeen(runs []*run) map[int]bool {
	seen := map[int]bool{}
	for _, r := range runs {
		if r.man.Shard != nil {
			seen[r.man.Shard.Index] = true
		}
	}
	return seen
}

func pointName(pt results.Point) string {
	if pt.Name != "" {
		return pt.Name
	}
	return "(no sweep)"
}

// jobs returns every replication the group's runs have finished, from
// whichever run holds it (the shards hold disjoint jobs; a merged or
// duplicate directory holds the same bytes).
func (g *group) jobs() map[int][]float64 {
	out := map[int][]float64{}
	for _, r := range g.runs {
		if groupKey(r.man) != g.key || r.man.Plan.Months != g.man.Plan.Months || len(r.man.Plan.Metrics) != len(g.man.Plan.Metrics) {
			continue
		}
		for j, v := range r.jobs {
			if _, ok := out[j]; !ok {
				out[j] = v
			}
		}
	}
	return out
}

// view computes the charts of req over the group's finished replications.
func (g *group) view(req ViewRequest) *View {
	p := g.man.Plan
	point := req.Point
	if point < 0 || point >= len(p.Points) {
		point = 0
	}
	col := p.MetricIndex(req.Metric)
	if col < 0 {
		col = 0
		if len(p.Charts.Metrics) > 0 {
			if c := p.MetricIndex(p.Charts.Metrics[0]); c >= 0 {
				col = c
			}
		}
	}
	windows := p.ComparisonWindows()
	win := windows[0]
	for _, w := range windows {
		if w.Name == req.Window {
			win = w
		}
	}
	m := p.Metrics[col]
	v := &View{Group: g.key, Point: point, Metric: Metric{m.Name, m.Unit, m.Description}, Window: win.Name}
	for t := range p.Months {
		y, mo := p.Calendar(t)
		v.Months = append(v.Months, time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC).Unix())
	}
	jobs := g.jobs()
	nm := len(p.Metrics)
	// paths[a][r]: arm a's replication r, nil if not finished.
	paths := make([][][]float64, len(p.Arms))
	for a := range p.Arms {
		paths[a] = make([][]float64, p.Replications)
		for r := range paths[a] {
			paths[a][r] = jobs[p.JobIndex(a, point, r)]
		}
	}
	var x, scratch []float64
	for a, arm := range p.Arms {
		f := Fan{Arm: arm.Name}
		for _, path := range paths[a] {
			if path != nil {
				f.N++
			}
		}
		for t := range p.Months {
			x = x[:0]
			for _, path := range paths[a] {
				if path != nil {
					x = append(x, path[t*nm+col])
				}
			}
			if len(scratch) < len(x) {
				scratch = make([]float64, len(x))
			}
			s := stats.Summarize(x, scratch)
			f.Median = append(f.Median, num(s.Median))
			f.P05 = append(f.P05, num(s.P05))
			f.P25 = append(f.P25, num(s.P25))
			f.P75 = append(f.P75, num(s.P75))
			f.P95 = append(f.P95, num(s.P95))
		}
		v.Fans = append(v.Fans, f)
	}
	value := func(path []float64) float64 {
		sum := 0.0
		for t := win.From; t <= win.To; t++ {
			sum += path[t*nm+col]
		}
		return sum / float64(win.To-win.From+1)
	}
	for a := 1; a < len(p.Arms); a++ {
		var base, arm []float64
		for r := range p.Replications {
			if paths[0][r] != nil && paths[a][r] != nil {
				base = append(base, value(paths[0][r]))
				arm = append(arm, value(paths[a][r]))
			}
		}
		e := pairedEffect(base, arm)
		e.Arm = p.Arms[a].Name
		e.Definitional = p.IsDefinitional(p.Arms[a], m.Name)
		v.Effects = append(v.Effects, e)
	}
	return v
}

// pairedEffect is the paired comparison of arm with base (same
// replications, in order), and its narrowing path: the estimate and 95%
// paired-t interval after the first k pairs, by Welford's running mean and
// variance of the differences.
func pairedEffect(base, arm []float64) Effect {
	n := len(base)
	nan := num(math.NaN())
	e := Effect{N: n, BaseMean: nan, ArmMean: nan, Diff: nan, Lo: nan, Hi: nan,
		PathN: []int{}, PathLo: []num{}, PathHi: []num{}, PathD: []num{}}
	if n == 0 {
		return e
	}
	step := max(1, (n+maxPath-1)/maxPath)
	mean, m2, sb, sa := 0.0, 0.0, 0.0, 0.0
	var lo, hi float64
	for i := range n {
		d := arm[i] - base[i]
		sb += base[i]
		sa += arm[i]
		k := float64(i + 1)
		delta := d - mean
		mean += delta / k
		m2 += delta * (d - mean)
		lo, hi = math.NaN(), math.NaN()
		if i > 0 {
			h := stats.TQuantile(0.975, k-1) * math.Sqrt(m2/(k-1)/k)
			lo, hi = mean-h, mean+h
		}
		if (i+1)%step == 0 || i == n-1 {
			e.PathN = append(e.PathN, i+1)
			e.PathD = append(e.PathD, num(mean))
			e.PathLo = append(e.PathLo, num(lo))
			e.PathHi = append(e.PathHi, num(hi))
		}
	}
	e.BaseMean, e.ArmMean = num(sb/float64(n)), num(sa/float64(n))
	e.Diff, e.Lo, e.Hi = num(mean), num(lo), num(hi)
	return e
}

// encode is the snapshot as the JSON of an update event.
func (s *Snapshot) encode() ([]byte, error) { return json.Marshal(s) }
