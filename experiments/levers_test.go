package experiments

import (
	"strings"
	"testing"

	"frontiersim/results"
)

// leverSim is reliabilitySim with its policy parameters marked as levers
// and policy.ban_exclusive as an enumeration and mode.replay as a flag, as
// the market model declares them.
type leverSim struct{ reliabilitySim }

func (s leverSim) Params() []Param {
	ps := s.reliabilitySim.Params()
	for i := range ps {
		if strings.HasPrefix(ps[i].Name, "policy.") {
			ps[i].Lever = true
		}
		switch ps[i].Name {
		case "policy.ban_exclusive":
			ps[i].Enum = []string{"off", "compute", "api", "both"}
		case "mode.replay":
			ps[i].Enum = []string{"false", "true"}
		}
	}
	return ps
}

// TestLeverStartIsValidated: [[arms]] from is a month within the horizon,
// on a policy arm that sets levers only; each break is a problem naming
// file, line and key.
func TestLeverStartIsValidated(t *testing.T) {
	arm := func(name, from, overrides string) string {
		return "name = \"x\"\nmonths = 24\n[[arms]]\nname = \"" + name + "\"\nfrom = " + from + "\n[arms.overrides]\n" + overrides + "\n"
	}
	lever := `"policy.revenue_share_cap" = 0.1`
	for _, c := range []struct {
		name, text, key string
		line            int
		msg             string
	}{
		{"negative", arm("cap", "-1", lever), "arms[0].from", 5, "before the first month"},
		{"at the horizon", arm("cap", "24", lever), "arms[0].from", 5, "outside the horizon (months 0 to 23)"},
		{"past the horizon", arm("cap", "100", lever), "arms[0].from", 5, "outside the horizon"},
		{"not a whole number", arm("cap", "1.5", lever), "arms[0].from", 5, "want an integer month index"},
		{"a string", arm("cap", `"2026"`, lever), "arms[0].from", 5, "want an integer month index"},
		{"on the baseline arm", arm("baseline", "12", lever), "arms[0].from", 5, "the baseline arm has no levers"},
		{"a parameter that is not a lever", arm("beta", "12", `"logit.beta_k" = 2`), "arms[0].overrides.logit.beta_k", 7, "not a policy lever"},
		{"a model without levers", arm("cap", "12", lever), "arms[0].from", 5, "no levers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var sim Simulator = leverSim{}
			if c.name == "a model without levers" {
				sim = reliabilitySim{}
			}
			p := findProblem(t, mustInvalid(t, "x.toml", files(map[string]string{"x.toml": c.text}), sim), c.key)
			if p.File != "x.toml" || p.Line != c.line || !strings.Contains(p.Msg, c.msg) {
				t.Errorf("got %s:%d: %s: %s; want x.toml:%d: %s: ...%s...", p.File, p.Line, p.Key, p.Msg, c.line, c.key, c.msg)
			}
		})
	}
}

// TestLeverStartPlan: a valid from is kept in the plan and in the
// experiment as run, and adds the window from that month to the horizon to
// the comparison; from = 0 is the arm without from.
func TestLeverStartPlan(t *testing.T) {
	text := "name = \"x\"\nmonths = 24\n[[arms]]\nname = \"late\"\nfrom = 12\n[arms.overrides]\n\"policy.revenue_share_cap\" = 0.1\n" +
		"[[arms]]\nname = \"early\"\nfrom = 0\n[arms.overrides]\n\"policy.revenue_share_cap\" = 0.2\n"
	e, err := Load("x.toml", files(map[string]string{"x.toml": text}), leverSim{})
	if err != nil {
		t.Fatal(err)
	}
	plan := e.Plan(leverSim{})
	if plan.Arms[1].From != 12 || plan.Arms[2].From != 0 {
		t.Fatalf("arms from %d and %d, want 12 and 0", plan.Arms[1].From, plan.Arms[2].From)
	}
	ws := plan.ComparisonWindows()
	if last := ws[len(ws)-1]; last != (results.Window{Name: "from12", From: 12, To: 23}) {
		t.Errorf("last comparison window %+v, want from12 over months 12 to 23", last)
	}
	if c := string(e.Canonical()); !strings.Contains(c, "from = 12") || strings.Count(c, "from =") != 1 {
		t.Errorf("the experiment as run does not record from = 12 (and only it):\n%s", c)
	}
	if len(e.Notes) != 1 || !strings.Contains(e.Notes[0], `arms[0].from: the levers of arm "late" switch on at month 12 (2020-01)`) {
		t.Errorf("notes %q, want one saying when the levers of late switch on", e.Notes)
	}
	// the name of the window is reserved
	bad := "name = \"x\"\nmonths = 24\n[report]\nwindows = [{name = \"from12\", from = 12, to = 23}]\n"
	p := findProblem(t, mustInvalid(t, "x.toml", files(map[string]string{"x.toml": bad}), leverSim{}), "report.windows[0].name")
	if !strings.Contains(p.Msg, "reserved") {
		t.Errorf("window from12: %s, want it reserved", p.Msg)
	}
}

// TestResumeNamesTheLeverStart: a resume whose arm starts its levers at
// another month says so.
func TestResumeNamesTheLeverStart(t *testing.T) {
	d := armsDiff([]results.Arm{{Name: "baseline"}, {Name: "cap", From: 84}}, []results.Arm{{Name: "baseline"}, {Name: "cap", From: 96}})
	if len(d) != 1 || d[0] != `arm "cap": its levers switch on at month 84 there, 96 here` {
		t.Errorf("diff %q", d)
	}
}

// TestLeverStartWithoutLevers: an arm with from and no overrides switches
// nothing on. Written in a file that extends another, it replaces the base
// file's arm of its name whole (overrides included), which is easy to
// miss: a problem naming the file, line and key says so.
func TestLeverStartWithoutLevers(t *testing.T) {
	base := "name = \"base\"\nmonths = 24\n[[arms]]\nname = \"cap\"\n[arms.overrides]\n\"policy.revenue_share_cap\" = 0.1\n"
	for _, c := range []struct{ name, text string }{
		{"extends", "extends = \"base.toml\"\nname = \"late\"\n[[arms]]\nname = \"cap\"\nfrom = 12\n"},
		{"empty overrides", "extends = \"base.toml\"\nname = \"late\"\n[[arms]]\nname = \"cap\"\nfrom = 12\n[arms.overrides]\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			read := files(map[string]string{"base.toml": base, "x.toml": c.text})
			p := findProblem(t, mustInvalid(t, "x.toml", read, leverSim{}), "arms[0].from")
			if p.File != "x.toml" || p.Line != 5 || !strings.Contains(p.Msg, `arm "cap" switches its levers on at month 12 but sets none`) || !strings.Contains(p.Msg, "extends") {
				t.Errorf("got %s:%d: %s: %s", p.File, p.Line, p.Key, p.Msg)
			}
		})
	}
	// With its levers repeated, the arm is valid, and [report]
	// matrix_window may name its window.
	ok := "extends = \"base.toml\"\nname = \"late\"\n[report]\nmatrix_window = \"from12\"\n[[arms]]\nname = \"cap\"\nfrom = 12\n[arms.overrides]\n\"policy.revenue_share_cap\" = 0.1\n"
	e, err := Load("x.toml", files(map[string]string{"base.toml": base, "x.toml": ok}), leverSim{})
	if err != nil {
		t.Fatal(err)
	}
	plan := e.Plan(leverSim{})
	if plan.Report.MatrixWindow != "from12" || len(plan.Arms) != 2 || plan.Arms[1].From != 12 || len(plan.Arms[1].Overrides) != 1 {
		t.Errorf("matrix window %q, arms %+v", plan.Report.MatrixWindow, plan.Arms)
	}
}

// TestLeverStartWindowElsewhere: the window of a lever start (from12) is a
// window of the experiment for [stopping] and [sensitivity] as for
// [report] matrix_window, and so is any month of the horizon for
// [sensitivity] (as FindWindow, which computes its outputs, has it).
func TestLeverStartWindowElsewhere(t *testing.T) {
	base := "name = \"x\"\nmonths = 24\nreplications = 30\n[[arms]]\nname = \"late\"\nfrom = 12\n[arms.overrides]\n\"policy.revenue_share_cap\" = 0.1\n"
	stopping := "[stopping]\nmetric = \"spend\"\nhalf_width = 0.1\nmax_replications = 30\nwindow = \"from12\"\n"
	e, err := Load("x.toml", files(map[string]string{"x.toml": base + stopping}), leverSim{})
	if err != nil {
		t.Fatalf("[stopping] window = \"from12\": %v", err)
	}
	if s := e.Stopping; s.From != 12 || s.To != 23 {
		t.Errorf("stopping window %q over months %d to %d, want from12 over 12 to 23", s.Window, s.From, s.To)
	}
	for _, w := range []string{"from12", "m5"} {
		sens := "[sensitivity]\nmethod = \"oat\"\nwindow = \"" + w + "\"\n[[sensitivity.parameters]]\nname = \"toy.growth\"\nmin = 0\nmax = 0.1\n"
		e, err := Load("x.toml", files(map[string]string{"x.toml": base + sens}), leverSim{})
		if err != nil {
			t.Errorf("[sensitivity] window = %q: %v", w, err)
			continue
		}
		if _, ok := FindWindow(e.Plan(leverSim{}), e.Sensitivity.Window); !ok {
			t.Errorf("[sensitivity] window %q is not a window of the plan", e.Sensitivity.Window)
		}
	}
	bad := base + "[sensitivity]\nmethod = \"oat\"\nwindow = \"from13\"\n[[sensitivity.parameters]]\nname = \"toy.growth\"\nmin = 0\nmax = 0.1\n"
	p := findProblem(t, mustInvalid(t, "x.toml", files(map[string]string{"x.toml": bad}), leverSim{}), "sensitivity.window")
	if p.Line != 11 || !strings.Contains(p.Msg, `"from13" is not a window of this experiment (did you mean "from12"?)`) {
		t.Errorf("got %d: %s", p.Line, p.Msg)
	}
}
