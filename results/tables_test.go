package results

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// memSink is a RowSink that keeps the table in memory: a second format,
// written by the same tables and writer as CSV.
type memSink struct {
	cols   []Column
	rows   [][]Value
	closed bool
}

func (m *memSink) Begin(cols []Column) error { m.cols = cols; return nil }
func (m *memSink) Row(vals []Value) error {
	m.rows = append(m.rows, append([]Value(nil), vals...))
	return nil
}
func (m *memSink) Close() error { m.closed = true; return nil }
func (m *memSink) Abort()       {}

// roundTrip writes rows as table tab to a CSV file and reads them back.
func roundTrip[R any](t *testing.T, tab Table[R], rows []R) ([]R, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), tab.File)
	writeTable(t, filepath.Dir(path), tab, rows)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadCSV(bytes.NewReader(b), tab)
	if err != nil {
		t.Fatal(err)
	}
	return got, b
}

func TestTablesRoundTrip(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	t.Run("runs", func(t *testing.T) {
		rows := []Run{{Arm: "baseline", Point: "-", Replication: 0, Values: []float64{0.5, 5000}},
			{Arm: "cap, strict", Point: "p2", Replication: 7, Values: []float64{1e-300, -inf}}}
		got, b := roundTrip(t, RunsTable(fuzzMetrics), rows)
		if !reflect.DeepEqual(got, rows) {
			t.Errorf("read back %+v, want %+v", got, rows)
		}
		want := "arm,point,replication,share,hhi\nbaseline,-,0,0.5,5000\n\"cap, strict\",p2,7,1e-300,-Inf\n"
		if string(b) != want {
			t.Errorf("runs.csv:\n%s\nwant\n%s", b, want)
		}
	})
	t.Run("timeseries", func(t *testing.T) {
		rows := []SeriesRow{{Arm: "a", Point: "-", Month: 3, Date: "2019-04", Metric: "share", N: 2, Mean: 0.1, SD: 0.2,
			SE: 0.3, CILo: -1, CIHi: 1, Median: 0.15, P05: 0, P25: 0.1, P75: 0.2, P95: 1 / 3.0}}
		got, b := roundTrip(t, SeriesTable(), rows)
		if !reflect.DeepEqual(got, rows) {
			t.Errorf("read back %+v, want %+v", got, rows)
		}
		if want := "a,-,3,2019-04,share,2,0.1,0.2,0.3,-1,1,0.15,0,0.1,0.2,0.3333333333333333\n"; !strings.HasSuffix(string(b), want) {
			t.Errorf("timeseries.csv:\n%s\nwant a last line\n%s", b, want)
		}
	})
	t.Run("comparison", func(t *testing.T) {
		rows := []ComparisonRow{{Arm: "cap", Point: "-", Metric: "hhi", Window: "horizon", From: 11, Month: 11, N: 10, BaselineMean: 1, BaselineSD: 0.25, ArmMean: 2, Diff: 1,
			DiffSD: 0.5, PairedLo: 0.6, PairedHi: 1.4, BootLo: 0.7, BootHi: 1.3, UnpairedLo: -3, UnpairedHi: 5, PairingGain: nan},
			{Arm: "cap", Point: "-", Metric: "paid", Window: "2023-2025", From: 48, Month: 83, N: 10, Definitional: true}}
		got, b := roundTrip(t, ComparisonTable(), rows)
		if len(got) != 2 || !math.IsNaN(got[0].PairingGain) {
			t.Fatalf("read back %+v", got)
		}
		got[0].PairingGain, rows[0].PairingGain = 0, 0
		if !reflect.DeepEqual(got, rows) {
			t.Errorf("read back %+v, want %+v", got, rows)
		}
		if want := "cap,-,paid,2023-2025,48,83,10,0,0,0,0,0,0,0,0,0,0,0,0,true\n"; !strings.HasSuffix(string(b), want) {
			t.Errorf("comparison.csv:\n%s\nwant a last line\n%s", b, want)
		}
		bad := strings.Replace(string(b), ",true\n", ",yes\n", 1)
		if _, err := ReadCSV(strings.NewReader(bad), ComparisonTable()); err == nil || !strings.Contains(err.Error(), `(definitional): "yes" is not true or false`) {
			t.Errorf("a definitional of yes: got %v", err)
		}
	})
}

// The column list is the one declaration: the header, the CSV writer and
// any other sink follow it.
func TestTableDrivesEverySink(t *testing.T) {
	for _, c := range []struct {
		name   string
		header []string
		cols   []Column
	}{
		{"runs", RunsTable(fuzzMetrics).Header(), RunsTable(fuzzMetrics).Columns()},
		{"timeseries", SeriesTable().Header(), SeriesTable().Columns()},
		{"comparison", ComparisonTable().Header(), ComparisonTable().Columns()},
	} {
		t.Run(c.name, func(t *testing.T) {
			if len(c.header) != len(c.cols) {
				t.Fatalf("%d names, %d columns", len(c.header), len(c.cols))
			}
			seen := map[string]bool{}
			for i, col := range c.cols {
				if col.Name != c.header[i] || seen[col.Name] {
					t.Errorf("column %d %q: header says %q (or a duplicate)", i+1, col.Name, c.header[i])
				}
				seen[col.Name] = true
			}
		})
	}
	var m memSink
	w, err := NewWriter(&m, RunsTable(fuzzMetrics))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(Run{Arm: "cap", Point: "p1", Replication: 3, Values: []float64{0.25, 4}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	wantCols := []Column{{"arm", Text}, {"point", Text}, {"replication", Int}, {"share", Float}, {"hhi", Float}}
	wantRows := [][]Value{{{Text: "cap"}, {Text: "p1"}, {Int: 3}, {Float: 0.25}, {Float: 4}}}
	if !m.closed || !reflect.DeepEqual(m.cols, wantCols) || !reflect.DeepEqual(m.rows, wantRows) {
		t.Errorf("memory sink got columns %v, rows %v, closed %v; want %v, %v, true", m.cols, m.rows, m.closed, wantCols, wantRows)
	}
}

func TestReadCSVErrors(t *testing.T) {
	h := strings.Join(RunsTable(fuzzMetrics).Header(), ",")
	for _, c := range []struct {
		name, text, want string
	}{
		{"empty", "", "runs: header: EOF"},
		{"wrong header", "arm,point,rep,share,hhi\n", `runs: header column 3 is "rep", but the manifest makes it "replication"`},
		{"short header", "arm,point\n", "runs: header has 2 columns, but the manifest makes 5"},
		{"bad integer", h + "\nbaseline,-,x,1,2\n", `runs: line 2: replication: "x" is not an integer`},
		{"bad number", h + "\nbaseline,-,0,1,2\nbaseline,-,1,1,high\n", `runs: line 3: column 5 (hhi): "high" is not a number`},
		{"short row", h + "\nbaseline,-,0,1\n", "wrong number of fields"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadRuns(strings.NewReader(c.text), fuzzMetrics)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// An aborted CSV table leaves no file behind; a row that does not fit the
// columns is refused.
func TestCSVSinkAbort(t *testing.T) {
	dir := t.TempDir()
	w, err := CreateTable(filepath.Join(dir, ComparisonFile), ComparisonTable())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(ComparisonRow{Arm: "cap"}); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("after Abort the directory holds %v", ents)
	}
	s, err := CreateCSV(filepath.Join(dir, RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Begin([]Column{{"a", Text}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Row([]Value{{Text: "x"}, {Text: "y"}}); err == nil {
		t.Error("a row with more values than columns was written")
	}
	s.Abort()
}

// TestCSVStream: a table written to a stream is the bytes of its file.
func TestCSVStream(t *testing.T) {
	rows := []ComparisonRow{{Arm: "cap, strict", Point: "-", Metric: "hhi", Window: "2023-2025", From: 48, Month: 83, N: 3,
		Diff: -0.1, PairingGain: math.NaN(), Definitional: true}}
	_, file := roundTrip(t, ComparisonTable(), rows)
	var b bytes.Buffer
	w, err := NewWriter(NewCSVStream(&b), ComparisonTable())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if b.String() != string(file) {
		t.Errorf("stream:\n%s\nfile:\n%s", b.String(), file)
	}
}
