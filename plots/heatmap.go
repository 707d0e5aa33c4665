package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
)

// heatmapMetric returns the metric of the sweep heatmap: the experiment's
// choice, else the first chart metric.
func (x *data) heatmapMetric(chartMetrics []results.Metric) (results.Metric, bool) {
	if name := x.plan.Charts.Heatmap; name != "" {
		if i := x.plan.MetricIndex(name); i >= 0 {
			return x.plan.Metrics[i], true
		}
	}
	if len(chartMetrics) > 0 {
		return chartMetrics[0], true
	}
	return results.Metric{}, false
}

// sweepApplies reports whether the plan is a two-parameter sweep.
func (x *data) sweepApplies() bool {
	sw := x.plan.Sweep
	return sw != nil && len(sw.Parameters) == 2 && len(x.plan.Points) > 1
}

// paramValue returns the value of the named parameter at a point.
func paramValue(pt results.Point, name string) (float64, bool) {
	for _, pv := range pt.Params {
		if pv.Name == name {
			return pv.Value, true
		}
	}
	return 0, false
}

// cellGrid is a plotter.GridXYZ over the distinct values of the two swept
// parameters; z[c][r] is NaN where there is no point.
type cellGrid struct {
	xs, ys []float64
	z      [][]float64
}

func (g cellGrid) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g cellGrid) Z(c, r int) float64 { return g.z[c][r] }
func (g cellGrid) X(c int) float64    { return g.xs[c] }
func (g cellGrid) Y(r int) float64    { return g.ys[r] }

func distinct(v []float64) []float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// trimmedMap is a sequential colour map using the middle of Kindlmann's
// perceptually uniform map, avoiding its near-black and near-white ends so
// that cell labels stay readable.
type trimmedMap struct {
	palette.ColorMap
	lo, hi float64
}

func newTrimmedMap(lo, hi float64) *trimmedMap {
	base := moreland.Kindlmann()
	base.SetMin(0)
	base.SetMax(1)
	if !(hi > lo) {
		lo, hi = lo-0.5, lo+0.5
	}
	return &trimmedMap{ColorMap: base, lo: lo, hi: hi}
}

func (m *trimmedMap) frac(v float64) float64 {
	f := (v - m.lo) / (m.hi - m.lo)
	return 0.15 + 0.75*math.Max(0, math.Min(1, f))
}

func (m *trimmedMap) At(v float64) (color.Color, error) { return m.ColorMap.At(m.frac(v)) }
func (m *trimmedMap) Min() float64                      { return m.lo }
func (m *trimmedMap) Max() float64                      { return m.hi }
func (m *trimmedMap) SetMin(v float64)                  { m.lo = v }
func (m *trimmedMap) SetMax(v float64)                  { m.hi = v }
func (m *trimmedMap) Palette(n int) palette.Palette {
	cs := make(colorList, n)
	for i := range cs {
		v := m.lo
		if n > 1 {
			v += (m.hi - m.lo) * float64(i) / float64(n-1)
		}
		cs[i] = m.color(v)
	}
	return cs
}

func (m *trimmedMap) color(v float64) color.Color {
	c, err := m.At(v)
	if err != nil {
		return color.NRGBA{0x99, 0x99, 0x99, 0xff}
	}
	return c
}

type colorList []color.Color

func (c colorList) Colors() []color.Color { return c }

// labelColor returns black or white, whichever reads better on c.
func labelColor(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	lum := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 0xffff
	if lum < 0.5 {
		return white
	}
	return black
}

// heatmapChart draws the horizon mean of metric m over a two-parameter
// sweep, one panel per arm on a common colour scale. A full grid is drawn
// as cells; any other design (a Latin hypercube) as a scatter of the sweep
// points, each coloured by its value (no interpolation).
func (x *data) heatmapChart(m results.Metric, format string) ([]byte, bool, error) {
	if !x.sweepApplies() {
		return nil, false, nil
	}
	px, py := x.plan.Sweep.Parameters[0], x.plan.Sweep.Parameters[1]
	n := len(x.plan.Points)
	xv := make([]float64, n)
	yv := make([]float64, n)
	for i, pt := range x.plan.Points {
		a, ok1 := paramValue(pt, px)
		b, ok2 := paramValue(pt, py)
		if !ok1 || !ok2 {
			return nil, false, nil
		}
		xv[i], yv[i] = a, b
	}
	xs, ys := distinct(xv), distinct(yv)
	isGrid := len(xs)*len(ys) == n && len(xs) > 1 && len(ys) > 1
	if isGrid {
		seen := map[[2]float64]bool{}
		for i := range xv {
			seen[[2]float64{xv[i], yv[i]}] = true
		}
		isGrid = len(seen) == n
	}
	// z[arm][point]: the mean at the horizon.
	h := x.plan.Horizon()
	z := make([][]float64, len(x.plan.Arms))
	lo, hi := math.Inf(1), math.Inf(-1)
	for a, arm := range x.plan.Arms {
		z[a] = make([]float64, n)
		for i, pt := range x.plan.Points {
			z[a][i] = math.NaN()
			rows := x.series[seriesKey{arm.Name, pt.Name, m.Name}]
			if len(rows) > 0 && rows[len(rows)-1].Month == h && finite(rows[len(rows)-1].Mean) {
				z[a][i] = rows[len(rows)-1].Mean
				lo, hi = math.Min(lo, z[a][i]), math.Max(hi, z[a][i])
			}
		}
	}
	if !(hi >= lo) {
		return nil, false, nil
	}
	cm := newTrimmedMap(lo, hi)
	var plots []*plot.Plot
	for a, arm := range x.plan.Arms {
		p := newPlot()
		p.Title.Text = arm.Name
		p.Title.TextStyle.Font.Size = labelSize
		p.X.Label.Text = px
		p.Y.Label.Text = py
		if isGrid {
			g := cellGrid{xs: xs, ys: ys, z: make([][]float64, len(xs))}
			for c := range g.z {
				g.z[c] = make([]float64, len(ys))
				for r := range g.z[c] {
					g.z[c][r] = math.NaN()
				}
			}
			var labels plotter.XYLabels
			for i := range xv {
				c := sort.SearchFloat64s(xs, xv[i])
				r := sort.SearchFloat64s(ys, yv[i])
				g.z[c][r] = z[a][i]
				if finite(z[a][i]) && n <= 64 {
					labels.XYs = append(labels.XYs, plotter.XY{X: xv[i], Y: yv[i]})
					labels.Labels = append(labels.Labels, fmtNum(z[a][i]))
				}
			}
			hm := plotter.NewHeatMap(g, cm.Palette(128))
			hm.Min, hm.Max = lo, hi
			hm.NaN = color.NRGBA{0xee, 0xee, 0xee, 0xff}
			p.Add(hm)
			if len(labels.XYs) > 0 {
				lab, err := plotter.NewLabels(labels)
				if err == nil {
					for i := range lab.TextStyle {
						lab.TextStyle[i] = textStyle(tickSize)
						lab.TextStyle[i].XAlign = draw.XCenter
						lab.TextStyle[i].YAlign = draw.YCenter
						lab.TextStyle[i].Color = labelColor(cm.color(z[a][indexOf(xv, yv, labels.XYs[i])]))
					}
					p.Add(lab)
				}
			}
			p.X.Tick.Marker = valueTicks(xs)
			p.Y.Tick.Marker = valueTicks(ys)
		} else {
			addGrid(p, true, true)
			var pts plotter.XYs
			var cols []color.Color
			for i := range xv {
				if finite(z[a][i]) {
					pts = append(pts, plotter.XY{X: xv[i], Y: yv[i]})
					cols = append(cols, cm.color(z[a][i]))
				}
			}
			if len(pts) > 0 {
				sc, err := plotter.NewScatter(pts)
				if err != nil {
					return nil, false, err
				}
				sc.GlyphStyleFunc = func(i int) draw.GlyphStyle {
					return draw.GlyphStyle{Color: cols[i], Radius: vg.Points(7), Shape: draw.CircleGlyph{}}
				}
				ring, _ := plotter.NewScatter(pts)
				ring.GlyphStyle = draw.GlyphStyle{Color: panelGrey, Radius: vg.Points(7), Shape: draw.RingGlyph{}}
				p.Add(sc, ring)
			}
			padAxis(&p.X, xs)
			padAxis(&p.Y, ys)
		}
		plots = append(plots, p)
	}
	cols := min(3, len(plots))
	rows := (len(plots) + cols - 1) / cols
	grid := panelGrid(plots, cols)
	bar := newPlot()
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true, Colors: 128})
	bar.HideX()
	bar.Y.Label.Text = metricLabel(m)
	bar.Y.Label.TextStyle.Font.Size = tickSize + 0.5
	bar.Y.Min, bar.Y.Max = lo, hi
	design := fmt.Sprintf("%d×%d grid", len(xs), len(ys))
	if !isGrid {
		design = fmt.Sprintf("%s design, %d points: each point coloured by its value, not interpolated",
			sweepKind(x.plan.Sweep.Kind), n)
	}
	sub := fmt.Sprintf("mean across replications at the horizon (%s); %s", x.horizonDate(), design)
	w := 11 * vg.Inch
	if cols == 1 {
		w = stdW
	}
	hgt := vg.Points(80) + vg.Points(250)*vg.Length(rows)
	b, err := render(format, w, hgt, func(dc draw.Canvas) {
		dc = drawTitle(dc, metricTitle(m)+" across the sweep", sub)
		barW := vg.Points(95)
		bc := inset(dc, dc.Max.X-dc.Min.X-barW, 0, vg.Points(40), vg.Points(20))
		bar.Draw(bc)
		dc = inset(dc, 0, barW+vg.Points(10), 0, 0)
		drawPanels(dc, grid, vg.Points(14))
	})
	return b, true, err
}

func sweepKind(k string) string {
	switch k {
	case "lhs":
		return "Latin hypercube"
	case "":
		return "sweep"
	}
	return k
}

// indexOf returns the sweep point with the given coordinates.
func indexOf(xv, yv []float64, p plotter.XY) int {
	for i := range xv {
		if xv[i] == p.X && yv[i] == p.Y {
			return i
		}
	}
	return 0
}

// valueTicks marks exactly the swept values.
func valueTicks(vs []float64) plot.Ticker {
	ticks := make([]plot.Tick, len(vs))
	for i, v := range vs {
		ticks[i] = plot.Tick{Value: v, Label: fmtNum(v)}
	}
	return plot.ConstantTicks(ticks)
}

// padAxis pads an axis around the values so markers are not cut.
func padAxis(ax *plot.Axis, vs []float64) {
	lo, hi := vs[0], vs[len(vs)-1]
	pad := (hi - lo) * 0.08
	if pad == 0 {
		pad = 1
	}
	ax.Min, ax.Max = lo-pad, hi+pad
}
