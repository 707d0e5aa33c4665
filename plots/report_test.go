package plots

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"frontiersim/results"
	"frontiersim/stats"
)

// TestReportReadsTopDown: the summary comes first (the effects matrix, a
// sentence per policy, the validation status), then the charts, then the
// appendix of collapsed tables; numbers are formatted for a reader.
func TestReportReadsTopDown(t *testing.T) {
	d, values := fixtureValues("")
	d = withWindow(d, values)
	d.Comparison[0].PairingGain = math.NaN() // shown as "–", with the footnote
	d.Comparison[1].PairingGain = 5.05e6
	val := &Validation{Source: "docs/validation.md (measured at commit abc1234)", Facts: []ValidationFact{
		{ID: "SF1", Statement: "shares fall", Verdict: "FAIL", Status: "report only", Reason: "the share stays high"},
		{ID: "SF2", Statement: "rivals are funded", Verdict: "pass", Status: "asserted by its test"},
	}}
	path := filepath.Join(t.TempDir(), "report.html")
	x := newData(d)
	var charts []Chart
	for _, j := range x.jobs()[:3] {
		b, ok, err := j.draw("png")
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", j.name, ok, err)
		}
		charts = append(charts, Chart{Name: j.name, Format: "png", Bytes: b, Caption: j.caption})
	}
	if err := WriteReportWith(d, charts, "", path, ReportOptions{Validation: val}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	_, body, _ := strings.Cut(s, "<body>")
	text := regexp.MustCompile(`data:[^"]*`).ReplaceAllString(body, "")
	text, _, _ = strings.Cut(text, `<p class="note" id="footnotes">`)
	order := []string{`<h2 id="summary">`, `<table class="matrix">`, `<h3 id="levers">What each policy does</h3>`,
		`id="validation"`, `<h2 id="charts">`, `id="chart-summary"`, `<h2 id="appendix">`, `<details class="window">`, `<table class="comparison">`}
	at := 0
	for _, o := range order {
		i := strings.Index(s[at:], o)
		if i < 0 {
			t.Fatalf("%q missing or out of order", o)
		}
		at += i
	}
	for _, want := range []string{
		"The baseline and 2 policies (compute_cap, open_weights_subsidy), 20 replications each",
		"1 of 2 judged facts pass in docs/validation.md (measured at commit abc1234)",
		"<td>SF1</td>", "the share stays high",
		"(95% CI ", "not adjusted", "†", "&gt; 1,000×", "<td class=\"num\">–</td>",
		"It moves hhi_model by definition",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, bad := range []string{"is the baseline)", "NaN", `<td class="num"><strong>`, "Fan chart:", "(hhi_model)"} {
		if i := strings.Index(text, bad); i >= 0 {
			t.Errorf("report has %q: %s", bad, text[max(0, i-80):min(len(text), i+40)])
		}
	}
	if !strings.Contains(s, `<p class="note" id="footnotes">–: not a number`) {
		t.Error("no footnote for the –")
	}
	if m := regexp.MustCompile(`\b[0-9]+(\.[0-9]+)?e[+-][0-9]+\b`).FindString(text); m != "" {
		t.Errorf("e-notation in the report: %q", m)
	}
	if strings.Contains(text, "<td>SF2</td>") {
		t.Error("a passing fact is listed among the failures")
	}
}

// Past the image budget, charts are linked, not embedded.
func TestReportImageBudget(t *testing.T) {
	d := fixture("")
	charts := []Chart{
		{Name: "summary", Format: "png", Bytes: make([]byte, 600), Caption: "The summary."},
		{Name: "forest_x", Format: "png", Bytes: make([]byte, 300), Caption: "A forest."},
		{Name: "hist_x", Format: "png", Bytes: make([]byte, 300), Caption: "A histogram."},
	}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteReportWith(d, charts, "", path, ReportOptions{ImageBudget: 1000}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	s := string(b)
	if n := strings.Count(s, "<img "); n != 2 {
		t.Errorf("%d images embedded, want 2 (the summary and the forest)", n)
	}
	if !strings.Contains(s, `<a href="charts/hist_x.png">hist_x</a>: A histogram.`) {
		t.Error("the histogram past the budget is not linked")
	}
}

// Drawing as SVG removes the PNGs of an earlier drawing, and ReadCharts
// returns what the directory holds, with the registry's captions.
func TestRedrawRemovesStaleCharts(t *testing.T) {
	if raceDetector {
		t.Skip("draws every chart twice")
	}
	d := fixture("")
	dir := filepath.Join(t.TempDir(), "charts")
	png, err := DrawAll(d, dir)
	if err != nil {
		t.Fatal(err)
	}
	stray := filepath.Join(dir, "notes.txt") // not a chart: kept
	if err := os.WriteFile(stray, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	d.Manifest.Plan.Charts.Format = "svg"
	svg, err := DrawAll(d, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(svg) != len(png) {
		t.Fatalf("%d SVG charts, %d PNG", len(svg), len(png))
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".png") {
			t.Errorf("stale %s left behind", e.Name())
		}
	}
	if _, err := os.Stat(stray); err != nil {
		t.Errorf("a file that is not a chart was removed: %v", err)
	}
	d.Manifest.Plan.Charts.Format = "png" // the manifest says png; the directory holds SVG
	got, err := ReadCharts(d, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(svg) {
		t.Fatalf("ReadCharts: %d charts, want %d", len(got), len(svg))
	}
	for i, c := range got {
		if c.Format != "svg" || c.Name != svg[i].Name || c.Caption != svg[i].Caption || string(c.Bytes) != string(svg[i].Bytes) {
			t.Errorf("ReadCharts[%d] = %s.%s, want %s.svg as drawn", i, c.Name, c.Format, svg[i].Name)
		}
	}
}

// With [report] months thinning timeseries.csv to three months, the
// time-series charts are drawn from the replication store month by month
// (the summaries timeseries.csv would hold), not three points joined by
// lines; without a store they fall back to the table.
func TestTimeSeriesFromTheStore(t *testing.T) {
	d, values := fixtureValues("")
	keep := map[int]bool{5: true, 11: true, 23: true}
	var thin []results.SeriesRow
	for _, r := range d.Series {
		if keep[r.Month] {
			thin = append(thin, r)
		}
	}
	d.Series = thin
	d.Manifest.Plan.Report.Months = []int{5, 11, 23}
	x := dataWithPaths(d, values)
	m := d.Manifest.Plan.Metrics[0]
	rows := x.monthlyRows(1, m)
	if len(rows) != d.Manifest.Plan.Months {
		t.Fatalf("%d monthly rows, want %d", len(rows), d.Manifest.Plan.Months)
	}
	for _, month := range []int{0, 7, 23} {
		v := make([]float64, len(values[1][0]))
		for r := range v {
			v[r] = values[1][0][r][month][0]
		}
		s := stats.Summarize(v, make([]float64, len(v)))
		if got := rows[month]; got.Month != month || got.Median != s.Median || got.P05 != s.P05 || got.P95 != s.P95 || got.Mean != s.Mean {
			t.Errorf("month %d: %+v, want the summary %+v", month, got, s)
		}
	}
	noStore := newData(d)
	noStore.pathsOf = func(int, ...int) ([][][]float64, error) { return nil, os.ErrNotExist }
	if n := len(noStore.monthlyRows(1, m)); n != 3 {
		t.Errorf("without a store: %d rows, want the table's 3", n)
	}
}

// [charts] points draws the per-point charts at the points it names too,
// under NAME_at_POINT, with the point in the caption; "all" at every point.
func TestChartPoints(t *testing.T) {
	d := fixture("grid")
	ref := newData(d).ref
	count := func(points ...string) (n int, names []string) {
		d.Manifest.Plan.Charts.Points = points
		for _, j := range newData(d).jobs() {
			if _, pt, ok := strings.Cut(j.name, "_at_"); ok {
				n++
				if strings.HasPrefix(j.name, "fan_hhi_model_at_") {
					names = append(names, pt)
					if !strings.Contains(j.caption, "At sweep point "+pt+" (") {
						t.Errorf("%s: caption %q does not name the point", j.name, j.caption)
					}
				}
			}
		}
		return n, names
	}
	if n, _ := count(); n != 0 {
		t.Errorf("%d per-point charts without [charts] points", n)
	}
	refName := d.Manifest.Plan.Points[ref].Name
	if n, names := count("p0", refName); len(names) != 1 || names[0] != "p0" || n == 0 {
		t.Errorf("points p0 and the reference: %v (%d charts); want p0 only (the reference is drawn anyway)", names, n)
	}
	if _, names := count(results.AllPoints); len(names) != len(d.Manifest.Plan.Points)-1 {
		t.Errorf("all: %d points, want %d", len(names), len(d.Manifest.Plan.Points)-1)
	}
	for _, j := range newData(d).jobs() {
		if !results.IsChartFile(j.name + ".png") {
			t.Errorf("%s is not a chart file name", j.name)
		}
	}
}
