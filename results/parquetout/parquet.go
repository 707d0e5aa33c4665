package parquetout

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"

	"frontiersim/results"
)

// CreatedBy is the writer named in every file's footer (fixed, so that the
// bytes do not depend on the build).
const CreatedBy = "frontiersim"

// rowsPerWrite is how many rows are handed to the Parquet writer at once.
const rowsPerWrite = 4096

// FileName returns the Parquet file of a table's CSV file: runs.csv gives
// runs.parquet.
func FileName(csvFile string) string { return strings.TrimSuffix(csvFile, ".csv") + ".parquet" }

// Sink writes one table as Parquet to path: it is built in memory and
// written atomically (results.WriteFileAtomic) on Close, so that path
// never holds half a file.
type Sink struct {
	path string
	name string
	buf  bytes.Buffer
	w    *parquet.GenericWriter[any]
	cols []results.Column
	rows []parquet.Row
}

// Create returns a sink that writes the table named name to path.
func Create(path, name string) *Sink { return &Sink{path: path, name: name} }

// Begin declares the columns.
func (s *Sink) Begin(cols []results.Column) error {
	s.cols = append([]results.Column(nil), cols...)
	schema, err := Schema(s.name, cols)
	if err != nil {
		return err
	}
	s.w = parquet.NewGenericWriter[any](&s.buf, schema, parquet.Compression(&parquet.Snappy),
		createdBy(CreatedBy))
	return nil
}

// Row adds one row, its values in column order.
func (s *Sink) Row(vals []results.Value) error {
	if len(vals) != len(s.cols) {
		return fmt.Errorf("parquet %s: a row of %d values for %d columns", s.path, len(vals), len(s.cols))
	}
	row := make(parquet.Row, len(vals))
	for i, v := range vals {
		var pv parquet.Value
		switch s.cols[i].Kind {
		case results.Int:
			pv = parquet.Int64Value(int64(v.Int))
		case results.Float:
			pv = parquet.DoubleValue(v.Float)
		case results.Bool:
			pv = parquet.BooleanValue(v.Bool)
		default:
			pv = parquet.ByteArrayValue([]byte(v.Text))
		}
		row[i] = pv.Level(0, 0, i)
	}
	s.rows = append(s.rows, row)
	if len(s.rows) >= rowsPerWrite {
		return s.flush()
	}
	return nil
}

func (s *Sink) flush() error {
	if len(s.rows) == 0 {
		return nil
	}
	if _, err := s.w.WriteRows(s.rows); err != nil {
		return fmt.Errorf("parquet %s: %w", s.path, err)
	}
	s.rows = s.rows[:0]
	return nil
}

// Close writes the file.
func (s *Sink) Close() error {
	if err := s.flush(); err != nil {
		return err
	}
	if err := s.w.Close(); err != nil {
		return fmt.Errorf("parquet %s: %w", s.path, err)
	}
	return results.WriteFileAtomic(s.path, s.buf.Bytes())
}

// Abort discards the table: nothing was written to path.
func (s *Sink) Abort() { s.buf.Reset(); s.rows = nil }

// Schema returns the Parquet schema of a table's columns, in their order.
func Schema(name string, cols []results.Column) (*parquet.Schema, error) {
	g := &orderedGroup{}
	seen := map[string]bool{}
	for _, c := range cols {
		if seen[c.Name] {
			return nil, fmt.Errorf("parquet %s: column %q twice", name, c.Name)
		}
		seen[c.Name] = true
		var n parquet.Node
		switch c.Kind {
		case results.Int:
			n = parquet.Int(64)
		case results.Float:
			n = parquet.Leaf(parquet.DoubleType)
		case results.Bool:
			n = parquet.Leaf(parquet.BooleanType)
		default:
			n = parquet.String()
		}
		g.fields = append(g.fields, &field{Node: n, name: c.Name, index: len(g.fields)})
	}
	return parquet.NewSchema(name, g), nil
}

// createdBy sets the footer's created_by as it is (parquet.CreatedBy adds
// a version and build).
type createdBy string

func (c createdBy) ConfigureWriter(config *parquet.WriterConfig) { config.CreatedBy = string(c) }

// orderedGroup is a group node whose fields keep the order given
// (parquet.Group sorts them by name).
type orderedGroup struct{ fields []parquet.Field }

func (g *orderedGroup) ID() int                     { return 0 }
func (g *orderedGroup) String() string              { return fmt.Sprintf("group of %d columns", len(g.fields)) }
func (g *orderedGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g *orderedGroup) Optional() bool              { return false }
func (g *orderedGroup) Repeated() bool              { return false }
func (g *orderedGroup) Required() bool              { return true }
func (g *orderedGroup) Leaf() bool                  { return false }
func (g *orderedGroup) Fields() []parquet.Field     { return g.fields }
func (g *orderedGroup) Encoding() encoding.Encoding { return nil }
func (g *orderedGroup) Compression() compress.Codec { return nil }
func (g *orderedGroup) GoType() reflect.Type {
	fs := make([]reflect.StructField, len(g.fields))
	for i, f := range g.fields {
		fs[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: f.GoType(), Tag: reflect.StructTag(fmt.Sprintf("parquet:%q", f.Name()))}
	}
	return reflect.StructOf(fs)
}

// field is one column of an orderedGroup.
type field struct {
	parquet.Node
	name  string
	index int
}

func (f *field) Name() string                           { return f.name }
func (f *field) Value(base reflect.Value) reflect.Value { return base.Field(f.index) }
