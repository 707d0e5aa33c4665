package plots

import (
	"bytes"
	"fmt"
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
const dpi = 150

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
		// BestSpeed: several times faster than the default compression for
		// files about a third larger; still deterministic.
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&buf, c.Image()); err != nil {
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

// legendWidth returns the width of a right-hand legend strip.
func legendWidth(entries []legendEntry) vg.Length {
	if len(entries) == 0 {
		return 0
	}
	sty := textStyle(legSize)
	var w vg.Length
	for _, e := range entries {
		w = max(w, sty.Width(e.name))
	}
	return w + vg.Points(20) + sty.Width(" ") + vg.Points(16)
}

// drawLegend draws entries in a strip on the right of dc, starting at top
// inset from the top, and returns the remaining canvas for the plots: a
// legend never covers data.
func drawLegend(dc draw.Canvas, entries []legendEntry, top vg.Length, heading string) draw.Canvas {
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
		dc.FillText(sty, vg.Point{X: xc, Y: y}, t.s)
		y -= sty.Height(t.s) + vg.Points(2)
	}
	if y == dc.Max.Y-pad {
		return dc
	}
	return inset(dc, 0, 0, 0, dc.Max.Y-y+pad)
}

// niceTicks is a y (or x) axis ticker with about six ticks at steps of 1, 2
// or 5 times a power of ten, labelled without superfluous digits.
func niceTicks(lo, hi float64) []plot.Tick {
	// A range within rounding error of a single value (two arms 1 ulp
	// apart, say) gets one tick: a step of 1e-13 at 3,000 would need a
	// counter beyond 2^53, where k++ no longer moves.
	if !(hi > lo) || !finite(lo) || !finite(hi) || hi-lo <= 1e-9*math.Max(math.Abs(lo), math.Abs(hi)) {
		return []plot.Tick{{Value: lo, Label: fmtTick(lo, 1)}}
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
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
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	dec := 0
	if step < 1 {
		dec = int(math.Ceil(-math.Log10(step) - 1e-9))
		if f := step * math.Pow(10, float64(dec)); math.Abs(f-math.Round(f)) > 1e-6 {
			dec++
		}
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

// calendarAxis sets the x axis of p to calendar time (decimal years).
func calendarAxis(p *plot.Plot, plan results.Plan) {
	p.X.Min = plan.DecimalYear(0)
	p.X.Max = plan.DecimalYear(plan.Months - 1)
	if p.X.Max <= p.X.Min {
		p.X.Max = p.X.Min + 1.0/12
	}
	p.X.Tick.Marker = plot.TickerFunc(calendarTicks)
}

var monthAbbr = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// calendarTicks marks calendar time given as decimal years: years when the
// range spans three years or more, half years, quarters or months for
// shorter ranges.
func calendarTicks(lo, hi float64) []plot.Tick {
	span := hi - lo
	// majors and minors in months.
	var major, minor int
	switch {
	case span >= 24:
		major, minor = 60, 12
	case span >= 12:
		major, minor = 24, 12
	case span >= 3:
		major, minor = 12, 3
	case span >= 1:
		major, minor = 6, 1
	case span >= 0.5:
		major, minor = 3, 1
	default:
		major, minor = 1, 1
	}
	first := int(math.Ceil(lo*12 - 1e-6))
	last := int(math.Floor(hi*12 + 1e-6))
	var ticks []plot.Tick
	for m := first; m <= last; m++ {
		if m%minor != 0 {
			continue
		}
		v := float64(m) / 12
		t := plot.Tick{Value: v}
		if m%major == 0 {
			y, mo := m/12, m%12
			if major >= 12 {
				t.Label = fmt.Sprint(y)
			} else {
				t.Label = fmt.Sprintf("%s %d", monthAbbr[mo], y)
			}
		}
		ticks = append(ticks, t)
	}
	return ticks
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
	effects effectCache
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
		parts = append(parts, fmt.Sprintf("%s=%s", pv.Name, fmtNum(pv.Value)))
	}
	if len(parts) == 0 {
		return pt.Name
	}
	return pt.Name + " (" + strings.Join(parts, ", ") + ")"
}

// fmtNum formats a number compactly with four significant digits.
func fmtNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == 0:
		return "0"
	}
	a := math.Abs(v)
	if a >= 1e6 || a < 1e-3 {
		return fmt.Sprintf("%.3e", v)
	}
	s := fmt.Sprintf("%.4g", v)
	if strings.ContainsAny(s, "e") {
		s = fmt.Sprintf("%.1f", v)
	}
	return s
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
	cs := plot.Align(grid, draw.Tiles{Rows: len(grid), Cols: len(grid[0]), PadX: padX, PadY: vg.Points(10)}, dc)
	for r := range grid {
		for c := range grid[r] {
			if grid[r][c] != nil {
				grid[r][c].Draw(cs[r][c])
			}
		}
	}
}
