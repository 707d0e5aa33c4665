package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
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

// labelColor returns black or white, whichever reads better on c.
func labelColor(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	lum := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 0xffff
	if lum < 0.5 {
		return white
	}
	return black
}

// heatmapChart draws the paired effect of each policy on metric m over a
// two-parameter sweep: one panel per policy arm, each point's mean paired
// difference arm − baseline at the horizon (comparison.csv's row at that
// point), on one diverging colour scale centred on zero (blue below, red
// above). A full grid is drawn as cells on categorical axes (the swept
// values equally spaced and labelled by value), each cell labelled with
// its difference and starred when its 95% paired-t interval excludes
// zero; any other design (a Latin hypercube) as a scatter of the sweep
// points on the parameters' own scales, each coloured by its difference
// (no interpolation).
func (x *data) heatmapChart(m results.Metric, format string) ([]byte, bool, error) {
	if !x.sweepApplies() || len(x.plan.Arms) < 2 {
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
	// z[arm][point]: the mean paired difference at the horizon; sig: its
	// paired interval excludes zero.
	arms := x.plan.Arms[1:]
	z := make([][]float64, len(arms))
	sig := make([][]bool, len(arms))
	scale := 0.0
	for a, arm := range arms {
		z[a] = make([]float64, n)
		sig[a] = make([]bool, n)
		for i, pt := range x.plan.Points {
			z[a][i] = math.NaN()
			c, ok := x.windows[windowKey{results.HorizonWindow, arm.Name, pt.Name, m.Name}]
			if ok && finite(c.Diff) {
				z[a][i] = c.Diff
				sig[a][i] = c.PairedLo > 0 || c.PairedHi < 0
				scale = math.Max(scale, math.Abs(c.Diff))
			}
		}
	}
	if !(scale > 0) {
		scale = 1
	}
	cmap := moreland.SmoothBlueRed()
	cmap.SetMin(-scale)
	cmap.SetMax(scale)
	colour := func(v float64) color.Color {
		c, err := cmap.At(math.Max(-scale, math.Min(scale, v)))
		if err != nil {
			return missingGrey
		}
		return c
	}
	var labels []string
	if isGrid {
		var all []float64
		for a := range z {
			all = append(all, z[a]...)
		}
		labels = fmtSame(all...)
	}
	var plots []*plot.Plot
	for a, arm := range arms {
		p := newPlot()
		p.Title.Text = fitText(arm.Name+" − "+x.baselineName(), vg.Points(230), textStyle(labelSize))
		p.Title.TextStyle.Font.Size = labelSize
		p.X.Label.Text = px
		p.Y.Label.Text = py
		p.X.Label.TextStyle.Font.Size = tickSize + 0.5
		p.Y.Label.TextStyle.Font.Size = tickSize + 0.5
		if isGrid {
			cellSty := textStyle(tickSize - 0.5)
			cellSty.XAlign, cellSty.YAlign = draw.XCenter, draw.YCenter
			for i := range xv {
				c, r := float64(sort.SearchFloat64s(xs, xv[i])), float64(sort.SearchFloat64s(ys, yv[i]))
				var fill color.Color = missingGrey
				if finite(z[a][i]) {
					fill = colour(z[a][i])
				}
				p.Add(cellPlotter{x: c, y: r, fill: fill})
				if finite(z[a][i]) && n <= 64 {
					txt := fmtSigned(labels[a*n+i])
					if sig[a][i] {
						txt += "*"
					}
					sty := cellSty
					sty.Color = labelColor(fill)
					p.Add(textAt{x: c, y: r, s: txt, sty: sty})
				}
			}
			p.X.Tick.Marker = categoryTicks(xs)
			p.Y.Tick.Marker = categoryTicks(ys)
			p.X.Min, p.X.Max = -0.5, float64(len(xs))-0.5
			p.Y.Min, p.Y.Max = -0.5, float64(len(ys))-0.5
		} else {
			addGrid(p, true, true)
			var pts plotter.XYs
			var cols []color.Color
			for i := range xv {
				if finite(z[a][i]) {
					pts = append(pts, plotter.XY{X: xv[i], Y: yv[i]})
					cols = append(cols, colour(z[a][i]))
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
			p.X.Tick.Marker = fittedTicks{vg.Points(200)}
		}
		plots = append(plots, p)
	}
	cols := min(3, len(plots))
	rows := (len(plots) + cols - 1) / cols
	grid := panelGrid(plots, cols)
	bar := newPlot()
	bar.Add(&plotter.ColorBar{ColorMap: cmap, Vertical: true, Colors: 128})
	bar.HideX()
	bar.Y.Label.Text = fitText("difference, "+unitOr(m), vg.Points(200), textStyle(tickSize+0.5))
	bar.Y.Label.TextStyle.Font.Size = tickSize + 0.5
	bar.Y.Min, bar.Y.Max = -scale, scale
	design := fmt.Sprintf("%d × %d grid; * = the 95%% paired-t interval excludes 0 (not adjusted for the %d cells)", len(xs), len(ys), n*len(arms))
	if !isGrid {
		design = fmt.Sprintf("%s design, %d points: each point coloured by its difference, not interpolated",
			sweepKind(x.plan.Sweep.Kind), n)
	}
	sub := fmt.Sprintf("mean paired difference arm − %s at the horizon (%s); %s", x.baselineName(), x.horizonDate(), design)
	w := 11 * vg.Inch
	if cols == 1 {
		w = stdW
	}
	hgt := vg.Points(80) + vg.Points(250)*vg.Length(rows)
	b, err := render(format, w, hgt, func(dc draw.Canvas) {
		dc = drawTitle(dc, metricTitle(m)+": effect across the sweep", sub)
		barW := vg.Points(95)
		bc := inset(dc, dc.Max.X-dc.Min.X-barW, 0, vg.Points(40), vg.Points(20))
		bar.Draw(bc)
		dc = inset(dc, 0, barW+vg.Points(10), 0, 0)
		drawPanels(dc, grid, vg.Points(14))
	})
	return b, true, err
}

// cellPlotter fills the unit cell centred on (x, y) of a categorical grid.
type cellPlotter struct {
	x, y float64
	fill color.Color
}

func (c cellPlotter) Plot(dc draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&dc)
	r := vg.Rectangle{Min: vg.Point{X: tx(c.x - 0.5), Y: ty(c.y - 0.5)}, Max: vg.Point{X: tx(c.x + 0.5), Y: ty(c.y + 0.5)}}
	fillRect(dc, r, c.fill)
	outline(dc, r, white, vg.Points(1))
}

// textAt draws a string centred at (x, y) in data coordinates.
type textAt struct {
	x, y float64
	s    string
	sty  text.Style
}

func (t textAt) Plot(dc draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&dc)
	dc.FillText(t.sty, vg.Point{X: tx(t.x), Y: ty(t.y)}, t.s)
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

// padAxis pads an axis around the values so markers are not cut.
func padAxis(ax *plot.Axis, vs []float64) {
	lo, hi := vs[0], vs[len(vs)-1]
	pad := (hi - lo) * 0.08
	if pad == 0 {
		pad = 1
	}
	ax.Min, ax.Max = lo-pad, hi+pad
}
