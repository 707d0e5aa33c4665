package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"frontiersim/results"
)

// testEnv returns an env writing to buffers.
func testEnv() (*env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}, &out, &errb
}

// smallStudy is the default experiment's arms on a small population: every
// lever, few replications.
const smallStudy = `
extends = "%BASE%"
name = "small-study"
replications = 6
months = 36
buyers = 300
`

func writeSmallStudy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	repo, err := filepath.Abs("../../experiments/shipped/default.toml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "study.toml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(smallStudy, "%BASE%", repo)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// treeFiles returns every file below dir, relative, sorted.
func treeFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// manifestWithoutTimes decodes a manifest and clears the fields that are
// allowed to differ between two runs of the same experiment.
func manifestWithoutTimes(t *testing.T, b []byte) results.Manifest {
	t.Helper()
	var m results.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m.StartTime, m.EndTime = "", ""
	return m
}

// TestWorkersByteIdentical runs the same experiment with -workers 1 and
// -workers 8: every result file, chart and the report are byte-identical
// (the manifest up to its start and end times). Under -race it runs without
// charts; make test-slow runs it whole.
func TestWorkersByteIdentical(t *testing.T) {
	file := writeSmallStudy(t)
	var dirs []string
	for _, w := range []string{"1", "8"} {
		dir := filepath.Join(t.TempDir(), "out")
		e, _, stderr := testEnv()
		args := []string{"run", file, "-o", dir, "-workers", w, "-q"}
		if raceDetector {
			// The race run checks the concurrent replication runner on the
			// tables; drawing charts is ten times slower under -race and
			// is checked without it (make test-slow).
			args = append(args, "-no-charts")
		}
		if code := dispatch(context.Background(), e, args); code != 0 {
			t.Fatalf("-workers %s: exit %d: %s", w, code, stderr)
		}
		dirs = append(dirs, dir)
	}
	a, b := treeFiles(t, dirs[0]), treeFiles(t, dirs[1])
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("different files:\n%v\n%v", a, b)
	}
	var charts int
	for _, f := range a {
		x, _ := os.ReadFile(filepath.Join(dirs[0], f))
		y, _ := os.ReadFile(filepath.Join(dirs[1], f))
		if f == results.ManifestFile {
			mx, my := manifestWithoutTimes(t, x), manifestWithoutTimes(t, y)
			jx, _ := json.Marshal(mx)
			jy, _ := json.Marshal(my)
			x, y = jx, jy
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between -workers 1 and -workers 8", f)
		}
		if strings.HasPrefix(f, results.ChartsDir+string(filepath.Separator)) {
			charts++
		}
	}
	must := []string{results.RunsFile, results.TimeseriesFile, results.ComparisonFile, results.ExperimentFile}
	if !raceDetector {
		must = append(must, results.ReportFile)
	}
	for _, f := range must {
		if _, err := os.Stat(filepath.Join(dirs[0], f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if !raceDetector && charts < 10 {
		t.Errorf("only %d charts", charts)
	}
}
