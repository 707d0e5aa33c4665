package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"frontiersim/engine"
	"frontiersim/experiments"
	"frontiersim/internal/toysim"
)

var docsScreenshot = flag.Bool("docs-screenshot", false, "TestServeInBrowser also writes its screenshot to docs/serve.png")

// gatedSim is the toy model whose replications each wait for a token on
// gate: the test decides how far the run gets, whatever the machine's
// speed.
type gatedSim struct {
	toysim.Simulator
	gate chan struct{}
}

func (g gatedSim) NewRunner(buyers, months int) (experiments.Runner, error) {
	r, err := g.Simulator.NewRunner(buyers, months)
	return gatedRunner{r, g.gate}, err
}

type gatedRunner struct {
	experiments.Runner
	gate chan struct{}
}

func (r gatedRunner) Run(ctx context.Context, p []float64, st engine.Streams, out []float64) error {
	select {
	case <-r.gate:
	case <-ctx.Done():
		return ctx.Err()
	}
	return r.Runner.Run(ctx, p, st, out)
}

// browserStudy is the toy study the dashboard watches: 3 arms × 40
// replications.
const browserStudy = `name = "toy-live"
seed = 5
replications = 40
months = 36
buyers = 20

[charts]
metrics = ["hhi_model", "model_share_a"]

[[arms]]
name = "cap"
overrides = { "toy.cap" = 0.6 }

[[arms]]
name = "slow"
overrides = { "toy.growth" = 0.01 }
`

// pageState is what the test reads of the page, by script.
type pageState struct {
	Updates      int            `json:"updates"`      // update events the page has handled
	Done         int            `json:"done"`         // replications done, summed over the progress table
	Total        int            `json:"total"`        // replications planned, summed likewise
	State        string         `json:"state"`        // the run's state in the progress table
	FanDrawn     int            `json:"fanDrawn"`     // draws of the fan chart (uPlot's draw hook)
	FanColour    int            `json:"fanColour"`    // coloured (not grey) pixels on the fan chart's canvas
	NarrowColour int            `json:"narrowColour"` // likewise on the narrowing chart's
	Pairs        map[string]int `json:"pairs"`        // pairs per policy arm in the effects table
	Overflow     []string       `json:"overflow"`     // elements whose text overflows them
}

// readPage is the script that fills a pageState. A coloured pixel is one
// whose channels differ by more than 60: the axes, grid and labels are
// grey, the arms' lines and bands are not.
const readPage = `(function () {
  function coloured(sel) {
    var c = document.querySelector(sel + " canvas");
    if (!c || !c.width || !c.height) return 0;
    var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, n = 0;
    for (var i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n++;
    }
    return n;
  }
  var s = { updates: 0, done: 0, total: 0, state: "", fanDrawn: 0, fanColour: 0, narrowColour: 0, pairs: {}, overflow: [] };
  var fan = document.getElementById("fan");
  if (!fan || !document.body || document.readyState !== "complete") return s; // still about:blank, or loading
  s = { updates: +document.body.dataset.updates || 0, done: 0, total: 0, state: "",
    fanDrawn: +(fan.dataset.drawn || 0),
    fanColour: coloured("#fan"), narrowColour: coloured("#narrowing"), pairs: {}, overflow: [] };
  document.querySelectorAll("#runs tbody tr").forEach(function (tr) {
    var cells = tr.children, dt = cells[5].textContent.split("/");
    s.done += +dt[0]; s.total += +dt[1]; s.state = cells[3].textContent;
  });
  document.querySelectorAll("#effects tr[data-arm]").forEach(function (tr) { s.pairs[tr.dataset.arm] = +tr.dataset.n; });
  document.querySelectorAll("td, th, h1, h2, h3, p, label").forEach(function (e) {
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== "visible") s.overflow.push(e.tagName + ": " + e.textContent.slice(0, 40));
  });
  return s;
})()`

// TestServeInBrowser runs runsim serve on a toy experiment that runs in
// the background as the test lets it, loads the dashboard in headless
// chromium, and checks, by script in the page, that update events arrive,
// that the charts draw the arms (coloured pixels on their canvases), and
// that the progress shown advances as the run does, to completion, with
// the effects of every arm over all 40 pairs; then saves a screenshot.
// It waits on the page's state with generous deadlines: no step needs the
// machine to be quiet.
func TestServeInBrowser(t *testing.T) {
	chromium := needChromium(t)
	// The dashboard is given a relative path, as a user would, so that the
	// screenshot shows no path of the test's.
	docsShot, err := filepath.Abs(filepath.Join("..", "..", "docs", "serve.png"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	out := "out"
	runDir := filepath.Join(out, "toy-live")
	// The dashboard may start before the run has made its directory.
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	file := writeToy(t, browserStudy)
	sim := gatedSim{toysim.Simulator{}, make(chan struct{})}
	const total, first = 120, 50 // replications of the plan; let through before the page is read

	// The run, in the background, released replication by replication.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var runOut, runErr syncBuffer
	runEnv := &env{stdout: &runOut, stderr: &runErr, getenv: func(string) string { return "" }, sim: sim}
	ran := make(chan int, 1)
	go func() {
		ran <- dispatch(ctx, runEnv, []string{"run", file, "-o", runDir, "-workers", "1", "-no-charts", "-q"})
	}()
	more := make(chan struct{})
	go func() {
		tick := time.NewTicker(25 * time.Millisecond) // at least 1.25 s for the first 50: the run syncs its store each second
		defer tick.Stop()
		for i := 0; i < total; i++ {
			if i == first {
				select {
				case <-more:
				case <-ctx.Done():
					return
				}
			}
			select {
			case sim.gate <- struct{}{}:
			case <-ctx.Done():
				return
			}
			<-tick.C
		}
	}()

	url, stop := startServe(t, sim, "-port", "0", out)
	b := startBrowser(t, chromium, 1280, 1500)
	b.navigate(t, url)

	var st pageState
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(3 * time.Minute)
		for {
			b.eval(t, readPage, &st)
			if ok() {
				return
			}
			if time.Now().After(deadline) {
				j, _ := json.Marshal(st)
				t.Fatalf("the page never showed %s within 3 minutes; it shows %s\nrun: %s", what, j, runErr.String())
			}
			time.Sleep(100 * time.Millisecond) // the poll's pace, not a wait for something to happen
		}
	}

	// Part of the run: the page has had an update with some replications
	// done, and drawn the fan chart with them.
	waitFor("a partial run drawn", func() bool {
		return st.Updates > 0 && st.Done > 0 && st.FanDrawn > 0 && st.FanColour > 0
	})
	if st.Done > first || st.Total != total || st.State != "running" {
		t.Fatalf("partial run: %d of %d done, state %q; want at most %d of %d, running", st.Done, st.Total, st.State, first, total)
	}
	partial := st
	t.Logf("partial: %+v", partial)

	// The rest of the run: progress advances, to completion.
	close(more)
	waitFor("more replications done", func() bool { return st.Done > partial.Done && st.Updates > partial.Updates })
	waitFor("the run complete", func() bool {
		return st.State == "complete" && st.Done == total && st.Pairs["cap"] == 40 && st.Pairs["slow"] == 40 && st.NarrowColour > 0
	})
	if code := <-ran; code != exitOK {
		t.Fatalf("runsim run: exit %d: %s", code, runErr.String())
	}
	if st.FanColour <= partial.FanColour/4 {
		t.Errorf("fan chart of the complete run has %d coloured pixels, %d when partial", st.FanColour, partial.FanColour)
	}
	if len(st.Overflow) > 0 {
		t.Errorf("text overflows: %v", st.Overflow)
	}
	t.Logf("complete: %+v", st)

	png := b.screenshot(t)
	if len(png) < 1000 || string(png[1:4]) != "PNG" {
		t.Fatalf("screenshot of %d bytes is not a PNG", len(png))
	}
	shot := filepath.Join(t.TempDir(), "serve.png")
	if *docsScreenshot {
		shot = docsShot
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))

	if code, stderr := stop(); code != exitOK {
		t.Errorf("runsim serve after Ctrl-C: exit %d: %s", code, stderr)
	}
}
