package plots

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// sobolChart draws the first- and total-order Sobol indices of one output:
// for each parameter (the largest total index on top) a thick bar to S1
// and a thin bar below it to S_T, each with its 95% bootstrap interval.
func sobolChart(g sensGroup, format string) ([]byte, bool, error) {
	rows := sortedRows(g.Rows, func(i int) float64 { return g.Rows[i].Total })
	if len(rows) == 0 {
		return nil, false, nil
	}
	p := newPlot()
	addGrid(p, true, false)
	n := len(rows)
	names := make([]string, n)
	lo, hi := span(0, 1)
	first, total := ArmColor(5), ArmColor(1)
	for k, r := range rows {
		y := float64(n - 1 - k)
		names[n-1-k] = r.Parameter
		for _, b := range []struct {
			v, l, h, dy float64
			c           color.NRGBA
		}{{r.First, r.FirstLo, r.FirstHi, 0.17, first}, {r.Total, r.TotalLo, r.TotalHi, -0.17, total}} {
			if err := hbar(p, 0, b.v, y+b.dy, vg.Points(9), withAlpha(b.c, 0xb0)); err != nil {
				return nil, false, err
			}
			if err := hbar(p, b.l, b.h, y+b.dy, vg.Points(1.3), black); err != nil {
				return nil, false, err
			}
			lo, hi = span(lo, hi, b.v, b.l, b.h)
		}
	}
	if err := vline(p, 0, -0.5, float64(n)-0.5); err != nil {
		return nil, false, err
	}
	p.X.Min, p.X.Max = lo-0.05*(hi-lo), hi+0.05*(hi-lo)
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.X.Label.Text = "Sobol index (share of the output's variance)"
	sub := fmt.Sprintf("window %s; N = %d base points, (d+2)N = %d design points", g.Window, rows[0].N, (n+2)*rows[0].N)
	entries := []legendEntry{
		{name: "first order S1", thumbs: []plot.Thumbnailer{lineThumb{withAlpha(first, 0xb0), 9}}},
		{name: "total order ST", thumbs: []plot.Thumbnailer{lineThumb{withAlpha(total, 0xb0), 9}}},
		{name: "95% bootstrap CI", thumbs: []plot.Thumbnailer{lineThumb{black, 1.3}}},
	}
	h := vg.Points(150) + vg.Points(40)*vg.Length(n)
	b, err := render(format, stdW, h, func(dc draw.Canvas) {
		dc = drawTitle(dc, "Sobol indices: "+g.what(), sub)
		dc = drawLegend(dc, entries, vg.Points(10), "")
		p.Draw(dc)
	})
	return b, true, err
}
