package parquetout_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/parquet-go/parquet-go"

	"frontiersim/results"
	"frontiersim/results/parquetout"
)

// A table is written as Parquet through the same results.Writer as CSV;
// the columns keep their order and the floats their bits.
func Example() {
	dir, _ := os.MkdirTemp("", "parquetout")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "runs.parquet")
	t := results.RunsTable([]results.Metric{{Name: "spend"}, {Name: "hhi_model"}})
	w, err := results.NewWriter(parquetout.Create(path, t.Name), t)
	if err != nil {
		fmt.Println(err)
		return
	}
	w.Write(results.Run{Arm: "baseline", Point: "-", Replication: 0, Values: []float64{1.5, math.NaN()}})
	w.Write(results.Run{Arm: "cap", Point: "-", Replication: 0, Values: []float64{0.1, 2500}})
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}
	f, _ := os.Open(path)
	defer f.Close()
	fi, _ := f.Stat()
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		fmt.Println(err)
		return
	}
	var names []string
	for _, c := range pf.Schema().Columns() {
		names = append(names, c[0])
	}
	fmt.Println(strings.Join(names, " "))
	rows := make([]parquet.Row, 2)
	n, _ := pf.RowGroups()[0].Rows().ReadRows(rows)
	for _, r := range rows[:n] {
		fmt.Println(r[0], r[1], r[2], r[3], r[4])
	}
	// Output:
	// arm point replication spend hhi_model
	// baseline - 0 1.5 NaN
	// cap - 0 0.1 2500
}
