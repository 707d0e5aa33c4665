package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"frontiersim/experiments"
	"frontiersim/results"
)

// compareFormats are the formats of runsim compare -format.
var compareFormats = []string{"text", "csv", "json", "markdown"}

func runCompare(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "compare", "compare DIR [-format text|csv|json|markdown] [-arm ARM] [-point POINT] [-metric METRIC] [-month M | -window NAME]\n\n"+
		"Prints each policy arm against the baseline: the mean paired difference (common random numbers) with its 95% t and bootstrap intervals, and the unpaired interval beside it, "+
		"for every comparison window of comparison.csv (the horizon, the compared months, the named windows of [report] windows) or the one chosen. "+
		"-format csv writes comparison.csv's columns exactly, json an array of objects (numbers typed; NaN as null), markdown a table; text wraps to the terminal's width (COLUMNS), else 100 columns. "+
		"On a partial run (or one shard) it compares the replications finished so far, from the replication store, and says that the numbers are provisional (on stderr for csv and json).")
	metric := fs.String("metric", "", "show only this metric")
	arm := fs.String("arm", "", "show only this policy arm")
	point := fs.String("point", "", "show only this sweep point")
	month := fs.Int("month", -1, "show only the rows of month `M` (a month index: the horizon or one of the compared months)")
	window := fs.String("window", "", "show only the rows of this window: horizon, m<M>, a name of [report] windows or a lever start's from<M>")
	format := fs.String("format", "text", "output format: text, csv, json or markdown")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("compare takes one result directory")
	}
	if !slices.Contains(compareFormats, *format) {
		return usagef("-format %q: want one of %s", *format, strings.Join(compareFormats, ", "))
	}
	monthSet := false
	fs.Visit(func(f *flag.Flag) { monthSet = monthSet || f.Name == "month" })
	if monthSet && *window != "" {
		return usagef("give -month or -window, not both")
	}
	dir := pos[0]
	m, err := results.ReadManifest(dir)
	if err != nil {
		return err
	}
	p := m.Plan
	if *metric != "" {
		if err := checkCompareMetric(p, *metric); err != nil {
			return err
		}
	}
	if err := checkCompareArmPoint(p, *arm, *point); err != nil {
		return err
	}
	win := *window
	if monthSet {
		if win, err = monthWindow(p, *month); err != nil {
			return err
		}
	} else if win != "" {
		if err := checkCompareWindow(p, win); err != nil {
			return err
		}
	}
	partial := m.Status != results.StatusComplete || m.Shard != nil && m.Shard.Count > 1
	var rows []results.ComparisonRow
	var note []string // what the reader must know of a partial run
	if partial {
		pr, err := experiments.CompareFinished(ctx, dir, m, e.simulator())
		if err != nil {
			return err
		}
		rows = pr.Rows
		what := fmt.Sprintf("a partial run (%d of %d replications finished)", pr.Done, m.JobsTotal)
		if m.Shard != nil && m.Shard.Count > 1 {
			what = fmt.Sprintf("shard %d/%d of a run (%d of its %d replications finished)", m.Shard.Index, m.Shard.Count, pr.Done, m.JobsTotal)
		}
		var counts []string
		for _, a := range pr.Arms {
			counts = append(counts, fmt.Sprintf("%s %d of %d", a.Arm, a.Done, a.Total))
		}
		next := " Merge the shards (runsim merge) for the whole plan."
		if m.Status != results.StatusComplete {
			next = fmt.Sprintf(" Finish the run with runsim run -o %s -resume.", dir)
		}
		note = []string{fmt.Sprintf("%s: %s, %s", dir, m.Experiment, what),
			fmt.Sprintf("note: PROVISIONAL numbers, from the finished replications only (%s); each row pairs the replications finished in both arms (N).%s",
				strings.Join(counts, ", "), next)}
	} else {
		d, err := results.ReadTables(dir, m)
		if err != nil {
			return err
		}
		rows = d.Comparison
	}
	rows = slices.DeleteFunc(rows, func(r results.ComparisonRow) bool {
		return *metric != "" && r.Metric != *metric || *arm != "" && r.Arm != *arm ||
			*point != "" && r.Point != *point || win != "" && r.Window != win
	})
	switch *format {
	case "csv", "json":
		for _, l := range note {
			fmt.Fprintln(e.stderr, l)
		}
		sink := results.RowSink(results.NewCSVStream(e.stdout))
		if *format == "json" {
			sink = newJSONSink(e.stdout)
		}
		return writeRows(sink, p, rows)
	case "markdown":
		for _, l := range note {
			fmt.Fprintf(e.stdout, "%s\n\n", l)
		}
		return writeRows(newMarkdownSink(e.stdout), p, rows)
	}
	width := terminalWidth(e)
	for _, l := range note {
		fmt.Fprintln(e.stdout, wrapText(l, width))
	}
	if !partial {
		fmt.Fprintln(e.stdout, wrapText(fmt.Sprintf("%s: %s, %d replications per arm", dir, m.Experiment, p.Replications), width))
	}
	compareText(e.stdout, p, rows, width)
	return nil
}

// writeRows writes comparison rows through sink, with comparison.csv's
// columns (those of plan p's swept parameters too).
func writeRows(sink results.RowSink, p results.Plan, rows []results.ComparisonRow) error {
	w, err := results.NewWriter(sink, p.ComparisonTable())
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// compareText prints rows as text: for each window, a heading with its
// months, then for each metric a table of the arms, wrapped to width
// columns.
func compareText(w io.Writer, p results.Plan, rows []results.ComparisonRow, width int) {
	units := map[string]string{}
	for _, mt := range p.Metrics {
		units[mt.Name] = mt.Unit
	}
	sweep := len(p.Points) > 1
	// One heading per window, one table per metric listing every arm and
	// point: comparison.csv's rows go arm by arm.
	order := map[string]int{}
	for i, win := range p.ComparisonWindows() {
		order[win.Name] = i
	}
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b results.ComparisonRow) int {
		if c := order[a.Window] - order[b.Window]; c != 0 {
			return c
		}
		return p.MetricIndex(a.Metric) - p.MetricIndex(b.Metric)
	})
	fmt.Fprintln(w, wrapText(fmt.Sprintf("differences are arm − %s, paired by replication (common random numbers); DEF yes: the arm sets a lever that moves the metric by definition", p.Arms[0].Name), width))
	if len(rows) == 0 {
		fmt.Fprintln(w, "\nno rows")
		return
	}
	for i := 0; i < len(rows); {
		win := rows[i].Window
		fmt.Fprintf(w, "\n%s\n", wrapText("== "+windowTitle(p, rows[i])+" ==", width))
		for i < len(rows) && rows[i].Window == win {
			mt := rows[i].Metric
			var table [][]string
			for ; i < len(rows) && rows[i].Window == win && rows[i].Metric == mt; i++ {
				r := rows[i]
				def := ""
				if r.Definitional {
					def = "yes"
				}
				cells := []string{r.Arm}
				if sweep {
					cells = append(cells, r.Point)
				}
				table = append(table, append(cells, strconv.Itoa(r.N), num(r.BaselineMean), num(r.ArmMean), num(r.Diff),
					interval(r.PairedLo, r.PairedHi), def, interval(r.BootLo, r.BootHi), interval(r.UnpairedLo, r.UnpairedHi), num(r.PairingGain)))
			}
			head := []string{"ARM"}
			if sweep {
				head = append(head, "POINT")
			}
			keys := len(head)
			head = append(head, "N", "BASELINE", "ARM", "DIFF", "PAIRED 95% CI", "DEF", "BOOTSTRAP 95% CI", "UNPAIRED 95% CI", "GAIN")
			title := mt
			if u := units[mt]; u != "" {
				title += " (" + u + ")"
			}
			fmt.Fprintf(w, "\n%s\n", title)
			writeWrapped(w, head, table, keys, width)
		}
	}
}

// windowTitle names a row's window with its months and dates.
func windowTitle(p results.Plan, r results.ComparisonRow) string {
	switch {
	case r.Window == results.HorizonWindow:
		return fmt.Sprintf("horizon: %s (month %d)", p.MonthLabel(r.Month), r.Month)
	case r.From == r.Month:
		return fmt.Sprintf("%s: %s (month %d)", r.Window, p.MonthLabel(r.Month), r.Month)
	}
	return fmt.Sprintf("%s: mean over %s to %s (months %d to %d)", r.Window, p.MonthLabel(r.From), p.MonthLabel(r.Month), r.From, r.Month)
}

// monthWindow returns the window name of -month t: the horizon's, or that
// of one of the compared months.
func monthWindow(p results.Plan, t int) (string, error) {
	if t == p.Horizon() {
		return results.HorizonWindow, nil
	}
	if slices.Contains(p.ComparedMonths(), t) {
		return results.MonthWindow(t), nil
	}
	months := []string{strconv.Itoa(p.Horizon()) + " (the horizon)"}
	for _, c := range p.ComparedMonths() {
		months = append(months, strconv.Itoa(c))
	}
	return "", usagef("-month %d: comparison.csv compares months %s; list the month in [report] months and run again for another", t, strings.Join(months, ", "))
}

// checkCompareWindow refuses a -window the comparison has no rows of.
func checkCompareWindow(p results.Plan, name string) error {
	var names []string
	for _, w := range p.ComparisonWindows() {
		if w.Name == name {
			return nil
		}
		names = append(names, w.Name)
	}
	msg := fmt.Sprintf("-window %q: comparison.csv has no such window", name)
	if s := experiments.Suggest(name, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return usagef("%s; its windows are %s", msg, listNames(names))
}

// checkCompareArmPoint refuses an -arm that is not a policy arm of the
// plan and a -point that is not one of its sweep points.
func checkCompareArmPoint(p results.Plan, arm, point string) error {
	if arm != "" {
		var names []string
		for _, a := range p.Arms[1:] {
			names = append(names, a.Name)
		}
		switch {
		case arm == p.Arms[0].Name:
			return usagef("-arm %q is the baseline, which the policy arms are compared against; its arms are %s", arm, listNames(names))
		case !slices.Contains(names, arm):
			msg := fmt.Sprintf("-arm %q: this run has no such policy arm", arm)
			if s := experiments.Suggest(arm, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return usagef("%s; its arms are %s", msg, listNames(names))
		}
	}
	if point != "" {
		var names []string
		for _, pt := range p.Points {
			names = append(names, pt.Name)
		}
		if !slices.Contains(names, point) {
			return usagef("-point %q: this run has no such sweep point; its points are %s", point, listNames(names))
		}
	}
	return nil
}

// checkCompareMetric refuses a -metric that the run does not record, or
// records but does not report (so the comparison has no rows for it).
func checkCompareMetric(p results.Plan, name string) error {
	var names []string
	for _, mt := range p.Metrics {
		names = append(names, mt.Name)
	}
	if !slices.Contains(names, name) {
		msg := fmt.Sprintf("-metric %q: this run records no such metric", name)
		if s := experiments.Suggest(name, names); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += "; its metrics are " + listNames(names)
		}
		return usagef("%s", msg)
	}
	if len(p.Report.Metrics) > 0 && !slices.Contains(p.Report.Metrics, name) {
		return usagef("-metric %q is recorded but not reported: the experiment's [report] metrics are %s, so the comparison has no rows for it; add it there and run again",
			name, listNames(p.Report.Metrics))
	}
	return nil
}

// listNames lists at most 12 names.
func listNames(names []string) string {
	if len(names) > 12 {
		return strings.Join(names[:12], ", ") + fmt.Sprintf(", ... (%d in all; runsim params -metrics describes them)", len(names))
	}
	return strings.Join(names, ", ")
}

func num(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.4g", x)
}

func interval(lo, hi float64) string { return "[" + num(lo) + ", " + num(hi) + "]" }
