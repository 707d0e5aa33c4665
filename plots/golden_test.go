package plots

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"frontiersim/results"
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

// TestGolden compares every chart type with its golden image at 1, 3, 5
// and 9 arms, with long arm names, and the sweep charts of a 4 × 3 grid and
// a Latin hypercube. A chart that does not apply to one arm (no policy to
// compare) must say so.
func TestGolden(t *testing.T) {
	if raceDetector {
		t.Skip("pixel goldens draw on one goroutine and are 10x slower under -race; make test-slow runs them without it")
	}
	type chart struct {
		kind string
		draw func(x *data) ([]byte, bool, error)
	}
	hhi, cs, price := fixtureMetrics[0], fixtureMetrics[1], fixtureMetrics[2]
	perPoint := []chart{
		{"fan", func(x *data) ([]byte, bool, error) { return x.fanChart(price, "png") }},
		{"forest", func(x *data) ([]byte, bool, error) { return x.forestChart(cs, "png") }},
		{"forest_window", func(x *data) ([]byte, bool, error) { return x.forestWindowChart(hhi, x.plan.Report.Windows[0], "png") }},
		{"effect", func(x *data) ([]byte, bool, error) { return x.effectChart(hhi, "png") }},
		{"box", func(x *data) ([]byte, bool, error) { return x.boxChart(hhi, "png") }},
		{"hist", func(x *data) ([]byte, bool, error) { return x.histChart(hhi, "png") }},
		{"shares_model", func(x *data) ([]byte, bool, error) { return x.sharesChart(shareMarkets[0], "png") }},
		{"shares_cloud", func(x *data) ([]byte, bool, error) { return x.sharesChart(shareMarkets[1], "png") }},
		{"summary", func(x *data) ([]byte, bool, error) { return x.summaryChart(chartMetrics(x.plan), "png") }},
		{"effects_matrix", func(x *data) ([]byte, bool, error) { return x.matrixChart("png") }},
	}
	sweep := []chart{
		{"heatmap", func(x *data) ([]byte, bool, error) { return x.heatmapChart(cs, "png") }},
		{"sweep", func(x *data) ([]byte, bool, error) { return x.sweepChart(cs, "png") }},
		{"fan", func(x *data) ([]byte, bool, error) { return x.fanChart(cs, "png") }},
	}
	notForOneArm := map[string]bool{"forest": true, "forest_window": true, "effect": true, "effects_matrix": true}
	for _, c := range fixtureCases {
		d, values := fixtureOf(c.o)
		d.Manifest.Plan.Report.Windows = []results.Window{{Name: "late", From: 12, To: 23}}
		if len(d.Manifest.Plan.Arms) > 1 {
			d = withWindow(d, values)
		}
		x := dataWithPaths(d, values)
		charts := perPoint
		if c.o.sweep != "" {
			charts = sweep
		}
		for _, ch := range charts {
			name := ch.kind + "_" + c.name
			t.Run(name, func(t *testing.T) {
				b, ok, err := ch.draw(x)
				if err != nil {
					t.Fatal(err)
				}
				if c.o.arms == 1 && notForOneArm[ch.kind] {
					if ok {
						t.Errorf("%s drawn for a single arm", ch.kind)
					}
					return
				}
				if !ok {
					t.Fatalf("%s not drawn", name)
				}
				comparePNG(t, name, b)
			})
		}
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
