package plots

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
)

// sweepPoints reports whether the plan sweeps parameters over more than
// one point and has policy arms to compare.
func (x *data) sweepPoints() bool {
	return x.plan.Sweep != nil && len(x.plan.Sweep.Parameters) > 0 && len(x.plan.Points) > 1 && len(x.plan.Arms) > 1
}

// sweptParam is one swept parameter as the manifest's points give it.
type sweptParam struct {
	name     string
	value    []float64 // at each point; NaN where a point does not set it
	distinct []float64 // its distinct values, increasing
	// categorical: the values are the levels of a grid (each taken by
	// several points), drawn at equal spacing and labelled by value.
	categorical bool
}

// level returns the index of v among the distinct values.
func (s sweptParam) level(v float64) int {
	i, _ := slices.BinarySearch(s.distinct, v)
	return i
}

// sweptParams reads the swept parameters' values from the plan's points
// (the manifest), not from any column of the tables.
func (x *data) sweptParams() []sweptParam {
	if x.plan.Sweep == nil {
		return nil
	}
	var out []sweptParam
	for _, name := range x.plan.Sweep.Parameters {
		s := sweptParam{name: name, value: make([]float64, len(x.plan.Points))}
		var vs []float64
		for i, pt := range x.plan.Points {
			s.value[i] = math.NaN()
			if v, ok := paramValue(pt, name); ok {
				s.value[i] = v
				vs = append(vs, v)
			}
		}
		s.distinct = distinct(vs)
		s.categorical = x.plan.Sweep.Kind != "lhs" || len(s.distinct) < len(vs)
		out = append(out, s)
	}
	return out
}

// categoryTicks labels the positions 0, 1, ... of a categorical axis with
// the values they stand for.
func categoryTicks(vs []float64) plot.Ticker {
	ticks := make([]plot.Tick, len(vs))
	for i, v := range vs {
		ticks[i] = plot.Tick{Value: float64(i), Label: fmtShortest(v)}
	}
	return plot.ConstantTicks(ticks)
}

// sweepGlyphs tell apart, within one panel of the sweep chart, the points
// that share the panel's parameter value but differ in the others.
var sweepGlyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}, draw.RingGlyph{}, draw.SquareGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}}

// sweepChart draws each policy's paired effect on metric m at the horizon
// against each swept parameter: a row of panels per policy arm, a column
// per parameter; in a panel, each sweep point's mean paired difference
// (arm − baseline, common random numbers) with its 95% paired-t interval
// at the point's value of the column's parameter. Grid values are
// categories (equally spaced, labelled by value); the points that share a
// value and differ in the other parameters sit side by side, told apart by
// their glyph (the legend names the other parameters' values). Latin
// hypercube values are drawn on a continuous axis.
func (x *data) sweepChart(m results.Metric, format string) ([]byte, bool, error) {
	if !x.sweepPoints() {
		return nil, false, nil
	}
	params := x.sweptParams()
	type cell struct {
		c  results.ComparisonRow
		ok bool
	}
	rows := make([][]cell, len(x.plan.Arms)) // by arm, point
	any := false
	for a := 1; a < len(x.plan.Arms); a++ {
		rows[a] = make([]cell, len(x.plan.Points))
		for i, pt := range x.plan.Points {
			c, ok := x.windows[windowKey{results.HorizonWindow, x.plan.Arms[a].Name, pt.Name, m.Name}]
			if ok && finite(c.Diff) {
				rows[a][i] = cell{c, true}
				any = true
			}
		}
	}
	if !any {
		return nil, false, nil
	}
	// others[j][i]: the index of point i's combination of the parameters
	// other than j (its glyph in column j), and their labels.
	others := make([][]int, len(params))
	otherLabels := make([][]string, len(params))
	for j := range params {
		others[j] = make([]int, len(x.plan.Points))
		seen := map[string]int{}
		for i := range x.plan.Points {
			var key string
			for k, q := range params {
				if k != j {
					if key != "" {
						key += ", "
					}
					key += q.name + " = " + fmtShortest(q.value[i])
				}
			}
			idx, ok := seen[key]
			if !ok {
				idx = len(seen)
				seen[key] = idx
				otherLabels[j] = append(otherLabels[j], key)
			}
			others[j][i] = idx
		}
		if !params[j].categorical || len(otherLabels[j]) > len(sweepGlyphs) {
			for i := range others[j] {
				others[j][i] = 0
			}
			otherLabels[j] = nil
		}
	}
	cols := len(params)
	w := max(stdW, vg.Points(290)*vg.Length(cols)+vg.Points(190))
	var grid [][]*plot.Plot
	for a := 1; a < len(x.plan.Arms); a++ {
		var row []*plot.Plot
		c := ArmColor(a)
		for j, sp := range params {
			p := newPlot()
			addGrid(p, false, true)
			k := max(1, len(otherLabels[j]))
			lo, hi := 0.0, 0.0
			for i := range x.plan.Points {
				r := rows[a][i]
				if !r.ok || math.IsNaN(sp.value[i]) {
					continue
				}
				xv := sp.value[i]
				if sp.categorical {
					xv = float64(sp.level(xv)) + (float64(others[j][i])-float64(k-1)/2)*0.6/float64(k)
				}
				if finite(r.c.PairedLo) && finite(r.c.PairedHi) {
					l, err := plotter.NewLine(plotter.XYs{{X: xv, Y: r.c.PairedLo}, {X: xv, Y: r.c.PairedHi}})
					if err != nil {
						return nil, false, err
					}
					l.Color = c
					l.Width = vg.Points(1.6)
					p.Add(l)
					lo, hi = math.Min(lo, r.c.PairedLo), math.Max(hi, r.c.PairedHi)
				}
				sc, err := plotter.NewScatter(plotter.XYs{{X: xv, Y: r.c.Diff}})
				if err != nil {
					return nil, false, err
				}
				sc.GlyphStyle = draw.GlyphStyle{Color: shade(c, 0.8), Radius: vg.Points(3.2), Shape: sweepGlyphs[others[j][i]]}
				p.Add(sc)
				lo, hi = math.Min(lo, r.c.Diff), math.Max(hi, r.c.Diff)
			}
			var x0, x1 float64
			if sp.categorical {
				x0, x1 = -0.5, float64(len(sp.distinct))-0.5
				p.X.Tick.Marker = categoryTicks(sp.distinct)
			} else {
				x0, x1 = sp.distinct[0], sp.distinct[len(sp.distinct)-1]
				pad := (x1 - x0) * 0.05
				if pad == 0 {
					pad = 0.5
				}
				x0, x1 = x0-pad, x1+pad
				p.X.Tick.Marker = fittedTicks{vg.Points(200)}
			}
			zero, err := plotter.NewLine(plotter.XYs{{X: x0, Y: 0}, {X: x1, Y: 0}})
			if err != nil {
				return nil, false, err
			}
			zero.Color = zeroGrey
			zero.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			p.Add(zero)
			p.X.Min, p.X.Max = x0, x1
			p.Y.Min, p.Y.Max = lo, hi
			padY(p, 0.06)
			p.X.Label.Text = sp.name
			p.X.Label.TextStyle.Font.Size = tickSize + 0.5
			if j == 0 {
				p.Y.Label.Text = fitText("difference, "+unitOr(m), vg.Points(140), textStyle(tickSize))
				p.Y.Label.TextStyle.Font.Size = tickSize
			}
			p.Title.Text = fitText(x.plan.Arms[a].Name, vg.Points(260), textStyle(labelSize))
			p.Title.TextStyle.Font.Size = labelSize
			p.Title.Padding = vg.Points(3)
			row = append(row, p)
		}
		grid = append(grid, row)
	}
	var entries []legendEntry
	for j, labels := range otherLabels {
		if len(labels) < 2 {
			continue
		}
		if len(entries) > 0 {
			entries = append(entries, legendEntry{})
		}
		entries = append(entries, legendEntry{name: "by " + params[j].name + ":"})
		for k, l := range labels {
			entries = append(entries, legendEntry{name: l, thumbs: []plot.Thumbnailer{glyphThumb{draw.GlyphStyle{Color: panelGrey, Radius: vg.Points(3.2), Shape: sweepGlyphs[k]}}}})
		}
	}
	h := vg.Points(90) + vg.Points(190)*vg.Length(len(grid))
	sub := fmt.Sprintf("arm − %s at the horizon (%s), paired by replication: mean and 95%% paired-t interval at each sweep point", x.baselineName(), x.horizonDate())
	b, err := render(format, w, h, func(dc draw.Canvas) {
		dc = drawTitle(dc, metricTitle(m)+": effect against the swept parameters", sub)
		dc = drawLegend(dc, entries, vg.Points(20), "")
		drawPanels(dc, grid, vg.Points(18))
	})
	return b, true, err
}
