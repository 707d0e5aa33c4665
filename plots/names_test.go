package plots

import (
	"testing"

	"frontiersim/results"
)

// TestChartNamesAreKnown: every chart the registry can write, for every
// fixture and for metric names with characters a file name cannot hold,
// has a name that results.IsChartFile accepts, so that a start-over of a
// result directory removes it (and nothing else).
func TestChartNamesAreKnown(t *testing.T) {
	for _, sweep := range []string{"", "grid", "lhs"} {
		d := *fixture(sweep) // a copy: the fixture is shared
		d.Manifest.Plan.Charts.Metrics = nil
		d.Manifest.Plan.Metrics = append([]results.Metric(nil), d.Manifest.Plan.Metrics...)
		d.Manifest.Plan.Metrics[0].Name = "odd name/with:chars"
		d.Manifest.Plan.Report.Windows = []results.Window{{Name: "2023-2025", From: 0, To: 5}}
		js := newData(&d).jobs()
		have := map[string]bool{}
		for _, j := range js {
			have[j.name] = true
		}
		for _, want := range []string{"effects", "effect_odd_name_with_chars", "forest_odd_name_with_chars.2023-2025"} {
			if !have[want] {
				t.Errorf("sweep %q: no chart %s in the registry", sweep, want)
			}
		}
		if len(js) < 5 {
			t.Fatalf("sweep %q: only %d charts", sweep, len(js))
		}
		for _, format := range []string{"png", "svg"} {
			for _, j := range js {
				if name := j.name + "." + format; !results.IsChartFile(name) {
					t.Errorf("sweep %q: chart %q is not a name results.IsChartFile accepts", sweep, name)
				}
			}
		}
	}
	for _, name := range []string{"thesis.tex", "summary.pdf", "fan_.png", "notes_x.png", "sub", ".fan_x.png", "fan_a b.png"} {
		if results.IsChartFile(name) {
			t.Errorf("IsChartFile(%q) = true", name)
		}
	}
}
