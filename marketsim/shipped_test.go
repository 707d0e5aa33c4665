package marketsim_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"frontiersim/agents"
	"frontiersim/experiments"
	"frontiersim/marketsim"
	"frontiersim/results"
)

// The shipped experiments, the runsim init template and the README's
// examples are written for the market model: each loads with it.

// files returns a ReadFunc serving the given contents by path; other paths
// do not exist.
func files(m map[string]string) experiments.ReadFunc {
	return func(p string) ([]byte, error) {
		if s, ok := m[p]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: %w", p, os.ErrNotExist)
	}
}

// TestDefaultArmsAreThePolicyLevers: the default experiment's arms are the
// baseline and agents.PolicyLevers, with the same names, descriptions and
// parameter values (the lever set is defined once, on the model side; the
// sensitivity analysis and the tests read it from there).
func TestDefaultArmsAreThePolicyLevers(t *testing.T) {
	e, err := experiments.LoadDefault(marketsim.Simulator{})
	if err != nil {
		t.Fatal(err)
	}
	levers := agents.PolicyLevers()
	if len(e.Arms) != 1+len(levers) || e.Arms[0].Name != "baseline" {
		t.Fatalf("default arms %v, want baseline and %d levers", e.Arms, len(levers))
	}
	for i, l := range levers {
		a := e.Arms[1+i]
		var got, want []string
		for _, o := range a.Overrides {
			got = append(got, o.Name+"="+ftoa(o.Value))
		}
		for _, s := range l.Settings {
			want = append(want, s.Param+"="+ftoa(s.Value))
		}
		sort.Strings(got)
		sort.Strings(want)
		if a.Name != l.Name || a.Description != l.Description || !slices.Equal(got, want) {
			t.Errorf("arm %d: %s (%s) %v; lever %s (%s) %v", 1+i, a.Name, a.Description, got, l.Name, l.Description, want)
		}
	}
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// TestWarningsOfTheMarketModel: the market model declares its calibrated
// period (January 2019 to December 2025); a longer horizon is warned about.
func TestWarningsOfTheMarketModel(t *testing.T) {
	e := &experiments.Experiment{Months: experiments.DefaultMonths, Replications: 100, Arms: make([]results.Arm, 2)}
	if w := experiments.Warnings(e, marketsim.Simulator{}); len(w) != 0 {
		t.Errorf("the default horizon warns: %v", w)
	}
	e.Months = experiments.DefaultMonths + 1
	if w := experiments.Warnings(e, marketsim.Simulator{}); len(w) != 1 || !strings.Contains(w[0], "to 2025-12") {
		t.Errorf("85 months: %v", w)
	}
}

// TestReadmeExamplesValidate loads every TOML block of README.md with the
// market model.
func TestReadmeExamplesValidate(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllSubmatchIndex(b, -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no TOML block")
	}
	for _, m := range blocks {
		line := 1 + strings.Count(string(b[:m[2]]), "\n")
		name := fmt.Sprintf("README.md block at line %d", line)
		text := string(b[m[2]:m[3]])
		if _, err := experiments.Load(name, files(map[string]string{name: text}), marketsim.Simulator{}); err != nil {
			t.Errorf("%s:\n%v", name, err)
		}
	}
}

// TestTemplateValidates: the runsim init template loads, and so does it with
// its commented extends line in force, from any directory.
func TestTemplateValidates(t *testing.T) {
	text := string(experiments.Template())
	with := strings.Replace(text, "# extends = ", "extends = ", 1)
	if with == text {
		t.Fatal("the template has no commented extends line")
	}
	for _, s := range []string{text, with} {
		if _, err := experiments.Load("/elsewhere/my-study.toml", files(map[string]string{"/elsewhere/my-study.toml": s}), marketsim.Simulator{}); err != nil {
			t.Error(err)
		}
	}
}
