package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// TestCompareMetricChecked: an unknown -metric is a usage error with a
// did-you-mean, and so is a metric that is recorded but not reported (both
// printed an empty table with exit 0).
func TestCompareMetricChecked(t *testing.T) {
	file := writeToy(t, toyStudy+"\n[report]\nmetrics = [\"hhi_model\", \"spend\"]\n")
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runToy(t, context.Background(), nil, "run", file, "-o", dir, "-q", "-no-charts"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	code, out, stderr := runToy(t, context.Background(), nil, "compare", dir, "-metric", "hhi_modle")
	if code != exitUsage || !strings.Contains(stderr, `did you mean "hhi_model"?`) || out != "" {
		t.Errorf("unknown metric: exit %d: %s%s", code, out, stderr)
	}
	code, out, stderr = runToy(t, context.Background(), nil, "compare", dir, "-metric", "zzzzzzzzzzzz")
	if code != exitUsage || !strings.Contains(stderr, "model_share_a, model_share_b, hhi_model, spend") {
		t.Errorf("unknown metric, nothing close: exit %d: %s%s", code, out, stderr)
	}
	code, out, stderr = runToy(t, context.Background(), nil, "compare", dir, "-metric", "model_share_a")
	if code != exitUsage || !strings.Contains(stderr, "not reported") || !strings.Contains(stderr, "hhi_model, spend") {
		t.Errorf("unreported metric: exit %d: %s%s", code, out, stderr)
	}
	code, out, stderr = runToy(t, context.Background(), nil, "compare", dir, "-metric", "spend")
	if code != exitOK || !strings.Contains(out, "slow") || strings.Contains(out, "hhi_model") || strings.Contains(out, "PROVISIONAL") {
		t.Errorf("reported metric: exit %d: %s%s", code, out, stderr)
	}
}

// TestComparePartialRun: compare on a partial run compares what is
// finished, from the replication store, with a note saying how many
// replications each arm has and that the numbers are provisional (it
// failed with "no such file").
func TestComparePartialRun(t *testing.T) {
	file := writeToy(t, toyStudy)
	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sim := toysim.CancelAfter(toysim.Simulator{}, 8, cancel)
	if code, _, stderr := runToy(t, ctx, sim, "run", file, "-o", dir, "-q", "-no-charts", "-workers", "1"); code != exitInterrupted {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	code, out, stderr := runToy(t, context.Background(), nil, "compare", dir)
	if code != exitOK {
		t.Fatalf("compare on a partial run: exit %d: %s%s", code, out, stderr)
	}
	for _, want := range []string{"partial run (8 of 18 replications finished)", "PROVISIONAL", "baseline 6 of 6, cap 2 of 6, slow 0 of 6",
		"runsim run -o " + dir + " -resume", "cap", "hhi_model"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) { // text wraps at 100 columns
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, out, _ := runToy(t, context.Background(), nil, "compare", dir, "-metric", "spend"); code != exitOK || strings.Contains(out, "hhi_model") {
		t.Errorf("compare -metric on a partial run: exit %d:\n%s", code, out)
	}
}

// TestHandEditedManifest: plot, report and compare refuse a manifest that
// was edited by hand (start_month = 99, an arm removed, a metric renamed)
// with exit 2 and a message naming the disagreement, not a panic.
func TestHandEditedManifest(t *testing.T) {
	file := writeToy(t, toyStudy)
	ref := filepath.Join(t.TempDir(), "ref")
	if code, _, stderr := runToy(t, context.Background(), nil, "run", file, "-o", ref, "-q", "-no-charts"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	orig, err := os.ReadFile(filepath.Join(ref, results.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"start_month", func(m map[string]any) { plan(m)["start_month"] = 99 }, "start_month is 99"},
		{"arm removed", func(m map[string]any) {
			arms := plan(m)["arms"].([]any)
			plan(m)["arms"] = arms[:2]
			m["jobs_total"], m["jobs_done"] = 12, 12
		}, `arm "slow" is not in the manifest's plan`},
		{"metric renamed", func(m map[string]any) {
			plan(m)["metrics"].([]any)[2].(map[string]any)["name"] = "hhi"
		}, `header column 6 is "hhi_model", but the manifest makes it "hhi"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(orig, &m); err != nil {
				t.Fatal(err)
			}
			c.edit(m)
			b, _ := json.MarshalIndent(m, "", "  ")
			if err := os.WriteFile(filepath.Join(ref, results.ManifestFile), b, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, cmd := range []string{"plot", "report", "compare"} {
				code, _, stderr := runToy(t, context.Background(), nil, cmd, ref)
				if code != exitUsage || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "edited by hand") {
					t.Errorf("%s: exit %d, want 2 naming %q: %s", cmd, code, c.want, stderr)
				}
			}
		})
	}
}

func plan(m map[string]any) map[string]any { return m["plan"].(map[string]any) }
