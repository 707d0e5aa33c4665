package experiments

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// otherDefault is the toy model with another default of toy.growth: the
// same code but for one default, as after a recalibration.
type otherDefault struct{ toysim.Simulator }

func (otherDefault) Params() []Param {
	ps := toysim.Simulator{}.Params()
	for i := range ps {
		if ps[i].Name == "toy.growth" {
			ps[i].Default = 0.07
		}
	}
	return ps
}

// TestChangedDefaultChangesHash: a default of the model enters the
// experiment hash, so results made with another default are not resumed
// or merged, and experiment.toml names the parameter that changed.
func TestChangedDefaultChangesHash(t *testing.T) {
	e := loadString(t, toyExperiment)
	e2, err := Load("exp.toml", func(string) ([]byte, error) { return []byte(toyExperiment), nil }, otherDefault{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Hash() == e2.Hash() {
		t.Fatal("the experiment hash does not change with a default of the model")
	}
	dir := t.TempDir()
	run(t, e, dir, RunOptions{})
	_, err = Execute(context.Background(), e2, otherDefault{}, RunOptions{Dir: dir, Resume: true, Now: fixedNow})
	if !errors.Is(err, ErrResumeMismatch) {
		t.Fatalf("resume with another default: got %v, want ErrResumeMismatch", err)
	}

	// The experiment as run does not load with the other default.
	_, err = Load(filepath.Join(dir, results.ExperimentFile), os.ReadFile, otherDefault{})
	var inv *InvalidError
	if !errors.As(err, &inv) || len(inv.Problems) != 1 || inv.Problems[0].Key != "parameters.toy.growth" ||
		!strings.Contains(inv.Problems[0].Msg, "default is 0.07") || inv.Problems[0].Line == 0 {
		t.Fatalf("experiment.toml with another default: got %v, want one problem at parameters.toy.growth with its line", err)
	}

	// Merge refuses shards made with another default.
	var shards []string
	for k := 1; k <= 2; k++ {
		d := t.TempDir()
		run(t, e, d, RunOptions{Shard: ShardSpec{k, 2}})
		shards = append(shards, d)
	}
	_, err = Merge(context.Background(), t.TempDir(), shards, otherDefault{}, fixedNow, nil)
	if !errors.Is(err, ErrBadShards) || !strings.Contains(err.Error(), "parameters.toy.growth") {
		t.Fatalf("merge with another default: got %v, want ErrBadShards naming parameters.toy.growth", err)
	}
}

// TestParametersTable: [parameters] must agree with the defaults and
// [scenario]; a file that extends one does not inherit it.
func TestParametersTable(t *testing.T) {
	e := loadString(t, toyExperiment)
	canonical := string(e.Canonical())
	files := map[string]string{"run/experiment.toml": canonical}
	read := func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}
	cases := []struct {
		name, text, key, msg string
	}{
		{"edited value", strings.Replace(canonical, `"toy.cap" = 1.0`, `"toy.cap" = 0.5`, 1), "parameters.toy.cap", "0.5, but this model's default is 1"},
		{"scenario edited alone", strings.Replace(canonical, "[scenario]\n  \"toy.noise\" = 0.03", "[scenario]\n  \"toy.noise\" = 0.04", 1), "parameters.toy.noise", "but [scenario] sets 0.04"},
		{"missing", strings.Replace(canonical, `"toy.lag" = 0.0`, "", 1), "parameters", "lacks toy.lag"},
		{"unknown", strings.Replace(canonical, `"toy.lag" = 0.0`, "\"toy.lag\" = 0.0\n\"toy.lagg\" = 1.0", 1), "parameters.toy.lagg", `did you mean "toy.lag"?`},
		{"not a number", strings.Replace(canonical, `"toy.lag" = 0.0`, `"toy.lag" = "none"`, 1), "parameters.toy.lag", "want a number, got a string"},
	}
	for _, c := range cases {
		files["bad.toml"] = c.text
		_, err := Load("bad.toml", read, toysim.Simulator{})
		var inv *InvalidError
		if !errors.As(err, &inv) || len(inv.Problems) != 1 || inv.Problems[0].Key != c.key || !strings.Contains(inv.Problems[0].Msg, c.msg) {
			t.Errorf("%s: got %v, want one problem at %s containing %q", c.name, err, c.key, c.msg)
		}
	}
	// A child of experiment.toml changes a value in [scenario]: its own
	// [parameters] follows, the base's is not inherited.
	files["child.toml"] = "extends = \"run/experiment.toml\"\nname = \"child\"\n[scenario]\n\"toy.cap\" = 0.5\n"
	child, err := Load("child.toml", read, toysim.Simulator{})
	if err != nil {
		t.Fatalf("a child of experiment.toml: %v", err)
	}
	if got := child.Parameters[0]; got != (results.ParamValue{Name: "toy.cap", Value: 0.5}) {
		t.Errorf("child's toy.cap = %v, want 0.5 from its [scenario]", got)
	}
	// With another default the child takes today's default.
	child2, err := Load("child.toml", read, otherDefault{})
	if err != nil {
		t.Fatalf("a child of experiment.toml under another default: %v", err)
	}
	if got := child2.Parameters[2]; got.Value != 0.07 {
		t.Errorf("child's toy.growth = %v under the other default, want 0.07", got)
	}
}
