package plots

import (
	"os"
	"path/filepath"
	"testing"

	"frontiersim/internal/browsertest"
)

// TestReportInBrowser loads the report of a sweep fixture in headless
// Chromium: every image loads, the tables are there, and no text overflows
// its box. With -update it keeps a screenshot under testdata/out.
func TestReportInBrowser(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("short")
	}
	chromium := browsertest.Chromium()
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found (CI=true): .ci/chromium.sh installs it")
		}
		t.Skip("chromium not found; run .ci/chromium.sh")
	}
	dir := t.TempDir()
	d := fixture("grid")
	paths, err := DrawAll(d, filepath.Join(dir, "charts"))
	if err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report.html")
	if err := WriteReport(d, paths, "# experiment\nname = \"fixture\"\n", report); err != nil {
		t.Fatal(err)
	}
	c, err := browsertest.Load(chromium, report, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("images %d, loaded %d, tables %d, comparison tables %d", c.Images, c.ImagesLoaded, c.Tables, c.Comparison)
	if c.Images != len(paths) || c.ImagesLoaded != c.Images {
		t.Errorf("%d of %d images loaded; want all %d charts", c.ImagesLoaded, c.Images, len(paths))
	}
	if want := len(chartMetrics(d.Manifest.Plan)); c.Comparison != want || c.Tables < c.Comparison+4 {
		t.Errorf("%d tables, %d comparison tables; want %d comparison tables (the chart metrics) plus design and manifest",
			c.Tables, c.Comparison, want)
	}
	if c.Overflow != 0 {
		t.Errorf("%d elements of text overflow: %s", c.Overflow, c.OverflowText)
	}

	shot := filepath.Join(t.TempDir(), "report.png")
	if *update {
		shot, _ = filepath.Abs(filepath.Join("testdata", "out", "report.png"))
		os.MkdirAll(filepath.Dir(shot), 0o755)
	}
	if _, err := browsertest.Run(chromium, t.TempDir(), "--hide-scrollbars", "--window-size=1280,2000", "--virtual-time-budget=5000", "--screenshot="+shot, "file://"+report); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(shot); err != nil || fi.Size() == 0 {
		t.Fatalf("no screenshot: %v", err)
	}
	t.Logf("screenshot: %s", shot)
}
