package agents

import "testing"

// demand.seam_period: the compute rule's demand seam is evaluated every
// seam_period months (and when a lab without held values asks), its values
// held in between; 1 evaluates it every month.
func TestSeamPeriod(t *testing.T) {
	for _, period := range []int{1, 3} {
		s := DefaultScenario()
		s.Demand.SeamPeriod = period
		w := newTestWorld(t, s, 500, 1)
		evals, last := 0, -1
		var held [MaxLabs]float64
		for m := 0; m < DefaultMonths; m++ {
			stepTo(t, w, m, m+1)
			pg := &w.pg
			if pg.seamAt == m {
				if last >= 0 && m-last < period && m-last > 0 {
					// only a lab without held values restarts the period early
					fresh := false
					for l := range w.Labs {
						fresh = fresh || (pg.seamDone[l] && held[l] < 0)
					}
					if !fresh {
						t.Errorf("period %d: seam evaluated in months %d and %d", period, last, m)
					}
				}
				evals++
				last = m
				for l := range w.Labs {
					held[l] = -1
					if pg.seamDone[l] {
						held[l] = pg.seamK[l]
					}
				}
				continue
			}
			if period == 1 {
				t.Errorf("period 1: seam not evaluated in month %d (last %d)", m, pg.seamAt)
			}
			if m-last >= period {
				t.Errorf("period %d: month %d holds the seam of month %d", period, m, last)
			}
			for l := range w.Labs {
				if held[l] >= 0 && pg.seamK[l] != held[l] {
					t.Errorf("period %d: month %d: lab %d's gain moved from %g to %g between evaluations", period, m, l, held[l], pg.seamK[l])
				}
			}
		}
		if want := (DefaultMonths + period - 1) / period; evals < want || evals > want+len(w.Labs) {
			t.Errorf("period %d: %d seam evaluations in %d months, want %d to %d", period, evals, DefaultMonths, want, want+len(w.Labs))
		}
		t.Logf("period %d: %d evaluations", period, evals)
	}
}
