package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
)

// armValues returns the horizon values of metric m at the reference point,
// one slice per arm that has any (arm indices in ids).
func (x *data) armValues(m results.Metric) (ids []int, vals [][]float64) {
	col := x.plan.MetricIndex(m.Name)
	if col < 0 {
		return nil, nil
	}
	for i, a := range x.plan.Arms {
		v := x.horizonValues(a.Name, x.refPointName(), col)
		if len(v) > 0 {
			ids = append(ids, i)
			vals = append(vals, v)
		}
	}
	return ids, vals
}

func (x *data) distSubtitle(n int) string {
	s := fmt.Sprintf("at the horizon (%s), %d replications per arm", x.horizonDate(), n)
	if note := x.pointNote(); note != "" {
		s += ", " + note
	}
	return s
}

// boxChart draws Tukey box plots of the horizon values of metric m, one box
// per arm: median, quartiles, whiskers to 1.5 IQR and outliers.
func (x *data) boxChart(m results.Metric, format string) ([]byte, bool, error) {
	ids, vals := x.armValues(m)
	if len(ids) == 0 {
		return nil, false, nil
	}
	p := newPlot()
	addGrid(p, false, true)
	names := make([]string, len(ids))
	g := zeroGrey
	entries := []legendEntry{
		{name: "median", thumbs: []plot.Thumbnailer{lineThumb{black, 2.2}}},
		{name: "quartiles (box)", thumbs: []plot.Thumbnailer{bandThumb{withAlpha(g, 0x70)}}},
		{name: "whiskers: 1.5 IQR", thumbs: []plot.Thumbnailer{lineThumb{g, 1.2}}},
		{name: "mean", thumbs: []plot.Thumbnailer{glyphThumb{draw.GlyphStyle{Color: black, Radius: vg.Points(3), Shape: draw.PyramidGlyph{}}}}},
		{name: "outliers", thumbs: []plot.Thumbnailer{glyphThumb{draw.GlyphStyle{Color: g, Radius: vg.Points(2.5), Shape: draw.RingGlyph{}}}}},
	}
	// Each arm has a slot of the data area's width; the box fills 55% of it.
	slot := (stdW - vg.Points(12) - legendWidth(entries) - vg.Points(8) - vg.Points(78)) / vg.Length(len(ids))
	w := min(vg.Points(70), slot*0.55)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		for _, y := range v {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
	}
	logY := logScaled(m, lo, hi)
	if logY {
		setLogY(p)
	}
	for k, i := range ids {
		names[k] = x.plan.Arms[i].Name
		b, err := plotter.NewBoxPlot(w, float64(k), plotter.Values(vals[k]))
		if err != nil {
			return nil, false, err
		}
		c := ArmColor(i)
		b.FillColor = withAlpha(c, 0x70)
		b.BoxStyle.Color = shade(c, 0.7)
		b.BoxStyle.Width = vg.Points(1.2)
		b.MedianStyle.Color = black
		b.MedianStyle.Width = vg.Points(2.2)
		b.WhiskerStyle.Color = shade(c, 0.7)
		b.WhiskerStyle.Width = vg.Points(1.2)
		b.WhiskerStyle.Dashes = nil
		b.GlyphStyle.Color = shade(c, 0.7)
		b.GlyphStyle.Radius = vg.Points(2.5)
		p.Add(b)
		// the mean as a diamond
		mean := 0.0
		for _, v := range vals[k] {
			mean += v
		}
		mean /= float64(len(vals[k]))
		sc, err := plotter.NewScatter(plotter.XYs{{X: float64(k), Y: mean}})
		if err == nil {
			sc.Shape = draw.PyramidGlyph{}
			sc.Radius = vg.Points(3.5)
			sc.Color = white
			p.Add(sc)
			sc2, _ := plotter.NewScatter(plotter.XYs{{X: float64(k), Y: mean}})
			sc2.Shape = draw.PyramidGlyph{}
			sc2.Radius = vg.Points(2.5)
			sc2.Color = black
			p.Add(sc2)
		}
	}
	p.X.Tick.Label.Font.Size = labelSize - 1
	layoutCategories(names, slot, p.X.Tick.Label).apply(p)
	p.X.Min, p.X.Max = -0.5, float64(len(ids))-0.5
	padY(p, 0.03)
	p.Y.Label.Text = unitOr(m) // the title names the metric
	if logY {
		p.Y.Label.Text += ", log scale"
	}
	b, err := render(format, stdW, stdH, func(dc draw.Canvas) {
		dc = drawTitle(dc, metricTitle(m)+": outcomes by arm", x.distSubtitle(len(vals[0])))
		dc = drawLegend(dc, entries, vg.Points(10), "")
		fitAxisLabels(p, dc)
		drawPlot(p, dc)
	})
	return b, true, err
}

// histChart draws histograms of the horizon values of metric m, one panel
// per arm stacked vertically, with common bins and a common x axis.
func (x *data) histChart(m results.Metric, format string) ([]byte, bool, error) {
	ids, vals := x.armValues(m)
	if len(ids) == 0 {
		return nil, false, nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	maxN := 0
	for _, v := range vals {
		for _, y := range v {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
		maxN = max(maxN, len(v))
	}
	nb := int(math.Ceil(math.Sqrt(float64(maxN)))) + 2
	nb = max(6, min(nb, 30))
	if hi <= lo {
		lo, hi = lo-0.5, hi+0.5
	}
	width := (hi - lo) / float64(nb)
	plots := make([][]*plot.Plot, len(ids))
	top := 0.0
	for k, i := range ids {
		bins := make([]plotter.HistogramBin, nb)
		for b := range bins {
			bins[b].Min = lo + float64(b)*width
			bins[b].Max = lo + float64(b+1)*width
		}
		for _, y := range vals[k] {
			b := int((y - lo) / width)
			b = max(0, min(b, nb-1))
			bins[b].Weight++
		}
		for _, b := range bins {
			top = math.Max(top, b.Weight)
		}
		p := newPlot()
		addGrid(p, true, false)
		c := ArmColor(i)
		h := &plotter.Histogram{Bins: bins, Width: width, FillColor: withAlpha(c, 0xb0)}
		h.LineStyle = draw.LineStyle{Color: shade(c, 0.6), Width: vg.Points(0.8)}
		p.Add(h)
		p.Title.Text = x.plan.Arms[i].Name
		p.Title.TextStyle.Font.Size = labelSize
		p.Title.Padding = vg.Points(2)
		p.X.Min, p.X.Max = lo, hi
		p.Y.Label.Text = "replications"
		p.Y.Label.TextStyle.Font.Size = tickSize
		if k == len(ids)-1 {
			p.X.Label.Text = metricLabel(m)
		} else {
			p.X.Tick.Label.Color = white // keep the axes aligned, hide the repeated labels
		}
		plots[k] = []*plot.Plot{p}
	}
	for _, row := range plots {
		row[0].Y.Min, row[0].Y.Max = 0, top*1.05
	}
	h := vg.Points(90) + vg.Points(min(130, 420/float64(len(ids))))*vg.Length(len(ids))
	b, err := render(format, stdW, h, func(dc draw.Canvas) {
		dc = drawTitle(dc, metricTitle(m)+": distribution by arm", x.distSubtitle(maxN))
		tiles := draw.Tiles{Rows: len(ids), Cols: 1, PadY: vg.Points(4), PadBottom: vg.Points(2)}
		cs := plot.Align(plots, tiles, dc)
		for k := range plots {
			plots[k][0].Draw(cs[k][0])
		}
	})
	return b, true, err
}

// glyphThumb is a legend thumbnail: one glyph.
type glyphThumb struct{ g draw.GlyphStyle }

func (g glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(g.g, c.Center()) }
