package experiments

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"frontiersim/results"
)

// fuzzSim accepts the parameter and metric names of the shipped files and
// the bad-file catalogue, so that the fuzzer starts from inputs that load.
type fuzzSim struct{ reliabilitySim }

func (fuzzSim) Params() []Param {
	return append(reliabilitySim{}.Params(),
		Param{Name: "mode.replay", Unit: "flag", Min: 0, Max: 1, Integer: true},
		Param{Name: "policy.leakage", Unit: "fraction", Min: 0, Max: 1},
		Param{Name: "policy.merger_control", Unit: "flag", Min: 0, Max: 1, Integer: true},
		Param{Name: "policy.stake_threshold", Unit: "fraction", Default: 1, Min: 0, Max: 1},
	)
}

func (fuzzSim) Metrics() []results.Metric {
	return append(ToySimulator{}.Metrics(), results.Metric{Name: "consumer_surplus", Unit: "US$ B"})
}

// fuzzFile is where the fuzz input lives: in the shipped directory, so
// that extends = "baseline.toml" finds a real base file.
const fuzzFile = "shipped/fuzz.toml"

// FuzzLoad: Load on arbitrary bytes returns an experiment or an
// *InvalidError, never panics; an experiment's canonical form loads again
// to the same hash (and the same canonical bytes).
func FuzzLoad(f *testing.F) {
	for _, glob := range []string{"shipped/*.toml", "testdata/bad/*.toml"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte(toyExperiment))
	f.Add([]byte(toySweep))
	f.Fuzz(func(t *testing.T, data []byte) {
		sim := fuzzSim{}
		read := func(p string) ([]byte, error) {
			if p == fuzzFile {
				return data, nil
			}
			return ReadShipped(p)
		}
		e, err := Load(fuzzFile, read, sim)
		if err != nil {
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("error is %T, not *InvalidError: %v", err, err)
			}
			if len(inv.Problems) == 0 {
				t.Fatalf("InvalidError without problems")
			}
			_ = inv.Error()
			return
		}
		if e == nil {
			t.Fatal("nil experiment and nil error")
		}
		c := e.Canonical()
		e2, err := Load("canonical.toml", func(string) ([]byte, error) { return c, nil }, sim)
		if err != nil {
			t.Fatalf("the canonical form does not load: %v\n%s", err, c)
		}
		if e2.Hash() != e.Hash() {
			t.Fatalf("hash changes after a round trip through Canonical:\n%s\n---\n%s", c, e2.Canonical())
		}
		if c2 := e2.Canonical(); !bytes.Equal(c, c2) {
			t.Fatalf("canonical form not stable:\n%s\n---\n%s", c, c2)
		}
		plan := e.Plan(sim)
		if plan.Jobs() > MaxJobs || plan.Jobs() < 1 {
			t.Fatalf("plan of %d jobs passed validation (limit %d)", plan.Jobs(), MaxJobs)
		}
		_ = Estimate(e, sim, 4)
	})
}
