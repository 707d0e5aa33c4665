package plots

import (
	"fmt"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// srcChart draws the standardized regression coefficients of one output,
// one bar per parameter from zero (the largest |SRC| on top), with the
// regression's R² in the subtitle.
func srcChart(g sensGroup, format string) ([]byte, bool, error) {
	rows := sortedRows(g.Rows, func(i int) float64 { return g.Rows[i].SRC })
	if len(rows) == 0 || !finite(rows[0].SRC) {
		return nil, false, nil
	}
	p := newPlot()
	addGrid(p, true, false)
	n := len(rows)
	names := make([]string, n)
	lo, hi := span(-0.1, 0.1)
	for k, r := range rows {
		y := float64(n - 1 - k)
		names[n-1-k] = r.Parameter
		c := ArmColor(5)
		if r.SRC < 0 {
			c = ArmColor(4)
		}
		if err := hbar(p, 0, r.SRC, y, vg.Points(14), withAlpha(c, 0xc0)); err != nil {
			return nil, false, err
		}
		lo, hi = span(lo, hi, r.SRC)
	}
	if err := vline(p, 0, -0.5, float64(n)-0.5); err != nil {
		return nil, false, err
	}
	pad := (hi - lo) * 0.08
	p.X.Min, p.X.Max = lo-pad, hi+pad
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.X.Label.Text = "standardized regression coefficient"
	sub := fmt.Sprintf("window %s; %d points; R² = %s", g.Window, rows[0].N, fmtValue(rows[0].R2))
	h := vg.Points(130) + vg.Points(34)*vg.Length(n)
	b, err := render(format, stdW, h, func(dc draw.Canvas) {
		dc = drawTitle(dc, "Standardized regression: "+g.what(), sub)
		p.Draw(dc)
	})
	return b, true, err
}
