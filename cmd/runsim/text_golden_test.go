package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"frontiersim/internal/golden"
	"frontiersim/results"
)

// textGoldenDir holds the text goldens: messages and small tables compared
// line by line (internal/golden); go test ./cmd/runsim/ -update rewrites
// them with the other goldens.
const textGoldenDir = "testdata/golden/text"

// commandText is a command's exit code, stdout and stderr as one text.
func commandText(code int, stdout, stderr string) []byte {
	return []byte(fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", code, stdout, stderr))
}

// TestTextGoldenValidate: every problem of the many-problems file, as
// runsim validate reports them with the market model.
func TestTextGoldenValidate(t *testing.T) {
	code, stdout, stderr := dispatchT(t, "validate", filepath.Join("..", "..", "experiments", "testdata", "bad", "many_problems.toml"))
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	golden.Check(t, filepath.Join(textGoldenDir, "validate_many_problems.txt"), commandText(code, stdout, stderr), *update)
}

// TestTextGoldenParams: the parameter and metric lists of the market model.
func TestTextGoldenParams(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
	}{
		{"params.txt", []string{"params"}},
		{"params_metrics.txt", []string{"params", "-metrics"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := dispatchT(t, c.args...)
			if code != exitOK {
				t.Errorf("exit %d: %s", code, stderr)
			}
			golden.Check(t, filepath.Join(textGoldenDir, c.name), commandText(code, stdout, stderr), *update)
		})
	}
}

// buildFields are the manifest's lines that depend on when and by which
// build and toolchain the run was made, not on the experiment.
var buildFields = regexp.MustCompile(`(?m)^(\s*"(?:start_time|end_time|go_version|revision|revision_time)": )"[^"]*"`)

// stripBuild blanks the manifest's times and build provenance.
func stripBuild(b []byte) []byte {
	b = buildFields.ReplaceAll(b, []byte(`$1"(stripped)"`))
	return regexp.MustCompile(`(?m)^(\s*"dirty": )(?:true|false)`).ReplaceAll(b, []byte(`$1(stripped)`))
}

// TestTextGoldenToyExperiment: the toy study's comparison table, canonical
// experiment and manifest (times and build stripped).
func TestTextGoldenToyExperiment(t *testing.T) {
	file := writeToy(t, toyStudy)
	dir := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runToy(t, context.Background(), nil, "run", file, "-o", dir, "-q", "-no-charts", "-workers", "2")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{results.ComparisonFile, results.ExperimentFile, results.ManifestFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == results.ManifestFile {
			b = stripBuild(b)
		}
		golden.Check(t, filepath.Join(textGoldenDir, "toy", name), b, *update)
	}
}
