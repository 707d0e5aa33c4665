package calibration

import (
	"context"
	"reflect"
	"testing"

	"frontiersim/agents"
)

// ResultFile is the committed calibration result, relative to this package.
const ResultFile = "calibrated.json"

// TestDefaultsMatchCalibration: agents.DefaultScenario carries exactly the
// committed calibrated values, and the committed file names exactly the
// free parameters of the search.
func TestDefaultsMatchCalibration(t *testing.T) {
	res, err := ReadResult(ResultFile)
	if err != nil {
		t.Fatal(err)
	}
	d := agents.DefaultScenario()
	free := FreeParams()
	if len(res.Order) != len(free) {
		t.Fatalf("%s has %d parameters, FreeParams %d: re-run make calibrate", ResultFile, len(res.Order), len(free))
	}
	for i, f := range free {
		if res.Order[i] != f.Name {
			t.Errorf("parameter %d: file %s, FreeParams %s", i, res.Order[i], f.Name)
		}
		v, err := d.Get(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if v != res.Values[f.Name] {
			t.Errorf("agents.DefaultScenario %s = %v, committed calibration %v", f.Name, v, res.Values[f.Name])
		}
		if f.Lo > res.Values[f.Name] || res.Values[f.Name] > f.Hi {
			t.Errorf("%s = %v outside its search range [%v, %v]", f.Name, res.Values[f.Name], f.Lo, f.Hi)
		}
	}
	if res.Config != DefaultSearch {
		t.Errorf("committed result was made with %+v, DefaultSearch is %+v: re-run make calibrate", res.Config, DefaultSearch)
	}
	for _, p := range agents.Params() {
		for _, f := range free {
			if p.Name == f.Name && p.Grade != "D" {
				t.Errorf("%s is graded %s; the search moves D-graded parameters only", p.Name, p.Grade)
			}
		}
	}
}

// TestSlowSearchDeterministic: a small search run twice gives identical
// results (the full search, make calibrate, has the same code path).
func TestSlowSearchDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a small search twice")
	}
	cfg := SearchConfig{Seed: 5, Points: 4, Reps: 2, Buyers: 300, RefineReps: 2, RefineSweeps: 1, RefineStarts: 1, Digits: 3}
	quiet := func(string, ...any) {}
	a, err := Calibrate(context.Background(), agents.DefaultScenario(), cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Calibrate(context.Background(), agents.DefaultScenario(), cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("two runs differ:\n%+v\n%+v", a, b)
	}
	t.Logf("small search reproducible: objective %.4f, values %v", a.Objective, a.Values)
}
