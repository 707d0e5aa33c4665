package plots

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontiersim/results"
)

func names(paths []string) []string {
	var s []string
	for _, p := range paths {
		s = append(s, filepath.Base(p))
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
		if strings.Join(names(p1), ",") != strings.Join(names(p2), ",") {
			t.Fatalf("chart lists differ: %v vs %v", names(p1), names(p2))
		}
		for i := range p1 {
			a, _ := os.ReadFile(p1[i])
			b, _ := os.ReadFile(p2[i])
			if len(a) == 0 || !bytes.Equal(a, b) {
				t.Errorf("%s: not byte-identical between runs", names(p1)[i])
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
		got := strings.Join(names(p1), ",")
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
			"USD bn/month", "policy.compute_cap = 1.000e"} {
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
	if len(paths) != 7 {
		t.Errorf("got %v", names(paths))
	}
	for _, p := range paths {
		b, _ := os.ReadFile(p)
		if !strings.HasSuffix(p, ".svg") || !bytes.Contains(b, []byte("<svg")) {
			t.Errorf("%s is not an SVG", p)
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
	got := strings.Join(names(paths), ",")
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
	labels = nil
	for _, tk := range calendarTicks(2019, 2020+11.0/12) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "Jan 2019 Jul 2019 Jan 2020 Jul 2020" {
		t.Errorf("half-year labels: %s", got)
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
