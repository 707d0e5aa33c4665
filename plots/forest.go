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

// forestChart draws the policy comparison of one metric at the horizon
// (forestWindowChart of the horizon's window).
func (x *data) forestChart(m results.Metric, format string) ([]byte, bool, error) {
	h := x.plan.Horizon()
	return x.forestWindowChart(m, results.Window{Name: results.HorizonWindow, From: h, To: h}, format)
}

// windowText says which months a comparison window covers, for a subtitle
// or caption: "at 2025-12 (the horizon)", "at 2022-12 (month 47)" or
// "averaged over 2023-01 to 2025-12 (window 2023-2025)".
func (x *data) windowText(w results.Window) string {
	switch {
	case w.Name == results.HorizonWindow:
		return "at " + x.plan.MonthLabel(w.To) + " (the horizon)"
	case w.From == w.To:
		return fmt.Sprintf("at %s (month %d)", x.plan.MonthLabel(w.To), w.To)
	case x.plan.IsLeverStart(w):
		return fmt.Sprintf("averaged over %s to %s, from the month levers switch on (window %s)", x.plan.MonthLabel(w.From), x.plan.MonthLabel(w.To), w.Name)
	}
	return fmt.Sprintf("averaged over %s to %s (window %s)", x.plan.MonthLabel(w.From), x.plan.MonthLabel(w.To), w.Name)
}

// forestWindowChart draws the policy comparison of one metric over one
// comparison window: for every arm but the baseline, the mean paired
// difference arm − baseline (of each replication's mean over the window)
// with its 95% paired-t interval (thick) and 95% bootstrap interval
// (thin), at the reference sweep point. An arm that moves the metric by
// definition is labelled so.
func (x *data) forestWindowChart(m results.Metric, w results.Window, format string) ([]byte, bool, error) {
	point := x.refPointName()
	type row struct {
		arm int
		c   results.ComparisonRow
	}
	var rows []row
	for i := 1; i < len(x.plan.Arms); i++ {
		c, ok := x.windows[windowKey{w.Name, x.plan.Arms[i].Name, point, m.Name}]
		if ok && finite(c.Diff) {
			rows = append(rows, row{i, c})
		}
	}
	if len(rows) == 0 {
		return nil, false, nil
	}
	p := newPlot()
	addGrid(p, true, false)
	n := len(rows)
	names := make([]string, n)
	lo, hi := 0.0, 0.0
	for k, r := range rows {
		y := float64(n - 1 - k) // first arm on top
		names[n-1-k] = x.plan.Arms[r.arm].Name
		if r.c.Definitional {
			names[n-1-k] += " (by definition)"
		}
		c := ArmColor(r.arm)
		for _, iv := range []struct {
			lo, hi, dy float64
			w          vg.Length
		}{{r.c.PairedLo, r.c.PairedHi, 0, 3}, {r.c.BootLo, r.c.BootHi, -0.18, 1.2}} {
			if !finite(iv.lo) || !finite(iv.hi) {
				continue
			}
			lo, hi = math.Min(lo, iv.lo), math.Max(hi, iv.hi)
			l, err := plotter.NewLine(plotter.XYs{{X: iv.lo, Y: y + iv.dy}, {X: iv.hi, Y: y + iv.dy}})
			if err != nil {
				return nil, false, err
			}
			l.Color = c
			l.Width = iv.w
			p.Add(l)
		}
		lo, hi = math.Min(lo, r.c.Diff), math.Max(hi, r.c.Diff)
		sc, err := plotter.NewScatter(plotter.XYs{{X: r.c.Diff, Y: y}})
		if err != nil {
			return nil, false, err
		}
		sc.Shape = draw.CircleGlyph{}
		sc.Radius = vg.Points(4.5)
		sc.Color = c
		p.Add(sc)
	}
	// The values, in a column right of the data (never over the zero line
	// or an interval), all with the decimals of the largest.
	var all []float64
	for _, r := range rows {
		all = append(all, r.c.Diff, r.c.PairedLo, r.c.PairedHi)
	}
	txt := fmtSame(all...)
	valSty := textStyle(tickSize)
	valSty.XAlign, valSty.YAlign = draw.XLeft, draw.YCenter
	values := make([]string, n)
	colW := valSty.Width("difference [95% CI]")
	for k := range rows {
		values[k] = fmtSigned(txt[3*k]) + " [" + txt[3*k+1] + ", " + txt[3*k+2] + "]"
		colW = max(colW, valSty.Width(values[k]))
	}
	colW += vg.Points(14)
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(n) - 0.5}})
	if err != nil {
		return nil, false, err
	}
	zero.Color = zeroGrey
	zero.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(zero)
	pad := (hi - lo) * 0.08
	if pad == 0 {
		pad = 1
	}
	g := zeroGrey
	entries := []legendEntry{
		{name: "mean difference", thumbs: []plot.Thumbnailer{dotThumb{g}}},
		{name: "95% paired-t CI", thumbs: []plot.Thumbnailer{lineThumb{g, 3}}},
		{name: "95% bootstrap CI", thumbs: []plot.Thumbnailer{lineThumb{g, 1.2}}},
	}
	p.X.Min, p.X.Max = lo-pad, hi+pad
	p.X.Tick.Marker = fittedTicks{stdW - legendWidth(entries) - colW - vg.Points(190)}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.1 // room above the top row for the values' heading
	// p.Y.Tick.Label.Font.Size = labelSize
	p.X.Label.Text = fmt.Sprintf("difference from %s, %s", x.plan.Arms[0].Name, unitOr(m))
	sub := fmt.Sprintf("arm − %s %s, paired by replication (n = %d)", x.plan.Arms[0].Name, x.windowText(w), rows[0].c.N)
	if note := x.pointNote(); note != "" {
		sub += ", " + note
	}
	h := vg.Points(150) + vg.Points(34)*vg.Length(n)
	b, err := render(format, stdW, h, func(dc draw.Canvas) {
		dc = drawTitle(dc, metricTitle(m)+": effect of each policy", sub)
		dc = drawLegend(dc, entries, vg.Points(10), "")
		pc := inset(dc, 0, colW, 0, 0)
		fitAxisLabels(p, pc)
		p.Draw(pc)
		da := p.DataCanvas(pc)
		head := valSty
		head.Color = panelGrey
		head.YAlign = draw.YBottom
		cx := pc.Max.X + vg.Points(10)
		head.YAlign = draw.YCenter
		dc.FillText(head, vg.Point{X: cx, Y: da.Y(p.Y.Norm(float64(n) - 0.45))}, "difference [95% CI]")
		for k := range rows {
			y := da.Y(p.Y.Norm(float64(n - 1 - k)))
			dc.FillText(valSty, vg.Point{X: cx, Y: y}, values[k])
		}
	})
	return b, true, err
}

// unitOr returns the metric's unit, or "in metric units".
func unitOr(m results.Metric) string {
	if m.Unit == "" {
		return m.Name
	}
	return m.Unit
}

// dotThumb is a legend thumbnail: a filled circle.
type dotThumb struct{ c plotColor }

func (d dotThumb) Thumbnail(c *draw.Canvas) {
	ctr := c.Center()
	c.DrawGlyph(draw.GlyphStyle{Color: d.c, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}, ctr)
}
