package results

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// ErrInconsistent is wrapped by every error about a result directory whose
// files contradict each other: a manifest that is not self-consistent, or
// tables or a replication store that do not match their manifest. runsim
// never writes such a directory; it comes from editing files by hand or
// mixing files of different runs.
var ErrInconsistent = errors.New("the result files disagree (edited by hand?): restore them or run the experiment again")

func inconsistent(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrInconsistent)
}

// maxYear bounds the calendar of a plan (its dates are written YYYY-MM).
const maxYear = 9999

// checkPlan reports what makes the manifest's plan unusable or contradict
// itself: dates outside the calendar, unknown or duplicate names, report
// and chart choices that name no metric, sweep points that do not follow
// the sweep, a job count that does not follow the plan and shard.
func (m Manifest) checkPlan() error {
	p := m.Plan
	if p.StartMonth < 1 || p.StartMonth > 12 {
		return inconsistent("plan.start_month is %d: want 1 to 12", p.StartMonth)
	}
	if p.StartYear < 1 || p.StartYear > maxYear {
		return inconsistent("plan.start_year is %d: want 1 to %d", p.StartYear, maxYear)
	}
	if p.Months > (maxYear-p.StartYear+1)*12-(p.StartMonth-1) {
		return inconsistent("plan.months is %d: from %04d-%02d that ends after the year %d", p.Months, p.StartYear, p.StartMonth, maxYear)
	}
	arms := map[string]bool{}
	for i, a := range p.Arms {
		switch {
		case a.Name == "":
			return inconsistent("plan.arms[%d] has no name", i)
		case arms[a.Name]:
			return inconsistent("plan.arms[%d]: arm %q is listed twice", i, a.Name)
		case a.From < 0 || a.From >= max(p.Months, 1):
			return inconsistent("plan.arms[%d] (%q): its levers switch on at month %d: want 0 to %d", i, a.Name, a.From, p.Months-1)
		case i == 0 && a.From != 0:
			return inconsistent("plan.arms[0] (%q), the baseline, has levers switching on at month %d: want none", a.Name, a.From)
		}
		arms[a.Name] = true
	}
	points := map[string]bool{}
	for i, pt := range p.Points {
		if points[pt.Name] {
			return inconsistent("plan.points[%d]: sweep point %q is listed twice", i, pt.Name)
		}
		points[pt.Name] = true
		if err := checkPointParams(p, i); err != nil {
			return err
		}
	}
	if p.Sweep == nil && len(p.Points) != 1 {
		return inconsistent("plan has %d sweep points but no sweep", len(p.Points))
	}
	if p.Sweep != nil {
		for _, name := range slices.Sorted(maps.Keys(p.Sweep.Levels)) {
			switch {
			case !slices.Contains(p.Sweep.Parameters, name):
				return inconsistent("plan.sweep.levels names %q, which the sweep does not sweep", name)
			case len(p.Sweep.Levels[name]) == 0:
				return inconsistent("plan.sweep.levels of %q is empty: a categorical parameter has a label per value", name)
			}
		}
	}
	metrics := map[string]bool{}
	for i, mt := range p.Metrics {
		switch {
		case mt.Name == "":
			return inconsistent("plan.metrics[%d] has no name", i)
		case metrics[mt.Name]:
			return inconsistent("plan.metrics[%d]: metric %q is listed twice", i, mt.Name)
		}
		metrics[mt.Name] = true
	}
	for i, name := range p.Report.Metrics {
		if !metrics[name] {
			return inconsistent("plan.report.metrics[%d]: %q is not one of the plan's metrics", i, name)
		}
	}
	for i, t := range p.Report.Months {
		if t < 0 || t >= p.Months {
			return inconsistent("plan.report.months[%d] is %d: want 0 to %d", i, t, p.Months-1)
		}
	}
	windows := map[string]bool{}
	for i, w := range p.Report.Windows {
		switch {
		case w.Name == "" || !safeName(w.Name):
			return inconsistent("plan.report.windows[%d]: name %q: want letters, digits, '_', '-' and '.'", i, w.Name)
		case IsReservedWindowName(w.Name):
			return inconsistent("plan.report.windows[%d]: name %q is reserved for the horizon and single months", i, w.Name)
		case windows[w.Name]:
			return inconsistent("plan.report.windows[%d]: window %q is listed twice", i, w.Name)
		case w.From < 0 || w.From > w.To || w.To >= p.Months:
			return inconsistent("plan.report.windows[%d] (%q) is months %d to %d: want 0 <= from <= to <= %d", i, w.Name, w.From, w.To, p.Months-1)
		}
		windows[w.Name] = true
	}
	if mw := p.Report.MatrixWindow; mw != "" && !slices.ContainsFunc(p.ComparisonWindows(), func(w Window) bool { return w.Name == mw }) {
		return inconsistent("plan.report.matrix_window %q is not one of the windows comparison.csv compares", mw)
	}
	for i, d := range p.Definitional {
		switch {
		case d.Lever == "":
			return inconsistent("plan.definitional[%d] names no lever", i)
		case !metrics[d.Metric]:
			return inconsistent("plan.definitional[%d]: %q is not one of the plan's metrics", i, d.Metric)
		}
	}
	for i, name := range p.Charts.Metrics {
		if !metrics[name] {
			return inconsistent("plan.charts.metrics[%d]: %q is not one of the plan's metrics", i, name)
		}
	}
	if h := p.Charts.Heatmap; h != "" && !metrics[h] {
		return inconsistent("plan.charts.heatmap: %q is not one of the plan's metrics", h)
	}
	if err := m.checkStopping(metrics, arms); err != nil {
		return err
	}
	if want := m.shardJobCount(); m.JobsTotal != want {
		return inconsistent("jobs_total is %d, but the plan (%d arm(s) × %d point(s) × %d replications%s) has %d",
			m.JobsTotal, len(p.Arms), len(p.Points), p.Replications, m.shardText(), want)
	}
	if m.Status == StatusComplete && m.JobsDone != m.JobsTotal {
		return inconsistent("status is complete but jobs_done is %d of %d", m.JobsDone, m.JobsTotal)
	}
	return nil
}

// checkStopping checks the stopping rule against the plan's metrics and
// arms, and what it decided against the plan's replications.
func (m Manifest) checkStopping(metrics, arms map[string]bool) error {
	p, s := m.Plan, m.Plan.Stopping
	if s == nil {
		if m.Stopped != nil {
			return inconsistent("stopped is set, but the plan has no stopping rule")
		}
		return nil
	}
	switch {
	case !metrics[s.Metric]:
		return inconsistent("plan.stopping.metric: %q is not one of the plan's metrics", s.Metric)
	case len(s.Arms) == 0:
		return inconsistent("plan.stopping.arms is empty")
	case s.From < 0 || s.From > s.To || s.To >= p.Months:
		return inconsistent("plan.stopping window %q is months %d to %d: want 0 <= from <= to <= %d", s.Window, s.From, s.To, p.Months-1)
	case s.Batch < 1 || s.MinReplications < 2 || s.MaxReplications < s.MinReplications:
		return inconsistent("plan.stopping: batch %d, min_replications %d, max_replications %d: want batch >= 1 and 2 <= min <= max", s.Batch, s.MinReplications, s.MaxReplications)
	case p.Replications > s.MaxReplications:
		return inconsistent("plan.replications is %d, more than plan.stopping.max_replications %d", p.Replications, s.MaxReplications)
	case m.Stopped != nil && m.Stopped.Replications != p.Replications:
		return inconsistent("stopped.replications is %d, but the plan has %d", m.Stopped.Replications, p.Replications)
	}
	for i, a := range s.Arms {
		if !arms[a] || a == p.Arms[0].Name {
			return inconsistent("plan.stopping.arms[%d]: %q is not one of the plan's policy arms", i, a)
		}
	}
	return nil
}

// checkPointParams: with a sweep, every point sets the swept parameters in
// the sweep's order; without one, the single point sets nothing.
func checkPointParams(p Plan, i int) error {
	pt := p.Points[i]
	var want []string
	if p.Sweep != nil {
		want = p.Sweep.Parameters
	}
	if len(pt.Params) != len(want) {
		return inconsistent("plan.points[%d] (%q) sets %d parameter(s), but the sweep has %d", i, pt.Name, len(pt.Params), len(want))
	}
	for k, pv := range pt.Params {
		if pv.Name != want[k] {
			return inconsistent("plan.points[%d] (%q) sets %q where the sweep has %q", i, pt.Name, pv.Name, want[k])
		}
	}
	return nil
}

// shardJobCount is the number of jobs of the manifest's shard (of the whole
// plan without one): job i belongs to shard (i mod N) + 1.
func (m Manifest) shardJobCount() int {
	total := m.Plan.Jobs()
	if m.Shard == nil || m.Shard.Count <= 1 {
		return total
	}
	first := m.Shard.Index - 1
	if first >= total {
		return 0
	}
	return (total - first + m.Shard.Count - 1) / m.Shard.Count
}

func (m Manifest) shardText() string {
	if m.Shard == nil || m.Shard.Count <= 1 {
		return ""
	}
	return fmt.Sprintf(", shard %d/%d", m.Shard.Index, m.Shard.Count)
}

// ReportedMetrics returns the columns of the metrics the tables report, in
// the order the tables list them (every metric when the plan names none).
func (p Plan) ReportedMetrics() []int {
	if len(p.Report.Metrics) == 0 {
		out := make([]int, len(p.Metrics))
		for i := range out {
			out[i] = i
		}
		return out
	}
	var out []int
	for _, name := range p.Report.Metrics {
		if i := p.MetricIndex(name); i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

// ReportedMonths returns the months timeseries.csv reports (every month when
// the plan names none).
func (p Plan) ReportedMonths() []int {
	if len(p.Report.Months) > 0 {
		return p.Report.Months
	}
	out := make([]int, p.Months)
	for i := range out {
		out[i] = i
	}
	return out
}

// checkTables checks the tables read by ReadTables against the manifest: a
// complete run has exactly the rows its plan makes, in the order runsim
// writes them (runs.csv per arm × point × replication, timeseries.csv per
// arm × point × reported month × reported metric, comparison.csv per policy
// arm × point × comparison window × reported metric); rows of another plan
// (an arm removed from the manifest, a metric renamed, months changed) are
// named.
func (d *Dir) checkTables() error {
	p := d.Manifest.Plan
	if d.Manifest.Status != StatusComplete || d.Manifest.Shard != nil && d.Manifest.Shard.Count > 1 {
		return nil // the tables are written only at the end, of the whole plan
	}
	path := func(name string) string { return filepath.Join(d.Path, name) }
	if err := d.checkNames(); err != nil {
		return err
	}
	if len(d.Runs) != p.Jobs() {
		return inconsistent("%s has %d rows, but the manifest's plan has %d replications (%d arm(s) × %d point(s) × %d)",
			path(RunsFile), len(d.Runs), p.Jobs(), len(p.Arms), len(p.Points), p.Replications)
	}
	for i, r := range d.Runs {
		a, pt, rep := p.Position(i)
		if r.Arm != p.Arms[a].Name || r.Point != p.Points[pt].Name || r.Replication != rep {
			return inconsistent("%s line %d is arm %q, point %q, replication %d; the manifest's plan has arm %q, point %q, replication %d there",
				path(RunsFile), i+2, r.Arm, r.Point, r.Replication, p.Arms[a].Name, p.Points[pt].Name, rep)
		}
	}
	ms, months := p.ReportedMetrics(), p.ReportedMonths()
	want := len(p.Arms) * len(p.Points) * len(months) * len(ms)
	if len(d.Series) != want {
		return inconsistent("%s has %d rows, but the manifest's plan reports %d (%d arm(s) × %d point(s) × %d month(s) × %d metric(s))",
			path(TimeseriesFile), len(d.Series), want, len(p.Arms), len(p.Points), len(months), len(ms))
	}
	i := 0
	for _, arm := range p.Arms {
		for _, pt := range p.Points {
			for _, t := range months {
				date := p.MonthLabel(t)
				for _, c := range ms {
					r := d.Series[i]
					i++
					if r.Arm != arm.Name || r.Point != pt.Name || r.Month != t || r.Metric != p.Metrics[c].Name {
						return inconsistent("%s line %d is arm %q, point %q, month %d, metric %q; the manifest's plan has arm %q, point %q, month %d, metric %q there",
							path(TimeseriesFile), i+1, r.Arm, r.Point, r.Month, r.Metric, arm.Name, pt.Name, t, p.Metrics[c].Name)
					}
					if r.Date != date {
						return inconsistent("%s line %d: month %d is %s, but the manifest's plan (from %04d-%02d) makes it %s",
							path(TimeseriesFile), i+1, t, r.Date, p.StartYear, p.StartMonth, date)
					}
					if r.N != p.Replications {
						return inconsistent("%s line %d: n is %d, but the manifest's plan has %d replications", path(TimeseriesFile), i+1, r.N, p.Replications)
					}
				}
			}
		}
	}
	wins := p.ComparisonWindows()
	want = (len(p.Arms) - 1) * len(p.Points) * len(wins) * len(ms)
	if len(d.Comparison) != want {
		return inconsistent("%s has %d rows, but the manifest's plan compares %d (%d policy arm(s) × %d point(s) × %d window(s) × %d metric(s))",
			path(ComparisonFile), len(d.Comparison), want, len(p.Arms)-1, len(p.Points), len(wins), len(ms))
	}
	i = 0
	for _, arm := range p.Arms[1:] {
		for _, pt := range p.Points {
			for _, w := range wins {
				for _, c := range ms {
					r := d.Comparison[i]
					i++
					if r.Arm != arm.Name || r.Point != pt.Name || r.Metric != p.Metrics[c].Name || r.Window != w.Name || r.From != w.From || r.Month != w.To {
						return inconsistent("%s line %d is arm %q, point %q, metric %q, window %q (months %d to %d); the manifest's plan has arm %q, point %q, metric %q, window %q (months %d to %d) there",
							path(ComparisonFile), i+1, r.Arm, r.Point, r.Metric, r.Window, r.From, r.Month, arm.Name, pt.Name, p.Metrics[c].Name, w.Name, w.From, w.To)
					}
					if want := p.IsDefinitional(arm, r.Metric); r.Definitional != want {
						return inconsistent("%s line %d: definitional is %t, but the manifest's plan makes it %t", path(ComparisonFile), i+1, r.Definitional, want)
					}
				}
			}
		}
	}
	return nil
}

// checkNames reports the first table row that names an arm, sweep point
// or metric the manifest's plan does not have.
func (d *Dir) checkNames() error {
	p := d.Manifest.Plan
	arms, points, metrics := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, a := range p.Arms {
		arms[a.Name] = true
	}
	for _, pt := range p.Points {
		points[pt.Name] = true
	}
	for _, m := range p.Metrics {
		metrics[m.Name] = true
	}
	check := func(file string, line int, arm, point, metric string) error {
		switch {
		case !arms[arm]:
			return inconsistent("%s line %d: arm %q is not in the manifest's plan", filepath.Join(d.Path, file), line, arm)
		case !points[point]:
			return inconsistent("%s line %d: sweep point %q is not in the manifest's plan", filepath.Join(d.Path, file), line, point)
		case metric != "" && !metrics[metric]:
			return inconsistent("%s line %d: metric %q is not in the manifest's plan", filepath.Join(d.Path, file), line, metric)
		}
		return nil
	}
	for i, r := range d.Runs {
		if err := check(RunsFile, i+2, r.Arm, r.Point, ""); err != nil {
			return err
		}
	}
	for i, r := range d.Series {
		if err := check(TimeseriesFile, i+2, r.Arm, r.Point, r.Metric); err != nil {
			return err
		}
	}
	for i, r := range d.Comparison {
		if err := check(ComparisonFile, i+2, r.Arm, r.Point, r.Metric); err != nil {
			return err
		}
	}
	return nil
}

// checkStore checks the replication store's shape against the manifest:
// months and metrics per record, and for a complete run one record per
// job. A directory without a store (deleted to save space) passes.
func (d *Dir) checkStore() error {
	path := filepath.Join(d.Path, StoreFile)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	h, err := readHeader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	p := d.Manifest.Plan
	if h.Months != p.Months || h.Metrics != len(p.Metrics) {
		return inconsistent("%s holds %d months × %d metrics per replication, but the manifest's plan has %d × %d",
			path, h.Months, h.Metrics, p.Months, len(p.Metrics))
	}
	if d.Manifest.Status != StatusComplete {
		return nil
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if want := storeHeaderSize + int64(d.Manifest.JobsTotal)*h.RecordSize(); fi.Size() != want {
		return inconsistent("%s is %d bytes, but %d replications of %d months × %d metrics make %d",
			path, fi.Size(), d.Manifest.JobsTotal, h.Months, h.Metrics, want)
	}
	return nil
}
