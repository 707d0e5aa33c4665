package plots

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
)

// effectBand is the distribution of the per-replication paired difference
// arm − baseline of one metric, month by month.
type effectBand struct {
	month          []int
	median, lo, hi []float64 // the 50%, 2.5% and 97.5% empirical quantiles
	pairs          int       // replications finished in both arms
}

// effectCache holds the replications' paths of the reference point, read
// once from the store for all effect-over-time charts.
type effectCache struct {
	once  sync.Once
	paths [][][]float64 // by arm, replication: months × metrics; nil without a store
	err   error
}

// effectPaths returns the monthly paths of every arm at the reference
// point, or nil when the directory has no replication store.
func (x *data) effectPaths() ([][][]float64, error) {
	c := x.effects
	c.once.Do(func() {
		arms := make([]int, len(x.plan.Arms))
		for i := range arms {
			arms[i] = i
		}
		c.paths, c.err = x.pathsOf(x.ref, arms...)
		if errors.Is(c.err, os.ErrNotExist) {
			c.paths, c.err = nil, nil
		}
	})
	return c.paths, c.err
}

// effectBandOf computes the band of arm a's paired difference of metric
// column col from paths (by arm, replication).
func (x *data) effectBandOf(paths [][][]float64, a, col int) effectBand {
	nm := len(x.plan.Metrics)
	var b effectBand
	var pairs []int
	for r := range paths[0] {
		if paths[0][r] != nil && paths[a][r] != nil {
			pairs = append(pairs, r)
		}
	}
	b.pairs = len(pairs)
	if len(pairs) == 0 {
		return b
	}
	d := make([]float64, 0, len(pairs))
	for t := 0; t < x.plan.Months; t++ {
		d = d[:0]
		for _, r := range pairs {
			if v := paths[a][r][t*nm+col] - paths[0][r][t*nm+col]; finite(v) {
				d = append(d, v)
			}
		}
		if len(d) == 0 {
			continue
		}
		slices.Sort(d)
		b.month = append(b.month, t)
		b.median = append(b.median, stat.Quantile(0.5, stat.Empirical, d, nil))
		b.lo = append(b.lo, stat.Quantile(0.025, stat.Empirical, d, nil))
		b.hi = append(b.hi, stat.Quantile(0.975, stat.Empirical, d, nil))
	}
	return b
}

// effectChart draws the paired effect of every policy over time on one
// metric: one panel per policy arm with the median and the 95% band
// (2.5% to 97.5%) across replications of the difference arm − baseline of
// the same replication (common random numbers), month by month, at the
// reference sweep point, with the named windows of the report shaded and, in
// the panel of an arm whose levers switch on at a month ([[arms]] from), the
// months from it to the horizon (its window from84). It
// draws from the replication store and is left out without one.
func (x *data) effectChart(m results.Metric, format string) ([]byte, bool, error) {
	if len(x.plan.Arms) < 2 {
		return nil, false, nil
	}
	paths, err := x.effectPaths()
	if err != nil || paths == nil {
		return nil, false, err
	}
	col := x.plan.MetricIndex(m.Name)
	var plots []*plot.Plot
	pairs := 0
	for a := 1; a < len(x.plan.Arms); a++ {
		b := x.effectBandOf(paths, a, col)
		if len(b.month) == 0 {
			continue
		}
		pairs = max(pairs, b.pairs)
		p := newPlot()
		addGrid(p, true, true)
		c := ArmColor(a)
		shaded := slices.Clone(x.plan.Report.Windows)
		if t := x.plan.Arms[a].From; t > 0 {
			shaded = append(shaded, results.Window{Name: results.FromWindow(t), From: t, To: x.plan.Horizon()})
		}
		for _, w := range shaded {
			lo, hi := x.plan.DecimalYear(w.From), x.plan.DecimalYear(w.To)+1.0/12
			bottom, top := min(slices.Min(b.lo), 0), max(slices.Max(b.hi), 0)
			shade, err := plotter.NewPolygon(plotter.XYs{{X: lo, Y: bottom}, {X: hi, Y: bottom}, {X: hi, Y: top}, {X: lo, Y: top}})
			if err == nil {
				shade.Color = withAlpha(zeroGrey, 30)
				shade.LineStyle.Width = 0
				p.Add(shade)
			}
		}
		ring := make(plotter.XYs, 0, 2*len(b.month))
		line := make(plotter.XYs, len(b.month))
		for k, t := range b.month {
			ring = append(ring, plotter.XY{X: x.plan.DecimalYear(t), Y: b.hi[k]})
			line[k] = plotter.XY{X: x.plan.DecimalYear(t), Y: b.median[k]}
		}
		for k := len(b.month) - 1; k >= 0; k-- {
			ring = append(ring, plotter.XY{X: x.plan.DecimalYear(b.month[k]), Y: b.lo[k]})
		}
		if len(b.month) > 1 {
			band, err := plotter.NewPolygon(ring)
			if err != nil {
				return nil, false, err
			}
			band.Color = withAlpha(c, alpha90+alpha50/2)
			band.LineStyle.Width = 0
			p.Add(band)
		}
		med, err := plotter.NewLine(line)
		if err != nil {
			return nil, false, err
		}
		med.Color = c
		med.Width = vg.Points(1.6)
		p.Add(med)
		zero, err := plotter.NewLine(plotter.XYs{{X: x.plan.DecimalYear(0), Y: 0}, {X: x.plan.DecimalYear(x.plan.Horizon()), Y: 0}})
		if err != nil {
			return nil, false, err
		}
		zero.Color = zeroGrey
		zero.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(zero)
		calendarAxisWidth(p, x.plan, panelDataWidth(10*vg.Inch, min(2, len(x.plan.Arms)-1), 0))
		padY(p, 0.03)
		p.Title.Text = x.plan.Arms[a].Name
		if x.windows[windowKey{results.HorizonWindow, x.plan.Arms[a].Name, x.refPointName(), m.Name}].Definitional {
			p.Title.Text += " (by definition)"
		}
		p.Title.TextStyle.Font.Size = labelSize
		p.Title.Padding = vg.Points(3)
		p.Y.Label.Text = "difference, " + unitOr(m)
		p.Y.Label.TextStyle.Font.Size = tickSize
		plots = append(plots, p)
	}
	if len(plots) == 0 {
		return nil, false, nil
	}
	cols := min(2, len(plots))
	rows := (len(plots) + cols - 1) / cols
	grid := panelGrid(plots, cols)
	w := 10 * vg.Inch
	if cols == 1 {
		w = stdW
	}
	h := vg.Points(80) + vg.Points(200)*vg.Length(rows)
	sub := fmt.Sprintf("arm − %s in the same replication, by month: median and 95%% band across %d replications", x.plan.Arms[0].Name, pairs)
	starts := slices.ContainsFunc(x.plan.Arms[1:], func(a results.Arm) bool { return a.From > 0 })
	switch {
	case len(x.plan.Report.Windows) > 0 && starts:
		sub += "; shaded: the report's windows and the months after an arm's levers switch on"
	case len(x.plan.Report.Windows) > 0:
		sub += "; shaded: the report's windows"
	case starts:
		sub += "; shaded: the months after an arm's levers switch on"
	}
	if note := x.pointNote(); note != "" {
		sub += ", " + note
	}
	b, err := render(format, w, h, func(dc draw.Canvas) {
		dc = drawTitle(dc, metricTitle(m)+": paired effect of each policy over time", sub)
		drawPanels(dc, grid, vg.Points(16))
	})
	return b, true, err
}
