package results

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// sweepPlan is a 2 × 2 grid over a categorical parameter (an enumeration)
// and a numeric one.
func sweepPlan() Plan {
	pt := func(name string, ban, leak float64) Point {
		return Point{Name: name, Params: []ParamValue{{"policy.ban_exclusive", ban}, {"policy.leakage", leak}}}
	}
	return Plan{Metrics: fuzzMetrics,
		Points: []Point{pt("p1", 0, 0.25), pt("p2", 0, 0.5), pt("p3", 3, 0.25), pt("p4", 3, 0.5)},
		Sweep: &SweepSpec{Kind: "grid", Parameters: []string{"policy.ban_exclusive", "policy.leakage"},
			Levels: map[string][]string{"policy.ban_exclusive": {"off", "compute", "api", "both"}}}}
}

// TestSweepColumns: with a sweep, runs.csv, timeseries.csv and
// comparison.csv carry one column per swept parameter after point, in the
// sweep's order, named by the parameter: the label of a categorical value,
// the number of a numeric one. Reading checks them against the points.
func TestSweepColumns(t *testing.T) {
	p := sweepPlan()
	for _, c := range []struct {
		name   string
		header []string
	}{
		{"runs", p.RunsTable().Header()},
		{"timeseries", p.SeriesTable().Header()},
		{"comparison", p.ComparisonTable().Header()},
	} {
		if got := c.header[:4]; !reflect.DeepEqual(got, []string{"arm", "point", "policy.ban_exclusive", "policy.leakage"}) {
			t.Errorf("%s: header begins %v, want arm, point and the swept parameters", c.name, got)
		}
	}
	if cols := p.ComparisonTable().Columns(); cols[2].Kind != Text || cols[3].Kind != Float {
		t.Errorf("kinds %v and %v, want Text (categorical) and Float", cols[2].Kind, cols[3].Kind)
	}
	if h, plain := p.RunsTable().Header(), RunsTable(fuzzMetrics).Header(); len(h) != len(plain)+2 {
		t.Errorf("runs header %v: want the plain header %v with two columns more", h, plain)
	}
	rows := []Run{{Arm: "baseline", Point: "p3", Replication: 0, Values: []float64{0.5, 5000}},
		{Arm: "cap", Point: "p2", Replication: 1, Values: []float64{0.25, 4000}}}
	got, b := roundTrip(t, p.RunsTable(), rows)
	want := "arm,point,policy.ban_exclusive,policy.leakage,replication,share,hhi\n" +
		"baseline,p3,both,0.25,0,0.5,5000\ncap,p2,off,0.5,1,0.25,4000\n"
	if string(b) != want {
		t.Errorf("runs.csv:\n%s\nwant\n%s", b, want)
	}
	if !reflect.DeepEqual(got, rows) {
		t.Errorf("read back %+v, want %+v", got, rows)
	}
	// a cell that is not its point's value is refused
	for _, bad := range []string{
		strings.Replace(want, "p3,both", "p3,off", 1),
		strings.Replace(want, "p2,off,0.5", "p2,off,0.75", 1),
	} {
		_, err := ReadCSV(bytes.NewReader([]byte(bad)), p.RunsTable())
		if !errors.Is(err, ErrInconsistent) || !strings.Contains(err.Error(), "sweep point") {
			t.Errorf("a swept value that is not the point's: got %v, want an inconsistency", err)
		}
	}
	// without a sweep the tables are the plain ones
	if h := (Plan{Metrics: fuzzMetrics}).RunsTable().Header(); !reflect.DeepEqual(h, RunsTable(fuzzMetrics).Header()) {
		t.Errorf("no sweep: header %v", h)
	}
}

// TestSweepColumnCell: a categorical value is its label, a value without
// one its number.
func TestSweepColumnCell(t *testing.T) {
	c := SweepColumn{Name: "flag", Levels: []string{"false", "true"}}
	for x, want := range map[float64]string{0: "false", 1: "true", 2: "2", 0.5: "0.5"} {
		if got := c.Cell(x).Text; got != want {
			t.Errorf("Cell(%v) = %q, want %q", x, got, want)
		}
	}
	if got := (SweepColumn{Name: "x"}).Cell(0.3); got.Float != 0.3 || got.Text != "" {
		t.Errorf("numeric Cell(0.3) = %+v", got)
	}
}
