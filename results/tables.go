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
// at the same sweep point, for one metric over one window of months (the
// horizon, a reported month or a named window; see Plan.ComparisonWindows),
// paired by replication (common random numbers). A replication's value
// over a window is the mean of its monthly values there, and the
// differences are taken replication by replication.
type ComparisonRow struct {
	Arm, Point             string
	Metric                 string
	Window                 string  // "horizon", "m47" (one month), or a window's name
	From, Month            int     // the window's first and last month (equal but for a named window)
	N                      int     // pairs
	BaselineMean, ArmMean  float64 // means of the two arms
	BaselineSD             float64 // standard deviation of the baseline's values (n-1), the scale of the standardized effect
	Diff                   float64 // mean paired difference, arm − baseline
	DiffSD                 float64 // standard deviation of the paired differences
	PairedLo, PairedHi     float64 // 95% Student-t interval of the paired difference
	BootLo, BootHi         float64 // 95% bootstrap percentile interval of the paired difference
	UnpairedLo, UnpairedHi float64 // 95% Welch interval of the difference of means, ignoring pairing
	PairingGain            float64 // width of the unpaired interval / width of the paired one
	Definitional           bool    // the arm sets a lever that moves the metric by definition (Plan.Definitional)
}

// Kind is the type of a column's values.
type Kind uint8

// The kinds of column.
const (
	Text  Kind = iota // a string, written as is
	Int               // a whole number, written in decimal
	Float             // a float64, written so that it parses back to the same bits (FormatFloat)
	Bool              // true or false
)

// Column is one column of a result table: its name in the header and the
// kind of its values.
type Column struct {
	Name string
	Kind Kind
}

// Value is one cell of a table: Text, Int, Float or Bool, as its column's
// Kind says (the other fields are zero).
type Value struct {
	Text  string
	Int   int
	Float float64
	Bool  bool
}

// Field is one column of a table of rows of type R, with the row's field
// that holds its value (one accessor serves both the writer and the
// reader).
type Field[R any] struct {
	Column
	text  func(*R) *string
	int   func(*R) *int
	float func(*R) *float64
	bool  func(*R) *bool
	// derived, if set, computes the value from the row's other fields (a
	// swept parameter's value from the row's point); ok is false when they
	// do not determine it. Reading checks the value against it.
	derived func(*R) (v Value, ok bool)
}

// derivedField is a column whose value follows from the row's other
// fields: written from them, and checked against them on reading.
func derivedField[R any](c Column, f func(*R) (Value, bool)) Field[R] {
	return Field[R]{Column: c, derived: f}
}

// TextField is a Text column held by the field f returns.
func TextField[R any](name string, f func(*R) *string) Field[R] {
	return Field[R]{Column: Column{name, Text}, text: f}
}

// IntField is an Int column held by the field f returns.
func IntField[R any](name string, f func(*R) *int) Field[R] {
	return Field[R]{Column: Column{name, Int}, int: f}
}

// FloatField is a Float column held by the field f returns.
func FloatField[R any](name string, f func(*R) *float64) Field[R] {
	return Field[R]{Column: Column{name, Float}, float: f}
}

// BoolField is a Bool column held by the field f returns.
func BoolField[R any](name string, f func(*R) *bool) Field[R] {
	return Field[R]{Column: Column{name, Bool}, bool: f}
}

// Get returns the field's value in row r.
func (f Field[R]) Get(r *R) Value {
	if f.derived != nil {
		v, _ := f.derived(r)
		return v
	}
	switch f.Kind {
	case Int:
		return Value{Int: *f.int(r)}
	case Float:
		return Value{Float: *f.float(r)}
	case Bool:
		return Value{Bool: *f.bool(r)}
	}
	return Value{Text: *f.text(r)}
}

// Set stores v (of the field's kind) in row r; a derived field (a swept
// parameter's value) stores nothing.
func (f Field[R]) Set(r *R, v Value) {
	if f.derived != nil {
		return
	}
	switch f.Kind {
	case Int:
		*f.int(r) = v.Int
	case Float:
		*f.float(r) = v.Float
	case Bool:
		*f.bool(r) = v.Bool
	default:
		*f.text(r) = v.Text
	}
}

// Table declares a result table once: its name (in errors), its file in a
// result directory and its columns in order. The column list drives the
// header, the writer (Writer, through any RowSink) and the reader
// (ReadCSV), so that a column is added in one place.
type Table[R any] struct {
	Name   string
	File   string
	Fields []Field[R]
	// New returns an empty row to read into (runs.csv's rows need their
	// Values slice); nil means R's zero value.
	New func() R
}

// Columns returns the table's columns in order.
func (t Table[R]) Columns() []Column {
	cs := make([]Column, len(t.Fields))
	for i, f := range t.Fields {
		cs[i] = f.Column
	}
	return cs
}

// Header returns the column names in order.
func (t Table[R]) Header() []string {
	h := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		h[i] = f.Name
	}
	return h
}

// SweepColumn is the column of one swept parameter in runs.csv,
// timeseries.csv and comparison.csv, after point: named by the parameter,
// holding its value at the row's point, a number (Float), or for a
// categorical parameter (Levels, from SweepSpec.Levels) its label (Text).
type SweepColumn struct {
	Name   string
	Levels []string // labels of a categorical parameter's values 0, 1, ...; nil for a number
}

// Column returns the column's name and kind.
func (c SweepColumn) Column() Column {
	if c.Levels != nil {
		return Column{c.Name, Text}
	}
	return Column{c.Name, Float}
}

// Cell returns the column's cell for value x: the label of a categorical
// parameter's value (its number, formatted, if it has no label), or the
// number.
func (c SweepColumn) Cell(x float64) Value {
	if c.Levels == nil {
		return Value{Float: x}
	}
	if k := int(x); float64(k) == x && k >= 0 && k < len(c.Levels) {
		return Value{Text: c.Levels[k]}
	}
	return Value{Text: FormatFloat(x)}
}

// SweepColumns returns the columns of the swept parameters, in the sweep's
// order (none without a sweep).
func (p Plan) SweepColumns() []SweepColumn {
	if p.Sweep == nil {
		return nil
	}
	out := make([]SweepColumn, len(p.Sweep.Parameters))
	for i, name := range p.Sweep.Parameters {
		out[i] = SweepColumn{Name: name, Levels: p.Sweep.Levels[name]}
	}
	return out
}

// sweepFields returns the fields of the plan's swept parameters for rows
// of type R whose point name point returns: each row's value is that of
// its point in p.Points.
func sweepFields[R any](p Plan, point func(*R) string) []Field[R] {
	cols := p.SweepColumns()
	if len(cols) == 0 {
		return nil
	}
	cells := make(map[string][]Value, len(p.Points))
	for _, pt := range p.Points {
		vals := make([]Value, len(cols))
		for i, c := range cols {
			for _, pv := range pt.Params {
				if pv.Name == c.Name {
					vals[i] = c.Cell(pv.Value)
				}
			}
		}
		cells[pt.Name] = vals
	}
	fs := make([]Field[R], len(cols))
	for i, c := range cols {
		fs[i] = derivedField(c.Column(), func(r *R) (Value, bool) {
			vals, ok := cells[point(r)]
			if !ok {
				return Value{}, false
			}
			return vals[i], true
		})
	}
	return fs
}

// withSweep inserts the plan's sweep columns after the first two fields
// (arm and point) of t.
func withSweep[R any](t Table[R], p Plan, point func(*R) string) Table[R] {
	sw := sweepFields(p, point)
	if len(sw) == 0 {
		return t
	}
	fs := make([]Field[R], 0, len(t.Fields)+len(sw))
	fs = append(fs, t.Fields[:2]...)
	fs = append(fs, sw...)
	t.Fields = append(fs, t.Fields[2:]...)
	return t
}

// RunsTable is runs.csv of the plan: RunsTable of its metrics, with the
// columns of its swept parameters after point (SweepColumns).
func (p Plan) RunsTable() Table[Run] {
	return withSweep(RunsTable(p.Metrics), p, func(r *Run) string { return r.Point })
}

// SeriesTable is timeseries.csv of the plan: SeriesTable with the columns
// of its swept parameters after point.
func (p Plan) SeriesTable() Table[SeriesRow] {
	return withSweep(SeriesTable(), p, func(r *SeriesRow) string { return r.Point })
}

// ComparisonTable is comparison.csv of the plan: ComparisonTable with the
// columns of its swept parameters after point.
func (p Plan) ComparisonTable() Table[ComparisonRow] {
	return withSweep(ComparisonTable(), p, func(r *ComparisonRow) string { return r.Point })
}

// RunsTable is runs.csv for the given metrics, without a sweep: arm, point,
// replication and one column per metric (its value at the horizon).
// Plan.RunsTable adds the swept parameters' columns.
func RunsTable(metrics []Metric) Table[Run] {
	fs := []Field[Run]{
		TextField("arm", func(r *Run) *string { return &r.Arm }),
		TextField("point", func(r *Run) *string { return &r.Point }),
		IntField("replication", func(r *Run) *int { return &r.Replication }),
	}
	for i, m := range metrics {
		fs = append(fs, FloatField(m.Name, func(r *Run) *float64 { return &r.Values[i] }))
	}
	n := len(metrics)
	return Table[Run]{Name: "runs", File: RunsFile, Fields: fs, New: func() Run { return Run{Values: make([]float64, n)} }}
}

// SeriesTable is timeseries.csv without a sweep (Plan.SeriesTable adds
// the swept parameters' columns).
func SeriesTable() Table[SeriesRow] {
	type row = SeriesRow
	return Table[SeriesRow]{Name: "timeseries", File: TimeseriesFile, Fields: []Field[SeriesRow]{
		TextField("arm", func(r *row) *string { return &r.Arm }),
		TextField("point", func(r *row) *string { return &r.Point }),
		IntField("month", func(r *row) *int { return &r.Month }),
		TextField("date", func(r *row) *string { return &r.Date }),
		TextField("metric", func(r *row) *string { return &r.Metric }),
		IntField("n", func(r *row) *int { return &r.N }),
		FloatField("mean", func(r *row) *float64 { return &r.Mean }),
		FloatField("sd", func(r *row) *float64 { return &r.SD }),
		FloatField("se", func(r *row) *float64 { return &r.SE }),
		FloatField("ci95_lo", func(r *row) *float64 { return &r.CILo }),
		FloatField("ci95_hi", func(r *row) *float64 { return &r.CIHi }),
		FloatField("median", func(r *row) *float64 { return &r.Median }),
		FloatField("p05", func(r *row) *float64 { return &r.P05 }),
		FloatField("p25", func(r *row) *float64 { return &r.P25 }),
		FloatField("p75", func(r *row) *float64 { return &r.P75 }),
		FloatField("p95", func(r *row) *float64 { return &r.P95 }),
	}}
}

// ComparisonTable is comparison.csv without a sweep
// (Plan.ComparisonTable adds the swept parameters' columns).
func ComparisonTable() Table[ComparisonRow] {
	type row = ComparisonRow
	return Table[ComparisonRow]{Name: "comparison", File: ComparisonFile, Fields: []Field[ComparisonRow]{
		TextField("arm", func(r *row) *string { return &r.Arm }),
		TextField("point", func(r *row) *string { return &r.Point }),
		TextField("metric", func(r *row) *string { return &r.Metric }),
		TextField("window", func(r *row) *string { return &r.Window }),
		IntField("from", func(r *row) *int { return &r.From }),
		IntField("month", func(r *row) *int { return &r.Month }),
		IntField("n", func(r *row) *int { return &r.N }),
		FloatField("baseline_mean", func(r *row) *float64 { return &r.BaselineMean }),
		FloatField("baseline_sd", func(r *row) *float64 { return &r.BaselineSD }),
		FloatField("arm_mean", func(r *row) *float64 { return &r.ArmMean }),
		FloatField("diff", func(r *row) *float64 { return &r.Diff }),
		FloatField("diff_sd", func(r *row) *float64 { return &r.DiffSD }),
		FloatField("paired_ci95_lo", func(r *row) *float64 { return &r.PairedLo }),
		FloatField("paired_ci95_hi", func(r *row) *float64 { return &r.PairedHi }),
		FloatField("boot_ci95_lo", func(r *row) *float64 { return &r.BootLo }),
		FloatField("boot_ci95_hi", func(r *row) *float64 { return &r.BootHi }),
		FloatField("unpaired_ci95_lo", func(r *row) *float64 { return &r.UnpairedLo }),
		FloatField("unpaired_ci95_hi", func(r *row) *float64 { return &r.UnpairedHi }),
		FloatField("pairing_gain", func(r *row) *float64 { return &r.PairingGain }),
		BoolField("definitional", func(r *row) *bool { return &r.Definitional }),
	}}
}

// FormatFloat formats x so that it parses back to the same float64.
func FormatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// RowSink receives one table in a storage format: Begin with the columns,
// then Row with each row's values in column order; Close commits the
// table, Abort discards it. CSVSink is the format of today; another format
// is another RowSink, and every table and writer works with it unchanged.
type RowSink interface {
	Begin(cols []Column) error
	Row(vals []Value) error
	Close() error
	Abort()
}

// Writer writes rows of type R, through its Table's columns, to a RowSink.
type Writer[R any] struct {
	t    Table[R]
	sink RowSink
	vals []Value
}

// NewWriter begins table t on sink. If Begin fails, the sink is aborted.
func NewWriter[R any](sink RowSink, t Table[R]) (*Writer[R], error) {
	if err := sink.Begin(t.Columns()); err != nil {
		sink.Abort()
		return nil, err
	}
	return &Writer[R]{t: t, sink: sink, vals: make([]Value, len(t.Fields))}, nil
}

// CreateTable starts writing table t as CSV at path (see CreateCSV).
func CreateTable[R any](path string, t Table[R]) (*Writer[R], error) {
	s, err := CreateCSV(path)
	if err != nil {
		return nil, err
	}
	return NewWriter(s, t)
}

// Write writes one row.
func (w *Writer[R]) Write(r R) error {
	for i, f := range w.t.Fields {
		w.vals[i] = f.Get(&r)
	}
	return w.sink.Row(w.vals)
}

// Close commits the table.
func (w *Writer[R]) Close() error { return w.sink.Close() }

// Abort discards the table.
func (w *Writer[R]) Abort() { w.sink.Abort() }

// CSVSink writes a table as CSV (encoding/csv, a header line, floats as
// FormatFloat) to a temporary file and renames it into place on Close.
// Abort removes the temporary file. Its rows are those of a CSVStream on
// the file.
type CSVSink struct {
	CSVStream
	path string
	f    *os.File
	buf  *bufio.Writer
}

// CreateCSV starts a CSV table at path, under a temporary name in the same
// directory (0666 less the umask) until Close.
func CreateCSV(path string) (*CSVSink, error) {
	f, err := createTemp(path)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 1<<16)
	return &CSVSink{CSVStream: *NewCSVStream(buf), path: path, f: f, buf: buf}, nil
}

// Row writes one record.
func (t *CSVSink) Row(vals []Value) error {
	if err := t.CSVStream.Row(vals); err != nil {
		return fmt.Errorf("write %s: %w", t.path, err)
	}
	return nil
}

// csvRecord appends the CSV fields of vals (of the given kinds) to rec.
func csvRecord(rec []string, kinds []Kind, vals []Value) []string {
	for i, v := range vals {
		switch kinds[i] {
		case Int:
			rec = append(rec, strconv.Itoa(v.Int))
		case Float:
			rec = append(rec, FormatFloat(v.Float))
		case Bool:
			rec = append(rec, strconv.FormatBool(v.Bool))
		default:
			rec = append(rec, v.Text)
		}
	}
	return rec
}

// CSVStream is a RowSink that writes a table as CSV to an io.Writer (a
// terminal, a pipe), byte for byte as CSVSink writes its file. Close
// flushes; Abort does nothing more (what was written stays written).
type CSVStream struct {
	w     *csv.Writer
	kinds []Kind
	rec   []string
}

// NewCSVStream returns a CSVStream writing to w.
func NewCSVStream(w io.Writer) *CSVStream { return &CSVStream{w: csv.NewWriter(w)} }

// Begin writes the header.
func (t *CSVStream) Begin(cols []Column) error {
	t.kinds = t.kinds[:0]
	t.rec = t.rec[:0]
	for _, c := range cols {
		t.kinds = append(t.kinds, c.Kind)
		t.rec = append(t.rec, c.Name)
	}
	return t.w.Write(t.rec)
}

// Row writes one record.
func (t *CSVStream) Row(vals []Value) error {
	if len(vals) != len(t.kinds) {
		return fmt.Errorf("a row of %d values for %d columns", len(vals), len(t.kinds))
	}
	t.rec = csvRecord(t.rec[:0], t.kinds, vals)
	return t.w.Write(t.rec)
}

// Close flushes the table.
func (t *CSVStream) Close() error {
	t.w.Flush()
	return t.w.Error()
}

// Abort flushes what was written.
func (t *CSVStream) Abort() { t.w.Flush() }

// Close flushes, syncs and renames the table into place.
func (t *CSVSink) Close() error {
	err := t.CSVStream.Close()
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
func (t *CSVSink) Abort() {
	t.f.Close()
	os.Remove(t.f.Name())
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

// parseValue parses field s of column c (number i from 1) on line.
func parseValue(c Column, i int, s string, line int) (Value, error) {
	switch c.Kind {
	case Int:
		v, err := strconv.Atoi(s)
		if err != nil {
			return Value{}, fmt.Errorf("line %d: %s: %q is not an integer", line, c.Name, s)
		}
		return Value{Int: v}, nil
	case Float:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return Value{}, fmt.Errorf("line %d: column %d (%s): %q is not a number", line, i, c.Name, s)
		}
		return Value{Float: v}, nil
	case Bool:
		switch s {
		case "true":
			return Value{Bool: true}, nil
		case "false":
			return Value{}, nil
		}
		return Value{}, fmt.Errorf("line %d: column %d (%s): %q is not true or false", line, i, c.Name, s)
	}
	return Value{Text: s}, nil
}

// ReadCSV reads table t written as CSV, checking its header against t's
// columns; errors start with the table's name.
func ReadCSV[R any](r io.Reader, t Table[R]) ([]R, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", t.Name, err)
	}
	if err := checkHeader(head, t.Header()); err != nil {
		return nil, fmt.Errorf("%s: %w", t.Name, err)
	}
	var out []R
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		var row R
		if t.New != nil {
			row = t.New()
		}
		for i, f := range t.Fields {
			v, err := parseValue(f.Column, i+1, rec[i], line)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.Name, err)
			}
			f.Set(&row, v)
		}
		for i, f := range t.Fields {
			if f.derived == nil {
				continue
			}
			if want, ok := f.derived(&row); ok {
				if w := csvRecord(nil, []Kind{f.Kind}, []Value{want})[0]; w != rec[i] {
					return nil, fmt.Errorf("%s: %w", t.Name, inconsistent("line %d: column %d (%s) is %q, but the row's sweep point has %q", line, i+1, f.Name, rec[i], w))
				}
			}
		}
		out = append(out, row)
	}
}

// ReadRuns reads runs.csv of a plan without a sweep, checking its header
// against metrics (ReadCSV with Plan.RunsTable reads any plan's).
func ReadRuns(r io.Reader, metrics []Metric) ([]Run, error) { return ReadCSV(r, RunsTable(metrics)) }

// ReadSeries reads timeseries.csv of a plan without a sweep (ReadCSV with
// Plan.SeriesTable reads any plan's).
func ReadSeries(r io.Reader) ([]SeriesRow, error) { return ReadCSV(r, SeriesTable()) }

// ReadComparison reads comparison.csv of a plan without a sweep (ReadCSV
// with Plan.ComparisonTable reads any plan's).
func ReadComparison(r io.Reader) ([]ComparisonRow, error) { return ReadCSV(r, ComparisonTable()) }

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
	if err := read(RunsFile, func(r io.Reader) (err error) { d.Runs, err = ReadCSV(r, m.Plan.RunsTable()); return }); err != nil {
		return nil, err
	}
	if err := read(TimeseriesFile, func(r io.Reader) (err error) { d.Series, err = ReadCSV(r, m.Plan.SeriesTable()); return }); err != nil {
		return nil, err
	}
	if err := read(ComparisonFile, func(r io.Reader) (err error) { d.Comparison, err = ReadCSV(r, m.Plan.ComparisonTable()); return }); err != nil {
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
