package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
)

// maxPanels is the number of metrics on the small-multiples summary.
const maxPanels = 9

// summaryChart draws small multiples for the report's first page: a fan
// panel (median and 50% band) per chart metric, up to nine, all arms, one
// shared legend.
func (x *data) summaryChart(ms []results.Metric, format string) ([]byte, bool, error) {
	var plots []*plot.Plot
	var entries []legendEntry
	nPanels := 0
	for _, m := range ms {
		if x.hasSeries(m) {
			nPanels++
		}
	}
	nPanels = min(nPanels, maxPanels)
	cols := 3
	switch {
	case nPanels <= 2:
		cols = max(1, nPanels)
	case nPanels == 4:
		cols = 2
	}
	w := 11 * vg.Inch
	for _, m := range ms {
		if len(plots) == maxPanels {
			break
		}
		p := newPlot()
		addGrid(p, true, true)
		e, ok := x.fanLayers(p, m, false, vg.Points(1.5))
		if !ok {
			continue
		}
		if len(e) > len(entries) {
			entries = e
		}
		calendarAxisWidth(p, x.plan, panelDataWidth(w, cols, vg.Points(170)))
		p.Title.Text = m.Name
		p.Title.TextStyle.Font.Size = labelSize
		p.Title.Padding = vg.Points(3)
		padY(p, 0.02)
		if _, log := p.Y.Scale.(plot.LogScale); log {
			p.Title.Text += " (log scale)"
		}
		p.Title.Text = fitText(p.Title.Text, panelDataWidth(w, cols, vg.Points(170))+vg.Points(50), p.Title.TextStyle)
		// A y label longer than the panel is tall would make plot.Align
		// shrink the panel: cut it to fit.
		p.Y.Label.TextStyle.Font.Size = tickSize
		p.Y.Label.Text = fitText(unitOr(m), vg.Points(150), p.Y.Label.TextStyle)
		plots = append(plots, p)
	}
	if len(plots) == 0 {
		return nil, false, nil
	}
	rows := (len(plots) + cols - 1) / cols
	grid := panelGrid(plots, cols)
	h := vg.Points(70) + vg.Points(215)*vg.Length(rows)
	sub := fmt.Sprintf("median and 50%% band across %d replications", x.replications())
	if note := x.pointNote(); note != "" {
		sub += ", " + note
	}
	g := ArmColor(0)
	entries = append(entries, legendEntry{}, legendEntry{name: "median", thumbs: []plot.Thumbnailer{lineThumb{g, 1.5}}},
		legendEntry{name: "50% band", thumbs: []plot.Thumbnailer{bandThumb{withAlpha(g, alpha50)}}})
	b, err := render(format, w, h, func(dc draw.Canvas) {
		dc = drawTitle(dc, "Outcomes over time by policy arm", sub)
		dc = drawLegend(dc, entries, vg.Points(20), "arm")
		drawPanels(dc, grid, vg.Points(12))
	})
	return b, true, err
}
