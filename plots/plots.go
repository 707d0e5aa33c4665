package plots

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"

	"frontiersim/results"
)

// maxDefaultMetrics bounds the default chart metrics (when the experiment
// names none), so that a plan with very many metrics does not make hundreds
// of charts.
const maxDefaultMetrics = 12

// chartMetrics returns the metrics of the per-metric charts: the
// experiment's list, else every metric that is not a market share (those
// have the stacked-area charts), at most maxDefaultMetrics.
func chartMetrics(plan results.Plan) []results.Metric {
	var ms []results.Metric
	if len(plan.Charts.Metrics) > 0 {
		for _, name := range plan.Charts.Metrics {
			if i := plan.MetricIndex(name); i >= 0 {
				ms = append(ms, plan.Metrics[i])
			}
		}
		return ms
	}
	grouped := hasGroups(plan.Metrics)
	for _, m := range plan.Metrics {
		if !isShareMetric(m, grouped) && len(ms) < maxDefaultMetrics {
			ms = append(ms, m)
		}
	}
	if len(ms) == 0 { // only shares: chart them one by one
		ms = append(ms, plan.Metrics[:min(len(plan.Metrics), maxDefaultMetrics)]...)
	}
	return ms
}

// job is one entry of the chart registry: a chart to draw and its caption.
type job struct {
	name    string // file name without extension
	caption string // the report's caption
	draw    func(format string) ([]byte, bool, error)
}

// metricCaption names a metric in a caption once: its description when
// it has one short enough for a title (the name is in the chart), else its
// name.
func metricCaption(m results.Metric) string { return metricTitle(m) }

// jobs is the chart registry of a directory: every chart, with its caption,
// in the order of DrawAll's result: the summary and the effects matrix, the
// per-point charts at the reference point, the sweep charts, then the
// per-point charts at each other point [charts] points names.
func (x *data) jobs() []job {
	ms := chartMetrics(x.plan)
	var js []job
	js = append(js, job{"summary", "Median and 50% band of each headline metric over time, by arm.",
		func(f string) ([]byte, bool, error) { return x.summaryChart(ms, f) }})
	js = append(js, job{"effects", x.matrixCaption(),
		func(f string) ([]byte, bool, error) { return x.matrixChart(f) }})
	js = append(js, x.pointJobs(ms, "", "")...)
	if hm, ok := x.heatmapMetric(ms); ok {
		js = append(js, job{"heatmap_" + fileSafe(hm.Name),
			metricCaption(hm) + ": the mean paired difference from " + x.baselineName() + " at the horizon at each point of the two-parameter sweep, one panel per policy.",
			func(f string) ([]byte, bool, error) { return x.heatmapChart(hm, f) }})
	}
	if x.sweepPoints() {
		for _, m := range ms {
			js = append(js, job{"sweep_" + fileSafe(m.Name),
				metricCaption(m) + ": each policy's paired effect at the horizon against each swept parameter, with 95% paired-t intervals.",
				func(f string) ([]byte, bool, error) { return x.sweepChart(m, f) }})
		}
	}
	for _, i := range x.extraPoints() {
		xp := *x
		xp.ref = i
		xp.effects = &effectCache{}
		pt := x.plan.Points[i]
		js = append(js, xp.pointJobs(ms, "_at_"+fileSafe(pt.Name), " At sweep point "+pointLabel(pt)+".")...)
	}
	return js
}

// baselineName is the name of the baseline arm.
func (x *data) baselineName() string { return x.plan.Arms[0].Name }

// extraPoints returns the sweep points besides the reference point whose
// per-point charts [charts] points asks for, in plan order.
func (x *data) extraPoints() []int {
	want := x.plan.Charts.Points
	if len(x.plan.Points) <= 1 || len(want) == 0 {
		return nil
	}
	var out []int
	for i, pt := range x.plan.Points {
		if i != x.ref && (slices.Contains(want, results.AllPoints) || slices.Contains(want, pt.Name)) {
			out = append(out, i)
		}
	}
	return out
}

// pointJobs are the charts drawn at the reference point of x: fans,
// forests (horizon, named windows and lever starts), effects over time, box plots, histograms
// and market shares; suffix goes after each chart's name and note after
// its caption.
func (x *data) pointJobs(ms []results.Metric, suffix, note string) []job {
	var js []job
	add := func(name, caption string, draw func(string) ([]byte, bool, error)) {
		js = append(js, job{name + suffix, caption + note, draw})
	}
	for _, m := range ms {
		add("fan_"+fileSafe(m.Name), metricCaption(m)+": median with 50% and 90% bands across replications, by arm.",
			func(f string) ([]byte, bool, error) { return x.fanChart(m, f) })
	}
	for _, m := range ms {
		add("forest_"+fileSafe(m.Name), metricCaption(m)+": difference from "+x.baselineName()+" at the horizon ("+x.horizonDate()+"), with 95% paired-t and bootstrap intervals.",
			func(f string) ([]byte, bool, error) { return x.forestChart(m, f) })
	}
	for _, w := range x.plan.AveragedWindows() {
		for _, m := range ms {
			add("forest_"+fileSafe(m.Name)+"."+fileSafe(w.Name),
				metricCaption(m)+": difference from "+x.baselineName()+" "+x.windowText(w)+" (each replication's mean over the window), with 95% paired-t and bootstrap intervals.",
				func(f string) ([]byte, bool, error) { return x.forestWindowChart(m, w, f) })
		}
	}
	for _, m := range ms {
		add("effect_"+fileSafe(m.Name),
			metricCaption(m)+": the paired difference from "+x.baselineName()+" month by month (arm − "+x.baselineName()+" in the same replication), median and 95% band across replications, one panel per policy.",
			func(f string) ([]byte, bool, error) { return x.effectChart(m, f) })
	}
	for _, m := range ms {
		add("box_"+fileSafe(m.Name), metricCaption(m)+": distribution at the horizon by arm (box plots).",
			func(f string) ([]byte, bool, error) { return x.boxChart(m, f) })
		add("hist_"+fileSafe(m.Name), metricCaption(m)+": distribution at the horizon by arm (histograms).",
			func(f string) ([]byte, bool, error) { return x.histChart(m, f) })
	}
	for _, mk := range shareMarkets {
		add("shares_"+mk.key, mk.caption, func(f string) ([]byte, bool, error) { return x.sharesChart(mk, f) })
	}
	return js
}

// Chart is one drawn chart, as DrawAll wrote it.
type Chart struct {
	Name    string // the file name without extension: summary, fan_<metric>, ...
	Format  string // png or svg
	Path    string // the file DrawAll wrote
	Bytes   []byte // the file's contents
	Caption string // what the chart shows, for the report
}

// PanicError is a panic recovered while drawing a chart: a bug in the
// chart code or data it did not expect. It carries the panic value and the
// stack of the drawing goroutine.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the drawing goroutine's stack (runtime/debug.Stack)
}

func (p *PanicError) Error() string { return fmt.Sprintf("panic: %v", p.Value) }

// drawn is the outcome of one chart job.
type drawn struct {
	b   []byte
	ok  bool
	err error
}

// drawJobs draws the charts concurrently (at most GOMAXPROCS at once) and
// returns their outcomes in the order of js. It stops starting charts when
// ctx is done. A chart that panics gets a *PanicError.
func drawJobs(ctx context.Context, js []job, format string) []drawn {
	outs := make([]drawn, len(js))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for i, j := range js {
		sem <- struct{}{}
		if ctx.Err() != nil {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer func() {
				if r := recover(); r != nil {
					outs[i] = drawn{err: &PanicError{Value: r, Stack: debug.Stack()}}
				}
			}()
			b, ok, err := j.draw(format)
			outs[i] = drawn{b, ok, err}
		}()
	}
	wg.Wait()
	return outs
}

// chartFormat returns the manifest's chart format, "png" by default.
func chartFormat(plan results.Plan) (string, error) {
	switch plan.Charts.Format {
	case "", "png":
		return "png", nil
	case "svg":
		return "svg", nil
	}
	return "", fmt.Errorf("plots: chart format %q: want png or svg", plan.Charts.Format)
}

// DrawAll draws every chart that applies to the result directory into
// outDir (created if missing), in the manifest's chart format, and returns
// the charts (name, file, bytes, caption) in a stable order: the summary, the
// effects matrix, fan charts,
// forest plots (at the horizon, then over each named window and each lever
// start's window, from84), effect-over-time
// charts, box plots and histograms per chart metric, the market-share
// charts and the sweep heatmap. Charts that do not apply (no comparison
// rows, no share metrics, no two-parameter sweep, no replication store for
// the effects over time) are left out. The same
// inputs give byte-identical files. Charts are drawn concurrently; files are
// written atomically, with permissions 0666 less the umask, under names
// results.IsChartFile accepts (so that a start-over removes them); chart
// files of outDir that this drawing did not write (the other format, charts
// that no longer apply) are removed.
func DrawAll(d *results.Dir, outDir string) ([]Chart, error) {
	return DrawAllContext(context.Background(), d, outDir)
}

// DrawAllContext is DrawAll that stops drawing when ctx is done (checked
// before each chart) and then returns ctx's error.
func DrawAllContext(ctx context.Context, d *results.Dir, outDir string) ([]Chart, error) {
	if d == nil {
		return nil, fmt.Errorf("plots: nil result directory")
	}
	if err := d.Manifest.Check(); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	format, err := chartFormat(d.Manifest.Plan)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o777); err != nil {
		return nil, err
	}
	x := newData(d)
	js := x.jobs()
	charts, err := writeCharts(ctx, js, format, outDir)
	if err != nil {
		return charts, err
	}
	if err := removeStale(outDir, charts); err != nil {
		return charts, err
	}
	return charts, nil
}

// writeCharts draws the jobs (drawJobs, in parallel) and writes each chart
// that drew to outDir atomically, in the jobs' order; it stops at the first
// error, returning the charts written so far.
func writeCharts(ctx context.Context, js []job, format, outDir string) ([]Chart, error) {
	outs := drawJobs(ctx, js, format)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var charts []Chart
	for i, j := range js {
		o := outs[i]
		if o.err != nil {
			return charts, fmt.Errorf("plots: %s: %w", j.name, o.err)
		}
		if !o.ok {
			continue
		}
		name := j.name + "." + format
		if !results.IsChartFile(name) {
			// A start-over removes only the names results.IsChartFile
			// accepts: a chart under any other name would stay behind.
			return charts, fmt.Errorf("plots: chart file name %q is not one results.IsChartFile accepts", name)
		}
		path := filepath.Join(outDir, name)
		if err := results.WriteFileAtomic(path, o.b); err != nil {
			return charts, err
		}
		charts = append(charts, Chart{Name: j.name, Format: format, Path: path, Bytes: o.b, Caption: j.caption})
	}
	return charts, nil
}

// removeStale removes the chart files of outDir (the names
// results.IsChartFile accepts) that are not among charts: those of the
// other format (a redraw as SVG leaves no PNG behind) and of charts that no
// longer apply.
func removeStale(outDir string, charts []Chart) error {
	keep := map[string]bool{}
	for _, c := range charts {
		keep[filepath.Base(c.Path)] = true
	}
	entries, err := os.ReadDir(outDir)
	if err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	for _, e := range entries {
		if name := e.Name(); e.Type().IsRegular() && results.IsChartFile(name) && !keep[name] {
			if err := os.Remove(filepath.Join(outDir, name)); err != nil {
				return fmt.Errorf("plots: removing a stale chart: %w", err)
			}
		}
	}
	return nil
}

// ReadCharts returns the charts already drawn in dir for the result
// directory, in DrawAll's order and with its captions: for each chart of
// the registry the file NAME.svg or NAME.png that dir holds (the
// manifest's format when it holds both); charts without a file are left
// out. It draws nothing: a report of ReadCharts embeds what is there.
func ReadCharts(d *results.Dir, dir string) ([]Chart, error) {
	if d == nil {
		return nil, fmt.Errorf("plots: nil result directory")
	}
	preferred, err := chartFormat(d.Manifest.Plan)
	if err != nil {
		return nil, err
	}
	formats := []string{preferred, map[string]string{"png": "svg", "svg": "png"}[preferred]}
	var charts []Chart
	for _, j := range newData(d).jobs() {
		for _, f := range formats {
			path := filepath.Join(dir, j.name+"."+f)
			b, err := os.ReadFile(path)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				return charts, fmt.Errorf("plots: %w", err)
			}
			charts = append(charts, Chart{Name: j.name, Format: f, Path: path, Bytes: b, Caption: j.caption})
			break
		}
	}
	return charts, nil
}
