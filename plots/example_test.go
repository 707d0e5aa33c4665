package plots_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"frontiersim/plots"
	"frontiersim/results"
)

// Redraw the charts and the report of a result directory, as
// `runsim plot DIR` and `runsim report DIR` do.
func Example() {
	dir := os.Getenv("FRONTIERSIM_RESULT_DIR") // e.g. results/default
	if dir == "" {
		fmt.Println("no result directory")
		return
	}
	d, err := results.ReadDir(dir)
	if err != nil {
		log.Fatal(err)
	}
	charts, err := plots.DrawAll(d, filepath.Join(dir, results.ChartsDir))
	if err != nil {
		log.Fatal(err)
	}
	toml, _ := os.ReadFile(filepath.Join(dir, results.ExperimentFile))
	if err := plots.WriteReport(d, charts, string(toml), filepath.Join(dir, results.ReportFile)); err != nil {
		log.Fatal(err)
	}
	// Output: no result directory
}
