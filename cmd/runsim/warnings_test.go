package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
)

// calibratedToy is the toy model declaring a calibrated period of 10 months.
type calibratedToy struct{ toysim.Simulator }

func (calibratedToy) CalibratedMonths() int { return 10 }

// TestWarnings: run and validate warn on stderr, without changing the exit
// code, about a horizon past the model's calibrated period and fewer than 30
// replications for a paired comparison; neither warns without cause.
func TestWarnings(t *testing.T) {
	file := writeToy(t, toyStudy) // 12 months, 6 replications, 2 policy arms
	horizon, reps := "past the model's calibrated period (10 months, 2019-01 to 2019-10)", "6 replications per arm for a paired comparison of 2 policy arm(s)"
	code, out, stderr := runToy(t, context.Background(), calibratedToy{}, "validate", file)
	if code != exitOK || !strings.Contains(out, "valid") {
		t.Fatalf("validate: exit %d: %s%s", code, out, stderr)
	}
	for _, want := range []string{"runsim validate: warning: " + file + ": months = 12 runs to 2019-12, " + horizon, "warning: " + file + ": " + reps} {
		if !strings.Contains(stderr, want) {
			t.Errorf("validate stderr lacks %q:\n%s", want, stderr)
		}
	}
	code, _, stderr = runToy(t, context.Background(), calibratedToy{}, "run", file, "-o", filepath.Join(t.TempDir(), "out"), "-q", "-no-charts")
	if code != exitOK || !strings.Contains(stderr, "runsim run: warning: months = 12") || !strings.Contains(stderr, reps) {
		t.Errorf("run: exit %d: %s", code, stderr)
	}
	// -reps 30 and a horizon within the calibrated period: no warning.
	within := writeToy(t, toyStudy, "months = 12", "months = 10")
	code, _, stderr = runToy(t, context.Background(), calibratedToy{}, "run", within, "-reps", "30", "-o", filepath.Join(t.TempDir(), "out"), "-q", "-no-charts")
	if code != exitOK || strings.Contains(stderr, "warning") {
		t.Errorf("run -reps 30 within the calibrated period: exit %d: %s", code, stderr)
	}
	// One arm: nothing to compare, no replications warning; a model
	// without a calibrated period: no horizon warning.
	single := writeToy(t, "name = \"one\"\nreplications = 3\nmonths = 500\nbuyers = 10\n")
	if code, _, stderr := runToy(t, context.Background(), nil, "validate", single); code != exitOK || strings.Contains(stderr, "warning") {
		t.Errorf("single arm: exit %d: %s", code, stderr)
	}
}
