package plots

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
)

// shareMarket describes a market whose shares are the metrics of one
// group (results.Metric.Group).
type shareMarket struct {
	key, group, title, yLabel, legendHeading string
	prefix                                   string // names of its metrics in a plan without groups (runsim before 0.3)
	caption                                  string // the report's caption of its chart
}

var shareMarkets = []shareMarket{
	{"model", results.GroupModelShare, "Model market: spend shares by lab", "share of model spend (%)", "lab", "model_share_",
		"Model market: mean spend shares by lab over time, stacked, one panel per arm."},
	{"cloud", results.GroupCloudShare, "Cloud market: revenue shares by cloud", "share of cloud revenue (%)", "cloud", "cloud_share_",
		"Cloud market: mean revenue shares by cloud over time, stacked, one panel per arm."},
}

// shareMetrics returns the share metrics of a market in plan order.
func (x *data) shareMetrics(mk shareMarket) []results.Metric {
	grouped := hasGroups(x.plan.Metrics)
	var ms []results.Metric
	for _, m := range x.plan.Metrics {
		if inMarket(m, mk, grouped) {
			ms = append(ms, m)
		}
	}
	return ms
}

// hasGroups reports whether a plan's metrics carry groups. A plan written
// before metrics had groups names its share metrics by prefix instead.
func hasGroups(ms []results.Metric) bool {
	for _, m := range ms {
		if m.Group != "" {
			return true
		}
	}
	return false
}

func inMarket(m results.Metric, mk shareMarket, grouped bool) bool {
	if grouped {
		return m.Group == mk.group
	}
	return strings.HasPrefix(m.Name, mk.prefix) && len(m.Name) > len(mk.prefix)
}

// isShareMetric reports whether m belongs to a stacked-share market.
func isShareMetric(m results.Metric, grouped bool) bool {
	for _, mk := range shareMarkets {
		if inMarket(m, mk, grouped) {
			return true
		}
	}
	return false
}

// sharesChart draws the market shares of a market over time as stacked
// areas of the mean shares across replications, one panel per arm, at the
// reference sweep point. It applies when the market has two or more share
// metrics.
func (x *data) sharesChart(mk shareMarket, format string) ([]byte, bool, error) {
	ms := x.shareMetrics(mk)
	if len(ms) < 2 {
		return nil, false, nil
	}
	months := x.plan.Months
	var plots []*plot.Plot
	var entries []legendEntry
	for a, arm := range x.plan.Arms {
		// cum[k][t]: sum of the mean shares of series 0..k in month t.
		cum := make([][]float64, len(ms))
		have := false
		for k, m := range ms {
			cum[k] = make([]float64, months)
			if k > 0 {
				copy(cum[k], cum[k-1])
			}
			for _, r := range x.monthlyRows(a, m) {
				if r.Month >= 0 && r.Month < months && finite(r.Mean) {
					cum[k][r.Month] += 100 * r.Mean
					have = true
				}
			}
		}
		if !have {
			continue
		}
		p := newPlot()
		top := 100.0
		for t := 0; t < months; t++ {
			top = math.Max(top, cum[len(ms)-1][t])
		}
		// back to front: the largest cumulative area first.
		legend := make([]legendEntry, len(ms))
		for k := len(ms) - 1; k >= 0; k-- {
			xy := make(plotter.XYs, months)
			for t := range xy {
				xy[t] = plotter.XY{X: x.plan.DecimalYear(t), Y: cum[k][t]}
			}
			l, err := plotter.NewLine(xy)
			if err != nil {
				return nil, false, err
			}
			c := SeriesColor(k)
			l.FillColor = c
			l.Color = white
			l.Width = vg.Points(0.6)
			p.Add(l)
			legend[len(ms)-1-k] = legendEntry{name: strings.TrimPrefix(ms[k].Name, mk.prefix),
				thumbs: []plot.Thumbnailer{bandThumb{c}}}
		}
		entries = legend
		calendarAxisWidth(p, x.plan, panelDataWidth(11*vg.Inch, 3, vg.Points(120)))
		p.Y.Min, p.Y.Max = 0, top
		p.Title.Text = arm.Name
		p.Title.TextStyle.Font.Size = labelSize
		p.Y.Label.Text = mk.yLabel
		p.Y.Label.TextStyle.Font.Size = tickSize + 0.5
		p.X.Label.Text = "month"
		plots = append(plots, p)
	}
	if len(plots) == 0 {
		return nil, false, nil
	}
	cols := min(3, len(plots))
	if len(plots) == 4 {
		cols = 2
	}
	rows := (len(plots) + cols - 1) / cols
	grid := panelGrid(plots, cols)
	w := 11 * vg.Inch
	if cols == 1 {
		w = stdW
	}
	h := vg.Points(70) + vg.Points(230)*vg.Length(rows)
	sub := fmt.Sprintf("mean across %d replications, stacked; one panel per arm", x.replications())
	if note := x.pointNote(); note != "" {
		sub += "; " + note
	}
	b, err := render(format, w, h, func(dc draw.Canvas) {
		dc = drawTitle(dc, mk.title, sub)
		dc = drawLegend(dc, entries, vg.Points(20), mk.legendHeading)
		drawPanels(dc, grid, vg.Points(14))
	})
	return b, true, err
}
