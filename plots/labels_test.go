package plots

import (
	"math"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
)

// fixtureCases are the layouts every chart type must handle: 1, 3, 5 and
// 9 arms, long arm names, a 4 × 3 grid (with 4 and 9 arms) and a Latin
// hypercube.
var fixtureCases = []struct {
	name string
	o    fixtureOpts
}{
	{"arms1", fixtureOpts{arms: 1}},
	{"arms3", fixtureOpts{arms: 3}},
	{"arms5", fixtureOpts{arms: 5}},
	{"arms9", fixtureOpts{arms: 9}},
	{"long", fixtureOpts{arms: 9, long: true}},
	{"grid43", fixtureOpts{arms: 4, sweep: "grid43"}},
	{"grid43arms9", fixtureOpts{arms: 9, sweep: "grid43"}},
	{"lhs", fixtureOpts{arms: 3, sweep: "lhs"}},
}

// TestLabelsDoNotOverlap: on every chart of every fixture layout, no two
// strings' boxes (from the text extents gonum/plot computes) overlap and
// none sticks out of its figure.
func TestLabelsDoNotOverlap(t *testing.T) {
	if raceDetector {
		t.Skip("draws every chart; make test-slow runs it without -race")
	}
	for _, c := range fixtureCases {
		t.Run(c.name, func(t *testing.T) {
			d, values := fixtureOf(c.o)
			if len(d.Manifest.Plan.Arms) > 1 {
				d = withWindow(d, values)
			}
			ov, err := LabelOverlaps(d)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range ov {
				t.Error(o)
			}
		})
	}
}

// TestLabelOverlapsDir checks the charts of a result directory named by
// FRONTIERSIM_LABELS_DIR (cmd/runsim's test checks the default
// experiment).
func TestLabelOverlapsDir(t *testing.T) {
	dir := os.Getenv("FRONTIERSIM_LABELS_DIR")
	if dir == "" {
		t.Skip("FRONTIERSIM_LABELS_DIR not set")
	}
	d, err := results.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ov, err := LabelOverlaps(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range ov {
		t.Error(o)
	}
}

// The overlap test itself: boxes that overlap, touch, or are rotated past
// each other.
func TestQuadsOverlap(t *testing.T) {
	box := func(x, y, w, h float64) [4]vg.Point {
		return [4]vg.Point{{X: vg.Length(x), Y: vg.Length(y)}, {X: vg.Length(x + w), Y: vg.Length(y)},
			{X: vg.Length(x + w), Y: vg.Length(y + h)}, {X: vg.Length(x), Y: vg.Length(y + h)}}
	}
	rot := func(q [4]vg.Point, a float64) [4]vg.Point {
		m := identity.then(affine{a: math.Cos(a), b: math.Sin(a), c: -math.Sin(a), d: math.Cos(a)})
		for i := range q {
			q[i] = m.apply(q[i])
		}
		return q
	}
	for _, c := range []struct {
		name string
		a, b [4]vg.Point
		want bool
	}{
		{"apart", box(0, 0, 10, 5), box(11, 0, 10, 5), false},
		{"overlapping", box(0, 0, 10, 5), box(7, 2, 10, 5), true},
		{"inside", box(0, 0, 10, 5), box(2, 1, 2, 2), true},
		{"touching", box(0, 0, 10, 5), box(10, 0, 10, 5), false},
		// Rotated 30° labels side by side: their axis-aligned boxes
		// overlap, the labels do not.
		{"rotated apart", rot(box(0, 0, 40, 4), math.Pi/6), rot(box(0, -8, 40, 4), math.Pi/6), false},
		{"rotated crossing", rot(box(0, 0, 40, 4), math.Pi/6), box(2, 0, 40, 4), true},
	} {
		if got := quadsOverlap(shrink(c.a, 0.5), shrink(c.b, 0.5)); got != c.want {
			t.Errorf("%s: overlap %v, want %v", c.name, got, c.want)
		}
	}
}

// The recording canvas follows the transforms gonum/plot applies to
// rotated text: a label drawn at 90° has a box taller than wide, starting
// at the point it is drawn at.
func TestRecordingCanvas(t *testing.T) {
	c := newRecordingCanvas(vg.Points(200), vg.Points(200))
	dc := draw.New(c)
	sty := textStyle(tickSize)
	flat := sty.Width("a vertical label")
	sty.Rotation = math.Pi / 2
	dc.FillText(sty, vg.Point{X: 100, Y: 50}, "a vertical label")
	if len(c.boxes) != 1 {
		t.Fatalf("%d boxes recorded", len(c.boxes))
	}
	lo, hi := c.boxes[0].Corners[0], c.boxes[0].Corners[0]
	for _, p := range c.boxes[0].Corners {
		lo.X, lo.Y, hi.X, hi.Y = min(lo.X, p.X), min(lo.Y, p.Y), max(hi.X, p.X), max(hi.Y, p.Y)
	}
	if h, w := hi.Y-lo.Y, hi.X-lo.X; math.Abs(float64(h-flat)) > 0.01 || w > tickSize+0.01 || math.Abs(float64(lo.Y-50)) > 0.01 {
		t.Errorf("rotated box %v to %v: height %v (want the text's width %v), width %v", lo, hi, h, flat, w)
	}
	sty.Color = white
	dc.FillText(sty, vg.Point{X: 10, Y: 10}, "hidden")
	if len(c.boxes) != 1 {
		t.Error("white text recorded")
	}
}

func TestLabelOverlapsFinds(t *testing.T) {
	boxes := []TextBox{
		{Text: "2019", Corners: [4]vg.Point{{X: 0, Y: 0}, {X: 20, Y: 0}, {X: 20, Y: 9}, {X: 0, Y: 9}}},
		{Text: "2020", Corners: [4]vg.Point{{X: 15, Y: 0}, {X: 35, Y: 0}, {X: 35, Y: 9}, {X: 15, Y: 9}}},
		{Text: "2021", Corners: [4]vg.Point{{X: 40, Y: 0}, {X: 60, Y: 0}, {X: 60, Y: 9}, {X: 40, Y: 9}}},
	}
	ov := overlaps("x", boxes)
	if len(ov) != 1 || ov[0].A.Text != "2019" || ov[0].B.Text != "2020" {
		t.Errorf("overlaps: %v", ov)
	}
	if out := outside("x", boxes, 50, 50); len(out) != 1 || out[0].A.Text != "2021" || !strings.Contains(out[0].String(), figureEdge) {
		t.Errorf("outside: %v", out)
	}
}
