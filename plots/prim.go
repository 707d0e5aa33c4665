package plots

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"frontiersim/results"
)

// discoveryData is what runsim discover wrote into a result directory.
type discoveryData struct {
	params     []string
	points     [][]float64 // the swept values of each point, in plan order
	target     []results.DiscoveryTargetRow
	trajectory []results.DiscoveryStepRow
	box        []results.DiscoveryBoxRow
	leaves     []results.DiscoveryLeafRow
}

// readDiscovery reads the discovery tables of d: nil if it has none, an
// error if it has some only (an interrupted runsim discover: run it again).
func readDiscovery(d *results.Dir) (*discoveryData, error) {
	var x discoveryData
	var missing []string
	read := func(name string, f func(path string) error) error {
		err := f(filepath.Join(d.Path, name))
		if errors.Is(err, os.ErrNotExist) {
			missing = append(missing, name)
			return nil
		}
		return err
	}
	var err error
	if err = read(results.DiscoveryTargetFile, func(p string) error {
		x.target, err = results.ReadRows(p, results.DiscoveryTargetTable())
		return err
	}); err != nil {
		return nil, err
	}
	if err = read(results.DiscoveryTrajectoryFile, func(p string) error {
		x.trajectory, err = results.ReadRows(p, results.DiscoveryTrajectoryTable())
		return err
	}); err != nil {
		return nil, err
	}
	if err = read(results.DiscoveryBoxFile, func(p string) error {
		x.box, err = results.ReadRows(p, results.DiscoveryBoxTable())
		return err
	}); err != nil {
		return nil, err
	}
	if err = read(results.DiscoveryTreeFile, func(p string) error {
		x.leaves, err = results.ReadRows(p, results.DiscoveryTreeTable())
		return err
	}); err != nil {
		return nil, err
	}
	switch len(missing) {
	case 4:
		return nil, nil
	case 0:
	default:
		return nil, fmt.Errorf("%s lacks %v of the discovery tables: run runsim discover again", d.Path, missing)
	}
	plan := d.Manifest.Plan
	if len(x.target) != len(plan.Points) || len(x.trajectory) < 2 || plan.Sweep == nil || len(x.box) != len(plan.Sweep.Parameters) {
		return nil, fmt.Errorf("%s: the discovery tables do not fit the plan (%d target rows for %d points, %d box rows): run runsim discover again", d.Path, len(x.target), len(plan.Points), len(x.box))
	}
	x.params = plan.Sweep.Parameters
	for i, pt := range plan.Points {
		if x.target[i].Point != pt.Name || len(pt.Params) != len(x.params) {
			return nil, fmt.Errorf("%s: %s row %d is point %q, the plan has %q there: run runsim discover again", d.Path, results.DiscoveryTargetFile, i+2, x.target[i].Point, pt.Name)
		}
		v := make([]float64, len(pt.Params))
		for j, pv := range pt.Params {
			v[j] = pv.Value
		}
		x.points = append(x.points, v)
	}
	return &x, nil
}

// chosen returns the chosen peel and the pasted box.
func (x *discoveryData) chosen() (peel, pasted results.DiscoveryStepRow) {
	pasted = x.trajectory[len(x.trajectory)-1]
	for _, s := range x.trajectory[:len(x.trajectory)-1] {
		if s.Chosen {
			peel = s
		}
	}
	return peel, pasted
}

// tradeoffChart draws the peeling trajectory as density against coverage,
// the chosen box and the pasted box marked.
func (x *discoveryData) tradeoffChart(format string) ([]byte, bool, error) {
	var path plotter.XYs
	for _, s := range x.trajectory[:len(x.trajectory)-1] {
		if finite(s.Coverage) && finite(s.Density) {
			path = append(path, plotter.XY{X: s.Coverage, Y: s.Density})
		}
	}
	if len(path) == 0 {
		return nil, false, nil
	}
	p := newPlot()
	addGrid(p, true, true)
	l, sc, err := plotter.NewLinePoints(path)
	if err != nil {
		return nil, false, err
	}
	l.Color, sc.Color = zeroGrey, zeroGrey
	sc.Shape = draw.CircleGlyph{}
	sc.Radius = vg.Points(2.5)
	p.Add(l, sc)
	peel, pasted := x.chosen()
	c := ArmColor(4)
	for _, m := range []struct {
		s     results.DiscoveryStepRow
		shape draw.GlyphDrawer
		label string
	}{{peel, draw.CircleGlyph{}, fmt.Sprintf("chosen, step %d", peel.Step)}, {pasted, draw.SquareGlyph{}, "after pasting"}} {
		if !finite(m.s.Coverage) || !finite(m.s.Density) {
			continue
		}
		pt := plotter.XYs{{X: m.s.Coverage, Y: m.s.Density}}
		s, err := plotter.NewScatter(pt)
		if err != nil {
			return nil, false, err
		}
		s.Shape, s.Color, s.Radius = m.shape, c, vg.Points(5)
		p.Add(s)
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: pt, Labels: []string{m.label}})
		if err == nil {
			lab.TextStyle[0] = textStyle(tickSize)
			lab.Offset = vg.Point{X: vg.Points(7), Y: vg.Points(-3)}
			p.Add(lab)
		}
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1.05, 0, 1.05
	p.X.Label.Text = "coverage (share of the cases of interest in the box)"
	p.Y.Label.Text = "density (share of the box's points that are cases)"
	sub := fmt.Sprintf("%d peels; chosen box: coverage %s, density %s, %d points", len(path)-1, fmtValue(pasted.Coverage), fmtValue(pasted.Density), pasted.N)
	b, err := render(format, stdW, stdH, func(dc draw.Canvas) {
		dc = drawTitle(dc, "PRIM: the coverage–density trade-off", sub)
		p.Draw(dc)
	})
	return b, true, err
}

// boxChart draws, for each swept parameter, its range (grey) and the
// chosen box's limits (in colour where the box restricts it), as shares
// of the range.
func (x *discoveryData) boxChart(format string) ([]byte, bool, error) {
	p := newPlot()
	addGrid(p, true, false)
	n := len(x.box)
	names := make([]string, n)
	for k, r := range x.box {
		y := float64(n - 1 - k)
		names[n-1-k] = fmt.Sprintf("%s [%s, %s]", r.Parameter, fmtValue(r.RangeLo), fmtValue(r.RangeHi))
		w := r.RangeHi - r.RangeLo
		lo, hi := 0.0, 1.0
		if w > 0 {
			lo, hi = (r.Lo-r.RangeLo)/w, (r.Hi-r.RangeLo)/w
		}
		if err := hbar(p, 0, 1, y, vg.Points(14), gridGrey); err != nil {
			return nil, false, err
		}
		c := plotColor(withAlpha(ArmColor(0), 0x50))
		if r.Restricted {
			c = ArmColor(4)
			lab, err := plotter.NewLabels(plotter.XYLabels{XYs: []plotter.XY{{X: (lo + hi) / 2, Y: y}},
				Labels: []string{fmt.Sprintf("%s to %s", fmtValue(r.Lo), fmtValue(r.Hi))}})
			if err == nil {
				lab.TextStyle[0] = textStyle(tickSize)
				lab.TextStyle[0].XAlign = draw.XCenter
				lab.Offset = vg.Point{Y: vg.Points(10)}
				p.Add(lab)
			}
		}
		if err := hbar(p, lo, hi, y, vg.Points(14), c); err != nil {
			return nil, false, err
		}
	}
	p.X.Min, p.X.Max = -0.02, 1.02
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.X.Label.Text = "share of the swept range"
	_, pasted := x.chosen()
	sub := fmt.Sprintf("coverage %s, density %s, mass %s", fmtValue(pasted.Coverage), fmtValue(pasted.Density), fmtValue(pasted.Mass))
	h := vg.Points(130) + vg.Points(38)*vg.Length(n)
	b, err := render(format, stdW, h, func(dc draw.Canvas) {
		dc = drawTitle(dc, "PRIM: the chosen box", sub)
		p.Draw(dc)
	})
	return b, true, err
}

// mapDims returns the two dimensions of the map: the restricted ones
// whose removal lowers the density most, then the others in order.
func (x *discoveryData) mapDims() (int, int) {
	idx := make([]int, len(x.box))
	for i := range idx {
		idx[i] = i
	}
	key := func(i int) float64 {
		if !x.box[i].Restricted || !finite(x.box[i].DensityWithout) {
			return math.Inf(1)
		}
		return x.box[i].DensityWithout
	}
	sort.SliceStable(idx, func(a, b int) bool { return key(idx[a]) < key(idx[b]) })
	a, b := idx[0], idx[1]
	if a > b {
		a, b = b, a
	}
	return a, b
}

// mapChart draws the sweep points over two swept parameters, cases of
// interest in colour, with the chosen box's limits in those two.
func (x *discoveryData) mapChart(format string) ([]byte, bool, error) {
	i, j := x.mapDims()
	var in, out plotter.XYs
	for k, pt := range x.points {
		xy := plotter.XY{X: pt[i], Y: pt[j]}
		if x.target[k].Interest {
			in = append(in, xy)
		} else {
			out = append(out, xy)
		}
	}
	p := newPlot()
	addGrid(p, true, true)
	c := ArmColor(4)
	for _, s := range []struct {
		pts plotter.XYs
		col plotColor
	}{{out, withAlpha(zeroGrey, 0x90)}, {in, c}} {
		if len(s.pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(s.pts)
		if err != nil {
			return nil, false, err
		}
		sc.Shape, sc.Color, sc.Radius = draw.CircleGlyph{}, s.col, vg.Points(3)
		p.Add(sc)
	}
	bi, bj := x.box[i], x.box[j]
	rect, err := plotter.NewLine(plotter.XYs{{X: bi.Lo, Y: bj.Lo}, {X: bi.Hi, Y: bj.Lo}, {X: bi.Hi, Y: bj.Hi}, {X: bi.Lo, Y: bj.Hi}, {X: bi.Lo, Y: bj.Lo}})
	if err != nil {
		return nil, false, err
	}
	rect.Color, rect.Width = black, vg.Points(1.5)
	p.Add(rect)
	p.X.Label.Text, p.Y.Label.Text = x.params[i], x.params[j]
	cases := len(in)
	sub := fmt.Sprintf("%d of %d points are cases of interest; the chosen box in black", cases, len(x.points))
	entries := []legendEntry{
		{name: "case of interest", thumbs: []plot.Thumbnailer{dotThumb{c}}},
		{name: "other point", thumbs: []plot.Thumbnailer{dotThumb{withAlpha(zeroGrey, 0x90)}}},
		{name: "PRIM box", thumbs: []plot.Thumbnailer{lineThumb{black, 1.5}}},
	}
	b, err := render(format, stdW, stdH, func(dc draw.Canvas) {
		dc = drawTitle(dc, "Where the policy backfires", sub)
		dc = drawLegend(dc, entries, vg.Points(10), "")
		p.Draw(dc)
	})
	return b, true, err
}
