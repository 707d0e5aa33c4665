package plots

import (
	"fmt"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// morrisChart draws Morris's screening plane of one output: each
// parameter at (μ*, σ), labelled, with the line σ = μ* beyond which a
// parameter's effects depend mostly on where the others are.
func morrisChart(g sensGroup, format string) ([]byte, bool, error) {
	var pts plotter.XYs
	var labels []string
	hi := 0.0
	for _, r := range g.Rows {
		if !finite(r.MuStar) || !finite(r.Sigma) {
			continue
		}
		pts = append(pts, plotter.XY{X: r.MuStar, Y: r.Sigma})
		labels = append(labels, r.Parameter)
		_, hi = span(0, hi, r.MuStar, r.Sigma)
	}
	if len(pts) == 0 {
		return nil, false, nil
	}
	if hi == 0 {
		hi = 1
	}
	p := newPlot()
	addGrid(p, true, true)
	diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: hi * 1.1, Y: hi * 1.1}})
	if err != nil {
		return nil, false, err
	}
	diag.Color = zeroGrey
	diag.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(diag)
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, false, err
	}
	sc.Shape = draw.CircleGlyph{}
	sc.Radius = vg.Points(4.5)
	sc.Color = ArmColor(max(g.ArmIndex, 5))
	p.Add(sc)
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
	if err != nil {
		return nil, false, err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i] = textStyle(tickSize)
	}
	lab.Offset = vg.Point{X: vg.Points(6), Y: vg.Points(2)}
	p.Add(lab)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, hi*1.25, 0, hi*1.1
	p.X.Label.Text = "μ*, mean |elementary effect| (output per unit of the range)"
	p.Y.Label.Text = "σ of the elementary effects"
	sub := fmt.Sprintf("window %s; r = %d trajectories; dashed: σ = μ*", g.Window, g.Rows[0].N)
	b, err := render(format, stdW, stdH, func(dc draw.Canvas) {
		dc = drawTitle(dc, "Morris screening: "+g.what(), sub)
		p.Draw(dc)
	})
	return b, true, err
}
