package plots

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
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

// chartGroup is a heading of the report's charts and the charts under it.
type chartGroup struct {
	Title  string
	Charts []chartView
}

// chartLink is a chart the report links to instead of embedding it.
type chartLink struct{ Name, File, Caption string }

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
// experiment lists, or a named window; Tables for the chart metrics in
// full, Others for every other metric in brief.
type compWindow struct {
	Title, Note string
	Tables      []compTable
	Others      []briefRow
}

// briefRow is one arm's difference on one metric, in the appendix's
// table of all metrics.
type briefRow struct {
	Metric, Unit, Arm, Diff, Paired string
	Sig, Definitional               bool
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

// leverView is one policy arm in the executive summary: what it sets and
// a sentence on its headline effects, generated from the numbers.
type leverView struct{ Arm, Description, Sentence string }

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
	Design             string // the design in a sentence
	Partial            bool
	JobsDone           int
	JobsTotal          int
	Summary            *chartView
	Matrix             *matrixView
	Levers             []leverView
	LeversNote         string
	Validation         *Validation
	ValidationFailing  []ValidationFact
	ValidationPassed   int
	ValidationJudged   int
	Groups             []chartGroup
	Linked             []chartLink
	LinkedNote         string
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
	Tested             int // the comparisons the appendix marks, for the caveat
	Definitional       []definitionalView
	Outcomes           []outcomeTable
	Analysis           []analysisSection // sensitivity and scenario discovery (analysis_report.go)
	Manifest           []kv
	TOML               string
	Missing            bool // some number is shown as "–" (NaN): the footnote explains it
}

func overrides(pv []results.ParamValue) string {
	var s []string
	for _, p := range pv {
		s = append(s, p.Name+" = "+fmtShortest(p.Value))
	}
	return strings.Join(s, "; ")
}

// DefaultImageBudget is the bytes of chart files a report embeds at most,
// by default: with base64 (a third more) and the tables, the default
// experiment's report stays under 2 MB (1.15 MB left it at 2.01 MB once the
// model had 184 metrics). The charts past it are linked.
const DefaultImageBudget = 1_050_000

// ReportOptions are what a report shows besides the result directory.
type ReportOptions struct {
	// Validation is the model's validation status (ParseValidation of
	// docs/validation.md), shown beside the results; nil leaves it out.
	Validation *Validation
	// ImageBudget bounds the bytes of the charts embedded, in the
	// report's order of importance (the summary, the effects matrix, the
	// forest plots, the effects over time, the sweep charts, the market
	// shares, the fan charts, the distributions); the charts past it are
	// linked (charts/NAME.EXT beside report.html). 0 means
	// DefaultImageBudget, a negative value no bound.
	ImageBudget int
}

// WriteReport is WriteReportWith without options.
func WriteReport(d *results.Dir, charts []Chart, experimentTOML string, path string) error {
	return WriteReportWith(d, charts, experimentTOML, path, ReportOptions{})
}

// WriteReportWith writes the HTML report of a result directory to path
// atomically: one file that reads top down. First the executive summary:
// the effects matrix (its first table), a sentence per policy on its
// headline effects with their intervals, generated from the numbers, and
// the model's validation status when opts has it; then the charts (as
// DrawAll returns them, embedded as data URIs from the bytes they hold,
// with their captions, up to opts.ImageBudget; the rest linked); then an
// appendix of collapsed details: the comparison tables with 95% intervals
// and units per window (the chart metrics in full, every other metric in
// brief), the horizon outcomes, the design (arms and their overrides,
// sweep points, metrics), the manifest without its timestamps (so that the
// same experiment gives a byte-identical report) and the experiment file
// as run (experimentTOML). Numbers are formatted by magnitude (no
// e-notation; NaN as "–", with a footnote); all text is escaped.
func WriteReportWith(d *results.Dir, charts []Chart, experimentTOML string, path string, opts ReportOptions) error {
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
		Validation: opts.Validation,
	}
	if v.Title == "" {
		v.Title = "frontiersim experiment"
	}
	v.Design = designSentence(plan)
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
					pv.Values = append(pv.Values, fmtShortest(val))
				} else {
					pv.Values = append(pv.Values, "")
				}
			}
			v.Points = append(v.Points, pv)
		}
	}
	if val := opts.Validation; val != nil {
		for _, f := range val.Facts {
			switch f.Verdict {
			case "pass":
				v.ValidationPassed++
				v.ValidationJudged++
			case "FAIL":
				v.ValidationJudged++
				v.ValidationFailing = append(v.ValidationFailing, f)
			}
		}
	}
	// nan notes that a number is shown as "–".
	nan := func(vs ...float64) {
		for _, f := range vs {
			if math.IsNaN(f) {
				v.Missing = true
			}
		}
	}

	// Tables: the report's metrics, else every metric; the chart metrics
	// in full, the others in brief.
	ms := plan.Metrics
	if len(plan.Report.Metrics) > 0 {
		ms = nil
		for _, name := range plan.Report.Metrics {
			if i := plan.MetricIndex(name); i >= 0 {
				ms = append(ms, plan.Metrics[i])
			}
		}
	}
	full := map[string]bool{}
	for _, mt := range chartMetrics(plan) {
		full[mt.Name] = true
	}
	// The comparison windows of the report: the horizon, the months the
	// experiment lists, the named windows and the lever starts' windows
	// (comparison.csv also has the year ends of an experiment that lists no
	// months).
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
	wins = append(wins, plan.AveragedWindows()...)
	for _, w := range wins {
		cw := compWindow{}
		switch {
		case w.Name == results.HorizonWindow:
			cw.Title = "At the horizon (" + plan.MonthLabel(w.To) + ")"
			cw.Note = "Differences arm − " + plan.Arms[0].Name + " at " + plan.MonthLabel(w.To) + ", the last month."
		case w.From == w.To:
			cw.Title = fmt.Sprintf("At %s (month %d)", plan.MonthLabel(w.To), w.To)
			cw.Note = "Differences arm − " + plan.Arms[0].Name + " at " + plan.MonthLabel(w.To) + " ([report] months)."
		case plan.IsLeverStart(w):
			cw.Title = fmt.Sprintf("From %s, when levers switch on (window %s, to %s)", plan.MonthLabel(w.From), w.Name, plan.MonthLabel(w.To))
			cw.Note = fmt.Sprintf("Differences arm − %s of each replication's mean over %s to %s (months %d to %d: from the month an arm's levers switch on, [[arms]] from = %d, to the horizon), paired replication by replication; before it such an arm is the baseline.",
				plan.Arms[0].Name, plan.MonthLabel(w.From), plan.MonthLabel(w.To), w.From, w.To, w.From)
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
			if !full[mt.Name] {
				for _, c := range rows {
					if c.Point != x.refPointName() {
						continue
					}
					t := fmtSame(c.Diff, c.PairedLo, c.PairedHi)
					nan(c.Diff, c.PairedLo, c.PairedHi)
					v.Tested++
					cw.Others = append(cw.Others, briefRow{Metric: mt.Name, Unit: mt.Unit, Arm: c.Arm, Diff: fmtSigned(t[0]),
						Paired: "[" + t[1] + ", " + t[2] + "]", Sig: c.PairedLo > 0 || c.PairedHi < 0, Definitional: c.Definitional})
				}
				continue
			}
			t := compTable{Metric: mt.Name, Unit: mt.Unit, Description: mt.Description}
			for _, c := range rows {
				means := fmtSame(c.BaselineMean, c.ArmMean)
				diff := fmtSame(c.Diff, c.PairedLo, c.PairedHi, c.BootLo, c.BootHi, c.UnpairedLo, c.UnpairedHi)
				nan(c.BaselineMean, c.ArmMean, c.Diff, c.PairedLo, c.PairedHi, c.BootLo, c.BootHi, c.UnpairedLo, c.UnpairedHi, c.PairingGain)
				r := compRow{Arm: c.Arm, Point: c.Point, N: c.N, Base: means[0], ArmMean: means[1], Diff: fmtSigned(diff[0]),
					Paired: "[" + diff[1] + ", " + diff[2] + "]", Boot: "[" + diff[3] + ", " + diff[4] + "]",
					Unpaired: "[" + diff[5] + ", " + diff[6] + "]", Gain: fmtGain(c.PairingGain),
					Sig: c.PairedLo > 0 || c.PairedHi < 0, Definitional: c.Definitional}
				if c.Definitional {
					r.Why = reasons(c.Arm, c.Metric)
				}
				v.Tested++
				t.Rows = append(t.Rows, r)
			}
			cw.Tables = append(cw.Tables, t)
		}
		if len(cw.Tables) > 0 || len(cw.Others) > 0 {
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
		if !full[mt.Name] {
			continue
		}
		t := outcomeTable{Metric: mt.Name, Unit: mt.Unit}
		for _, a := range plan.Arms {
			rows := x.series[seriesKey{a.Name, x.refPointName(), mt.Name}]
			if len(rows) == 0 || rows[len(rows)-1].Month != h {
				continue
			}
			r := rows[len(rows)-1]
			f := fmtSame(r.Mean, r.CILo, r.CIHi, r.Median, r.P05, r.P95)
			nan(r.Mean, r.CILo, r.CIHi, r.Median, r.P05, r.P95)
			t.Rows = append(t.Rows, outcomeRow{Arm: a.Name, N: r.N, Mean: f[0], CI: "[" + f[1] + ", " + f[2] + "]",
				Median: f[3], Range: "[" + f[4] + ", " + f[5] + "]"})
		}
		if len(t.Rows) > 0 {
			v.Outcomes = append(v.Outcomes, t)
		}
	}

	// The effects matrix: the report's first table, and the sentences.
	em, ok, err := x.matrix()
	if err != nil {
		return fmt.Errorf("plots: report: %w", err)
	}
	if ok {
		mv := &matrixView{Method: em.Method.Describe(), Arms: em.Arms,
			Title: "Effects at a glance, " + x.windowText(em.Window),
			Note: fmt.Sprintf("Each cell: Glass's Δ, the mean paired difference arm − %s (common random numbers) over the standard deviation of the metric across the replications of %s, "+
				"with the 95%% paired-t interval of the difference over the same SD, %s%s. %s; marked cells are outlined. "+
				"“By definition”: the arm sets a lever that moves the metric by construction; those cells are not findings and are left out of the adjustment. "+
				"The appendix gives the differences in the metrics' units.",
				plan.Arms[0].Name, plan.Arms[0].Name, x.windowText(em.Window), pointSuffix(x.pointNote()), capitalize(em.note()))}
		for j, mt := range em.Metrics {
			r := matrixRow{Metric: mt.Name, Unit: mt.Unit}
			for i := range em.Arms {
				c := em.Cells[i][j]
				if !c.OK {
					r.Cells = append(r.Cells, matrixCell{Missing: true})
					continue
				}
				nan(c.Effect, c.Lo, c.Hi)
				dt := fmtSame(c.Row.Diff)
				mc := matrixCell{Effect: fmtEffect(c.Effect), Interval: "[" + fmtEffect(c.Lo) + ", " + fmtEffect(c.Hi) + "]",
					Sig: c.Significant, Definitional: c.Definitional,
					Title: fmt.Sprintf("difference %s %s; p = %s", fmtSigned(dt[0]), mt.Unit, fmtP(c.P))}
				if c.Definitional {
					mc.Why = reasons(em.Arms[i], mt.Name)
				} else {
					mc.PAdj = fmtP(c.PAdj)
				}
				r.Cells = append(r.Cells, mc)
			}
			mv.Rows = append(mv.Rows, r)
		}
		v.Matrix = mv
		v.Levers, v.LeversNote = x.leverSentences(em, armByName)
	}

	// Charts.
	analysisCharts := map[string]chartView{}
	// Charts: embedded in order of importance up to the budget, the rest
	// linked.
	budget := opts.ImageBudget
	if budget == 0 {
		budget = DefaultImageBudget
	}
	order := slices.Clone(charts)
	slices.SortStableFunc(order, func(a, b Chart) int { return chartRank(a.Name) - chartRank(b.Name) })
	embed := map[string]bool{}
	used := 0
	for _, c := range order {
		if budget < 0 || used+len(c.Bytes) <= budget {
			embed[c.Name] = true
			used += len(c.Bytes)
		}
	}
	groups := map[string]*chartGroup{}
	var groupOrder []string
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
		if !embed[name] {
			v.Linked = append(v.Linked, chartLink{Name: name, File: results.ChartsDir + "/" + name + "." + c.Format, Caption: c.Caption})
			continue
		}
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
		title := chartGroupTitle(name, plan)
		g, ok := groups[title]
		if !ok {
			g = &chartGroup{Title: title}
			groups[title] = g
			groupOrder = append(groupOrder, title)
		}
		g.Charts = append(g.Charts, cv)
	}
	for _, t := range groupOrder {
		v.Groups = append(v.Groups, *groups[t])
	}
	if len(v.Linked) > 0 {
		v.LinkedNote = fmt.Sprintf("%d charts are not embedded, to keep this report small (%s of charts embedded); they are in %s/ beside report.html:",
			len(v.Linked), fmtBytes(used), results.ChartsDir)
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

// designSentence says in a sentence what the experiment compares: "The
// baseline and 4 policies (a, b, c, d) × 100 replications of 84 months,
// 2019-01 to 2025-12."
func designSentence(plan results.Plan) string {
	base := "The baseline"
	if plan.Arms[0].Name != "baseline" {
		base += ", " + plan.Arms[0].Name + ","
	}
	var s string
	switch n := len(plan.Arms) - 1; n {
	case 0:
		s = "One arm, " + plan.Arms[0].Name + ","
	case 1:
		s = fmt.Sprintf("%s and one policy, %s,", base, plan.Arms[1].Name)
	default:
		var names []string
		for _, a := range plan.Arms[1:] {
			names = append(names, a.Name)
		}
		s = fmt.Sprintf("%s and %d policies (%s),", base, n, strings.Join(names, ", "))
	}
	if len(plan.Points) > 1 {
		s += fmt.Sprintf(" at each of %d sweep points,", len(plan.Points))
	}
	return s + fmt.Sprintf(" %d replications each (common random numbers across arms), %d months from %s to %s.",
		plan.Replications, plan.Months, plan.MonthLabel(0), plan.MonthLabel(plan.Horizon()))
}

// chartRank orders charts for the report's image budget: what answers the
// policy question first.
func chartRank(name string) int {
	for i, p := range []string{"summary", "effects", "forest_", "effect_", "sweep_", "heatmap_", "shares_", "fan_", "box_", "hist_"} {
		if strings.HasPrefix(name, p) {
			return i
		}
	}
	return 99
}

// chartGroupTitle is the heading of the report's charts that name goes
// under.
func chartGroupTitle(name string, plan results.Plan) string {
	at := ""
	if _, pt, ok := strings.Cut(name, "_at_"); ok {
		at = " (sweep point " + pt + ")"
	}
	switch {
	case strings.HasPrefix(name, "forest_"):
		for _, w := range plan.AveragedWindows() {
			if strings.Contains(name, "."+fileSafe(w.Name)) {
				return "Policy effects over " + w.Name + at
			}
		}
		return "Policy effects at the horizon" + at
	case strings.HasPrefix(name, "effect_"):
		return "Policy effects over time" + at
	case strings.HasPrefix(name, "sweep_"), strings.HasPrefix(name, "heatmap_"):
		return "Policy effects across the sweep"
	case strings.HasPrefix(name, "shares_"):
		return "Market shares" + at
	case strings.HasPrefix(name, "fan_"):
		return "Outcomes over time" + at
	case strings.HasPrefix(name, "box_"), strings.HasPrefix(name, "hist_"):
		return "Outcomes at the horizon" + at
	}
	return "Other charts"
}

// fmtGain formats a pairing gain (unpaired over paired interval width).
func fmtGain(g float64) string {
	switch {
	case math.IsNaN(g):
		return missing
	case g > 1000:
		return "> 1,000×"
	}
	return fmtValue(g) + "×"
}

// fmtP formats a p-value: three significant digits, "< 0.0001" below.
func fmtP(p float64) string {
	switch {
	case math.IsNaN(p):
		return missing
	case p < 1e-4:
		return "< 0.0001"
	}
	return strconv.FormatFloat(p, 'g', 3, 64)
}

// fmtBytes formats a size in kB or MB.
func fmtBytes(n int) string {
	if n >= 1_000_000 {
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
	}
	return strconv.Itoa((n+500)/1000) + " kB"
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
