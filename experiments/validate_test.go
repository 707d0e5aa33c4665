package experiments

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/internal/badfile"
	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// reliabilitySim is a test-only simulator: the toy model (its runner reads
// only the first four parameters) plus the parameter names of the real
// market model that the bad-file catalogue uses, with the real model's
// ranges, so that testdata/bad/*.toml have exactly one problem each
// whichever simulator runsim uses.
type reliabilitySim struct{ toysim.Simulator }

func (reliabilitySim) Params() []Param {
	return append(toysim.Simulator{}.Params(),
		Param{Name: "policy.revenue_share_cap", Unit: "fraction", Default: 1, Min: 0, Max: 1, Grade: "D"},
		Param{Name: "policy.ban_exclusive", Unit: "level", Default: 0, Min: 0, Max: 3, Integer: true, Grade: "D"},
		Param{Name: "policy.switching_cost_multiplier", Unit: "multiplier", Default: 1, Min: 0, Max: 1, Grade: "D"},
		Param{Name: "logit.beta_k", Unit: "utils per K unit", Default: 1, Min: 0, Max: 10, Grade: "D"},
		Param{Name: "bass.p", Unit: "1/yr", Default: 0.01, Min: 0, Max: 1, Grade: "D"},
		Param{Name: "mode.replay", Unit: "flag", Min: 0, Max: 1, Integer: true, Grade: "D"}, // set by shipped:baseline
	)
}

func (reliabilitySim) Metrics() []results.Metric { return toysim.Simulator{}.Metrics() }

func badFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/bad/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("%d bad files, want at least 30", len(files))
	}
	return files
}

// loadNoPanic loads file and turns a panic into an error.
func loadNoPanic(file string, read ReadFunc, sim Simulator) (e *Experiment, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("PANIC: %v", r)
		}
	}()
	return Load(file, read, sim)
}

func TestBadFilesAreRejected(t *testing.T) {
	for _, file := range badFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want, err := badfile.Parse(file, b)
			if err != nil {
				t.Fatal(err)
			}
			exp, err := loadNoPanic(file, FileReader(context.Background()), reliabilitySim{})
			if exp != nil || err == nil {
				t.Fatalf("loaded without error; want a problem at %v", want.Keys)
			}
			if strings.HasPrefix(err.Error(), "PANIC") {
				t.Fatal(err)
			}
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("got %T (%v), want *InvalidError", err, err)
			}
			if len(inv.Problems) == 0 {
				t.Fatalf("InvalidError with no problems")
			}
			for _, k := range want.Keys {
				if !hasProblem(inv.Problems, k, want) {
					t.Errorf("no problem with key %q (line %d, message containing %q); got:\n%v", k, want.Line, want.Msg, inv)
				}
			}
			if len(want.Keys) == 1 {
				// One problem per file: every problem reported is about that key.
				for _, p := range inv.Problems {
					if k := want.Keys[0]; (k == "-" && len(inv.Problems) != 1) || (k != "-" && p.Key != k) {
						t.Errorf("unexpected extra problem %v (the file should have only the %q problem)", p, k)
					}
				}
			}
			for _, p := range inv.Problems {
				if p.File == "" || !strings.Contains(err.Error(), p.String()) {
					t.Errorf("problem %+v: no file, or missing from the error text", p)
				}
			}
		})
	}
}

// hasProblem reports whether problems hold one about key (any key for "-")
// that matches the wanted message and line, when the header gives them
// (the message and line apply to the first wanted key only).
func hasProblem(problems []Problem, key string, w badfile.Want) bool {
	single := len(w.Keys) == 1
	for _, p := range problems {
		if key != "-" && p.Key != key {
			continue
		}
		if single && w.Msg != "" && !strings.Contains(p.Msg, w.Msg) {
			continue
		}
		if single && w.Line > 0 && p.Line != w.Line {
			continue
		}
		return true
	}
	return false
}

func TestManyProblemsReportedAtOnce(t *testing.T) {
	file := "testdata/bad/many_problems.toml"
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want, err := badfile.Parse(file, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Keys) < 8 {
		t.Fatalf("many_problems.toml names %d problems, want at least 8", len(want.Keys))
	}
	_, err = Load(file, FileReader(context.Background()), reliabilitySim{})
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("got %v, want *InvalidError", err)
	}
	got := map[string]int{}
	for _, p := range inv.Problems {
		got[p.Key] = p.Line
	}
	for _, k := range want.Keys {
		if _, ok := got[k]; !ok {
			t.Errorf("problem %q not reported in the same load", k)
		} else if got[k] == 0 {
			t.Errorf("problem %q has no line", k)
		}
	}
	if len(inv.Problems) < len(want.Keys) {
		t.Errorf("%d problems reported, want at least %d:\n%v", len(inv.Problems), len(want.Keys), inv)
	}
}

// TestBadFilesWithToySimulator loads every bad file with the toy model
// too: the parameter names differ, so only "rejected, no panic" is checked.
func TestBadFilesWithToySimulator(t *testing.T) {
	for _, file := range badFiles(t) {
		exp, err := loadNoPanic(file, FileReader(context.Background()), toysim.Simulator{})
		var inv *InvalidError
		if exp != nil || !errors.As(err, &inv) {
			t.Errorf("%s: got %v, want *InvalidError", file, err)
		}
	}
}

// TestReliabilityShippedLoad checks that the shipped experiments load with
// the test simulator's parameter names or fail only on parameters it lacks.
func TestReliabilitySimCoversBadFileParams(t *testing.T) {
	names := map[string]bool{}
	for _, p := range (reliabilitySim{}).Params() {
		names[p.Name] = true
	}
	for _, n := range []string{"policy.revenue_share_cap", "policy.ban_exclusive", "policy.switching_cost_multiplier", "logit.beta_k", "bass.p", "mode.replay"} {
		if !names[n] {
			t.Errorf("reliabilitySim lacks %s", n)
		}
	}
}
