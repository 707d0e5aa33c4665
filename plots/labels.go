package plots

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
)

// labelsFormat is the internal chart "format" that draws a chart onto a
// recordingCanvas and returns, JSON-encoded, the boxes of its text.
const labelsFormat = "labels"

// TextBox is one string a chart draws, with the four corners of its box
// (from the font's extents: the advance width by the ascent above the
// baseline and the descent below it, scaled to the font size, the pitch of
// the lines of a label; rotated and moved as drawn), in points from the
// figure's bottom left.
type TextBox struct {
	Text    string
	Corners [4]vg.Point
}

// LabelOverlap is two strings of one chart whose boxes overlap.
type LabelOverlap struct {
	Chart string
	A, B  TextBox
}

func (o LabelOverlap) String() string {
	return fmt.Sprintf("%s: %q at (%.0f, %.0f) overlaps %q at (%.0f, %.0f)", o.Chart,
		o.A.Text, o.A.Corners[0].X.Points(), o.A.Corners[0].Y.Points(),
		o.B.Text, o.B.Corners[0].X.Points(), o.B.Corners[0].Y.Points())
}

// LabelOverlaps draws every chart of the result directory, as DrawAll
// would, onto a canvas that records where each string goes (with the text
// extents gonum/plot computes), and returns every pair of visible strings
// of one chart whose boxes overlap by more than half a point (tick labels,
// category labels, titles, legends and value labels alike), and every
// string that sticks out of its figure (paired with a box named "(the
// figure's edge)"). Nothing is written.
func LabelOverlaps(d *results.Dir) ([]LabelOverlap, error) {
	if d == nil {
		return nil, fmt.Errorf("plots: nil result directory")
	}
	x := newData(d)
	js := x.jobs()
	outs := drawJobs(context.Background(), js, labelsFormat)
	var all []LabelOverlap
	for i, j := range js {
		o := outs[i]
		if o.err != nil {
			return all, fmt.Errorf("plots: %s: %w", j.name, o.err)
		}
		if !o.ok {
			continue
		}
		var rec recorded
		if err := json.Unmarshal(o.b, &rec); err != nil {
			return all, fmt.Errorf("plots: %s: %w", j.name, err)
		}
		all = append(all, overlaps(j.name, rec.Boxes)...)
		all = append(all, outside(j.name, rec.Boxes, rec.W, rec.H)...)
	}
	return all, nil
}

// recorded is what renderLabels returns: the figure's size and its text.
type recorded struct {
	W, H  vg.Length
	Boxes []TextBox
}

// figureEdge stands for the edge of the figure in a LabelOverlap of a
// string that the figure cuts.
const figureEdge = "(the figure's edge)"

// outside returns the strings that stick out of the w×h figure by more
// than half a point, each paired with figureEdge.
func outside(chart string, boxes []TextBox, w, h vg.Length) []LabelOverlap {
	var out []LabelOverlap
	tol := vg.Points(0.5)
	for _, b := range boxes {
		for _, p := range b.Corners {
			if p.X < -tol || p.Y < -tol || p.X > w+tol || p.Y > h+tol {
				out = append(out, LabelOverlap{Chart: chart, A: b, B: TextBox{Text: figureEdge, Corners: [4]vg.Point{{}, {X: w}, {X: w, Y: h}, {Y: h}}}})
				break
			}
		}
	}
	return out
}

// overlaps returns the pairs of boxes that overlap by more than half a
// point.
func overlaps(chart string, boxes []TextBox) []LabelOverlap {
	var out []LabelOverlap
	for i := range boxes {
		for j := i + 1; j < len(boxes); j++ {
			if quadsOverlap(shrink(boxes[i].Corners, vg.Points(0.5)), shrink(boxes[j].Corners, vg.Points(0.5))) {
				out = append(out, LabelOverlap{Chart: chart, A: boxes[i], B: boxes[j]})
			}
		}
	}
	return out
}

// shrink moves the corners of a parallelogram by d towards its centre
// along both of its sides.
func shrink(q [4]vg.Point, d vg.Length) [4]vg.Point {
	unit := func(a, b vg.Point) vg.Point {
		dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
		n := math.Hypot(dx, dy)
		if n == 0 {
			return vg.Point{}
		}
		return vg.Point{X: vg.Length(dx / n), Y: vg.Length(dy / n)}
	}
	u, v := unit(q[0], q[1]), unit(q[0], q[3])
	if float64(q[1].X-q[0].X)*float64(q[1].X-q[0].X)+float64(q[1].Y-q[0].Y)*float64(q[1].Y-q[0].Y) < float64(4*d*d) ||
		float64(q[3].X-q[0].X)*float64(q[3].X-q[0].X)+float64(q[3].Y-q[0].Y)*float64(q[3].Y-q[0].Y) < float64(4*d*d) {
		return q
	}
	mv := func(p vg.Point, su, sv float64) vg.Point {
		return vg.Point{X: p.X + vg.Length(su)*u.X*d + vg.Length(sv)*v.X*d, Y: p.Y + vg.Length(su)*u.Y*d + vg.Length(sv)*v.Y*d}
	}
	return [4]vg.Point{mv(q[0], 1, 1), mv(q[1], -1, 1), mv(q[2], -1, -1), mv(q[3], 1, -1)}
}

// quadsOverlap reports whether two convex quadrilaterals intersect
// (separating axis theorem over the edges of both).
func quadsOverlap(a, b [4]vg.Point) bool {
	for _, q := range [][4]vg.Point{a, b} {
		for i := range 4 {
			p1, p2 := q[i], q[(i+1)%4]
			nx, ny := float64(p2.Y-p1.Y), -float64(p2.X-p1.X)
			if nx == 0 && ny == 0 {
				continue
			}
			amin, amax := project(a, nx, ny)
			bmin, bmax := project(b, nx, ny)
			if amax <= bmin || bmax <= amin {
				return false
			}
		}
	}
	return true
}

func project(q [4]vg.Point, nx, ny float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range q {
		v := float64(p.X)*nx + float64(p.Y)*ny
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}

// affine is a 2-D affine transform: x' = a x + c y + e, y' = b x + d y + f.
type affine struct{ a, b, c, d, e, f float64 }

var identity = affine{a: 1, d: 1}

func (m affine) apply(p vg.Point) vg.Point {
	x, y := float64(p.X), float64(p.Y)
	return vg.Point{X: vg.Length(m.a*x + m.c*y + m.e), Y: vg.Length(m.b*x + m.d*y + m.f)}
}

// then returns m after n: first n, then m (n's coordinates are inner).
func (m affine) then(n affine) affine {
	return affine{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

// recordingCanvas is a vg.Canvas that draws nothing and records the box of
// every visible string it is asked to draw.
type recordingCanvas struct {
	w, h  vg.Length
	m     affine
	stack []affine
	col   color.Color
	cols  []color.Color
	boxes []TextBox
}

func newRecordingCanvas(w, h vg.Length) *recordingCanvas {
	return &recordingCanvas{w: w, h: h, m: identity, col: color.Black}
}

func (c *recordingCanvas) Size() (vg.Length, vg.Length)        { return c.w, c.h }
func (c *recordingCanvas) SetLineWidth(vg.Length)              {}
func (c *recordingCanvas) SetLineDash([]vg.Length, vg.Length)  {}
func (c *recordingCanvas) SetColor(col color.Color)            { c.col = col }
func (c *recordingCanvas) Stroke(vg.Path)                      {}
func (c *recordingCanvas) Fill(vg.Path)                        {}
func (c *recordingCanvas) DrawImage(vg.Rectangle, image.Image) {}

func (c *recordingCanvas) Rotate(rad float64) {
	s, co := math.Sincos(rad)
	c.m = c.m.then(affine{a: co, b: s, c: -s, d: co})
}

func (c *recordingCanvas) Translate(pt vg.Point) {
	c.m = c.m.then(affine{a: 1, d: 1, e: float64(pt.X), f: float64(pt.Y)})
}

func (c *recordingCanvas) Scale(x, y float64) { c.m = c.m.then(affine{a: x, d: y}) }

func (c *recordingCanvas) Push() {
	c.stack = append(c.stack, c.m)
	c.cols = append(c.cols, c.col)
}

func (c *recordingCanvas) Pop() {
	if n := len(c.stack); n > 0 {
		c.m, c.stack = c.stack[n-1], c.stack[:n-1]
		c.col, c.cols = c.cols[n-1], c.cols[:n-1]
	}
}

// FillString records the box of a string: invisible strings (empty,
// blank, white or fully transparent) are left out.
func (c *recordingCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Size == 0 || isBlank(s) || invisible(c.col) {
		return
	}
	// The font's ascent and descent, scaled to the font size: the pitch
	// at which gonum/plot's text handler sets the lines of one label.
	e := f.Extents()
	asc, desc := e.Ascent, e.Descent
	if sum := asc + desc; sum > f.Font.Size {
		asc, desc = asc*f.Font.Size/sum, desc*f.Font.Size/sum
	}
	w := f.Width(s)
	q := [4]vg.Point{
		{X: pt.X, Y: pt.Y - desc}, {X: pt.X + w, Y: pt.Y - desc},
		{X: pt.X + w, Y: pt.Y + asc}, {X: pt.X, Y: pt.Y + asc},
	}
	for i := range q {
		q[i] = c.m.apply(q[i])
	}
	c.boxes = append(c.boxes, TextBox{Text: s, Corners: q})
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' {
			return false
		}
	}
	return true
}

// invisible reports whether text of colour col cannot be seen on the
// charts' white background.
func invisible(col color.Color) bool {
	if col == nil {
		return false
	}
	r, g, b, a := col.RGBA()
	return a == 0 || (r > 0xfd00 && g > 0xfd00 && b > 0xfd00)
}

// renderLabels draws fn onto a recording canvas and returns the boxes of
// its text, JSON-encoded.
func renderLabels(w, h vg.Length, fn func(dc draw.Canvas)) ([]byte, error) {
	c := newRecordingCanvas(w, h)
	fn(margin(draw.New(c)))
	return json.Marshal(recorded{W: w, H: h, Boxes: c.boxes})
}
