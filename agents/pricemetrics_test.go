package agents

import (
	"math"
	"testing"
)

// TestLabPriceMetrics: the recorded price_direct_<lab> and
// price_resale_<lab> of the followed labs are what the buyers pay: the
// direct bill is the direct API's spend / units bought there, the resale
// price the labs' resale spend over all clouds / the units bought there
// (checked where units were bought), and both are 0 in replay mode.
func TestLabPriceMetrics(t *testing.T) {
	for _, replay := range []bool{false, true} {
		s := DefaultScenario()
		if replay {
			if err := s.Set("mode.replay", 1); err != nil {
				t.Fatal(err)
			}
		}
		w := newTestWorld(t, s, 1000, 3)
		col := map[string]int{}
		for i, m := range w.metrics {
			col[m.Name] = i
		}
		checkedDirect, checkedResale := 0, 0
		for m := 0; m < DefaultMonths; m++ {
			stepTo(t, w, m, m+1)
			row := w.Recorder().Data()[m*len(w.metrics) : (m+1)*len(w.metrics)]
			for _, l := range w.S.cast.Metrics.Labs {
				n := w.Labs[l].Name
				dp, rp := row[col["price_direct_"+n]], row[col["price_resale_"+n]]
				if replay {
					if dp != 0 || rp != 0 {
						t.Fatalf("replay m%d %s: direct %g, resale %g, want 0", m, n, dp, rp)
					}
					continue
				}
				a := l * w.numCh
				if q := w.dm.qty[a]; q > 0 {
					if want := w.altSpend[a] * 1e3 / q; math.Abs(dp-want) > 1e-9*want {
						t.Fatalf("m%d %s: price_direct %g, spend/units %g", m, n, dp, want)
					}
					checkedDirect++
				}
				var x, q float64
				for ch := 1; ch < w.numCh; ch++ {
					x += w.altSpend[a+ch] * 1e3
					q += w.dm.qty[a+ch]
				}
				if q > 0 {
					if want := x / q; math.Abs(rp-want) > 1e-9*want {
						t.Fatalf("m%d %s: price_resale %g, resale spend/units %g", m, n, rp, want)
					}
					checkedResale++
				}
			}
		}
		if !replay && (checkedDirect < 50 || checkedResale < 10) {
			t.Fatalf("%d direct and %d resale lab-months checked, want at least 50 and 10", checkedDirect, checkedResale)
		}
		t.Logf("replay %v: %d direct and %d resale lab-months checked", replay, checkedDirect, checkedResale)
	}
}
