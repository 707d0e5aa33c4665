package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
)

// fanLayers adds to p, for every arm, the 90% band (p05-p95), the 50% band
// (p25-p75) and the median of metric m over months at the reference point,
// bands of all arms first and medians on top. It returns the legend entries
// (one per arm) and whether anything was drawn.
func (x *data) fanLayers(p *plot.Plot, m results.Metric, bands90 bool, lineWidth vg.Length) ([]legendEntry, bool) {
	type armSeries struct {
		i    int
		rows []results.SeriesRow
	}
	var all []armSeries
	point := x.refPointName()
	for i, a := range x.plan.Arms {
		var rows []results.SeriesRow
		for _, r := range x.series[seriesKey{a.Name, point, m.Name}] {
			if finite(r.Median) && finite(r.P05) && finite(r.P25) && finite(r.P75) && finite(r.P95) {
				rows = append(rows, r)
			}
		}
		if len(rows) > 0 {
			all = append(all, armSeries{i, rows})
		}
	}
	if len(all) == 0 {
		return nil, false
	}
	band := func(rows []results.SeriesRow, lo, hi func(results.SeriesRow) float64) plotter.XYs {
		ring := make(plotter.XYs, 0, 2*len(rows))
		for _, r := range rows {
			ring = append(ring, plotter.XY{X: x.plan.DecimalYear(r.Month), Y: hi(r)})
		}
		for k := len(rows) - 1; k >= 0; k-- {
			r := rows[k]
			ring = append(ring, plotter.XY{X: x.plan.DecimalYear(r.Month), Y: lo(r)})
		}
		return ring
	}
	var entries []legendEntry
	var polys90, polys50 []plot.Plotter
	for _, s := range all {
		c := ArmColor(s.i)
		if len(s.rows) > 1 {
			if bands90 {
				pg, err := plotter.NewPolygon(band(s.rows, func(r results.SeriesRow) float64 { return r.P05 },
					func(r results.SeriesRow) float64 { return r.P95 }))
				if err == nil {
					pg.Color = withAlpha(c, alpha90)
					pg.LineStyle.Width = 0
					polys90 = append(polys90, pg)
				}
			}
			pg, err := plotter.NewPolygon(band(s.rows, func(r results.SeriesRow) float64 { return r.P25 },
				func(r results.SeriesRow) float64 { return r.P75 }))
			if err == nil {
				pg.Color = withAlpha(c, alpha50)
				pg.LineStyle.Width = 0
				polys50 = append(polys50, pg)
			}
		}
	}
	p.Add(polys90...)
	p.Add(polys50...)
	for _, s := range all {
		c := ArmColor(s.i)
		xy := make(plotter.XYs, len(s.rows))
		for k, r := range s.rows {
			xy[k] = plotter.XY{X: x.plan.DecimalYear(r.Month), Y: r.Median}
		}
		var thumb plot.Thumbnailer
		if len(xy) > 1 {
			l, err := plotter.NewLine(xy)
			if err != nil {
				continue
			}
			l.Color = c
			l.Width = lineWidth
			p.Add(l)
			thumb = l
		} else {
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				continue
			}
			sc.Color = c
			sc.Shape = draw.CircleGlyph{}
			p.Add(sc)
			thumb = sc
		}
		entries = append(entries, legendEntry{name: x.plan.Arms[s.i].Name, thumbs: []plot.Thumbnailer{
			bandThumb{withAlpha(c, alpha90+alpha50/2)}, thumb}})
	}
	return entries, true
}

// fanChart draws the fan chart of one metric: median with 50% and 90%
// bands over calendar months, one colour per arm.
func (x *data) fanChart(m results.Metric, format string) ([]byte, bool, error) {
	p := newPlot()
	addGrid(p, true, true)
	entries, ok := x.fanLayers(p, m, true, vg.Points(1.8))
	if !ok {
		return nil, false, nil
	}
	calendarAxis(p, x.plan)
	p.X.Label.Text = "month"
	p.Y.Label.Text = metricLabel(m)
	n := x.replications()
	sub := fmt.Sprintf("median, 50%% and 90%% bands across %d replications", n)
	if note := x.pointNote(); note != "" {
		sub += ", " + note
	}
	b, err := render(format, stdW, stdH, func(dc draw.Canvas) {
		dc = drawTitle(dc, metricTitle(m), sub)
		entries = append(entries, bandKey()...)
		dc = drawLegend(dc, entries, vg.Points(10), "arm")
		p.Draw(dc)
	})
	return b, true, err
}

// bandKey explains the two band shades in a legend.
func bandKey() []legendEntry {
	g := ArmColor(0)
	return []legendEntry{
		{name: ""},
		{name: "median", thumbs: []plot.Thumbnailer{lineThumb{g, vg.Points(1.8)}}},
		{name: "50% band", thumbs: []plot.Thumbnailer{bandThumb{withAlpha(g, alpha90+alpha50)}}},
		{name: "90% band", thumbs: []plot.Thumbnailer{bandThumb{withAlpha(g, alpha90)}}},
	}
}

// replications returns the number of replications behind the series.
func (x *data) replications() int {
	for _, r := range x.d.Series {
		return r.N
	}
	return x.plan.Replications
}
