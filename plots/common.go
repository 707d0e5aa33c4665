package plots

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"frontiersim/results"
)

// dpi is the resolution of PNG charts: a 7 in wide chart is 1050 pixels,
// sharp when printed at report size.
const dpi = 110

// Chart sizes.
var (
	stdW = 7 * vg.Inch
	stdH = 4.5 * vg.Inch
)

// Fonts: sans-serif reads better at report size than the default serif.
var (
	sansFont  = font.Font{Typeface: "Liberation", Variant: "Sans"}
	titleSize = vg.Points(13)
	labelSize = vg.Points(11)
	tickSize  = vg.Points(9.5)
	legSize   = vg.Points(10)
)

func textStyle(size vg.Length) text.Style {
	return text.Style{Color: black, Font: font.From(sansFont, size), Handler: plot.DefaultTextHandler}
}

// newPlot returns a plot with the package's fonts, a light grid and no
// title.
func newPlot() *plot.Plot {
	p := plot.New()
	p.Title.TextStyle.Font = font.From(sansFont, titleSize)
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sansFont, labelSize)
		ax.Tick.Label.Font = font.From(sansFont, tickSize)
		ax.Padding = vg.Points(2)
		ax.Tick.Marker = plot.TickerFunc(niceTicks)
	}
	p.Legend.TextStyle.Font = font.From(sansFont, legSize)
	return p
}

// addGrid adds light grid lines behind the data: call it before adding data.
func addGrid(p *plot.Plot, vertical, horizontal bool) {
	g := plotter.NewGrid()
	g.Vertical.Color = gridGrey
	g.Horizontal.Color = gridGrey
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	if !vertical {
		g.Vertical.Width = 0
	}
	if !horizontal {
		g.Horizontal.Width = 0
	}
	p.Add(g)
}

// render draws a figure of size w×h with fn and encodes it as PNG or SVG.
func render(format string, w, h vg.Length, fn func(dc draw.Canvas)) ([]byte, error) {
	var buf bytes.Buffer
	switch format {
	case labelsFormat:
		return renderLabels(w, h, fn)
	case "svg":
		c := vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(true))
		dc := draw.New(c)
		fillBackground(dc)
		fn(margin(dc))
		if _, err := c.WriteTo(&buf); err != nil {
			return nil, err
		}
	case "png", "":
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(white))
		fn(margin(draw.New(c)))
		// A paletted image of the chart's own colours, a third of the
		// size or less. The default compression: 6% smaller files than
		// BestSpeed for 20% more time, where BestCompression takes three
		// times as long for 6% more; deterministic either way.
		var img image.Image = c.Image()
		if rgba, ok := img.(*image.RGBA); ok && rgba.Stride == 4*rgba.Rect.Dx() {
			img = quantize(rgba)
		}
		enc := png.Encoder{CompressionLevel: png.DefaultCompression}
		if err := enc.Encode(&buf, img); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("plots: unknown chart format %q (want png or svg)", format)
	}
	return buf.Bytes(), nil
}

// margin keeps the figure off the image edge (gonum/plot's axes can
// underestimate the width of long tick labels by a few points).
func margin(dc draw.Canvas) draw.Canvas {
	return inset(dc, vg.Points(8), vg.Points(4), vg.Points(4), 0)
}

func fillBackground(dc draw.Canvas) {
	r := dc.Rectangle
	var p vg.Path
	p.Move(r.Min)
	p.Line(vg.Point{X: r.Max.X, Y: r.Min.Y})
	p.Line(r.Max)
	p.Line(vg.Point{X: r.Min.X, Y: r.Max.Y})
	p.Close()
	dc.SetColor(white)
	dc.Fill(p)
}

// crop returns the part of dc between the fractions or lengths given:
// left, right, bottom and top insets.
func inset(dc draw.Canvas, left, right, bottom, top vg.Length) draw.Canvas {
	r := dc.Rectangle
	return draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: r.Min.X + left, Y: r.Min.Y + bottom},
		Max: vg.Point{X: r.Max.X - right, Y: r.Max.Y - top},
	}}
}

// legendEntry is one line of a legend drawn outside the data.
type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

// maxLegendName is the widest name a legend shows.
var maxLegendName = vg.Points(175)

// legendWidth returns the width of a right-hand legend strip.
func legendWidth(entries []legendEntry) vg.Length {
	if len(entries) == 0 {
		return 0
	}
	sty := textStyle(legSize)
	var w vg.Length
	for _, e := range entries {
		w = max(w, min(sty.Width(e.name), maxLegendName))
	}
	return w + vg.Points(20) + sty.Width(" ") + vg.Points(16)
}

// drawLegend draws entries in a strip on the right of dc, starting at top
// inset from the top, and returns the remaining canvas for the plots: a
// legend never covers data.
func drawLegend(dc draw.Canvas, entries []legendEntry, top vg.Length, heading string) draw.Canvas {
	for i := range entries { // a long name is cut, never the plots squeezed
		entries[i].name = fitText(entries[i].name, maxLegendName, textStyle(legSize))
	}
	w := legendWidth(entries)
	if w == 0 {
		return dc
	}
	if heading != "" {
		w = max(w, textStyle(legSize).Width(heading)+vg.Points(10))
	}
	strip := inset(dc, dc.Max.X-dc.Min.X-w, vg.Points(6), 0, top)
	if heading != "" {
		sty := textStyle(legSize)
		sty.YAlign = draw.YTop
		strip.FillText(sty, vg.Point{X: strip.Min.X, Y: strip.Max.Y}, heading)
		strip = inset(strip, 0, 0, 0, sty.Height(heading)+vg.Points(4))
	}
	l := plot.NewLegend()
	l.TextStyle = textStyle(legSize)
	l.Top, l.Left = true, true
	l.Padding = vg.Points(3)
	for _, e := range entries {
		l.Add(e.name, e.thumbs...)
	}
	l.Draw(strip)
	return inset(dc, 0, w+vg.Points(8), 0, 0)
}

// drawTitle draws a figure title and a smaller subtitle (either may be
// empty) across the top of dc and returns the rest.
func drawTitle(dc draw.Canvas, title, subtitle string) draw.Canvas {
	pad := vg.Points(6)
	y := dc.Max.Y - pad
	xc := (dc.Min.X + dc.Max.X) / 2
	for _, t := range []struct {
		s    string
		size vg.Length
	}{{title, titleSize}, {subtitle, tickSize + 0.5}} {
		if t.s == "" {
			continue
		}
		sty := textStyle(t.size)
		sty.XAlign = draw.XCenter
		sty.YAlign = draw.YTop
		if t.size != titleSize {
			sty.Color = panelGrey
		}
		s := fitLines(t.s, dc.Max.X-dc.Min.X-vg.Points(8), sty, 3)
		dc.FillText(sty, vg.Point{X: xc, Y: y}, s)
		y -= sty.Height(s) + vg.Points(2)
	}
	if y == dc.Max.Y-pad {
		return dc
	}
	return inset(dc, 0, 0, 0, dc.Max.Y-y+pad)
}

// niceTicks is a y (or x) axis ticker with about six ticks at steps of 1, 2
// or 5 times a power of ten, labelled without superfluous digits.
func niceTicks(lo, hi float64) []plot.Tick { return niceTicksN(lo, hi, 5) }

// fittedTicks is niceTicks for an axis of the given length: fewer labels
// when their widths (each at most half the room per label) would crowd it.
type fittedTicks struct{ length vg.Length }

func (f fittedTicks) Ticks(lo, hi float64) []plot.Tick {
	sty := textStyle(tickSize)
	for n := 5; n > 1; n-- {
		ticks := niceTicksN(lo, hi, float64(n))
		labels := 0
		var widest vg.Length
		for _, t := range ticks {
			if t.Label != "" {
				labels++
				widest = max(widest, sty.Width(t.Label))
			}
		}
		if vg.Length(labels)*widest*1.6 <= f.length {
			return ticks
		}
	}
	return niceTicksN(lo, hi, 1)
}

// niceTicksN is niceTicks with about n steps between labels.
func niceTicksN(lo, hi float64, n float64) []plot.Tick {
	// A range within rounding error of a single value (two arms 1 ulp
	// apart, say) gets one tick: a step of 1e-13 at 3,000 would need a
	// counter beyond 2^53, where k++ no longer moves.
	if !(hi > lo) || !finite(lo) || !finite(hi) || hi-lo <= 1e-9*math.Max(math.Abs(lo), math.Abs(hi)) {
		return []plot.Tick{{Value: lo, Label: fmtTick(lo, 1)}}
	}
	raw := (hi - lo) / n
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, f := range []float64{1, 2, 5, 10} {
		step = f * mag
		if step >= raw {
			break
		}
	}
	minor := step / 2
	var ticks []plot.Tick
	first := math.Ceil(lo/minor - 1e-9)
	// About 10 to 25 ticks; the bound guards against any other float trap.
	for i := 0; i <= 100; i++ {
		k := first + float64(i)
		if k*minor > hi+minor*1e-9 {
			break
		}
		v := k * minor
		if math.Abs(v) < minor*1e-9 {
			v = 0
		}
		t := plot.Tick{Value: v}
		if r := math.Remainder(v, step); math.Abs(r) < step*1e-6 {
			t.Label = fmtTick(v, step)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// fmtTick formats a tick value with just enough decimals for the step,
// grouping thousands.
func fmtTick(v, step float64) string {
	a := math.Abs(v)
	if a >= 1e7 || (a > 0 && a < 1e-4) {
		return fmtValue(v)
	}
	// The decimals that write every multiple of the step exactly: a step
	// of 2.5 needs one (−2.5, 2.5), a step of 0.25 two.
	dec := 0
	for dec < 10 {
		f := step * math.Pow(10, float64(dec))
		if math.Abs(f-math.Round(f)) <= 1e-6*math.Max(1, f) {
			break
		}
		dec++
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if dec == 0 && a >= 10000 {
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		var b strings.Builder
		for i, r := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(r)
		}
		s = b.String()
		if neg {
			s = "-" + s
		}
	}
	return s
}

// panelDataWidth estimates the width of the data area of each of cols
// panels side by side in a figure w wide, reserved of which go to a legend:
// what the calendar axis has room for.
func panelDataWidth(w vg.Length, cols int, reserved vg.Length) vg.Length {
	return (w-reserved-vg.Points(12)-vg.Points(16)*vg.Length(cols-1))/vg.Length(cols) - vg.Points(64)
}

// calendarAxis sets the x axis of p to calendar time (decimal years), for
// a chart of the standard width.
func calendarAxis(p *plot.Plot, plan results.Plan) { calendarAxisWidth(p, plan, stdW-vg.Points(200)) }

// calendarAxisWidth sets the x axis of p to calendar time (decimal years)
// with no more tick labels than fit in width, the width of the plot's data
// area: labels are at least twice their own width apart.
func calendarAxisWidth(p *plot.Plot, plan results.Plan, width vg.Length) {
	p.X.Min = plan.DecimalYear(0)
	p.X.Max = plan.DecimalYear(plan.Months - 1)
	if p.X.Max <= p.X.Min {
		p.X.Max = p.X.Min + 1.0/12
	}
	sty := textStyle(tickSize)
	room := max(1, int(width/(2*sty.Width("Mar 2020"))))
	if span := p.X.Max - p.X.Min; span >= 2 {
		room = max(1, int(width/(2*sty.Width("2020"))))
	}
	p.X.Tick.Marker = calendarTicker{maxLabels: room}
}

var monthAbbr = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// calendarSteps are the steps, in months, between labelled calendar ticks
// (major) and the unlabelled ticks between them (minor).
var calendarSteps = []struct{ major, minor int }{
	{1, 1}, {3, 1}, {6, 3}, {12, 3}, {24, 12}, {60, 12}, {120, 60}, {240, 60}, {600, 120}, {1200, 600},
}

// calendarTicker marks calendar time given as decimal years with at most
// maxLabels labels: every month, quarter, half year, year, two years, five
// years..., whichever is the finest that fits; labels are years from a
// yearly step on, "Mar 2020" below.
type calendarTicker struct{ maxLabels int }

func (c calendarTicker) Ticks(lo, hi float64) []plot.Tick {
	first := int(math.Ceil(lo*12 - 1e-6))
	last := int(math.Floor(hi*12 + 1e-6))
	step := calendarSteps[len(calendarSteps)-1]
	for _, s := range calendarSteps {
		n := floorDiv(last, s.major) - floorDiv(first-1, s.major)
		if n <= max(1, c.maxLabels) {
			step = s
			break
		}
	}
	var ticks []plot.Tick
	for m := first; m <= last; m++ {
		if m%step.minor != 0 {
			continue
		}
		t := plot.Tick{Value: float64(m) / 12}
		if m%step.major == 0 {
			y, mo := floorDiv(m, 12), m-12*floorDiv(m, 12)
			if step.major >= 12 {
				t.Label = fmt.Sprint(y)
			} else {
				t.Label = fmt.Sprintf("%s %d", monthAbbr[mo], y)
			}
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// calendarTicks is the calendar ticker of a chart of the standard width.
func calendarTicks(lo, hi float64) []plot.Tick { return calendarTicker{maxLabels: 8}.Ticks(lo, hi) }

// floorDiv is a / b rounded down (b > 0).
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// metricLabel is an axis label: the metric name with its unit.
func metricLabel(m results.Metric) string {
	if m.Unit == "" {
		return m.Name
	}
	return m.Name + " (" + m.Unit + ")"
}

// metricTitle names a metric in a chart title: its description when short.
func metricTitle(m results.Metric) string {
	d := strings.TrimSpace(m.Description)
	if d == "" || len(d) > 70 {
		return m.Name
	}
	return d
}

// fileSafe turns a name into a file-name fragment.
func fileSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// seriesKey identifies a time series of timeseries.csv.
type seriesKey struct{ arm, point, metric string }

// data indexes a result directory for drawing.
type data struct {
	d       *results.Dir
	plan    results.Plan
	series  map[seriesKey][]results.SeriesRow // by month
	runs    map[[2]string][]results.Run       // by arm, point; in file order
	ref     int                               // reference sweep point
	armIdx  map[string]int
	compare map[seriesKey]results.ComparisonRow // horizon rows by arm, point, metric
	windows map[windowKey]results.ComparisonRow // every row by window, arm, point, metric

	// pathsOf reads replications' monthly paths (results.Dir.ReadPaths);
	// the effect-over-time charts draw from it.
	pathsOf func(point int, arms ...int) ([][][]float64, error)
	effects *effectCache
}

// windowKey identifies a row of comparison.csv.
type windowKey struct{ window, arm, point, metric string }

func newData(d *results.Dir) *data {
	x := &data{d: d, plan: d.Manifest.Plan,
		series:  make(map[seriesKey][]results.SeriesRow),
		runs:    make(map[[2]string][]results.Run),
		armIdx:  make(map[string]int),
		compare: make(map[seriesKey]results.ComparisonRow),
		windows: make(map[windowKey]results.ComparisonRow),
		pathsOf: d.ReadPaths,
		effects: &effectCache{},
	}
	for i, a := range x.plan.Arms {
		x.armIdx[a.Name] = i
	}
	for _, r := range d.Series {
		k := seriesKey{r.Arm, r.Point, r.Metric}
		x.series[k] = append(x.series[k], r)
	}
	for k, s := range x.series {
		sort.SliceStable(s, func(i, j int) bool { return s[i].Month < s[j].Month })
		x.series[k] = s
	}
	for _, r := range d.Runs {
		k := [2]string{r.Arm, r.Point}
		x.runs[k] = append(x.runs[k], r)
	}
	for _, c := range d.Comparison {
		x.windows[windowKey{c.Window, c.Arm, c.Point, c.Metric}] = c
		if c.Window == results.HorizonWindow {
			x.compare[seriesKey{c.Arm, c.Point, c.Metric}] = c
		}
	}
	x.ref = refPoint(x.plan)
	return x
}

// refPoint chooses the sweep point the per-point charts (fans, forests,
// distributions, shares) are drawn at: the only point without a sweep, the
// point nearest the centre of the swept ranges otherwise (the first such).
func refPoint(plan results.Plan) int {
	if len(plan.Points) <= 1 {
		return 0
	}
	lo := map[string]float64{}
	hi := map[string]float64{}
	for _, pt := range plan.Points {
		for _, pv := range pt.Params {
			if v, ok := lo[pv.Name]; !ok || pv.Value < v {
				lo[pv.Name] = pv.Value
			}
			if v, ok := hi[pv.Name]; !ok || pv.Value > v {
				hi[pv.Name] = pv.Value
			}
		}
	}
	best, bestD := 0, math.Inf(1)
	for i, pt := range plan.Points {
		var dist float64
		for _, pv := range pt.Params {
			r := hi[pv.Name] - lo[pv.Name]
			if r <= 0 {
				continue
			}
			z := (pv.Value-lo[pv.Name])/r - 0.5
			dist += z * z
		}
		if dist < bestD-1e-12 {
			best, bestD = i, dist
		}
	}
	return best
}

// refPointName returns the name of the reference point.
func (x *data) refPointName() string { return x.plan.Points[x.ref].Name }

// pointNote describes the reference point for a chart subtitle, or "" when
// there is no sweep.
func (x *data) pointNote() string {
	if len(x.plan.Points) <= 1 {
		return ""
	}
	return "at sweep point " + pointLabel(x.plan.Points[x.ref])
}

// pointLabel describes a sweep point: its name and parameter values.
func pointLabel(pt results.Point) string {
	var parts []string
	for _, pv := range pt.Params {
		parts = append(parts, fmt.Sprintf("%s=%s", pv.Name, fmtParam(pv.Value)))
	}
	if len(parts) == 0 {
		return pt.Name
	}
	return pt.Name + " (" + strings.Join(parts, ", ") + ")"
}

// horizonValues returns the horizon values of metric column col for an arm
// at a point, skipping non-finite ones.
func (x *data) horizonValues(arm, point string, col int) []float64 {
	var v []float64
	for _, r := range x.runs[[2]string{arm, point}] {
		if col < len(r.Values) && finite(r.Values[col]) {
			v = append(v, r.Values[col])
		}
	}
	return v
}

// horizonDate is the calendar month of the horizon.
func (x *data) horizonDate() string { return x.plan.MonthLabel(x.plan.Horizon()) }

// bandThumb is a legend thumbnail: a filled band across the entry.
type plotColor = color.Color

type bandThumb struct{ c color.Color }

func (b bandThumb) Thumbnail(c *draw.Canvas) {
	h := c.Max.Y - c.Min.Y
	r := vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: c.Min.Y + h*0.15}, Max: vg.Point{X: c.Max.X, Y: c.Max.Y - h*0.15}}
	c.FillPolygon(b.c, c.ClipPolygonXY([]vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}}))
}

// lineThumb is a legend thumbnail: a horizontal line.
type lineThumb struct {
	c color.Color
	w vg.Length
}

func (l lineThumb) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(draw.LineStyle{Color: l.c, Width: l.w}, c.Min.X, y, c.Max.X, y)
}

// panelGrid lays plots out in rows of cols panels (the last row may have
// empty cells).
func panelGrid(plots []*plot.Plot, cols int) [][]*plot.Plot {
	rows := (len(plots) + cols - 1) / cols
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		for c := range grid[r] {
			if i := r*cols + c; i < len(plots) {
				grid[r][c] = plots[i]
			}
		}
	}
	return grid
}

// drawPanels draws a grid of plots with aligned axes into dc, padX apart
// horizontally.
func drawPanels(dc draw.Canvas, grid [][]*plot.Plot, padX vg.Length) {
	if len(grid) == 0 {
		return
	}
	tiles := draw.Tiles{Rows: len(grid), Cols: len(grid[0]), PadX: padX, PadY: vg.Points(10)}
	for r := range grid {
		for c := range grid[r] {
			if grid[r][c] != nil {
				fitAxisLabels(grid[r][c], tiles.At(dc, c, r))
			}
		}
	}
	labels := map[*plot.Plot]string{} // of the log axes, drawn by hand
	for r := range grid {
		for c := range grid[r] {
			if p := grid[r][c]; p != nil {
				if l := takeLogLabel(p); l != "" {
					labels[p] = l
				}
			}
		}
	}
	cs := plot.Align(grid, tiles, dc)
	for r := range grid {
		for c := range grid[r] {
			p := grid[r][c]
			switch {
			case p == nil:
			case labels[p] != "":
				drawLogLabelled(p, cs[r][c], labels[p])
				p.Y.Label.Text = labels[p]
			default:
				p.Draw(cs[r][c])
			}
		}
	}
}

// logTicks marks a logarithmic axis: every power of ten labelled, with 2
// and 5 times it labelled too over less than three decades, and unlabelled
// minor ticks at the other multiples over less than seven.
func logTicks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) || !finite(hi) {
		return niceTicks(lo, hi)
	}
	e0, e1 := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	decades := e1 - e0
	var ticks []plot.Tick
	for e := e0; e <= e1; e++ {
		base := math.Pow(10, float64(e))
		for k := 1; k <= 9; k++ {
			v := float64(k) * base
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			switch {
			case k == 1, decades < 3 && (k == 2 || k == 5):
				t.Label = fmtShortest(v)
			case decades >= 7:
				continue
			}
			ticks = append(ticks, t)
		}
	}
	if len(ticks) < 2 { // less than a decade without a power of ten in it
		return niceTicks(lo, hi)
	}
	return ticks
}

// fmtShortest writes a tick value in the fewest digits that give it back
// (0.01, 1000, 10,000), in words from a million and as a power of ten
// below 10⁻⁴.
func fmtShortest(v float64) string {
	if a := math.Abs(v); a >= 1e6 || (a > 0 && a < 1e-4) {
		return fmtValue(v)
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	if v < 0 {
		return "-" + groupThousands(s)
	}
	return groupThousands(s)
}

// logScaled reports whether metric m is drawn on a log axis given the
// smallest and largest values the axis shows: the metric declares it
// (results.ScaleLog), every value is positive and they span a decade or
// more.
func logScaled(m results.Metric, lo, hi float64) bool {
	return m.Scale == results.ScaleLog && lo > 0 && hi >= 10*lo && finite(hi)
}

// setLogY puts the y axis of p on a log scale.
func setLogY(p *plot.Plot) {
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.TickerFunc(logTicks)
}

// categoryLayout is how the labels of a categorical x axis are laid out
// in slots of equal width: as they are when every label fits its slot,
// wrapped at '_', '-' and spaces onto at most three lines when every line
// fits, else rotated by 30° (and cut with "…" past maxRotatedRunes).
type categoryLayout struct {
	labels []string
	rotate bool
}

const maxRotatedRunes = 26

func layoutCategories(names []string, slot vg.Length, sty text.Style) categoryLayout {
	room := slot * 0.92
	fits := true
	for _, n := range names {
		fits = fits && sty.Width(n) <= room
	}
	if fits {
		return categoryLayout{labels: names}
	}
	wrapped := make([]string, len(names))
	ok := true
	for i, n := range names {
		lines := wrapWords(n, room, sty)
		for _, l := range lines {
			ok = ok && sty.Width(l) <= room
		}
		ok = ok && len(lines) <= 3
		wrapped[i] = strings.Join(lines, "\n")
	}
	if ok {
		return categoryLayout{labels: wrapped}
	}
	cut := make([]string, len(names))
	for i, n := range names {
		cut[i] = truncateRunes(n, maxRotatedRunes)
	}
	return categoryLayout{labels: cut, rotate: true}
}

// apply sets the x axis of p to the categories at 0, 1, ...
func (c categoryLayout) apply(p *plot.Plot) {
	p.NominalX(c.labels...)
	if c.rotate {
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
}

// wrapWords breaks s after '_', '-' or ' ' into lines no wider than room
// where it can (a single word wider than room stays whole).
func wrapWords(s string, room vg.Length, sty text.Style) []string {
	var words []string
	start := 0
	for i, r := range s {
		if r == '_' || r == '-' || r == ' ' {
			words = append(words, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		words = append(words, s[start:])
	}
	var lines []string
	cur := ""
	for _, w := range words {
		if cur != "" && sty.Width(strings.TrimSpace(cur+w)) > room {
			lines = append(lines, strings.TrimSpace(cur))
			cur = ""
		}
		cur += w
	}
	if cur != "" {
		lines = append(lines, strings.TrimSpace(cur))
	}
	return lines
}

// fitLines wraps s at spaces onto at most n lines no wider than room,
// cutting the last with "…" if it must.
func fitLines(s string, room vg.Length, sty text.Style, n int) string {
	if sty.Width(s) <= room {
		return s
	}
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		if cur != "" && sty.Width(cur+" "+w) > room {
			lines = append(lines, cur)
			cur = w
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	lines = append(lines, cur)
	if len(lines) > n {
		lines = append(lines[:n-1], strings.Join(lines[n-1:], " "))
	}
	for i := range lines {
		lines[i] = fitText(lines[i], room, sty)
	}
	return strings.Join(lines, "\n")
}

// fitAxisLabels wraps (onto two lines) or cuts the axis labels of p that
// are longer than the sides of dc, the canvas it is drawn into, less
// room for the axes.
func fitAxisLabels(p *plot.Plot, dc draw.Canvas) {
	w, h := dc.Max.X-dc.Min.X, dc.Max.Y-dc.Min.Y
	p.X.Label.Text = fitLines(p.X.Label.Text, w-vg.Points(60), p.X.Label.TextStyle, 2)
	// One line on the y axis: gonum/plot pads a rotated label of several
	// lines as if it were as tall as it is long.
	p.Y.Label.Text = fitText(p.Y.Label.Text, h-vg.Points(50), p.Y.Label.TextStyle)
	p.Title.Text = fitLines(p.Title.Text, w-vg.Points(10), p.Title.TextStyle, 2)
}

// truncateRunes cuts s to at most n runes, ending in "…" when cut.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// fitText cuts s with "…" until it is no wider than room in sty.
func fitText(s string, room vg.Length, sty text.Style) string {
	if sty.Width(s) <= room {
		return s
	}
	r := []rune(s)
	for n := len(r) - 1; n > 1; n-- {
		if t := string(r[:n-1]) + "…"; sty.Width(t) <= room {
			return t
		}
	}
	return "…"
}

// drawPlot draws p into dc. On a log axis it draws the y label itself,
// centred on the data area: gonum/plot centres it on the linear midpoint
// of the range, which on a log scale lies near the top, and then shrinks
// the data area to fit a long label there.
func drawPlot(p *plot.Plot, dc draw.Canvas) {
	label := takeLogLabel(p)
	if label == "" {
		p.Draw(dc)
		return
	}
	defer func() { p.Y.Label.Text = label }()
	drawLogLabelled(p, dc, label)
}

// takeLogLabel removes and returns the y label of p if its y axis is
// logarithmic ("" otherwise): drawLogLabelled draws it.
func takeLogLabel(p *plot.Plot) string {
	if _, log := p.Y.Scale.(plot.LogScale); !log {
		return ""
	}
	label := p.Y.Label.Text
	p.Y.Label.Text = ""
	return label
}

// drawLogLabelled draws p, whose y label has been taken, into dc less room
// on the left for the label, and the label centred on the data area.
func drawLogLabelled(p *plot.Plot, dc draw.Canvas, label string) {
	sty := p.Y.Label.TextStyle
	sty.Rotation = math.Pi / 2
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
	h := sty.Height(label)
	pc := inset(dc, h+p.Y.Label.Padding+vg.Points(4), 0, 0, 0)
	p.Draw(pc)
	da := p.DataCanvas(pc)
	dc.FillText(sty, vg.Point{X: dc.Min.X, Y: (da.Min.Y + da.Max.Y) / 2}, label)
}

// padY widens the y range of p (as its data set it) by frac of the range
// on each side, so that glyphs and band edges at the extremes are not cut
// by the axes; on a log axis the padding is a fraction of the decades.
func padY(p *plot.Plot, frac float64) {
	lo, hi := p.Y.Min, p.Y.Max
	if !(hi > lo) || !finite(lo) || !finite(hi) {
		return
	}
	if _, log := p.Y.Scale.(plot.LogScale); log && lo > 0 {
		r := math.Log10(hi / lo)
		p.Y.Min, p.Y.Max = lo/math.Pow(10, frac*r), hi*math.Pow(10, frac*r)
		return
	}
	pad := (hi - lo) * frac
	p.Y.Min, p.Y.Max = lo-pad, hi+pad
}
