package results

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// Run is one row of runs.csv: the horizon value of every metric for one
// replication of one arm at one sweep point.
type Run struct {
	Arm         string
	Point       string
	Replication int
	Values      []float64 // one per Plan.Metrics, in order
}

// SeriesRow is one row of timeseries.csv: the distribution across
// replications of one metric in one month, for one arm and sweep point.
type SeriesRow struct {
	Arm, Point string
	Month      int    // month index, 0 = StartYear-StartMonth
	Date       string // calendar month, YYYY-MM
	Metric     string
	N          int     // replications
	Mean       float64 // sample mean
	SD         float64 // sample standard deviation (n-1)
	SE         float64 // standard error of the mean, SD/sqrt(N)
	CILo, CIHi float64 // 95% Student-t confidence interval of the mean
	Median     float64
	P05, P25   float64 // empirical quantiles (gonum stat.Empirical)
	P75, P95   float64
}

// ComparisonRow is one row of comparison.csv: an arm against the baseline
// at the same sweep point, for one metric at the horizon, paired by
// replication (common random numbers).
type ComparisonRow struct {
	Arm, Point             string
	Metric                 string
	Month                  int
	N                      int     // pairs
	BaselineMean, ArmMean  float64 // means of the two arms
	Diff                   float64 // mean paired difference, arm − baseline
	DiffSD                 float64 // standard deviation of the paired differences
	PairedLo, PairedHi     float64 // 95% Student-t interval of the paired difference
	BootLo, BootHi         float64 // 95% bootstrap percentile interval of the paired difference
	UnpairedLo, UnpairedHi float64 // 95% Welch interval of the difference of means, ignoring pairing
	PairingGain            float64 // width of the unpaired interval / width of the paired one
}

// Column headers of the tables.
var (
	SeriesHeader = []string{"arm", "point", "month", "date", "metric", "n", "mean", "sd", "se",
		"ci95_lo", "ci95_hi", "median", "p05", "p25", "p75", "p95"}
	ComparisonHeader = []string{"arm", "point", "metric", "month", "n", "baseline_mean", "arm_mean",
		"diff", "diff_sd", "paired_ci95_lo", "paired_ci95_hi", "boot_ci95_lo", "boot_ci95_hi",
		"unpaired_ci95_lo", "unpaired_ci95_hi", "pairing_gain"}
)

// RunsHeader returns the header of runs.csv for the given metrics.
func RunsHeader(metrics []Metric) []string {
	h := []string{"arm", "point", "replication"}
	for _, m := range metrics {
		h = append(h, m.Name)
	}
	return h
}

// FormatFloat formats x so that it parses back to the same float64.
func FormatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// TableWriter writes a CSV table to a temporary file and renames it into
// place on Close. Abort removes the temporary file.
type TableWriter struct {
	path string
	f    *os.File
	buf  *bufio.Writer
	w    *csv.Writer
	rec  []string
}

// CreateTable starts writing the table at path with the given header.
func CreateTable(path string, header []string) (*TableWriter, error) {
	f, err := createTemp(path)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 1<<16)
	t := &TableWriter{path: path, f: f, buf: buf, w: csv.NewWriter(buf)}
	if err := t.w.Write(header); err != nil {
		t.Abort()
		return nil, err
	}
	return t, nil
}

// Write writes one record.
func (t *TableWriter) Write(rec []string) error { return t.w.Write(rec) }

// WriteRun writes one runs.csv row.
func (t *TableWriter) WriteRun(r Run) error {
	t.rec = append(t.rec[:0], r.Arm, r.Point, strconv.Itoa(r.Replication))
	for _, v := range r.Values {
		t.rec = append(t.rec, FormatFloat(v))
	}
	return t.w.Write(t.rec)
}

// WriteSeries writes one timeseries.csv row.
func (t *TableWriter) WriteSeries(r SeriesRow) error {
	t.rec = append(t.rec[:0], r.Arm, r.Point, strconv.Itoa(r.Month), r.Date, r.Metric, strconv.Itoa(r.N))
	for _, v := range []float64{r.Mean, r.SD, r.SE, r.CILo, r.CIHi, r.Median, r.P05, r.P25, r.P75, r.P95} {
		t.rec = append(t.rec, FormatFloat(v))
	}
	return t.w.Write(t.rec)
}

// WriteComparison writes one comparison.csv row.
func (t *TableWriter) WriteComparison(r ComparisonRow) error {
	t.rec = append(t.rec[:0], r.Arm, r.Point, r.Metric, strconv.Itoa(r.Month), strconv.Itoa(r.N))
	for _, v := range []float64{r.BaselineMean, r.ArmMean, r.Diff, r.DiffSD, r.PairedLo, r.PairedHi,
		r.BootLo, r.BootHi, r.UnpairedLo, r.UnpairedHi, r.PairingGain} {
		t.rec = append(t.rec, FormatFloat(v))
	}
	return t.w.Write(t.rec)
}

// Close flushes, syncs and renames the table into place.
func (t *TableWriter) Close() error {
	t.w.Flush()
	err := t.w.Error()
	if err == nil {
		err = t.buf.Flush()
	}
	if err == nil {
		err = t.f.Sync()
	}
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(t.f.Name(), t.path)
	}
	if err != nil {
		os.Remove(t.f.Name())
		return fmt.Errorf("write %s: %w", t.path, err)
	}
	return nil
}

// Abort discards the table.
func (t *TableWriter) Abort() {
	t.f.Close()
	os.Remove(t.f.Name())
}

func newReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	return cr
}

// checkHeader compares a table's header with the one the manifest makes
// (runs.csv has a column per metric of the plan).
func checkHeader(got, want []string) error {
	if len(got) != len(want) {
		return inconsistent("header has %d columns, but the manifest makes %d (%v)", len(got), len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			return inconsistent("header column %d is %q, but the manifest makes it %q", i+1, got[i], want[i])
		}
	}
	return nil
}

func parseFloats(rec []string, line int, dst []float64) error {
	for i, s := range rec {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("line %d: column %d: %q is not a number", line, i+1, s)
		}
		dst[i] = v
	}
	return nil
}

func parseInt(s string, line int, col string) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("line %d: %s: %q is not an integer", line, col, s)
	}
	return v, nil
}

// ReadRuns reads runs.csv, checking its header against metrics.
func ReadRuns(r io.Reader, metrics []Metric) ([]Run, error) {
	cr := newReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("runs: header: %w", err)
	}
	if err := checkHeader(head, RunsHeader(metrics)); err != nil {
		return nil, fmt.Errorf("runs: %w", err)
	}
	var out []Run
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("runs: %w", err)
		}
		rep, err := parseInt(rec[2], line, "replication")
		if err != nil {
			return nil, fmt.Errorf("runs: %w", err)
		}
		run := Run{Arm: rec[0], Point: rec[1], Replication: rep, Values: make([]float64, len(metrics))}
		if err := parseFloats(rec[3:], line, run.Values); err != nil {
			return nil, fmt.Errorf("runs: %w", err)
		}
		out = append(out, run)
	}
}

// ReadSeries reads timeseries.csv.
func ReadSeries(r io.Reader) ([]SeriesRow, error) {
	cr := newReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("timeseries: header: %w", err)
	}
	if err := checkHeader(head, SeriesHeader); err != nil {
		return nil, fmt.Errorf("timeseries: %w", err)
	}
	var out []SeriesRow
	var v [10]float64
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("timeseries: %w", err)
		}
		month, err := parseInt(rec[2], line, "month")
		if err != nil {
			return nil, fmt.Errorf("timeseries: %w", err)
		}
		n, err := parseInt(rec[5], line, "n")
		if err != nil {
			return nil, fmt.Errorf("timeseries: %w", err)
		}
		if err := parseFloats(rec[6:], line, v[:]); err != nil {
			return nil, fmt.Errorf("timeseries: %w", err)
		}
		out = append(out, SeriesRow{Arm: rec[0], Point: rec[1], Month: month, Date: rec[3], Metric: rec[4], N: n,
			Mean: v[0], SD: v[1], SE: v[2], CILo: v[3], CIHi: v[4], Median: v[5], P05: v[6], P25: v[7], P75: v[8], P95: v[9]})
	}
}

// ReadComparison reads comparison.csv.
func ReadComparison(r io.Reader) ([]ComparisonRow, error) {
	cr := newReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("comparison: header: %w", err)
	}
	if err := checkHeader(head, ComparisonHeader); err != nil {
		return nil, fmt.Errorf("comparison: %w", err)
	}
	var out []ComparisonRow
	var v [11]float64
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("comparison: %w", err)
		}
		month, err := parseInt(rec[3], line, "month")
		if err != nil {
			return nil, fmt.Errorf("comparison: %w", err)
		}
		n, err := parseInt(rec[4], line, "n")
		if err != nil {
			return nil, fmt.Errorf("comparison: %w", err)
		}
		if err := parseFloats(rec[5:], line, v[:]); err != nil {
			return nil, fmt.Errorf("comparison: %w", err)
		}
		out = append(out, ComparisonRow{Arm: rec[0], Point: rec[1], Metric: rec[2], Month: month, N: n,
			BaselineMean: v[0], ArmMean: v[1], Diff: v[2], DiffSD: v[3], PairedLo: v[4], PairedHi: v[5],
			BootLo: v[6], BootHi: v[7], UnpairedLo: v[8], UnpairedHi: v[9], PairingGain: v[10]})
	}
}

// Dir is a whole result directory read back.
type Dir struct {
	Path       string
	Manifest   Manifest
	Runs       []Run
	Series     []SeriesRow
	Comparison []ComparisonRow
}

// ReadDir reads the manifest and the three tables of a result directory.
func ReadDir(dir string) (*Dir, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	return ReadTables(dir, m)
}

// ReadTables reads the three tables of a result directory described by m
// (a manifest not yet written, while a run finishes), and checks them and
// the replication store against m: an error wrapping ErrInconsistent names
// the first disagreement.
func ReadTables(dir string, m Manifest) (*Dir, error) {
	d := &Dir{Path: dir, Manifest: m}
	read := func(name string, f func(io.Reader) error) error {
		path := filepath.Join(dir, name)
		fh, err := os.Open(path)
		if err != nil {
			return err
		}
		defer fh.Close()
		if err := f(bufio.NewReader(fh)); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return nil
	}
	if err := read(RunsFile, func(r io.Reader) (err error) { d.Runs, err = ReadRuns(r, m.Plan.Metrics); return }); err != nil {
		return nil, err
	}
	if err := read(TimeseriesFile, func(r io.Reader) (err error) { d.Series, err = ReadSeries(r); return }); err != nil {
		return nil, err
	}
	if err := read(ComparisonFile, func(r io.Reader) (err error) { d.Comparison, err = ReadComparison(r); return }); err != nil {
		return nil, err
	}
	if err := d.checkTables(); err != nil {
		return nil, err
	}
	if err := d.checkStore(); err != nil {
		return nil, err
	}
	return d, nil
}
