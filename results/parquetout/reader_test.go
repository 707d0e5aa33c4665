package parquetout_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"frontiersim/experiments"
	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// checker is the independent reader: hyparquet under Node, installed by
// .ci/run (npm ci in testdata/hyparquet).
const checker = "testdata/hyparquet"

const toyExperiment = `
name = "toy"
seed = 3
replications = 6
months = 14
buyers = 30

[scenario]
"toy.noise" = 0.03

[[arms]]
name = "cap"
overrides = { "toy.cap" = 0.6 }

[sweep]
kind = "grid"
[[sweep.parameters]]
name = "toy.lag"
values = [0, 4]

[report]
windows = [{name = "late", from = 6, to = 13}]

[output]
formats = ["csv", "parquet"]
`

// resultDir runs the toy experiment with Parquet output into a new directory.
func resultDir(t *testing.T) string {
	t.Helper()
	e, err := experiments.Load("toy.toml", func(string) ([]byte, error) { return []byte(toyExperiment), nil }, toysim.Simulator{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	if _, err := experiments.Execute(context.Background(), e, toysim.Simulator{}, experiments.RunOptions{Dir: dir, Workers: 2, Now: now}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// node returns the path of node when it and hyparquet are installed. When
// they are not, the test fails under CI (CI=true) and is skipped
// otherwise.
func node(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(checker, "node_modules", "hyparquet", "package.json"))
	}
	if err != nil {
		msg := "the independent Parquet reader is not installed (node, and hyparquet: npm ci --prefix results/parquetout/" + checker + "): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

func check(t *testing.T, nodePath, dir string) (string, error) {
	t.Helper()
	cmd := exec.Command(nodePath, filepath.Join(checker, "check.mjs"), dir)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestIndependentReader reads the Parquet files with hyparquet and
// compares every value with the CSV tables (and paths.parquet at the
// horizon with runs.csv); a CSV changed by one digit is caught.
func TestIndependentReader(t *testing.T) {
	nodePath := node(t)
	dir := resultDir(t)
	out, err := check(t, nodePath, dir)
	if err != nil {
		t.Fatalf("check.mjs: %v\n%s", err, out)
	}
	for _, f := range results.ParquetFiles {
		if !strings.Contains(out, f+": ") {
			t.Errorf("check.mjs did not report %s:\n%s", f, out)
		}
	}
	t.Log(out)

	// The check can fail: one value of comparison.csv changed.
	path := filepath.Join(dir, results.ComparisonFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	iDiff := slices.Index(strings.Split(lines[0], ","), "diff")
	if iDiff < 0 {
		t.Fatalf("comparison.csv has no diff column: %s", lines[0])
	}
	cells := strings.Split(lines[1], ",")
	if cells[iDiff] == "0.5" {
		t.Fatalf("comparison.csv's first diff is already 0.5")
	}
	cells[iDiff] = "0.5"
	lines[1] = strings.Join(cells, ",")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := check(t, nodePath, dir); err == nil || !strings.Contains(out, "comparison row 1, column diff") {
		t.Errorf("check.mjs passed a changed comparison.csv: %v\n%s", err, out)
	}
}
