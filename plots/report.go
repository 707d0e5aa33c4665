package plots

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"frontiersim/results"
)

//go:embed report.html.tmpl
var reportTmpl string

var reportTemplate = template.Must(template.New("report").Parse(reportTmpl))

type kv struct{ Key, Value string }

type chartView struct {
	ID, Alt, Caption string
	Src              template.URL
}

type compRow struct {
	Arm, Point, Base, ArmMean, Diff, Paired, Boot, Unpaired, Gain string
	N                                                             int
	Sig                                                           bool
	Definitional                                                  bool
	Why                                                           string // why the arm moves the metric by definition
}

type compTable struct {
	Metric, Unit, Description string
	Rows                      []compRow
}

// compWindow is the comparison over one window: the horizon, a month the
// experiment lists, or a named window.
type compWindow struct {
	Title, Note string
	Tables      []compTable
}

// matrixView is the effects matrix of the report: a row per metric, a
// column per policy arm.
type matrixView struct {
	Title, Note, Method string
	Arms                []string
	Rows                []matrixRow
	Chart               *chartView
}

type matrixRow struct {
	Metric, Unit string
	Cells        []matrixCell
}

type matrixCell struct {
	Missing                bool
	Effect, Interval, PAdj string
	Title                  string // the raw difference and the p-values, as a tooltip
	Sig, Definitional      bool
	Why                    string
}

// definitionalView is one declared effect by definition that an arm of
// the experiment sets.
type definitionalView struct{ Lever, Metric, Why, Arms string }

type outcomeRow struct {
	Arm, Mean, CI, Median, Range string
	N                            int
}

type outcomeTable struct {
	Metric, Unit string
	Rows         []outcomeRow
}

type armView struct{ Name, Description, Overrides string }

type pointView struct {
	Name   string
	Values []string
}

type reportView struct {
	Title, Description string
	Partial            bool
	JobsDone           int
	JobsTotal          int
	Summary            *chartView
	Matrix             *matrixView
	Charts             []chartView
	Arms               []armView
	Baseline           string
	NumPoints          int
	Replications       int
	Months             int
	Start, End         string
	RefPoint           string
	Common             string
	Sweep              string
	SweepParams        []string
	Points             []pointView
	Metrics            []results.Metric
	Comparisons        []compWindow
	Definitional       []definitionalView
	Outcomes           []outcomeTable
	Analysis           []analysisSection // sensitivity and scenario discovery (analysis_report.go)
	Manifest           []kv
	TOML               string
}

// interval formats a 95% interval.
func interval(lo, hi float64) string { return "[" + fmtNum(lo) + ", " + fmtNum(hi) + "]" }

func overrides(pv []results.ParamValue) string {
	var s []string
	for _, p := range pv {
		s = append(s, p.Name+" = "+fmtNum(p.Value))
	}
	return strings.Join(s, "; ")
}

// WriteReport writes the HTML report of a result directory to path
// atomically: one self-contained file with the experiment's name and
// description, its design (arms and their overrides, sweep points, metrics),
// the comparison tables with 95% intervals and units, the horizon outcomes,
// the manifest without its timestamps (so that the same experiment gives a
// byte-identical report) and every chart of charts (as DrawAll returns
// them) embedded as a data URI with its caption, from the bytes it holds.
// experimentTOML is the experiment file as run; all text is escaped.
func WriteReport(d *results.Dir, charts []Chart, experimentTOML string, path string) error {
	if d == nil {
		return fmt.Errorf("plots: nil result directory")
	}
	m := d.Manifest
	plan := m.Plan
	if len(plan.Arms) == 0 || len(plan.Points) == 0 || plan.Months < 1 {
		return fmt.Errorf("plots: report: incomplete plan")
	}
	x := newData(d)
	v := reportView{
		Title: m.Experiment, Description: m.Description,
		Partial: m.Status != results.StatusComplete, JobsDone: m.JobsDone, JobsTotal: m.JobsTotal,
		Baseline: plan.Arms[0].Name, NumPoints: len(plan.Points), Replications: plan.Replications,
		Months: plan.Months, Start: plan.MonthLabel(0), End: plan.MonthLabel(plan.Horizon()),
		Common: overrides(plan.Overrides), Metrics: plan.Metrics, TOML: experimentTOML,
	}
	if v.Title == "" {
		v.Title = "frontiersim experiment"
	}
	if len(plan.Points) > 1 {
		v.RefPoint = "sweep point " + pointLabel(plan.Points[x.ref])
	}
	for _, a := range plan.Arms {
		v.Arms = append(v.Arms, armView{a.Name, a.Description, overrides(a.Overrides)})
	}
	if plan.Sweep != nil || len(plan.Points) > 1 {
		v.Sweep = "single point"
		if plan.Sweep != nil {
			v.Sweep = fmt.Sprintf("%s over %s", sweepKind(plan.Sweep.Kind), strings.Join(plan.Sweep.Parameters, ", "))
			v.SweepParams = plan.Sweep.Parameters
		}
		for _, pt := range plan.Points {
			pv := pointView{Name: pt.Name}
			for _, name := range v.SweepParams {
				val, ok := paramValue(pt, name)
				if ok {
					pv.Values = append(pv.Values, fmtNum(val))
				} else {
					pv.Values = append(pv.Values, "")
				}
			}
			v.Points = append(v.Points, pv)
		}
	}

	// Tables: the report's metrics, else every metric.
	ms := plan.Metrics
	if len(plan.Report.Metrics) > 0 {
		ms = nil
		for _, name := range plan.Report.Metrics {
			if i := plan.MetricIndex(name); i >= 0 {
				ms = append(ms, plan.Metrics[i])
			}
		}
	}
	// The comparison windows of the report: the horizon, the months the
	// experiment lists and the named windows (comparison.csv also has the
	// year ends of an experiment that lists no months).
	why := map[[2]string]string{} // lever, metric
	for _, de := range plan.Definitional {
		why[[2]string{de.Lever, de.Metric}] = de.Why
	}
	armByName := map[string]results.Arm{}
	for _, a := range plan.Arms {
		armByName[a.Name] = a
	}
	reasons := func(arm, metric string) string {
		var out []string
		for _, o := range armByName[arm].Overrides {
			if w, ok := why[[2]string{o.Name, metric}]; ok {
				out = append(out, o.Name+": "+w)
			}
		}
		return strings.Join(out, "; ")
	}
	byWindow := map[string]map[string][]results.ComparisonRow{}
	for _, c := range d.Comparison {
		if byWindow[c.Window] == nil {
			byWindow[c.Window] = map[string][]results.ComparisonRow{}
		}
		byWindow[c.Window][c.Metric] = append(byWindow[c.Window][c.Metric], c)
	}
	h0 := plan.Horizon()
	wins := []results.Window{{Name: results.HorizonWindow, From: h0, To: h0}}
	for _, t := range plan.Report.Months {
		if t != h0 {
			wins = append(wins, results.Window{Name: results.MonthWindow(t), From: t, To: t})
		}
	}
	wins = append(wins, plan.Report.Windows...)
	for _, w := range wins {
		cw := compWindow{}
		switch {
		case w.Name == results.HorizonWindow:
			cw.Title = "At the horizon (" + plan.MonthLabel(w.To) + ")"
			cw.Note = "Differences arm − " + plan.Arms[0].Name + " at " + plan.MonthLabel(w.To) + ", the last month."
		case w.From == w.To:
			cw.Title = fmt.Sprintf("At %s (month %d)", plan.MonthLabel(w.To), w.To)
			cw.Note = "Differences arm − " + plan.Arms[0].Name + " at " + plan.MonthLabel(w.To) + " ([report] months)."
		default:
			cw.Title = fmt.Sprintf("Window %s: %s to %s", w.Name, plan.MonthLabel(w.From), plan.MonthLabel(w.To))
			cw.Note = fmt.Sprintf("Differences arm − %s of each replication's mean over %s to %s (months %d to %d), paired replication by replication.",
				plan.Arms[0].Name, plan.MonthLabel(w.From), plan.MonthLabel(w.To), w.From, w.To)
		}
		for _, mt := range ms {
			rows := byWindow[w.Name][mt.Name]
			if len(rows) == 0 {
				continue
			}
			t := compTable{Metric: mt.Name, Unit: mt.Unit, Description: mt.Description}
			for _, c := range rows {
				r := compRow{Arm: c.Arm, Point: c.Point, N: c.N, Base: fmtNum(c.BaselineMean),
					ArmMean: fmtNum(c.ArmMean), Diff: fmtNum(c.Diff), Paired: interval(c.PairedLo, c.PairedHi),
					Boot: interval(c.BootLo, c.BootHi), Unpaired: interval(c.UnpairedLo, c.UnpairedHi),
					Gain: fmtNum(c.PairingGain), Sig: c.PairedLo > 0 || c.PairedHi < 0, Definitional: c.Definitional}
				if c.Definitional {
					r.Why = reasons(c.Arm, c.Metric)
				}
				t.Rows = append(t.Rows, r)
			}
			cw.Tables = append(cw.Tables, t)
		}
		if len(cw.Tables) > 0 {
			v.Comparisons = append(v.Comparisons, cw)
		}
	}
	for _, de := range plan.Definitional {
		var arms []string
		for _, a := range plan.Arms[1:] {
			if plan.IsDefinitional(a, de.Metric) && slices.ContainsFunc(a.Overrides, func(o results.ParamValue) bool { return o.Name == de.Lever }) {
				arms = append(arms, a.Name)
			}
		}
		if len(arms) > 0 {
			v.Definitional = append(v.Definitional, definitionalView{de.Lever, de.Metric, de.Why, strings.Join(arms, ", ")})
		}
	}
	h := plan.Horizon()
	for _, mt := range ms {
		t := outcomeTable{Metric: mt.Name, Unit: mt.Unit}
		for _, a := range plan.Arms {
			rows := x.series[seriesKey{a.Name, x.refPointName(), mt.Name}]
			if len(rows) == 0 || rows[len(rows)-1].Month != h {
				continue
			}
			r := rows[len(rows)-1]
			t.Rows = append(t.Rows, outcomeRow{Arm: a.Name, N: r.N, Mean: fmtNum(r.Mean), CI: interval(r.CILo, r.CIHi),
				Median: fmtNum(r.Median), Range: interval(r.P05, r.P95)})
		}
		if len(t.Rows) > 0 {
			v.Outcomes = append(v.Outcomes, t)
		}
	}

	// The effects matrix: the report's first table.
	em, ok, err := x.matrix()
	if err != nil {
		return fmt.Errorf("plots: report: %w", err)
	}
	if ok {
		mv := &matrixView{Method: em.Method.Describe(), Arms: em.Arms,
			Title: "Effects at a glance, " + x.windowText(em.Window),
			Note: fmt.Sprintf("Each cell: Glass's Δ, the mean paired difference arm − %s (common random numbers) over the standard deviation of the metric across the replications of %s, "+
				"with the 95%% paired-t interval of the difference over the same SD, %s%s. %s; shaded: marked. "+
				"“By definition”: the arm sets a lever that moves the metric by construction; those cells are not findings and are left out of the adjustment. "+
				"The tables below give the differences in the metrics' units.",
				plan.Arms[0].Name, plan.Arms[0].Name, x.windowText(em.Window), pointSuffix(x.pointNote()), capitalize(em.note()))}
		for j, mt := range em.Metrics {
			r := matrixRow{Metric: mt.Name, Unit: mt.Unit}
			for i := range em.Arms {
				c := em.Cells[i][j]
				if !c.OK {
					r.Cells = append(r.Cells, matrixCell{Missing: true})
					continue
				}
				mc := matrixCell{Effect: fmtEffect(c.Effect), Interval: "[" + fmtEffect(c.Lo) + ", " + fmtEffect(c.Hi) + "]",
					Sig: c.Significant, Definitional: c.Definitional,
					Title: fmt.Sprintf("difference %s %s; p = %s", fmtNum(c.Row.Diff), mt.Unit, fmtNum(c.P))}
				if c.Definitional {
					mc.Why = reasons(em.Arms[i], mt.Name)
				} else {
					mc.PAdj = fmtNum(c.PAdj)
				}
				r.Cells = append(r.Cells, mc)
			}
			mv.Rows = append(mv.Rows, r)
		}
		v.Matrix = mv
	}

	// Charts.
	analysisCharts := map[string]chartView{}
	for _, c := range charts {
		var mime string
		switch c.Format {
		case "png":
			mime = "image/png"
		case "svg":
			mime = "image/svg+xml"
		default:
			return fmt.Errorf("plots: report: chart %s: format %q is not png or svg", c.Name, c.Format)
		}
		name := c.Name
		cv := chartView{ID: "chart-" + name, Alt: name, Caption: c.Caption,
			Src: template.URL("data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(c.Bytes))}
		if name == "effects" && v.Matrix != nil && v.Matrix.Chart == nil {
			c := cv
			v.Matrix.Chart = &c
			continue
		}
		if isAnalysisChart(name) {
			analysisCharts[name] = cv
			continue
		}
		if name == "summary" && v.Summary == nil {
			c := cv
			c.ID = ""
			v.Summary = &c
			continue
		}
		v.Charts = append(v.Charts, cv)
	}

	if v.Analysis, err = analysisSections(d, analysisCharts); err != nil {
		return fmt.Errorf("plots: report: %w", err)
	}
	v.Manifest = []kv{
		{"experiment", m.Experiment},
		{"experiment hash (SHA-256)", m.ExperimentHash},
		{"program version", m.ProgramVersion},
		{"source revision", revisionText(m)},
		{"Go version", m.GoVersion},
		{"seed", fmt.Sprint(m.Seed)},
		{"status", m.Status},
		{"replications done", fmt.Sprintf("%d of %d", m.JobsDone, m.JobsTotal)},
		{"arms × points × replications", fmt.Sprintf("%d × %d × %d", len(plan.Arms), len(plan.Points), plan.Replications)},
		{"months", fmt.Sprintf("%d (%s to %s)", plan.Months, v.Start, v.End)},
		{"buyers", fmt.Sprint(plan.Buyers)},
		{"chart format", plan.Charts.Format},
	}
	if m.Shard != nil {
		v.Manifest = append(v.Manifest, kv{"shard", fmt.Sprintf("%d of %d", m.Shard.Index, m.Shard.Count)})
	}
	if st := m.StoppingSummary(); st != "" {
		v.Manifest = append(v.Manifest, kv{"stopping rule", st})
	}

	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("plots: report: %w", err)
	}
	return results.WriteFileAtomic(path, buf.Bytes())
}

// pointSuffix is ", " and a sweep point's note, or "" without a sweep.
func pointSuffix(note string) string {
	if note == "" {
		return ""
	}
	return ", " + note
}

// capitalize upper-cases the first letter of s (ASCII).
func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// revisionText describes the source revision a manifest records.
func revisionText(m results.Manifest) string {
	switch {
	case m.Revision == "":
		return "unknown (built without VCS information)"
	case m.Dirty:
		return m.Revision + " with uncommitted changes"
	}
	return m.Revision
}
