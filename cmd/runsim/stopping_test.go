package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// toyStopping is toyStudy with a stopping rule on arm cap's effect on
// model_share_a: it needs 20 of at most 60 replications.
const toyStopping = toyStudy + `
[stopping]
metric = "model_share_a"
arm = "cap"
half_width = 0.04
max_replications = 60
batch = 5
min_replications = 10
`

// TestStoppingRule: runsim says how many replications the rule needed,
// and so does the report; a run interrupted by SIGINT (a cancelled
// context) and resumed, and runs on 1 and 8 workers, give the same bytes;
// -reps below the rule's minimum is a usage error.
func TestStoppingRule(t *testing.T) {
	file := writeToy(t, toyStopping, "replications = 6\n", "")
	ref := filepath.Join(t.TempDir(), "ref")
	code, _, stderr := runToy(t, context.Background(), nil, "run", file, "-o", ref, "-workers", "1")
	if code != exitOK || !strings.Contains(stderr, "runsim: stopping rule: 20 replications per arm and point were needed (of at most 60, in batches of 5)") {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	report, err := os.ReadFile(filepath.Join(ref, results.ReportFile))
	if err != nil || !strings.Contains(string(report), "20 replications per arm and point were needed") {
		t.Errorf("the report does not say how many replications were needed (%v)", err)
	}

	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sim := toysim.CancelAfter(toysim.Simulator{}, 25, cancel) // inside the second batch
	if code, _, stderr := runToy(t, ctx, sim, "run", file, "-o", dir, "-workers", "2", "-q"); code != exitInterrupted {
		t.Fatalf("interrupted run: exit %d, want %d: %s", code, exitInterrupted, stderr)
	}
	if code, _, stderr := runToy(t, context.Background(), nil, "run", "-o", dir, "-resume", "-q"); code != exitOK {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	sameResults(t, ref, dir)

	eight := filepath.Join(t.TempDir(), "eight")
	if code, _, stderr := runToy(t, context.Background(), nil, "run", file, "-o", eight, "-workers", "8", "-q", "-no-charts"); code != exitOK {
		t.Fatalf("8 workers: exit %d: %s", code, stderr)
	}
	sameResults(t, ref, eight)

	if code, _, stderr := runToy(t, context.Background(), nil, "run", file, "-o", t.TempDir(), "-reps", "8", "-q"); code != exitUsage || !strings.Contains(stderr, "min_replications") {
		t.Errorf("-reps 8 under min_replications 10: exit %d: %s", code, stderr)
	}
}
