package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// oatChart draws the one-at-a-time swings of one output as a tornado:
// for each parameter (the largest swing on top) a bar from the output
// with the parameter at the low end of its range (light) to the output at
// the high end (dark), around the centre's output.
func oatChart(g sensGroup, format string) ([]byte, bool, error) {
	rows := sortedRows(g.Rows, func(i int) float64 { return g.Rows[i].Swing })
	if len(rows) == 0 || !finite(rows[0].Center) {
		return nil, false, nil
	}
	p := newPlot()
	addGrid(p, true, false)
	n := len(rows)
	names := make([]string, n)
	c := rows[0].Center
	lo, hi := c, c
	low, high := withAlpha(ArmColor(2), 0xc0), withAlpha(ArmColor(5), 0xd0)
	for k, r := range rows {
		y := float64(n - 1 - k)
		names[n-1-k] = r.Parameter
		if err := hbar(p, c, r.Low, y, vg.Points(14), low); err != nil {
			return nil, false, err
		}
		if err := hbar(p, c, r.High, y, vg.Points(14), high); err != nil {
			return nil, false, err
		}
		lo, hi = span(lo, hi, r.Low, r.High)
	}
	if err := vline(p, c, -0.5, float64(n)-0.5); err != nil {
		return nil, false, err
	}
	pad := (hi - lo) * 0.08
	if pad == 0 {
		pad = 1
	}
	p.X.Min, p.X.Max = lo-pad, hi+pad
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.X.Label.Text = g.what() + ", " + unitOr(g.Metric)
	sub := fmt.Sprintf("window %s; dashed: the centre, %s", g.Window, fmtValue(c))
	entries := []legendEntry{
		{name: "parameter at its min", thumbs: []plot.Thumbnailer{lineThumb{low, 9}}},
		{name: "parameter at its max", thumbs: []plot.Thumbnailer{lineThumb{high, 9}}},
	}
	h := vg.Points(150) + vg.Points(34)*vg.Length(n)
	b, err := render(format, stdW, h, func(dc draw.Canvas) {
		dc = drawTitle(dc, "One at a time: "+g.what(), sub)
		dc = drawLegend(dc, entries, vg.Points(10), "")
		p.Draw(dc)
	})
	return b, true, err
}
