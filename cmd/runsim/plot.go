package main

import (
	"context"
	"fmt"
	"path/filepath"

	"frontiersim/docs"
	"frontiersim/plots"
	"frontiersim/results"
)

func runPlot(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "plot", "plot DIR\n\nRedraws the charts of a result directory into DIR/charts/ from its result files, without rerunning.")
	format := fs.String("format", "", "png or svg (default: the experiment's choice)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch *format {
	case "", "png", "svg":
	default:
		return usagef("-format %q: want png or svg", *format)
	}
	return withCompleteDir(e, "plot", pos, func(d *results.Dir) error {
		if *format != "" {
			d.Manifest.Plan.Charts.Format = *format
		}
		charts, err := drawCharts(ctx, d)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "runsim: drew %d charts in %s\n", len(charts), filepath.Join(d.Path, results.ChartsDir))
		return nil
	})
}

func runReport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "report", "report DIR\n\nWrites DIR/report.html: one HTML file with the summary, the charts of DIR/charts/ as they are (drawn first if there are none), the comparison tables and the experiment.")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	return withCompleteDir(e, "report", pos, func(d *results.Dir) error {
		charts, err := plots.ReadCharts(d, filepath.Join(d.Path, results.ChartsDir))
		if err == nil && len(charts) == 0 {
			charts, err = drawCharts(ctx, d)
		}
		if err != nil {
			return err
		}
		if err := writeReport(d, charts); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "runsim: wrote %s\n", filepath.Join(d.Path, results.ReportFile))
		return nil
	})
}

// withCompleteDir runs fn on the complete result directory named by the one
// positional argument of cmd, holding the directory's lock while fn writes
// into it.
func withCompleteDir(e *env, cmd string, pos []string, fn func(d *results.Dir) error) (err error) {
	if len(pos) != 1 {
		return usagef("%s takes one result directory", cmd)
	}
	e.outDir = pos[0]
	unlock, err := lockResultDir(e, pos[0])
	if err != nil {
		return err
	}
	defer func() {
		if uerr := unlock(); err == nil {
			err = uerr
		}
	}()
	d, err := readComplete(pos[0])
	if err != nil {
		return err
	}
	return fn(d)
}

func readComplete(dir string) (*results.Dir, error) {
	d, err := results.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	if d.Manifest.Status != results.StatusComplete {
		return nil, usagef("%s is %s (%d of %d replications): finish it with runsim run -resume", dir, d.Manifest.Status, d.Manifest.JobsDone, d.Manifest.JobsTotal)
	}
	return d, nil
}

// drawCharts draws the charts of d into DIR/charts and returns them, bytes
// and captions included, for the report.
func drawCharts(ctx context.Context, d *results.Dir) ([]plots.Chart, error) {
	charts, err := plots.DrawAllContext(ctx, d, filepath.Join(d.Path, results.ChartsDir))
	if err != nil {
		return charts, err
	}
	more, err := plots.DrawAnalysisContext(ctx, d, filepath.Join(d.Path, results.ChartsDir))
	return append(charts, more...), err
}

// writeReport writes DIR/report.html, embedding charts as drawn.
func writeReport(d *results.Dir, charts []plots.Chart) error {
	text, err := readExperimentText(d.Path)
	if err != nil {
		return err
	}
	val, err := plots.ParseValidation(docs.ValidationReport)
	if err != nil {
		return err
	}
	return plots.WriteReportWith(d, charts, text, filepath.Join(d.Path, results.ReportFile), plots.ReportOptions{Validation: val})
}
