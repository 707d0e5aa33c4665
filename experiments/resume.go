package experiments

import (
	"fmt"
	"slices"
	"strings"

	"frontiersim/results"
)

// maxListedDiffs bounds the settings a resume refusal lists.
const maxListedDiffs = 6

// settingsDiff lists, in plain words, the settings of the run described by
// cur that differ from those of the run in a result directory (old): the
// name and description, seed, replications, months, buyers, scenario
// parameters, arms and their parameters, sweep, metrics, report and chart
// choices. "there" is the directory, "here" this run. It reads only the
// manifests' Plan and Seed, so that a changed seed is named as such rather
// than as a changed experiment hash.
func settingsDiff(old, cur results.Manifest) []string {
	var d []string
	add := func(format string, args ...any) { d = append(d, fmt.Sprintf(format, args...)) }
	if old.Experiment != cur.Experiment {
		add("name %q there, %q here", old.Experiment, cur.Experiment)
	}
	if old.Description != cur.Description {
		add("the description differs")
	}
	if old.Seed != cur.Seed {
		add("seed %d there, %d here", old.Seed, cur.Seed)
	}
	op, cp := old.Plan, cur.Plan
	if op.Replications != cp.Replications {
		add("replications %d there, %d here", op.Replications, cp.Replications)
	}
	if op.Months != cp.Months {
		add("months %d there, %d here", op.Months, cp.Months)
	}
	if op.Buyers != cp.Buyers {
		add("buyers %d there, %d here", op.Buyers, cp.Buyers)
	}
	if op.StartYear != cp.StartYear || op.StartMonth != cp.StartMonth {
		add("month 0 is %04d-%02d there, %04d-%02d here", op.StartYear, op.StartMonth, cp.StartYear, cp.StartMonth)
	}
	d = append(d, paramDiff("[scenario] ", op.Overrides, cp.Overrides)...)
	if len(d) == 0 {
		// The same overrides on other values: the model's defaults changed.
		d = append(d, paramDiff("the model's default of ", op.Parameters, cp.Parameters)...)
	}
	d = append(d, armsDiff(op.Arms, cp.Arms)...)
	d = append(d, sweepDiff(op, cp)...)
	names := func(ms []results.Metric) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return out
	}
	if !slices.Equal(names(op.Metrics), names(cp.Metrics)) {
		add("the model records other metrics (%d there, %d here)", len(op.Metrics), len(cp.Metrics))
	}
	if !slices.Equal(op.Report.Metrics, cp.Report.Metrics) {
		add("[report] metrics %v there, %v here", op.Report.Metrics, cp.Report.Metrics)
	}
	if !slices.Equal(op.Report.Months, cp.Report.Months) {
		add("[report] months %v there, %v here", op.Report.Months, cp.Report.Months)
	}
	oc, cc := op.Charts, cp.Charts
	if oc.Format != cc.Format || oc.Heatmap != cc.Heatmap || oc.Disable != cc.Disable || !slices.Equal(oc.Metrics, cc.Metrics) || !slices.Equal(oc.Points, cc.Points) {
		add("the [charts] settings differ")
	}
	return d
}

// paramDiff names the parameters set differently in two override lists.
func paramDiff(prefix string, old, cur []results.ParamValue) []string {
	var d []string
	value := func(pv []results.ParamValue, name string) (float64, bool) {
		for _, p := range pv {
			if p.Name == name {
				return p.Value, true
			}
		}
		return 0, false
	}
	show := func(v float64, ok bool) string {
		if !ok {
			return "unset"
		}
		return results.FormatFloat(v)
	}
	var names []string
	for _, pv := range [][]results.ParamValue{old, cur} {
		for _, p := range pv {
			if !slices.Contains(names, p.Name) {
				names = append(names, p.Name)
			}
		}
	}
	slices.Sort(names)
	for _, n := range names {
		ov, ook := value(old, n)
		cv, cok := value(cur, n)
		if ook != cok || ov != cv {
			d = append(d, fmt.Sprintf("%sparameter %s %s there, %s here", prefix, n, show(ov, ook), show(cv, cok)))
		}
	}
	return d
}

// armsDiff names the arms that were added, removed or changed.
func armsDiff(old, cur []results.Arm) []string {
	var d []string
	find := func(arms []results.Arm, name string) (results.Arm, bool) {
		for _, a := range arms {
			if a.Name == name {
				return a, true
			}
		}
		return results.Arm{}, false
	}
	for _, a := range old {
		c, ok := find(cur, a.Name)
		if !ok {
			d = append(d, fmt.Sprintf("arm %q is there, not here", a.Name))
			continue
		}
		if a.Description != c.Description {
			d = append(d, fmt.Sprintf("arm %q: the description differs", a.Name))
		}
		if a.From != c.From {
			d = append(d, fmt.Sprintf("arm %q: its levers switch on at month %d there, %d here", a.Name, a.From, c.From))
		}
		d = append(d, paramDiff(fmt.Sprintf("arm %q: ", a.Name), a.Overrides, c.Overrides)...)
	}
	for _, c := range cur {
		if _, ok := find(old, c.Name); !ok {
			d = append(d, fmt.Sprintf("arm %q is here, not there", c.Name))
		}
	}
	if len(d) == 0 && len(old) == len(cur) {
		for i := range old {
			if old[i].Name != cur[i].Name {
				d = append(d, "the arms are in another order")
				break
			}
		}
	}
	return d
}

// sweepDiff names a changed sweep: its kind and parameters, its number of
// points, or the values of a point.
func sweepDiff(op, cp results.Plan) []string {
	kind := func(s *results.SweepSpec) string {
		if s == nil {
			return "no sweep"
		}
		return fmt.Sprintf("a %s sweep over %s", s.Kind, strings.Join(s.Parameters, ", "))
	}
	if ok, ck := kind(op.Sweep), kind(cp.Sweep); ok != ck {
		return []string{fmt.Sprintf("%s there, %s here", ok, ck)}
	}
	if len(op.Points) != len(cp.Points) {
		return []string{fmt.Sprintf("%d sweep points there, %d here", len(op.Points), len(cp.Points))}
	}
	var d []string
	for i := range op.Points {
		o, c := op.Points[i], cp.Points[i]
		if o.Name != c.Name {
			d = append(d, fmt.Sprintf("sweep point %d is %q there, %q here", i+1, o.Name, c.Name))
			continue
		}
		d = append(d, paramDiff(fmt.Sprintf("sweep point %s: ", o.Name), o.Params, c.Params)...)
	}
	return d
}

// listDiffs joins the differences, at most maxListedDiffs of them.
func listDiffs(d []string) string {
	if len(d) > maxListedDiffs {
		return strings.Join(d[:maxListedDiffs], "; ") + fmt.Sprintf("; and %d more", len(d)-maxListedDiffs)
	}
	return strings.Join(d, "; ")
}
