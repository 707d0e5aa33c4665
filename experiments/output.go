package experiments

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"frontiersim/results"
	"frontiersim/results/parquetout"
)

// outputFormats are the formats [output] formats may list.
var outputFormats = []string{results.FormatCSV, results.FormatParquet}

// output reads [output]: formats lists the formats of the tables, "csv"
// always among them. CSV alone (the default) is nil.
func (v *validator) output(raw map[string]any) *results.OutputSpec {
	m := v.table(raw, "", "output")
	if m == nil {
		return nil
	}
	v.unknownKeys("output", m, "formats")
	if _, ok := m["formats"]; !ok {
		return nil
	}
	var formats []string
	for _, el := range v.strings(m, "output", "formats") {
		key := fmt.Sprintf("output.formats[%d]", el.i)
		switch {
		case !slices.Contains(outputFormats, el.s):
			msg := fmt.Sprintf("unknown format %q", el.s)
			if s := v.suggest(el.s, outputFormats); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			v.add(key, "%s: want \"csv\" or \"parquet\"", msg)
		case slices.Contains(formats, el.s):
			v.add(key, "format %q is listed twice", el.s)
		default:
			formats = append(formats, el.s)
		}
	}
	if _, isArr := m["formats"].([]any); isArr && !slices.Contains(formats, results.FormatCSV) && len(v.strings(m, "output", "formats")) == len(formats) {
		v.add("output.formats", "want \"csv\" among the formats (the charts, the report and runsim compare read the CSV tables): formats = [\"csv\", \"parquet\"]")
	}
	if !slices.Contains(formats, results.FormatParquet) {
		return nil
	}
	return &results.OutputSpec{Formats: []string{results.FormatCSV, results.FormatParquet}}
}

// canonicalOutput is [output] in experiment.toml, written only when it is
// not the default (CSV alone).
type canonicalOutput struct {
	Formats []string `toml:"formats"`
}

func toCanonicalOutput(o *results.OutputSpec) *canonicalOutput {
	if o == nil {
		return nil
	}
	return &canonicalOutput{Formats: o.Formats}
}

// createTable starts writing table t into dir as CSV, and as Parquet too
// if parquet is set (parquetout.FileName of the CSV file).
func createTable[R any](dir string, t results.Table[R], parquet bool) (*results.Writer[R], error) {
	csv, err := results.CreateCSV(filepath.Join(dir, t.File))
	if err != nil {
		return nil, err
	}
	if !parquet {
		return results.NewWriter(csv, t)
	}
	return results.NewWriter(teeSink{csv, parquetout.Create(filepath.Join(dir, parquetout.FileName(t.File)), t.Name)}, t)
}

// teeSink writes one table to several sinks.
type teeSink []results.RowSink

func (t teeSink) Begin(cols []results.Column) error {
	for _, s := range t {
		if err := s.Begin(cols); err != nil {
			return err
		}
	}
	return nil
}

func (t teeSink) Row(vals []results.Value) error {
	for _, s := range t {
		if err := s.Row(vals); err != nil {
			return err
		}
	}
	return nil
}

func (t teeSink) Close() error {
	for i, s := range t {
		if err := s.Close(); err != nil {
			for _, rest := range t[i+1:] {
				rest.Abort()
			}
			return err
		}
	}
	return nil
}

func (t teeSink) Abort() {
	for _, s := range t {
		s.Abort()
	}
}

// writePaths writes paths.parquet: every value of every replication's
// monthly path, in plan order (arm, point, replication), then month, then
// metric in column order.
func writePaths(ctx context.Context, dir string, plan results.Plan, rr *results.RecordReader, jobs []int) error {
	var swept []string
	if plan.Sweep != nil {
		swept = plan.Sweep.Parameters
	}
	t := parquetout.PathsTable(swept)
	sink := parquetout.Create(filepath.Join(dir, parquetout.PathsFile), t.Name)
	w, err := results.NewWriter(sink, t)
	if err != nil {
		return err
	}
	nm := len(plan.Metrics)
	values := make([]float64, plan.Months*nm)
	row := t.New()
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			w.Abort()
			return err
		}
		if err := rr.Read(j, values); err != nil {
			w.Abort()
			return err
		}
		a, p, r := plan.Job(j)
		row.Arm, row.Point, row.Replication = plan.Arms[a].Name, plan.Points[p].Name, r
		for k, pv := range plan.Points[p].Params {
			row.Swept[k] = pv.Value
		}
		for m := 0; m < plan.Months; m++ {
			row.Month = m
			for c, metric := range plan.Metrics {
				row.Metric, row.Value = metric.Name, values[m*nm+c]
				if err := w.Write(row); err != nil {
					w.Abort()
					return err
				}
			}
		}
	}
	return w.Close()
}
