package agents

import (
	"fmt"
	"math"
	"testing"

	"frontiersim/engine"
)

// TestResetAcrossScenarios: a world reset to any scenario reproduces a
// fresh world of that scenario exactly, whichever scenario it ran before
// (endogenous, replay and each policy lever, run to the horizon first).
// The experiments' runner reuses one world per worker across arms, so a
// piece of state that Reset misses makes results depend on the order in
// which a worker meets the jobs, and so on the worker count.
func TestResetAcrossScenarios(t *testing.T) {
	const buyers = 300
	base := DefaultScenario()
	replay := base
	replay.Mode.Replay = true
	scen := map[string]Scenario{"endogenous": base, "replay": replay}
	names := []string{"endogenous", "replay"}
	for _, l := range PolicyLevers() {
		s := base
		if err := l.Apply(&s); err != nil {
			t.Fatal(err)
		}
		scen[l.Name] = s
		names = append(names, l.Name)
	}
	fresh := map[string][]float64{}
	for _, n := range names {
		w, err := NewWorld(scen[n], buyers, engine.NewStreams(21, 3), DefaultMonths, true)
		if err != nil {
			t.Fatal(err)
		}
		stepTo(t, w, 0, DefaultMonths)
		fresh[n] = append([]float64(nil), w.Recorder().Data()...)
	}
	for _, from := range names {
		for _, to := range names {
			if testing.Short() && from != "endogenous" && to != "endogenous" && from != to {
				continue
			}
			t.Run(fmt.Sprintf("%s then %s", from, to), func(t *testing.T) {
				w, err := NewWorld(scen[from], buyers, engine.NewStreams(5, 1), DefaultMonths, true)
				if err != nil {
					t.Fatal(err)
				}
				stepTo(t, w, 0, DefaultMonths)
				if err := w.Reset(scen[to], engine.NewStreams(21, 3)); err != nil {
					t.Fatal(err)
				}
				stepTo(t, w, 0, DefaultMonths)
				got, want := w.Recorder().Data(), fresh[to]
				for i := range want {
					if got[i] != want[i] && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
						t.Fatalf("month %d, %s: %g after a reset, %g fresh", i/len(w.metrics), w.metrics[i%len(w.metrics)].Name, got[i], want[i])
					}
				}
			})
		}
	}
}
