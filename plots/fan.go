package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
	"frontiersim/stats"
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
	for i := range x.plan.Arms {
		var rows []results.SeriesRow
		for _, r := range x.monthlyRows(i, m) {
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
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range all {
		for _, r := range s.rows {
			lo, hi = math.Min(lo, r.P05), math.Max(hi, r.P95)
		}
	}
	if logScaled(m, lo, hi) {
		setLogY(p)
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

// monthlyRows returns the summary of metric m across replications in every
// month for arm a at the reference point: timeseries.csv's rows when it
// has every month, else (an experiment's [report] months or metrics
// thinned the table) the same summaries (stats.Summarize) computed from the
// replication store, so that a time-series chart never joins a few
// reported months by straight lines. Without a store it falls back to
// timeseries.csv's rows.
func (x *data) monthlyRows(a int, m results.Metric) []results.SeriesRow {
	rows := x.series[seriesKey{x.plan.Arms[a].Name, x.refPointName(), m.Name}]
	col := x.plan.MetricIndex(m.Name)
	if len(rows) >= x.plan.Months || col < 0 {
		return rows
	}
	paths, err := x.effectPaths()
	if err != nil || paths == nil || a >= len(paths) {
		return rows
	}
	nm := len(x.plan.Metrics)
	var reps [][]float64
	for _, p := range paths[a] {
		if len(p) >= x.plan.Months*nm {
			reps = append(reps, p)
		}
	}
	if len(reps) == 0 {
		return rows
	}
	v := make([]float64, len(reps))
	scratch := make([]float64, len(reps))
	out := make([]results.SeriesRow, x.plan.Months)
	for t := range out {
		for r, p := range reps {
			v[r] = p[t*nm+col]
		}
		s := stats.Summarize(v, scratch)
		out[t] = results.SeriesRow{Arm: x.plan.Arms[a].Name, Point: x.refPointName(), Month: t, Date: x.plan.MonthLabel(t),
			Metric: m.Name, N: s.N, Mean: s.Mean, SD: s.SD, SE: s.SE, CILo: s.CILo, CIHi: s.CIHi,
			Median: s.Median, P05: s.P05, P25: s.P25, P75: s.P75, P95: s.P95}
	}
	return out
}

// hasSeries reports whether any arm has a finite monthly median of m.
func (x *data) hasSeries(m results.Metric) bool {
	for i := range x.plan.Arms {
		for _, r := range x.monthlyRows(i, m) {
			if finite(r.Median) {
				return true
			}
		}
	}
	return false
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
	padY(p, 0.02)
	p.X.Label.Text = "month"
	p.Y.Label.Text = unitOr(m) // the title names the metric
	if _, log := p.Y.Scale.(plot.LogScale); log {
		p.Y.Label.Text += ", log scale"
	}
	n := x.replications()
	sub := fmt.Sprintf("median, 50%% and 90%% bands across %d replications", n)
	if note := x.pointNote(); note != "" {
		sub += ", " + note
	}
	b, err := render(format, stdW, stdH, func(dc draw.Canvas) {
		dc = drawTitle(dc, metricTitle(m), sub)
		entries = append(entries, bandKey()...)
		dc = drawLegend(dc, entries, vg.Points(10), "arm")
		fitAxisLabels(p, dc)
		drawPlot(p, dc)
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
