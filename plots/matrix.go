package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
	"frontiersim/stats"
)

// matrixScale is the largest |Δ| the effects matrix's colours tell apart:
// beyond it they saturate, so that a metric that hardly varies in the
// baseline (whose Δ is then very large) does not wash out the others.
const matrixScale = 2.0

// roundingSD is the relative size of a baseline SD that is rounding
// noise: a metric whose SD across the baseline's replications is at most
// roundingSD times its mean does not vary, and has no standardized effect
// (Δ would be noise over noise).
const roundingSD = 1e-9

// matrixAlpha is the level of the effects matrix's markers: a cell is
// marked when its adjusted p-value is at most matrixAlpha.
const matrixAlpha = 0.05

// effectCell is one cell of the effects matrix: one policy arm's effect on
// one metric over the matrix's window, at the reference sweep point.
type effectCell struct {
	Row          results.ComparisonRow
	OK           bool    // comparison.csv has the row
	Effect       float64 // Glass's Δ: mean paired difference / the baseline's SD; NaN when that SD is 0 or rounding noise
	Lo, Hi       float64 // the paired-t 95% interval of the difference over the same SD
	P            float64 // two-sided p-value of the paired t test
	PAdj         float64 // P adjusted across the family; NaN outside it (definitional or untestable)
	Significant  bool    // in the family, with PAdj at most matrixAlpha
	Definitional bool    // the arm moves the metric by definition: not a finding, outside the family
}

// effectsMatrix is the report's "one glance": every policy arm's
// standardized paired effect on every chart metric over one window of
// comparison.csv, with the p-values of the paired t tests adjusted for
// multiplicity across the cells.
type effectsMatrix struct {
	Window  results.Window
	Method  stats.Adjustment
	Arms    []string         // the policy arms, in plan order
	Metrics []results.Metric // the chart metrics that comparison.csv reports
	Cells   [][]effectCell   // by arm, metric
	Family  int              // the cells whose p-values are adjusted together
	Marked  int              // the family's cells marked significant
}

// matrixWindow returns the window of the effects matrix: [report]
// matrix_window, else the horizon.
func (x *data) matrixWindow() (results.Window, error) {
	name := x.plan.Report.MatrixWindow
	if name == "" {
		name = results.HorizonWindow
	}
	for _, w := range x.plan.ComparisonWindows() {
		if w.Name == name {
			return w, nil
		}
	}
	return results.Window{}, fmt.Errorf("plots: effects matrix: window %q is not one comparison.csv compares", name)
}

// matrixMethod returns the adjustment of the effects matrix: [report]
// adjust, else Holm's.
func (x *data) matrixMethod() stats.Adjustment {
	if a := stats.Adjustment(x.plan.Report.Adjust); a != "" {
		return a
	}
	return stats.Holm
}

// matrix computes the effects matrix. The standardized effect of a cell
// is Glass's Δ, the mean paired difference over the standard deviation of
// the metric in the baseline arm across replications (the row's
// baseline_sd), and its interval is the paired-t 95% interval over the same
// SD, so that it excludes zero exactly when the paired t test rejects at
// 5%. The p-values of the cells that are not definitional are adjusted
// together by the experiment's method; definitional cells are left out of
// the family (they are not findings) and never marked. ok is false when
// the matrix has no cell (a single arm, no comparison rows).
func (x *data) matrix() (effectsMatrix, bool, error) {
	w, err := x.matrixWindow()
	if err != nil {
		return effectsMatrix{}, false, err
	}
	m := effectsMatrix{Window: w, Method: x.matrixMethod()}
	pt := x.refPointName()
	row := func(arm, metric string) (results.ComparisonRow, bool) {
		r, ok := x.windows[windowKey{w.Name, arm, pt, metric}]
		return r, ok
	}
	for _, mt := range chartMetrics(x.plan) {
		for _, a := range x.plan.Arms[min(1, len(x.plan.Arms)):] {
			if _, ok := row(a.Name, mt.Name); ok {
				m.Metrics = append(m.Metrics, mt)
				break
			}
		}
	}
	for _, a := range x.plan.Arms[min(1, len(x.plan.Arms)):] {
		for _, mt := range m.Metrics {
			if _, ok := row(a.Name, mt.Name); ok {
				m.Arms = append(m.Arms, a.Name)
				break
			}
		}
	}
	if len(m.Arms) == 0 || len(m.Metrics) == 0 {
		return m, false, nil
	}
	var ps []float64
	m.Cells = make([][]effectCell, len(m.Arms))
	for i, arm := range m.Arms {
		m.Cells[i] = make([]effectCell, len(m.Metrics))
		for j, mt := range m.Metrics {
			c := &m.Cells[i][j]
			c.Effect, c.Lo, c.Hi, c.P, c.PAdj = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
			c.Row, c.OK = row(arm, mt.Name)
			if c.OK {
				c.Definitional = c.Row.Definitional
				if sd := c.Row.BaselineSD; sd > roundingSD*math.Abs(c.Row.BaselineMean) && sd > 0 {
					c.Effect, c.Lo, c.Hi = c.Row.Diff/sd, c.Row.PairedLo/sd, c.Row.PairedHi/sd
				}
				c.P = stats.PairedTP(c.Row.Diff, c.Row.DiffSD, c.Row.N)
			}
			p := c.P
			if c.Definitional {
				p = math.NaN()
			}
			ps = append(ps, p)
		}
	}
	adj, err := stats.Adjust(m.Method, ps)
	if err != nil {
		return m, false, fmt.Errorf("plots: effects matrix: %w", err)
	}
	for i := range m.Cells {
		for j := range m.Cells[i] {
			c := &m.Cells[i][j]
			c.PAdj = adj[i*len(m.Metrics)+j]
			if !math.IsNaN(c.PAdj) {
				m.Family++
				if c.PAdj <= matrixAlpha {
					c.Significant = true
					m.Marked++
				}
			}
		}
	}
	return m, true, nil
}

// matrixNote says in a sentence what the matrix's markers mean.
func (m effectsMatrix) note() string {
	if m.Method == stats.NoAdjustment {
		return fmt.Sprintf("* = the paired t test's p-value is at most %g, not adjusted for the %d cells tested", matrixAlpha, m.Family)
	}
	return fmt.Sprintf("* = the p-value adjusted by %s across the %d cells tested is at most %g", m.Method.Describe(), m.Family, matrixAlpha)
}

// matrixCaption is the effects matrix's caption in the chart registry.
func (x *data) matrixCaption() string {
	s := "Effects at a glance: the standardized paired effect (Glass's Δ, the mean paired difference over the baseline's SD across replications) of each policy arm on each headline metric"
	if w, err := x.matrixWindow(); err == nil {
		s += " " + x.windowText(w)
	}
	return s + ", with its 95% paired-t interval; starred and outlined: significant after " + x.matrixMethod().Describe() + " adjustment across the cells; hatched: moved by definition."
}

// fmtEffect formats a standardized effect with two decimals and a sign.
func fmtEffect(v float64) string {
	switch {
	case !finite(v):
		return missing
	case v == 0:
		return "0"
	}
	if math.Abs(v) >= 100 {
		return fmt.Sprintf("%+.0f", v)
	}
	if s := fmt.Sprintf("%+.2f", v); s != "-0.00" && s != "+0.00" {
		return s
	}
	return "0.00" // no sign on what rounds to zero

}

// matrixChart draws the effects matrix: one row per metric, one column per
// policy arm; each cell coloured by its standardized effect on a symmetric
// diverging scale (blue below zero, red above, white at zero; the scale
// spans the largest |Δ| of the cells that are not definitional, at most
// matrixScale, beyond which colours saturate), labelled with the effect and its interval,
// outlined and starred when significant after adjustment, and hatched grey
// when the arm moves the metric by definition.
func (x *data) matrixChart(format string) ([]byte, bool, error) {
	m, ok, err := x.matrix()
	if err != nil || !ok {
		return nil, false, err
	}
	scale := 0.0
	for i := range m.Cells {
		for _, c := range m.Cells[i] {
			if !c.Definitional && finite(c.Effect) {
				scale = math.Max(scale, math.Abs(c.Effect))
			}
		}
	}
	clipped := scale > matrixScale
	scale = min(scale, matrixScale)
	if !(scale > 0) {
		scale = 1
	}
	cmap := moreland.SmoothBlueRed()
	cmap.SetMin(-scale)
	cmap.SetMax(scale)
	colour := func(v float64) (c color.Color, ok bool) {
		if !finite(v) {
			return nil, false
		}
		col, err := cmap.At(math.Max(-scale, math.Min(scale, v)))
		return col, err == nil
	}

	label, small := textStyle(tickSize+0.5), textStyle(tickSize-1.5)
	cellW, cellH := vg.Points(112), vg.Points(36)
	leftW := vg.Points(0)
	for _, mt := range m.Metrics {
		leftW = max(leftW, label.Width(mt.Name))
	}
	leftW += vg.Points(10)
	for _, a := range m.Arms {
		cellW = max(cellW, min(label.Width(a), vg.Points(150))+vg.Points(8))
	}
	// Long arm names are wrapped onto up to three lines, each cut to the
	// cell.
	heads := make([]string, len(m.Arms))
	lines := 1
	for i, a := range m.Arms {
		ls := wrapWords(a, cellW-vg.Points(8), label)
		if len(ls) > 3 {
			ls = append(ls[:2], strings.Join(ls[2:], ""))
		}
		for k := range ls {
			ls[k] = fitText(ls[k], cellW-vg.Points(8), label)
		}
		lines = max(lines, len(ls))
		heads[i] = strings.Join(ls, "\n")
	}
	barW, headH, footH := vg.Points(78), vg.Points(10)+label.Font.Size*vg.Length(lines), vg.Points(42)
	w := leftW + cellW*vg.Length(len(m.Arms)) + barW + vg.Points(24)
	w = max(w, stdW)
	h := vg.Points(46) + headH + cellH*vg.Length(len(m.Metrics)) + footH

	sub := fmt.Sprintf("Δ = mean paired difference (arm − %s) / %s's SD across replications, %s",
		x.plan.Arms[0].Name, x.plan.Arms[0].Name, x.windowText(m.Window))
	if note := x.pointNote(); note != "" {
		sub += ", " + note
	}
	b, err := render(format, w, h, func(dc draw.Canvas) {
		dc = drawTitle(dc, "Effects at a glance", sub)
		gridW := leftW + cellW*vg.Length(len(m.Arms))
		x0 := dc.Min.X + (dc.Max.X-dc.Min.X-gridW-barW)/2 + leftW
		top := dc.Max.Y - headH
		head := label
		head.XAlign, head.YAlign = draw.XCenter, draw.YBottom
		for i := range m.Arms {
			dc.FillText(head, vg.Point{X: x0 + cellW*vg.Length(i) + cellW/2, Y: top + vg.Points(4)}, heads[i])
		}
		rowSty := label
		rowSty.XAlign, rowSty.YAlign = draw.XRight, draw.YCenter
		for j, mt := range m.Metrics {
			y1 := top - cellH*vg.Length(j)
			dc.FillText(rowSty, vg.Point{X: x0 - vg.Points(6), Y: y1 - cellH/2}, mt.Name)
			for i := range m.Arms {
				c := m.Cells[i][j]
				r := vg.Rectangle{Min: vg.Point{X: x0 + cellW*vg.Length(i), Y: y1 - cellH}, Max: vg.Point{X: x0 + cellW*vg.Length(i+1), Y: y1}}
				var fill color.Color
				fill, ok := colour(c.Effect)
				switch {
				case !c.OK:
					fill = white
				case c.Definitional:
					fill = definitionalGrey
				case !ok:
					fill = missingGrey
				}
				fillRect(dc, r, fill)
				if c.Definitional {
					hatch(dc, r, vg.Points(6))
				}
				outline(dc, r, gridGrey, vg.Points(0.5))
				if !c.OK {
					continue
				}
				ink := labelColor(fill)
				if c.Definitional {
					ink = panelGrey
				}
				main, sec := label, small
				main.Color, sec.Color = ink, ink
				main.XAlign, main.YAlign = draw.XCenter, draw.YBottom
				sec.XAlign, sec.YAlign = draw.XCenter, draw.YTop
				mid := vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}
				txt := fmtEffect(c.Effect)
				if c.Significant {
					txt += " *"
				}
				dc.FillText(main, vg.Point{X: mid.X, Y: mid.Y}, txt)
				second := "[" + fmtEffect(c.Lo) + ", " + fmtEffect(c.Hi) + "]"
				switch {
				case c.Definitional:
					second = "by definition"
				case !finite(c.Effect):
					second = "no baseline variation"
				}
				dc.FillText(sec, vg.Point{X: mid.X, Y: mid.Y - vg.Points(1)}, second)
			}
		}
		// Outline the marked cells on top of the grid lines.
		for j := range m.Metrics {
			y1 := top - cellH*vg.Length(j)
			for i := range m.Arms {
				if m.Cells[i][j].Significant {
					r := vg.Rectangle{Min: vg.Point{X: x0 + cellW*vg.Length(i), Y: y1 - cellH}, Max: vg.Point{X: x0 + cellW*vg.Length(i+1), Y: y1}}
					outline(dc, inset(draw.Canvas{Rectangle: r}, vg.Points(1), vg.Points(1), vg.Points(1), vg.Points(1)).Rectangle, black, vg.Points(1.5))
				}
			}
		}
		// The colour bar: -scale to +scale.
		bx := x0 + cellW*vg.Length(len(m.Arms)) + vg.Points(18)
		bTop, bBot := top, top-max(cellH*vg.Length(len(m.Metrics)), vg.Points(90))
		const steps = 64
		for k := range steps {
			v := -scale + 2*scale*(float64(k)+0.5)/steps
			c, _ := colour(v)
			y0 := bBot + (bTop-bBot)*vg.Length(k)/steps
			fillRect(dc, vg.Rectangle{Min: vg.Point{X: bx, Y: y0}, Max: vg.Point{X: bx + vg.Points(12), Y: y0 + (bTop-bBot)/steps + vg.Points(0.3)}}, c)
		}
		outline(dc, vg.Rectangle{Min: vg.Point{X: bx, Y: bBot}, Max: vg.Point{X: bx + vg.Points(12), Y: bTop}}, panelGrey, vg.Points(0.5))
		tick := small
		tick.XAlign, tick.YAlign = draw.XLeft, draw.YCenter
		for _, v := range []float64{-scale, 0, scale} {
			y := bBot + (bTop-bBot)*vg.Length((v+scale)/(2*scale))
			s := fmtEffect(v)
			if clipped && v != 0 {
				s = map[bool]string{true: "≥ ", false: "≤ "}[v > 0] + s
			}
			dc.FillText(tick, vg.Point{X: bx + vg.Points(15), Y: y}, s)
		}
		capSty := small
		capSty.XAlign, capSty.YAlign = draw.XLeft, draw.YBottom
		dc.FillText(capSty, vg.Point{X: bx, Y: bTop + vg.Points(4)}, "Δ")
		// The footnote names the adjustment.
		foot := small
		foot.Color = panelGrey
		foot.XAlign, foot.YAlign = draw.XCenter, draw.YTop
		fy := top - cellH*vg.Length(len(m.Metrics)) - vg.Points(8)
		dc.FillText(foot, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: fy}, "In brackets: the 95% paired-t interval of Δ. "+m.note()+".")
		dc.FillText(foot, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: fy - foot.Height("H") - vg.Points(2)}, "Outlined: marked. Hatched: the arm moves the metric by definition (not a finding, not tested).")
	})
	return b, true, err
}

// The fills of the effects matrix's cells that have no colour of their
// own: moved by definition (hatched over), and no standardized effect (a
// baseline SD of zero).
var (
	definitionalGrey = color.NRGBA{0xe4, 0xe4, 0xe4, 0xff}
	missingGrey      = color.NRGBA{0xf4, 0xf4, 0xf4, 0xff}
)

// fillRect fills r with c.
func fillRect(dc draw.Canvas, r vg.Rectangle, c color.Color) {
	dc.SetColor(c)
	dc.Fill(r.Path())
}

// outline strokes the border of r.
func outline(dc draw.Canvas, r vg.Rectangle, c color.Color, width vg.Length) {
	dc.SetLineStyle(draw.LineStyle{Color: c, Width: width})
	dc.Stroke(r.Path())
}

// hatch draws diagonal lines across r, gap apart (lines x − y = k clipped
// to r).
func hatch(dc draw.Canvas, r vg.Rectangle, gap vg.Length) {
	w, h := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
	sty := draw.LineStyle{Color: color.NRGBA{0xa8, 0xa8, 0xa8, 0xff}, Width: vg.Points(0.6)}
	for k := -h; k < w; k += gap {
		// The line's points are (Min.X + k + t, Min.Y + t), t in [0, h],
		// within r for t in [max(0, −k), min(h, w − k)].
		t0, t1 := max(0, -k), min(h, w-k)
		if t1 <= t0 {
			continue
		}
		dc.StrokeLine2(sty, r.Min.X+k+t0, r.Min.Y+t0, r.Min.X+k+t1, r.Min.Y+t1)
	}
}
