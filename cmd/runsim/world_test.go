package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"frontiersim/results"
)

// meanOf returns the mean of runs.csv's column name over the rows of arm.
func meanOf(t *testing.T, rows [][]string, arm, name string) float64 {
	t.Helper()
	c := slices.Index(rows[0], name)
	if c < 0 {
		t.Fatalf("runs.csv has no column %s", name)
	}
	sum, n := 0.0, 0
	for _, r := range rows[1:] {
		if r[0] != arm {
			continue
		}
		v, err := strconv.ParseFloat(r[c], 64)
		if err != nil {
			t.Fatal(err)
		}
		sum, n = sum+v, n+1
	}
	if n == 0 {
		t.Fatalf("no rows of arm %s", arm)
	}
	return sum / float64(n)
}

// TestRunOtherWorld runs an experiment whose world is a file of its own (the
// shipped world without the closed challenger) and whose arm overrides one
// agent's attribute by its path (labs.anthropic.brand): the metrics are
// those of the world's agents, the override acts, the result directory
// holds the world byte for byte, and the run resumes from its directory.
func TestRunOtherWorld(t *testing.T) {
	world, err := os.ReadFile("../../agents/testdata/worlds/no-challenger.toml")
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	if err := os.MkdirAll(filepath.Join(src, "worlds"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "worlds", "mine.toml"), world, 0o644); err != nil {
		t.Fatal(err)
	}
	exp := filepath.Join(src, "exp.toml")
	text := `name = "no-challenger"
world = "worlds/mine.toml"
replications = 4
buyers = 400
charts.enabled = false

[[arms]]
name = "strong_anthropic"
[arms.overrides]
"labs.anthropic.brand" = 1.2
`
	if err := os.WriteFile(exp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	e, _, stderr := relEnv()
	if code := dispatch(context.Background(), e, []string{"run", exp, "-o", out, "-q", "-workers", "2"}); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, results.WorldFile))
	if err != nil || !bytes.Equal(b, world) {
		t.Fatalf("%s is not the world file byte for byte (%v)", results.WorldFile, err)
	}
	f, err := os.Open(filepath.Join(out, results.RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(rows[0], "model_share_other") || !slices.Contains(rows[0], "model_share_anthropic") {
		t.Errorf("runs.csv's columns are not those of the world's labs: %v", rows[0])
	}
	base, strong := meanOf(t, rows, "baseline", "model_share_anthropic"), meanOf(t, rows, "strong_anthropic", "model_share_anthropic")
	t.Logf("model_share_anthropic at the last month: baseline %.3f, brand 1.2 %.3f", base, strong)
	if !(strong > base+0.05) {
		t.Errorf("labs.anthropic.brand = 1.2 does not raise the Anthropic-like share: %.3f vs %.3f", strong, base)
	}
	// The result directory is a complete experiment: it re-runs (verify)
	// with the world it holds, wherever the original files went.
	if err := os.RemoveAll(src); err != nil {
		t.Fatal(err)
	}
	e, stdout, stderr := relEnv()
	if code := dispatch(context.Background(), e, []string{"verify", "-k", "2", out}); code != 0 {
		t.Fatalf("verify without the original files: exit %d: %s %s", code, stdout, stderr)
	}
}
