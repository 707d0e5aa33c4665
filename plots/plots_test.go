package plots

import (
	"bytes"
	"encoding/base64"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontiersim/results"
)

// names returns the charts' file names, checking that each is the file
// DrawAll wrote and holds the bytes it returned.
func names(t *testing.T, charts []Chart) []string {
	t.Helper()
	var s []string
	for _, c := range charts {
		name := c.Name + "." + c.Format
		if filepath.Base(c.Path) != name {
			t.Errorf("chart %s written to %s", name, c.Path)
		}
		if b, err := os.ReadFile(c.Path); err != nil || !bytes.Equal(b, c.Bytes) || len(b) == 0 {
			t.Errorf("%s: the file does not hold the %d bytes DrawAll returned (%v)", c.Path, len(c.Bytes), err)
		}
		if c.Caption == "" {
			t.Errorf("%s has no caption", name)
		}
		s = append(s, name)
	}
	return s
}

func TestDrawAllDeterministic(t *testing.T) {
	sweeps := []string{"", "grid", "lhs"}
	if testing.Short() {
		sweeps = sweeps[:1] // the golden test covers the sweep charts
	}
	for _, sweep := range sweeps {
		d := fixture(sweep)
		dir1, dir2 := t.TempDir(), t.TempDir()
		t0 := time.Now()
		p1, err := DrawAll(d, filepath.Join(dir1, "charts"))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("sweep %q: %d charts in %v", sweep, len(p1), time.Since(t0))
		p2, err := DrawAll(d, filepath.Join(dir2, "charts"))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(names(t, p1), ",") != strings.Join(names(t, p2), ",") {
			t.Fatalf("chart lists differ: %v vs %v", names(t, p1), names(t, p2))
		}
		for i := range p1 {
			if len(p1[i].Bytes) == 0 || !bytes.Equal(p1[i].Bytes, p2[i].Bytes) || p1[i].Caption != p2[i].Caption {
				t.Errorf("%s: not byte-identical between runs", names(t, p1)[i])
			}
		}
		want := []string{"summary.png", "fan_hhi_model.png", "forest_hhi_model.png", "box_hhi_model.png",
			"hist_hhi_model.png", "shares_model.png", "shares_cloud.png"}
		if sweep != "" {
			want = append(want, "heatmap_hhi_model.png")
			if sweep == "grid" {
				want[len(want)-1] = "heatmap_consumer_surplus.png"
			}
		}
		got := strings.Join(names(t, p1), ",")
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("sweep %q: %s missing from %s", sweep, w, got)
			}
		}
		if sweep == "" && strings.Contains(got, "heatmap") {
			t.Errorf("heatmap drawn without a sweep")
		}
		var r1, r2 []byte
		for i, dir := range []string{dir1, dir2} {
			paths := p1
			if i == 1 {
				paths = p2
			}
			path := filepath.Join(dir, results.ReportFile)
			if err := WriteReport(d, paths, "name = \"<script>alert(1)</script>\"\n", path); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				r1 = b
			} else {
				r2 = b
			}
		}
		if !bytes.Equal(r1, r2) {
			t.Errorf("sweep %q: report not byte-identical between runs", sweep)
		}
		s := string(r1)
		for _, bad := range []string{"<script>", "<compute cap>", "2025-01-01T00"} {
			if strings.Contains(s, bad) {
				t.Errorf("report contains %q", bad)
			}
		}
		for _, good := range []string{"&lt;script&gt;", "&lt;compute cap&gt;", "data:image/png;base64,", "paired t 95% CI",
			"USD bn/month", "policy.compute_cap = 1.00×10²⁵"} {
			if !strings.Contains(s, good) {
				t.Errorf("report lacks %q", good)
			}
		}
		if n := strings.Count(s, "<img "); n != len(p1) {
			t.Errorf("report embeds %d images, want %d", n, len(p1))
		}
	}
}

func TestDrawAllSVG(t *testing.T) {
	d := fixture("")
	d.Manifest.Plan.Charts.Format = "svg"
	d.Manifest.Plan.Charts.Metrics = []string{"consumer_surplus"}
	paths, err := DrawAll(d, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 8 { // the summary, the effects matrix, fan, forest, box, hist and two share charts
		t.Errorf("got %v", names(t, paths))
	}
	for _, c := range paths {
		if c.Format != "svg" || !strings.HasSuffix(c.Path, ".svg") || !bytes.Contains(c.Bytes, []byte("<svg")) {
			t.Errorf("%s is not an SVG", c.Path)
		}
	}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteReport(d, paths, "", path); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !bytes.Contains(b, []byte("data:image/svg")) {
		t.Error("report lacks the SVG charts")
	}
}

func TestDrawAllRobust(t *testing.T) {
	// One arm, no comparison, NaN values, a metric without unit, no shares.
	d := fixture("")
	d.Manifest.Plan.Arms = d.Manifest.Plan.Arms[:1]
	d.Manifest.Plan.Metrics = d.Manifest.Plan.Metrics[:3]
	d.Manifest.JobsTotal = d.Manifest.Plan.Jobs()
	d.Manifest.JobsDone = d.Manifest.JobsTotal
	d.Manifest.Plan.Metrics[2].Unit = ""
	d.Comparison = nil
	var series []results.SeriesRow
	for _, r := range d.Series {
		if r.Arm == "baseline" && d.Manifest.Plan.MetricIndex(r.Metric) >= 0 {
			if r.Metric == "price_index" && r.Month%5 == 0 {
				r.Median = nan()
			}
			series = append(series, r)
		}
	}
	d.Series = series
	var runs []results.Run
	for _, r := range d.Runs {
		if r.Arm == "baseline" {
			r.Values = r.Values[:3]
			r.Values[1] = nan()
			runs = append(runs, r)
		}
	}
	d.Runs = runs
	paths, err := DrawAll(d, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(names(t, paths), ",")
	if strings.Contains(got, "forest") || strings.Contains(got, "shares") || strings.Contains(got, "box_consumer_surplus") {
		t.Errorf("charts that do not apply were drawn: %s", got)
	}
	if !strings.Contains(got, "fan_price_index") {
		t.Errorf("fan chart missing: %s", got)
	}
	if _, err := DrawAll(&results.Dir{}, t.TempDir()); err == nil {
		t.Error("empty manifest accepted")
	}
	d.Manifest.Plan.Charts.Format = "gif"
	if _, err := DrawAll(d, t.TempDir()); err == nil {
		t.Error("unknown format accepted")
	}
}

func nan() float64 { var z float64; return z / z }

func TestCalendarTicks(t *testing.T) {
	var labels []string
	for _, tk := range calendarTicks(2019, 2026+11.0/12) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "2019 2020 2021 2022 2023 2024 2025 2026" {
		t.Errorf("yearly labels: %s", got)
	}
	for _, c := range []struct {
		lo, hi float64
		room   int
		want   string
	}{
		{2019, 2020 + 11.0/12, 4, "Jan 2019 Jul 2019 Jan 2020 Jul 2020"},
		{2019, 2020 + 11.0/12, 8, "Jan 2019 Apr 2019 Jul 2019 Oct 2019 Jan 2020 Apr 2020 Jul 2020 Oct 2020"},
		// a small panel over seven years: every other year, never all seven
		{2019, 2025 + 11.0/12, 4, "2020 2022 2024"},
		{2019, 2025 + 11.0/12, 1, "2020"},
		{2019, 2068 + 11.0/12, 6, "2020 2030 2040 2050 2060"},
	} {
		var labels []string
		for _, tk := range (calendarTicker{maxLabels: c.room}).Ticks(c.lo, c.hi) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if got := strings.Join(labels, " "); got != c.want {
			t.Errorf("%g to %g, room for %d: labels %q, want %q", c.lo, c.hi, c.room, got, c.want)
		}
	}
}

func BenchmarkDrawAll(b *testing.B) {
	d := fixture("")
	dir := b.TempDir()
	for b.Loop() {
		if _, err := DrawAll(d, dir); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNiceTicksDegenerateRange is the regression test of a hang: two arms
// whose values differ by 1-2 ulp (about 3042.05) made a step of 1e-13 and a
// tick counter beyond 2^53.
func TestNiceTicksDegenerateRange(t *testing.T) {
	lo := 3042.05
	hi := math.Nextafter(math.Nextafter(lo, 4000), 4000)
	if got := niceTicks(lo, hi); len(got) != 1 {
		t.Fatalf("%d ticks for a range of 2 ulp, want 1", len(got))
	}
	for _, c := range [][2]float64{{0, 1}, {-5, 5}, {2019, 2026}, {1e-12, 3e-12}, {0, 1e9}} {
		n := len(niceTicks(c[0], c[1]))
		if n < 5 || n > 101 {
			t.Errorf("niceTicks(%g, %g): %d ticks", c[0], c[1], n)
		}
	}
}

// The report embeds the bytes and captions it is handed; it reads no chart
// file (the path here does not exist).
func TestReportEmbedsChartBytes(t *testing.T) {
	d := fixture("")
	charts := []Chart{
		{Name: "summary", Format: "png", Path: "/nonexistent/summary.png", Bytes: []byte("summary bytes"), Caption: "The summary."},
		{Name: "fan_x", Format: "svg", Path: "/nonexistent/fan_x.svg", Bytes: []byte("<svg>fan</svg>"), Caption: "A fan <chart>."},
	}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteReport(d, charts, "", path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		"data:image/png;base64," + base64.StdEncoding.EncodeToString(charts[0].Bytes),
		"data:image/svg&#43;xml;base64," + base64.StdEncoding.EncodeToString(charts[1].Bytes),
		"The summary.", "A fan &lt;chart&gt;.", `id="chart-fan_x"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if err := WriteReport(d, []Chart{{Name: "x", Format: "gif"}}, "", path); err == nil {
		t.Error("a gif chart was embedded")
	}
}

// Every registry entry carries its caption, naming its metric.
func TestChartCaptions(t *testing.T) {
	d := fixture("grid")
	x := newData(d)
	m := d.Manifest.Plan.Metrics[d.Manifest.Plan.MetricIndex("hhi_model")]
	title := metricTitle(m) // once: the chart shows the name
	want := map[string]string{
		"summary":          "Median and 50% band of each headline metric over time, by arm.",
		"fan_hhi_model":    title + ": median with 50% and 90% bands across replications, by arm.",
		"forest_hhi_model": title + ": difference from baseline at the horizon (2020-12), with 95% paired-t and bootstrap intervals.",
		"box_hhi_model":    title + ": distribution at the horizon by arm (box plots).",
		"hist_hhi_model":   title + ": distribution at the horizon by arm (histograms).",
		"shares_model":     "Model market: mean spend shares by lab over time, stacked, one panel per arm.",
		"shares_cloud":     "Cloud market: mean revenue shares by cloud over time, stacked, one panel per arm.",
	}
	got := map[string]string{}
	for _, j := range x.jobs() {
		if j.caption == "" {
			t.Errorf("%s has no caption", j.name)
		}
		got[j.name] = j.caption
	}
	for name, c := range want {
		if got[name] != c {
			t.Errorf("%s: caption %q, want %q", name, got[name], c)
		}
	}
	if !strings.Contains(got["heatmap_consumer_surplus"], "mean paired difference from baseline") {
		t.Errorf("heatmap caption %q", got["heatmap_consumer_surplus"])
	}
	for name, c := range got {
		// A caption names its metric once, and no chart kind leads it.
		if strings.Contains(c, "(hhi_model)") || strings.Contains(c, m.Description+" ("+m.Name) ||
			strings.HasPrefix(c, "Fan chart:") || strings.HasPrefix(c, "Box plots:") {
			t.Errorf("%s: caption %q repeats its metric or leads with the chart kind", name, c)
		}
	}
}

// TestEffectChartsFromTheStore: DrawAll draws the effect-over-time charts
// from the directory's replication store, with the window forests of the
// report's windows, and leaves the effect charts out without a store.
func TestEffectChartsFromTheStore(t *testing.T) {
	d, values := fixtureValues("")
	d = withWindow(d, values)
	d.Path = t.TempDir()
	plan := d.Manifest.Plan
	w, err := results.CreateStore(filepath.Join(d.Path, results.StoreFile), results.StoreHeader{Months: plan.Months, Metrics: len(plan.Metrics)})
	if err != nil {
		t.Fatal(err)
	}
	for j := 0; j < plan.Jobs(); j++ {
		a, p, r := plan.Job(j)
		var path []float64
		for _, month := range values[a][p][r] {
			path = append(path, month...)
		}
		if err := w.Append(j, path); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	charts, err := DrawAll(d, filepath.Join(d.Path, "charts"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(names(t, charts), ",")
	for _, want := range []string{"effect_hhi_model.png", "effect_price_index.png", "forest_hhi_model.late.png", "forest_hhi_model.png"} {
		if !strings.Contains(got, want) {
			t.Errorf("%s missing from %s", want, got)
		}
	}
	// The chart drawn from the store is the one drawn from the paths.
	mem, _, err := dataWithPaths(d, values).effectChart(plan.Metrics[0], "png")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		if c.Name == "effect_hhi_model" && !bytes.Equal(c.Bytes, mem) {
			t.Error("effect_hhi_model from the store differs from the chart of the same paths")
		}
	}
	os.Remove(filepath.Join(d.Path, results.StoreFile))
	charts, err = DrawAll(d, filepath.Join(t.TempDir(), "charts"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names(t, charts), ","); strings.Contains(got, "effect_") || !strings.Contains(got, "forest_hhi_model.late.png") {
		t.Errorf("without a store: %s", got)
	}
	x := newData(d)
	for _, j := range x.jobs() {
		switch j.name {
		case "effect_hhi_model":
			if !strings.HasPrefix(j.caption, "Concentration of the model market: the paired difference from baseline month by month") {
				t.Errorf("caption %q", j.caption)
			}
		case "forest_hhi_model.late":
			if !strings.Contains(j.caption, "averaged over 2020-01 to 2020-12 (window late)") {
				t.Errorf("caption %q", j.caption)
			}
		}
	}
}

// TestReportWindowsAndDefinitions: the report has a comparison per window
// (the horizon, then each named window), each saying which months it
// covers, and labels the effects by definition with the model's reason.
func TestReportWindowsAndDefinitions(t *testing.T) {
	d, values := fixtureValues("")
	d = withWindow(d, values)
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteReport(d, nil, "", path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		`<h3 class="window">At the horizon (2020-12)</h3>`,
		`<h3 class="window">Window late: 2020-01 to 2020-12</h3>`,
		"of each replication&#39;s mean over 2020-01 to 2020-12 (months 12 to 23)",
		`<h4 id="definitional">Moved by definition</h4>`,
		"<tr><td>policy.compute_cap</td><td>hhi_model</td><td>the cap bounds the leaders&#39; compute</td><td>compute_cap</td></tr>",
		`<span title="policy.compute_cap: the cap bounds the leaders&#39; compute">yes</span>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The chart metrics in full, the others (the shares) in brief, per window.
	full := len(chartMetrics(d.Manifest.Plan))
	if n, want := strings.Count(s, `<table class="comparison">`), 2*full; n != want {
		t.Errorf("%d comparison tables, want %d (two windows × chart metrics)", n, want)
	}
	if n, want := strings.Count(s, `<table class="brief">`), 2; n != want {
		t.Errorf("%d tables of the other metrics, want %d (one per window)", n, want)
	}
	if n := strings.Count(s, ">yes</span>"); n != 2 {
		t.Errorf("%d rows by definition, want 2 (compute_cap on hhi_model, at the horizon and over late)", n)
	}
}

// TestLeverStartWindows: the window of an arm whose levers switch on at a
// month (from12, months 12 to the horizon) is shown where a named window
// is: a forest plot per chart metric, a comparison section of the report
// under a heading that says so, the charts' group, and the effects matrix
// when [report] matrix_window names it.
func TestLeverStartWindows(t *testing.T) {
	d, values := fixtureValues("")
	d = withLeverStart(d, values)
	x := newData(d)
	forests := 0
	for _, j := range x.jobs() {
		if strings.HasPrefix(j.name, "forest_") && strings.HasSuffix(j.name, ".from12") {
			forests++
			if !strings.Contains(j.caption, "averaged over 2020-01 to 2020-12, from the month levers switch on (window from12)") {
				t.Errorf("%s: caption %q", j.name, j.caption)
			}
		}
	}
	if want := len(chartMetrics(d.Manifest.Plan)); forests != want {
		t.Errorf("%d forest plots of window from12, want %d (one per chart metric)", forests, want)
	}
	if g := chartGroupTitle("forest_hhi_model.from12", d.Manifest.Plan); g != "Policy effects over from12" {
		t.Errorf("group %q", g)
	}
	b, ok, err := x.forestWindowChart(fixtureMetrics[0], results.Window{Name: "from12", From: 12, To: 23}, "png")
	if err != nil || !ok || len(b) == 0 {
		t.Fatalf("forest of from12: %d bytes, ok %v, %v", len(b), ok, err)
	}

	// The effect-over-time chart shades the arm's months from 12: it is not
	// the chart of the same paths with the levers on from the start.
	late, _, err := dataWithPaths(d, values).effectChart(fixtureMetrics[0], "png")
	if err != nil {
		t.Fatal(err)
	}
	last := &d.Manifest.Plan.Arms[len(d.Manifest.Plan.Arms)-1]
	last.From = 0
	early, _, err := dataWithPaths(d, values).effectChart(fixtureMetrics[0], "png")
	last.From = 12
	if err != nil {
		t.Fatal(err)
	}
	if len(late) == 0 || bytes.Equal(late, early) {
		t.Error("the effect chart does not show when the arm's levers switch on")
	}

	d.Manifest.Plan.Report.MatrixWindow = "from12"
	m, ok, err := newData(d).matrix()
	if err != nil || !ok {
		t.Fatalf("matrix over from12: ok %v, %v", ok, err)
	}
	if m.Window != (results.Window{Name: "from12", From: 12, To: 23}) || len(m.Arms) != 2 {
		t.Errorf("matrix window %+v over %d arms, want from12 (months 12 to 23) over 2", m.Window, len(m.Arms))
	}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteReport(d, nil, "", path); err != nil {
		t.Fatal(err)
	}
	rb, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(rb)
	for _, want := range []string{
		`<h3 class="window">From 2020-01, when levers switch on (window from12, to 2020-12)</h3>`,
		"from the month an arm&#39;s levers switch on, [[arms]] from = 12, to the horizon",
		"Effects at a glance, averaged over 2020-01 to 2020-12, from the month levers switch on (window from12)",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	full := len(chartMetrics(d.Manifest.Plan))
	if n, want := strings.Count(s, `<table class="comparison">`), 2*full; n != want {
		t.Errorf("%d comparison tables, want %d (the horizon and from12 × chart metrics)", n, want)
	}
}
