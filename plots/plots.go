package plots

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
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

// metricCaption names a metric in a caption.
func metricCaption(m results.Metric) string { return metricTitle(m) + " (" + m.Name + ")" }

// jobs is the chart registry of a directory: every chart, with its caption,
// in the order of DrawAll's result.
func (x *data) jobs() []job {
	ms := chartMetrics(x.plan)
	var js []job
	js = append(js, job{"summary", "Small multiples: median and 50% band of each headline metric over time, by arm.",
		func(f string) ([]byte, bool, error) { return x.summaryChart(ms, f) }})
	js = append(js, job{"effects", x.matrixCaption(),
		func(f string) ([]byte, bool, error) { return x.matrixChart(f) }})
	for _, m := range ms {
		js = append(js, job{"fan_" + fileSafe(m.Name),
			"Fan chart: " + metricCaption(m) + ", median with 50% and 90% bands across replications, by arm.",
			func(f string) ([]byte, bool, error) { return x.fanChart(m, f) }})
	}
	for _, m := range ms {
		js = append(js, job{"forest_" + fileSafe(m.Name),
			"Policy comparison: " + metricCaption(m) + ", difference from the baseline at the horizon (" + x.horizonDate() + ") with 95% paired-t and bootstrap intervals.",
			func(f string) ([]byte, bool, error) { return x.forestChart(m, f) }})
	}
	for _, w := range x.plan.Report.Windows {
		for _, m := range ms {
			js = append(js, job{"forest_" + fileSafe(m.Name) + "." + fileSafe(w.Name),
				"Policy comparison: " + metricCaption(m) + ", difference from the baseline " + x.windowText(w) +
					" (each replication's mean over the window) with 95% paired-t and bootstrap intervals.",
				func(f string) ([]byte, bool, error) { return x.forestWindowChart(m, w, f) }})
		}
	}
	for _, m := range ms {
		js = append(js, job{"effect_" + fileSafe(m.Name),
			"Effect over time: " + metricCaption(m) + ", the paired difference from the baseline in each month (arm − baseline in the same replication): median and 95% band across replications, one panel per policy arm.",
			func(f string) ([]byte, bool, error) { return x.effectChart(m, f) }})
	}
	for _, m := range ms {
		js = append(js, job{"box_" + fileSafe(m.Name), "Box plots: " + metricCaption(m) + " at the horizon, by arm.",
			func(f string) ([]byte, bool, error) { return x.boxChart(m, f) }})
		js = append(js, job{"hist_" + fileSafe(m.Name), "Histograms: " + metricCaption(m) + " at the horizon, by arm.",
			func(f string) ([]byte, bool, error) { return x.histChart(m, f) }})
	}
	for _, mk := range shareMarkets {
		js = append(js, job{"shares_" + mk.key, mk.caption, func(f string) ([]byte, bool, error) { return x.sharesChart(mk, f) }})
	}
	if hm, ok := x.heatmapMetric(ms); ok {
		js = append(js, job{"heatmap_" + fileSafe(hm.Name),
			"Sweep: " + metricCaption(hm) + " at the horizon over the two swept parameters, by arm.",
			func(f string) ([]byte, bool, error) { return x.heatmapChart(hm, f) }})
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
// forest plots (at the horizon, then over each named window), effect-over-time
// charts, box plots and histograms per chart metric, the market-share
// charts and the sweep heatmap. Charts that do not apply (no comparison
// rows, no share metrics, no two-parameter sweep, no replication store for
// the effects over time) are left out. The same
// inputs give byte-identical files. Charts are drawn concurrently; files are
// written atomically, with permissions 0666 less the umask, under names
// results.IsChartFile accepts (so that a start-over removes them).
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
