package main

import (
	"context"
	"fmt"
	"path/filepath"

	"frontiersim/plots"
	"frontiersim/results"
)

func runPlot(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet(e, "plot", "plot DIR\n\nRedraws the charts of a result directory into DIR/charts/ from its result files, without rerunning.")
	format := fs.String("format", "", "png or svg (default: the experiment's choice)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("plot takes one result directory")
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
	switch *format {
	case "":
	case "png", "svg":
		d.Manifest.Plan.Charts.Format = *format
	default:
		return usagef("-format %q: want png or svg", *format)
	}
	paths, err := drawCharts(ctx, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "runsim: drew %d charts in %s\n", len(paths), filepath.Join(pos[0], results.ChartsDir))
	return nil
}

func runReport(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet(e, "report", "report DIR\n\nWrites DIR/report.html: one self-contained HTML file with the experiment, the comparison tables and the charts (drawn first if missing).")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("report takes one result directory")
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
	paths, err := drawCharts(ctx, d)
	if err != nil {
		return err
	}
	if err := writeReport(d, paths); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "runsim: wrote %s\n", filepath.Join(pos[0], results.ReportFile))
	return nil
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

func drawCharts(ctx context.Context, d *results.Dir) ([]string, error) {
	return plots.DrawAllContext(ctx, d, filepath.Join(d.Path, results.ChartsDir))
}

func writeReport(d *results.Dir, charts []string) error {
	text, err := readExperimentText(d.Path)
	if err != nil {
		return err
	}
	return plots.WriteReport(d, charts, text, filepath.Join(d.Path, results.ReportFile))
}
