package experiments

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"frontiersim/results"
)

// reliabilitySim is a test-only simulator: the toy model (its runner reads
// only the first four parameters) plus the parameter names of the real
// market model that the bad-file catalogue uses, with the real model's
// ranges, so that testdata/bad/*.toml have exactly one problem each
// whichever simulator runsim uses.
type reliabilitySim struct{ ToySimulator }

func (reliabilitySim) Params() []Param {
	return append(ToySimulator{}.Params(),
		Param{Name: "policy.revenue_share_cap", Unit: "fraction", Default: 1, Min: 0, Max: 1, Grade: "D"},
		Param{Name: "policy.ban_exclusive", Unit: "level", Default: 0, Min: 0, Max: 3, Integer: true, Grade: "D"},
		Param{Name: "policy.switching_cost_multiplier", Unit: "multiplier", Default: 1, Min: 0, Max: 1, Grade: "D"},
		Param{Name: "logit.beta_k", Unit: "utils per K unit", Default: 1, Min: 0, Max: 10, Grade: "D"},
		Param{Name: "bass.p", Unit: "1/yr", Default: 0.01, Min: 0, Max: 1, Grade: "D"},
	)
}

func (reliabilitySim) Metrics() []results.Metric { return ToySimulator{}.Metrics() }

// badWant is what a bad file's comment header says its problem is.
type badWant struct {
	keys []string // "# want: KEY" lines; "-" means the problem has no key
	msg  string   // "# msg: TEXT": a problem's message contains TEXT
	line int      // "# line: N", or the line marked "# <-": the problem's line
}

// BadFileWant parses the header of a bad experiment file. Exported to the
// test binary only; cmd/runsim has its own copy.
func parseBadWant(name string, b []byte) (badWant, error) {
	var w badWant
	if len(b) == 0 {
		// empty.toml: nothing to say, so nothing to hold a header.
		return badWant{keys: []string{"name"}, msg: "missing"}, nil
	}
	for i, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(l, "# want: "):
			w.keys = append(w.keys, strings.TrimSpace(strings.TrimPrefix(l, "# want: ")))
		case strings.HasPrefix(l, "# msg: "):
			w.msg = strings.TrimSpace(strings.TrimPrefix(l, "# msg: "))
		case strings.HasPrefix(l, "# line: "):
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(l, "# line: ")))
			if err != nil {
				return w, fmt.Errorf("%s: bad line header: %v", name, err)
			}
			w.line = n
		case strings.HasSuffix(strings.TrimSpace(l), "# <-"):
			w.line = i + 1
		}
	}
	if len(w.keys) == 0 {
		return w, fmt.Errorf("%s: no '# want: KEY' header", name)
	}
	return w, nil
}

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
			want, err := parseBadWant(file, b)
			if err != nil {
				t.Fatal(err)
			}
			exp, err := loadNoPanic(file, os.ReadFile, reliabilitySim{})
			if exp != nil || err == nil {
				t.Fatalf("loaded without error; want a problem at %v", want.keys)
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
			for _, k := range want.keys {
				if !hasProblem(inv.Problems, k, want) {
					t.Errorf("no problem with key %q (line %d, message containing %q); got:\n%v", k, want.line, want.msg, inv)
				}
			}
			if len(want.keys) == 1 {
				// One problem per file: every problem reported is about that key.
				for _, p := range inv.Problems {
					if k := want.keys[0]; (k == "-" && len(inv.Problems) != 1) || (k != "-" && p.Key != k) {
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
func hasProblem(problems []Problem, key string, w badWant) bool {
	single := len(w.keys) == 1
	for _, p := range problems {
		if key != "-" && p.Key != key {
			continue
		}
		if single && w.msg != "" && !strings.Contains(p.Msg, w.msg) {
			continue
		}
		if single && w.line > 0 && p.Line != w.line {
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
	want, err := parseBadWant(file, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.keys) < 8 {
		t.Fatalf("many_problems.toml names %d problems, want at least 8", len(want.keys))
	}
	_, err = Load(file, os.ReadFile, reliabilitySim{})
	var inv *InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("got %v, want *InvalidError", err)
	}
	got := map[string]int{}
	for _, p := range inv.Problems {
		got[p.Key] = p.Line
	}
	for _, k := range want.keys {
		if _, ok := got[k]; !ok {
			t.Errorf("problem %q not reported in the same load", k)
		} else if got[k] == 0 {
			t.Errorf("problem %q has no line", k)
		}
	}
	if len(inv.Problems) < len(want.keys) {
		t.Errorf("%d problems reported, want at least %d:\n%v", len(inv.Problems), len(want.keys), inv)
	}
}

// TestBadFilesWithToySimulator loads every bad file with the toy model
// too: the parameter names differ, so only "rejected, no panic" is checked.
func TestBadFilesWithToySimulator(t *testing.T) {
	for _, file := range badFiles(t) {
		exp, err := loadNoPanic(file, os.ReadFile, ToySimulator{})
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
	for _, n := range []string{"policy.revenue_share_cap", "policy.ban_exclusive", "policy.switching_cost_multiplier", "logit.beta_k", "bass.p"} {
		if !names[n] {
			t.Errorf("reliabilitySim lacks %s", n)
		}
	}
}
