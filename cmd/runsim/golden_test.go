package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/experiments"
	"frontiersim/results"
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
