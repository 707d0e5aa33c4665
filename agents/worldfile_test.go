package agents

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/engine"
	"frontiersim/internal/badfile"
)

func TestShippedWorldDecodes(t *testing.T) {
	if got := ShippedWorlds(); len(got) != 1 || got[0] != DefaultWorld {
		t.Fatalf("shipped worlds %v, want [%s]", got, DefaultWorld)
	}
	c, err := ShippedWorld(DefaultWorld)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Labs) != 6 || len(c.Clouds) != 4 || c.Hyperscalers() != 3 || len(c.Funds) != 3 || len(c.Events) != 18 || len(c.Partnerships) != 1 {
		t.Fatalf("ai-2019: %d labs, %d clouds (%d hyperscalers), %d funds, %d events, %d partnerships",
			len(c.Labs), len(c.Clouds), c.Hyperscalers(), len(c.Funds), len(c.Events), len(c.Partnerships))
	}
	if e := c.Events[len(c.Events)-1]; e.Kind != EventRestructuring || e.Governance != GovPBC || e.Lab != c.LabIndex("openai") {
		t.Errorf("last event %+v, want openai's restructuring into a PBC", e)
	}
	g := c.Labs[c.LabIndex("google")]
	if g.Owner != c.CloudIndex("gcp") || g.Governance != GovInHouse || g.HomeCloud != g.Owner {
		t.Errorf("google: owner %d, governance %v, home %d", g.Owner, g.Governance, g.HomeCloud)
	}
	m := c.Labs[c.LabIndex("meta")]
	if !m.ParentFunded || !m.OpenWeights || m.Founded != 48 || m.HomeCloud != c.CloudIndex("other") || m.BurnGrowth != 1 {
		t.Errorf("meta: %+v", m)
	}
	if o := c.Clouds[c.CloudIndex("other")]; o.Strategic || !o.BuyerRest || !o.BaseRest || o.CapacityFactor != 2 || o.PriceFactor != 0.8 {
		t.Errorf("fringe: %+v", o)
	}
	if _, err := ShippedWorld("ai-2031"); err == nil || !strings.Contains(err.Error(), DefaultWorld) {
		t.Errorf("unknown shipped world: %v", err)
	}
}

// TestBadWorldsAreRejected: each file of testdata/badworlds is rejected
// with the problem its header names (badfile headers: "# want: KEY", "#
// msg: TEXT", the line marked "# <-"), and with no other problem.
func TestBadWorldsAreRejected(t *testing.T) {
	files, err := filepath.Glob("testdata/badworlds/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("only %d bad world files", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want, err := badfile.Parse(file, b)
			if err != nil {
				t.Fatal(err)
			}
			c, err := DecodeWorld(file, b)
			if c != nil || err == nil {
				t.Fatalf("decoded without error; want a problem at %v", want.Keys)
			}
			var we *WorldError
			if !errors.As(err, &we) || len(we.Problems) == 0 {
				t.Fatalf("got %T (%v), want *WorldError with problems", err, err)
			}
			if len(we.Problems) != 1 {
				t.Errorf("%d problems, want one:\n%v", len(we.Problems), err)
			}
			p := we.Problems[0]
			k := want.Keys[0]
			if (k != "-" && p.Key != k) || !strings.Contains(p.Msg, want.Msg) || (want.Line > 0 && p.Line != want.Line) || p.File != file {
				t.Errorf("got %v\nwant %s:%d: %s: ...%s...", p, file, want.Line, k, want.Msg)
			}
			if !strings.Contains(err.Error(), p.String()) {
				t.Errorf("problem %v missing from the error text %q", p, err)
			}
		})
	}
}

// TestWorldReportsEveryProblem: one file with several problems reports them
// all, each at its own line.
func TestWorldReportsEveryProblem(t *testing.T) {
	text := `name = "many"
[[labs]]
name = "a"
owner = "nowhere"
governance = "in_house"
[[labs]]
name = "a"
[[clouds]]
name = "hs"
strategic = true
buyer_share = "rest"
base_share = "rest"
[[events]]
month = 3
kind = "round"
lab = "zz"
amount = 1
post = 2
`
	_, err := DecodeWorld("many.toml", []byte(text))
	var we *WorldError
	if !errors.As(err, &we) {
		t.Fatalf("got %v", err)
	}
	want := map[string]int{"labs[0].owner": 4, "labs[1].name": 7, "events[0].lab": 16}
	for _, p := range we.Problems {
		if l, ok := want[p.Key]; ok && l == p.Line {
			delete(want, p.Key)
		}
	}
	if len(want) != 0 {
		t.Errorf("missing problems %v in:\n%v", want, err)
	}
}

// TestHandBuiltCastIsChecked: a cast built by hand with an index out of
// range is an error of NewWorld, not a panic.
func TestHandBuiltCastIsChecked(t *testing.T) {
	c := defaultCast.deepClone()
	c.Labs[0].HomeCloud = 9
	if _, err := NewWorld(NewScenario(c), 10, engine.NewStreams(1, 0), 12, false); err == nil || !strings.Contains(err.Error(), "home cloud 9") {
		t.Errorf("got %v", err)
	}
	c = defaultCast.deepClone()
	c.Labs = nil
	if _, err := NewWorld(NewScenario(c), 10, engine.NewStreams(1, 0), 12, false); err == nil || !strings.Contains(err.Error(), "0 labs") {
		t.Errorf("got %v", err)
	}
}
