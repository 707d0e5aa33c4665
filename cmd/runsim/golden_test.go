package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"frontiersim/experiments"
	"frontiersim/results"
	"frontiersim/stats"
)

var update = flag.Bool("update", false, "rewrite the goldens under testdata/golden: the regression tables and the text goldens")

// goldenDir holds the default experiment's tables at a small size: 20
// replications of every arm with 2,000 buyers.
const goldenDir = "testdata/golden/default-20x2000"

// goldenTables are the tables the regression golden guards.
var goldenTables = []string{results.RunsFile, results.TimeseriesFile, results.ComparisonFile}

// TestDefaultExperimentGolden runs the embedded default experiment (every
// arm, 84 months) with 20 replications and 2,000 buyers and compares
// runs.csv, timeseries.csv and comparison.csv byte for byte with the
// committed copies (gzip-compressed).
//
// It is a regression golden, not a stylized fact: it guards refactors that
// must not change what the model does (the cast as data, one pipeline,
// speed). A commit that changes behaviour on purpose regenerates it with
//
//	go test -run TestDefaultExperimentGolden ./cmd/runsim/ -update
//
// in a commit of its own that says why.
func TestDefaultExperimentGolden(t *testing.T) {
	if raceDetector {
		t.Skip("a byte-for-byte regression check, ten times slower under -race; make test-slow runs it without")
	}
	sim := simulator()
	exp, err := experiments.LoadDefault(sim)
	if err != nil {
		t.Fatal(err)
	}
	exp.Replications = 20
	exp.Buyers = 2000
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := experiments.Execute(context.Background(), exp, sim, experiments.RunOptions{Dir: dir, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	checkCapWindowByHand(t, dir)
	for _, name := range goldenTables {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(goldenDir, name+".gz")
		if *update {
			writeGzip(t, path, got)
			continue
		}
		want := readGzip(t, path)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s: %s\n(a change of behaviour on purpose regenerates it with -update, in a commit of its own)",
				name, path, firstDifference(got, want))
		}
	}
}

// checkCapWindowByHand: the default experiment's comparison.csv holds the
// horizon's rows, the year ends' and the 2023-2025 window's, and the
// window's effect of the revenue-share cap on revenue_share_paid is the
// mean over replications of (the cap arm's mean over months 48 to 83 −
// the baseline's), with its paired t interval, computed by hand from the
// replication store.
func checkCapWindowByHand(t *testing.T, dir string) {
	t.Helper()
	d, err := results.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	windows := map[string]int{}
	var row *results.ComparisonRow
	for i, r := range d.Comparison {
		windows[r.Window]++
		if r.Arm == "revenue_share_cap" && r.Window == "2023-2025" && r.Metric == "revenue_share_paid" {
			row = &d.Comparison[i]
		}
	}
	for _, w := range []string{"horizon", "m11", "m47", "m71", "2023-2025"} {
		if windows[w] == 0 {
			t.Errorf("comparison.csv has no rows of window %s (windows: %v)", w, windows)
		}
	}
	if row == nil {
		t.Fatal("comparison.csv has no 2023-2025 row of the cap's effect on revenue_share_paid")
	}
	plan := d.Manifest.Plan
	capArm := slices.IndexFunc(plan.Arms, func(a results.Arm) bool { return a.Name == "revenue_share_cap" })
	col := plan.MetricIndex("revenue_share_paid")
	paths, err := d.ReadPaths(0, 0, capArm)
	if err != nil {
		t.Fatal(err)
	}
	nm := len(plan.Metrics)
	n := plan.Replications
	diffs := make([]float64, n)
	sum := 0.0
	for r := 0; r < n; r++ {
		var base, cp float64
		for m := 48; m <= 83; m++ {
			base += paths[0][r][m*nm+col]
			cp += paths[1][r][m*nm+col]
		}
		diffs[r] = cp/36 - base/36
		sum += diffs[r]
	}
	diff := sum / float64(n)
	ss := 0.0
	for _, x := range diffs {
		ss += (x - diff) * (x - diff)
	}
	half := stats.TQuantile(0.975, float64(n-1)) * math.Sqrt(ss/float64(n-1)) / math.Sqrt(float64(n))
	near := func(got, want float64) bool { return math.Abs(got-want) <= 1e-9*math.Max(1e-3, math.Abs(want)) }
	if row.N != n || row.From != 48 || row.Month != 83 || !row.Definitional || !near(row.Diff, diff) ||
		!near(row.PairedLo, diff-half) || !near(row.PairedHi, diff+half) {
		t.Errorf("2023-2025 row: n %d, months %d-%d, definitional %t, diff %v [%v, %v]; by hand n %d, months 48-83, definitional, diff %v [%v, %v]",
			row.N, row.From, row.Month, row.Definitional, row.Diff, row.PairedLo, row.PairedHi, n, diff, diff-half, diff+half)
	}
	t.Logf("revenue-share cap on revenue_share_paid, 2023-2025: %.4g [%.4g, %.4g] US$B/month (%d pairs)", row.Diff, row.PairedLo, row.PairedHi, n)
}

func writeGzip(t *testing.T, path string, b []byte) {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readGzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// firstDifference describes the first line on which got and want differ.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n  got  %s\n  want %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("lengths differ: got %d lines, want %d", len(g), len(w))
}
