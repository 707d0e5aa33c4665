package experiments

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/BurntSushi/toml"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// fuzzSim accepts the parameter and metric names of the shipped files and
// the bad-file catalogue, so that the fuzzer starts from inputs that load
// and the tests of shipped: names load the shipped files without the model.
type fuzzSim struct{ reliabilitySim }

func (fuzzSim) Params() []Param {
	return append(reliabilitySim{}.Params(),
		Param{Name: "policy.leakage", Unit: "fraction", Min: 0, Max: 1},
		Param{Name: "policy.merger_control", Unit: "flag", Min: 0, Max: 1, Integer: true},
		Param{Name: "policy.stake_threshold", Unit: "fraction", Default: 1, Min: 0, Max: 1},
	)
}

func (fuzzSim) Metrics() []results.Metric {
	return append(toysim.Simulator{}.Metrics(), results.Metric{Name: "consumer_surplus", Unit: "US$ B"})
}

// fuzzFile is where the fuzz input lives: in the shipped directory, so
// that extends = "baseline.toml" finds a real base file.
const fuzzFile = "shipped/fuzz.toml"

// loadRepeats is how often the fuzz targets load each input: a result that
// depends on map iteration order (a parameter written in two forms used to
// take the base value about one time in five) differs between two of 8
// loads with a probability of 1 - 0.8^8 - 0.2^8 = 83%, against 32% for 2.
const loadRepeats = 8

// loadRepeatedly loads file loadRepeats times and fails unless every load
// gives the same hash, or the same problems.
func loadRepeatedly(t *testing.T, file string, read ReadFunc, sim Simulator) (*Experiment, error) {
	t.Helper()
	e, err := Load(file, read, sim)
	for i := 1; i < loadRepeats; i++ {
		e2, err2 := Load(file, read, sim)
		switch {
		case (err == nil) != (err2 == nil):
			t.Fatalf("load %d: error %v, load 1: error %v", i+1, err2, err)
		case err != nil && err.Error() != err2.Error():
			t.Fatalf("load %d reports other problems:\n%v\nload 1:\n%v", i+1, err2, err)
		case err == nil && e.Hash() != e2.Hash():
			t.Fatalf("load %d gives another experiment:\n%s\nload 1:\n%s", i+1, e2.Canonical(), e.Canonical())
		}
	}
	return e, err
}

// checkLoaded checks the result of a load: an experiment or an
// *InvalidError, never both or neither; an experiment's canonical form
// loads again to the same hash (and the same canonical bytes); its plan is
// within the limits.
func checkLoaded(t *testing.T, e *Experiment, err error, sim Simulator) {
	t.Helper()
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
}

// fuzzSeeds adds the shipped files, the bad-file catalogue and the test
// experiments to f's corpus.
func fuzzSeeds(f *testing.F) {
	for _, glob := range []string{"shipped/*.toml", "testdata/bad/*.toml", "testdata/bad/base/*.toml"} {
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
	f.Add([]byte("name = \"x\"\n[scenario]\nmode.replay = 1\n\"mode.replay\" = 0\n"))
	f.Add([]byte("extends = \"shipped:baseline\"\nname = \"x\"\n[scenario]\nmode.replay = 1\n"))
	f.Add([]byte("name = \"x\"\n[[arms]]\nname = {}\n"))
}

// FuzzLoad: Load on arbitrary bytes returns an experiment or an
// *InvalidError, never panics, and gives the same result each of 8 times;
// an experiment's canonical form loads again to the same hash.
func FuzzLoad(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sim := fuzzSim{}
		read := func(p string) ([]byte, error) {
			if p == fuzzFile {
				return data, nil
			}
			return ReadShipped(p)
		}
		e, err := loadRepeatedly(t, fuzzFile, read, sim)
		checkLoaded(t, e, err, sim)
	})
}

// fuzzBase is the copy of the input that FuzzLoadExtendsSelf's input extends.
const fuzzBase = "shipped/fuzzbase.toml"

// FuzzLoadExtendsSelf: the input extends a copy of itself. Loading never
// panics (merging arms whose names are tables used to), is the same each
// time, and merging a file over itself changes nothing: when the copy loads
// on its own, the child loads to the same experiment.
func FuzzLoadExtendsSelf(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, []byte("\uFEFF")) {
			return // a byte order mark begins a document only
		}
		sim := fuzzSim{}
		child := append([]byte("extends = \"fuzzbase.toml\"\n"), data...)
		read := func(p string) ([]byte, error) {
			switch p {
			case fuzzFile:
				return child, nil
			case fuzzBase:
				return data, nil
			}
			return ReadShipped(p)
		}
		e, err := loadRepeatedly(t, fuzzFile, read, sim)
		checkLoaded(t, e, err, sim)
		base, baseErr := Load(fuzzBase, read, sim)
		if baseErr != nil {
			return
		}
		var raw map[string]any
		if _, err := toml.Decode(string(data), &raw); err != nil {
			t.Fatalf("the base loads but does not decode: %v", err)
		}
		if _, ok := raw["extends"]; ok {
			return // the child names extends twice
		}
		if err != nil {
			t.Fatalf("the copy loads on its own but not when extended:\n%v", err)
		}
		if e.Hash() != base.Hash() {
			t.Fatalf("extending a copy of itself changes the experiment:\n%s\n---\n%s", e.Canonical(), base.Canonical())
		}
	})
}
