package plots

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden images under testdata/golden and the browser screenshot under testdata/out")

// Tolerance of the golden comparison: a pixel differs when a channel moves
// by more than pixelTol; at most maxDiffFrac of the pixels may differ
// (anti-aliasing and font rasterisation across platforms).
const (
	pixelTol    = 24
	maxDiffFrac = 0.005
)

func comparePNG(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".png")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./plots/ -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gi, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	wi, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	n, total := pixelDiff(gi, wi)
	if n < 0 || float64(n) > maxDiffFrac*float64(total) {
		out := filepath.Join(t.TempDir(), name+".png")
		os.WriteFile(out, got, 0o644)
		t.Errorf("%s: %d of %d pixels differ from %s (size mismatch if -1); got image saved to %s", name, n, total, path, out)
	}
}

// pixelDiff counts the pixels of a and b that differ by more than pixelTol
// in any channel; -1 when the sizes differ.
func pixelDiff(a, b image.Image) (n, total int) {
	ra, rb := a.Bounds(), b.Bounds()
	if ra.Dx() != rb.Dx() || ra.Dy() != rb.Dy() {
		return -1, ra.Dx() * ra.Dy()
	}
	for y := 0; y < ra.Dy(); y++ {
		for x := 0; x < ra.Dx(); x++ {
			r1, g1, b1, a1 := a.At(ra.Min.X+x, ra.Min.Y+y).RGBA()
			r2, g2, b2, a2 := b.At(rb.Min.X+x, rb.Min.Y+y).RGBA()
			for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8), int(a1>>8) - int(a2>>8)} {
				if d > pixelTol || d < -pixelTol {
					n++
					break
				}
			}
		}
	}
	return n, ra.Dx() * ra.Dy()
}

func TestGolden(t *testing.T) {
	if raceDetector {
		t.Skip("pixel goldens draw on one goroutine and are 10x slower under -race; make test-slow runs them without it")
	}
	one := newData(fixture(""))
	grid := newData(fixture("grid"))
	lhs := newData(fixture("lhs"))
	d, values := fixtureValues("")
	win := dataWithPaths(withWindow(d, values), values)
	hhi, cs := one.plan.Metrics[0], one.plan.Metrics[1]
	cases := []struct {
		name string
		draw func() ([]byte, bool, error)
	}{
		{"fan", func() ([]byte, bool, error) { return one.fanChart(hhi, "png") }},
		{"forest", func() ([]byte, bool, error) { return one.forestChart(cs, "png") }},
		{"box", func() ([]byte, bool, error) { return one.boxChart(hhi, "png") }},
		{"hist", func() ([]byte, bool, error) { return one.histChart(hhi, "png") }},
		{"shares_model", func() ([]byte, bool, error) { return one.sharesChart(shareMarkets[0], "png") }},
		{"shares_cloud", func() ([]byte, bool, error) { return one.sharesChart(shareMarkets[1], "png") }},
		{"summary", func() ([]byte, bool, error) { return one.summaryChart(chartMetrics(one.plan), "png") }},
		{"heatmap_grid", func() ([]byte, bool, error) { return grid.heatmapChart(cs, "png") }},
		{"heatmap_lhs", func() ([]byte, bool, error) { return lhs.heatmapChart(cs, "png") }},
		{"fan_sweep", func() ([]byte, bool, error) { return grid.fanChart(cs, "png") }},
		{"forest_window", func() ([]byte, bool, error) { return win.forestWindowChart(hhi, win.plan.Report.Windows[0], "png") }},
		{"effect", func() ([]byte, bool, error) { return win.effectChart(hhi, "png") }},
		{"effects_matrix", func() ([]byte, bool, error) { return win.matrixChart("png") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, ok, err := c.draw()
			if err != nil || !ok {
				t.Fatalf("draw: ok=%v err=%v", ok, err)
			}
			comparePNG(t, c.name, b)
		})
	}
}

func TestPixelDiffTolerance(t *testing.T) {
	a := image.NewRGBA(image.Rect(0, 0, 10, 10))
	b := image.NewRGBA(image.Rect(0, 0, 10, 10))
	b.Pix[0] = 10 // small change: within tolerance
	if n, _ := pixelDiff(a, b); n != 0 {
		t.Errorf("small difference counted: %d", n)
	}
	b.Pix[4] = 200
	if n, _ := pixelDiff(a, b); n != 1 {
		t.Errorf("large difference: got %d pixels, want 1", n)
	}
	if n, _ := pixelDiff(a, image.NewRGBA(image.Rect(0, 0, 9, 10))); n != -1 {
		t.Errorf("size mismatch not reported")
	}
}
