package experiments

import (
	"fmt"

	"frontiersim/results"
)

// MinPairedReplications is the fewest replications per arm and sweep point
// below which a paired comparison of arms draws a warning: with fewer, the
// t and bootstrap intervals of comparison.csv are wide and their coverage
// rests on the differences being close to normal.
const MinPairedReplications = 30

// Warnings lists what is allowed in an experiment but probably not meant:
// a horizon past the model's calibrated period, and fewer than
// MinPairedReplications replications when there are arms to compare. Each
// is a sentence saying what and why; runsim prints them on stderr.
func Warnings(e *Experiment, sim Simulator) []string {
	sim = e.simulator(sim)
	var w []string
	plan := results.Plan{StartYear: StartYear, StartMonth: StartMonth, Months: e.Months}
	if c := sim.CalibratedMonths(); c > 0 && e.Months > c {
		w = append(w, fmt.Sprintf("months = %d runs to %s, past the model's calibrated period (%d months, %s to %s): the months after %s are extrapolation",
			e.Months, plan.MonthLabel(e.Months-1), c, plan.MonthLabel(0), plan.MonthLabel(c-1), plan.MonthLabel(c-1)))
	}
	if len(e.Arms) > 1 && e.Replications < MinPairedReplications {
		w = append(w, fmt.Sprintf("%d replications per arm for a paired comparison of %d policy arm(s) with the baseline: below %d the intervals are wide and rest on the differences being near normal; use replications = %d or more for results to report",
			e.Replications, len(e.Arms)-1, MinPairedReplications, MinPairedReplications))
	}
	return w
}
