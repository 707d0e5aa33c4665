package results_test

import (
	"fmt"
	"os"
	"path/filepath"

	"frontiersim/results"
)

// printSink is a RowSink that prints each row: a format other than CSV
// needs only such a sink, and every table is written to it unchanged.
type printSink struct{ cols []results.Column }

func (p *printSink) Begin(cols []results.Column) error { p.cols = cols; return nil }
func (p *printSink) Row(vals []results.Value) error {
	for i, c := range p.cols {
		if i > 0 {
			fmt.Print(" ")
		}
		switch c.Kind {
		case results.Int:
			fmt.Printf("%s=%d", c.Name, vals[i].Int)
		case results.Float:
			fmt.Printf("%s=%g", c.Name, vals[i].Float)
		default:
			fmt.Printf("%s=%s", c.Name, vals[i].Text)
		}
	}
	fmt.Println()
	return nil
}
func (p *printSink) Close() error { return nil }
func (p *printSink) Abort()       {}

// A table is declared once (here runs.csv for two metrics) and written
// through any sink: as CSV into a result directory, or to another format.
func ExampleTable() {
	metrics := []results.Metric{{Name: "share", Unit: "fraction"}, {Name: "hhi", Unit: "HHI"}}
	tab := results.RunsTable(metrics)
	row := results.Run{Arm: "cap", Point: "-", Replication: 3, Values: []float64{0.25, 4100}}

	w, err := results.NewWriter(&printSink{}, tab)
	if err != nil {
		panic(err)
	}
	w.Write(row)
	w.Close()

	dir, _ := os.MkdirTemp("", "results")
	defer os.RemoveAll(dir)
	cw, err := results.CreateTable(filepath.Join(dir, tab.File), tab)
	if err != nil {
		panic(err)
	}
	cw.Write(row)
	if err := cw.Close(); err != nil {
		panic(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, tab.File))
	fmt.Print(string(b))
	// Output:
	// arm=cap point=- replication=3 share=0.25 hhi=4100
	// arm,point,replication,share,hhi
	// cap,-,3,0.25,4100
}
