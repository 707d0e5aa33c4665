package agents

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strings"
	"testing"

	"frontiersim/engine"
)

// shippedText returns the text of the shipped world file.
func shippedText(t testing.TB) string {
	t.Helper()
	b, err := fs.ReadFile(shippedWorlds, "worlds/"+DefaultWorld+".toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decodeText(t testing.TB, file, text string) *Cast {
	t.Helper()
	c, err := DecodeWorld(file, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// runArms runs reps replications of every arm of the default experiment
// (the baseline and PolicyLevers) in world c with the given buyers in check
// mode (money conserved, shares and cap tables valid in every month) and
// calls f with each finished world.
func runArms(t *testing.T, c *Cast, buyers, reps int, f func(arm string, w *World)) {
	t.Helper()
	arms := append([]Lever{{Name: "baseline"}}, PolicyLevers()...)
	for _, arm := range arms {
		s := NewScenario(c)
		if err := arm.Apply(&s); err != nil {
			t.Fatal(err)
		}
		var w *World
		for r := 0; r < reps; r++ {
			st := engine.NewStreams(20190101, uint64(r))
			var err error
			if w == nil {
				w, err = NewWorld(s, buyers, st, DefaultMonths, true)
			} else {
				err = w.Reset(s, st)
			}
			if err != nil {
				t.Fatalf("%s: %v", arm.Name, err)
			}
			if err := w.Run(context.Background()); err != nil {
				t.Fatalf("%s replication %d: %v", arm.Name, r, err)
			}
			f(arm.Name, w)
		}
	}
}

// maxOver is the largest value of a metric over the months.
func maxOver(t *testing.T, w *World, name string) float64 {
	t.Helper()
	c, err := w.MetricIndex(name)
	if err != nil {
		t.Fatal(err)
	}
	m := math.Inf(-1)
	for month := 0; month < w.Months(); month++ {
		m = math.Max(m, w.Recorder().Get(month, c))
	}
	return m
}

// TestSeventhLabAndFifthCloud adds, in TOML only, a seventh lab (an
// xAI-like closed lab founded in 2023, followed in detail by the metrics)
// and a fifth cloud (an Oracle-like hyperscaler) to the shipped world, runs
// the default experiment's arms at 2,000 buyers and 5 replications in check
// mode, and finds the new agents in the metrics.
func TestSeventhLabAndFifthCloud(t *testing.T) {
	text := shippedText(t)
	oracle := `[[clouds]]
name = "oracle"
display = "Oracle-like"
strategic = true
buyer_share = 0.05
base_share = 0.03
growth = 1.3
own_model_gap = 3

`
	fringe := "[[clouds]]\nname = \"other\""
	if !strings.Contains(text, fringe) {
		t.Fatal("shipped world has no fringe cloud block")
	}
	text = strings.Replace(text, fringe, oracle+fringe, 1)
	text = strings.Replace(text, `labs = ["openai", "anthropic"]`, `labs = ["openai", "anthropic", "xai"]`, 1)
	text += `
[[labs]]
name = "xai"
display = "xAI-like"
governance = "for_profit"
founded = 54
cash0 = 6
burn0 = 0.2
burn_growth = 2.5
log10_c0 = 25
brand = -0.3
consumer_app = true
consumer_brand = 0.5
`
	c := decodeText(t, "ai-2019-xai-oracle.toml", text)
	if len(c.Labs) != 7 || len(c.Clouds) != 5 || c.Hyperscalers() != 4 {
		t.Fatalf("%d labs, %d clouds, %d hyperscalers", len(c.Labs), len(c.Clouds), c.Hyperscalers())
	}
	share, cloud, hsRev, arr := 0.0, 0.0, 0.0, 0.0
	runArms(t, c, 2000, 5, func(arm string, w *World) {
		share = math.Max(share, maxOver(t, w, "model_share_xai"))
		cloud = math.Max(cloud, maxOver(t, w, "cloud_share_oracle"))
		hsRev = math.Max(hsRev, maxOver(t, w, "hs_cloud_revenue_oracle"))
		arr = math.Max(arr, maxOver(t, w, "arr_xai"))
	})
	t.Logf("largest model_share_xai %.3f, cloud_share_oracle %.3f, hs_cloud_revenue_oracle %.3f US$B/month, arr_xai %.2f US$B", share, cloud, hsRev, arr)
	if !(share > 0.01 && cloud > 0 && hsRev > 0 && arr > 0) {
		t.Errorf("the new agents do not take part: model share %g, cloud share %g, hyperscaler revenue %g, ARR %g", share, cloud, hsRev, arr)
	}
}

// TestWorldWithoutChallenger runs a world without the closed challenger
// (the Inflection-like lab) in both modes, in check mode.
func TestWorldWithoutChallenger(t *testing.T) {
	b, err := os.ReadFile("testdata/worlds/no-challenger.toml")
	if err != nil {
		t.Fatal(err)
	}
	c := decodeText(t, "no-challenger.toml", string(b))
	if len(c.Labs) != 5 || c.LabIndex("other") >= 0 {
		t.Fatalf("labs %v", c.labNames())
	}
	for _, replay := range []float64{0, 1} {
		s := NewScenario(c)
		if err := s.Set("mode.replay", replay); err != nil {
			t.Fatal(err)
		}
		for r := 0; r < 3; r++ {
			w, err := NewWorld(s, 2000, engine.NewStreams(7, uint64(r)), DefaultMonths, true)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Run(context.Background()); err != nil {
				t.Fatalf("replay %g replication %d: %v", replay, r, err)
			}
			if _, err := w.MetricIndex("model_share_other"); err == nil {
				t.Fatal("a metric of the removed lab")
			}
			if a := metric(t, w, "adoption", 83); !(a > 0.05) {
				t.Errorf("replay %g replication %d: adoption %g", replay, r, a)
			}
		}
	}
}

// maximaWorld is a world at the stated maxima: MaxLabs labs (closed and open
// weights, an in-house lab per hyperscaler, a parent-funded lab), MaxClouds
// clouds (all but one strategic) and MaxFunds funds.
func maximaWorld() string {
	var b strings.Builder
	b.WriteString("name = \"maxima\"\n")
	nh := MaxClouds - 1
	for c := 0; c < MaxClouds; c++ {
		if c < nh {
			fmt.Fprintf(&b, "[[clouds]]\nname = \"hs%d\"\nstrategic = true\nbuyer_share = %g\nbase_share = %g\ngrowth = %g\nown_model_gap = %g\n",
				c, 0.8/float64(nh), 0.9/float64(nh), 1.2+0.03*float64(c), 0.5+0.3*float64(c))
		} else {
			fmt.Fprintf(&b, "[[clouds]]\nname = \"fringe\"\nstrategic = false\nbuyer_share = \"rest\"\nbase_share = \"rest\"\ngrowth = 1.15\ncapacity_factor = 2\nprice_factor = 0.8\n")
		}
	}
	for f := 0; f < MaxFunds; f++ {
		fmt.Fprintf(&b, "[[funds]]\nname = \"fund%d\"\nsize = %d\n", f, 5+f)
	}
	for l := 0; l < MaxLabs; l++ {
		fmt.Fprintf(&b, "[[labs]]\nname = \"lab%d\"\n", l)
		switch {
		case l < 3: // in-house labs of the first hyperscalers
			fmt.Fprintf(&b, "governance = \"in_house\"\nowner = \"hs%d\"\nburn0 = 0.03\nburn_growth = 1.9\nlog10_c0 = 23.5\nbrand = -0.5\nconsumer_app = true\n", l)
		case l == 3:
			b.WriteString("governance = \"parent_owned\"\nopen_weights = true\nparent_funded = true\nfounded = 48\nbrand = -3\nshare_group = \"open_weight\"\n")
		case l < 6:
			fmt.Fprintf(&b, "governance = \"for_profit\"\nopen_weights = true\ndirect_api = true\nfounded = %d\ncash0 = 0.12\nburn0 = 0.01\nburn_growth = 2.7\nbrand = -3\nopen_weight_gap = 0.4\nshare_group = \"open_weight\"\n", 50+l)
		case l == 6:
			b.WriteString("governance = \"capped_profit\"\ncash0 = 0.2\nburn0 = 0.03\nburn_growth = 1.9\nlog10_c0 = 24\nbrand = -0.4\nconsumer_app = true\nconsumer_brand = 1.5\n")
		default:
			gov := "for_profit"
			if l%3 == 0 {
				gov = "pbc"
			}
			fmt.Fprintf(&b, "governance = %q\nfounded = %d\ncash0 = 0.5\nburn0 = 0.02\nburn_growth = 2.7\nlog10_c0 = %g\nbrand = %g\n", gov, 4*l, 23+0.1*float64(l), -0.2-0.05*float64(l))
		}
	}
	b.WriteString("[[partnerships]]\nlab = \"lab6\"\ncloud = \"hs3\"\n")
	b.WriteString("[[events]]\nmonth = 6\nkind = \"strategic\"\nlab = \"lab6\"\ninvestor = \"hs3\"\namount = 1\npost = 10\n")
	b.WriteString("[metrics]\nlabs = [\"lab6\", \"lab7\", \"lab8\"]\nbacker_labs = [\"lab6\"]\n")
	return b.String()
}

// TestMaximaWorldRuns runs the world at the maxima in check mode (with
// -short in endogenous mode only).
func TestMaximaWorldRuns(t *testing.T) {
	c := decodeText(t, "maxima.toml", maximaWorld())
	if len(c.Labs) != MaxLabs || len(c.Clouds) != MaxClouds || len(c.Funds) != MaxFunds {
		t.Fatalf("%d labs, %d clouds, %d funds", len(c.Labs), len(c.Clouds), len(c.Funds))
	}
	modes := []float64{0, 1}
	if testing.Short() {
		modes = modes[:1]
	}
	for _, replay := range modes {
		s := NewScenario(c)
		if err := s.Set("mode.replay", replay); err != nil {
			t.Fatal(err)
		}
		w, err := NewWorld(s, 1000, engine.NewStreams(3, 0), DefaultMonths, true)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Run(context.Background()); err != nil {
			t.Fatalf("replay %g: %v", replay, err)
		}
		if got := len(w.Recorder().Columns()); got != len(w.Metrics()) {
			t.Fatalf("%d columns, %d metrics", got, len(w.Metrics()))
		}
	}
}

// TestNoModelOfferedYet: a scenario that founds every lab after month 0 (any
// founding month is a parameter) runs in check mode; before the first lab
// offers a model every model share is 0, after it they sum to 1.
func TestNoModelOfferedYet(t *testing.T) {
	s := DefaultScenario()
	for _, name := range []string{"labs.openai.founded", "labs.google.founded"} {
		if err := s.Set(name, 12); err != nil {
			t.Fatal(err)
		}
	}
	w, err := NewWorld(s, 500, engine.NewStreams(3, 0), DefaultMonths, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := engine.Run(context.Background(), w, DefaultMonths); err != nil {
		t.Fatal(err)
	}
	sum := func(m int) float64 {
		x := 0.0
		// the labs' share groups and the hyperscalers' own models
		for c, spec := range w.Metrics() {
			if strings.HasPrefix(spec.Name, "model_share_") || strings.HasPrefix(spec.Name, "own_model_share_") {
				x += w.Recorder().Get(m, c)
			}
		}
		return x
	}
	if got := sum(0); got != 0 {
		t.Errorf("month 0, no lab founded: model shares sum to %g, want 0", got)
	}
	if got := sum(DefaultMonths - 1); math.Abs(got-1) > 1e-9 {
		t.Errorf("last month: model shares sum to %g, want 1", got)
	}
}
