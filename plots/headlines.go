package plots

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"frontiersim/results"
)

// maxHeadlines is the number of effects a policy's sentence names.
const maxHeadlines = 3

// leverSentences writes, for each policy arm of the effects matrix, a
// plain sentence on its headline effects, generated from the numbers: the
// effects the matrix marks (adjusted p-value at most matrixAlpha), largest
// standardized effect first, each with its difference in the metric's
// unit and 95% paired-t interval; when none is marked, its largest effect
// and that it is not distinguishable from zero; and the metrics it moves by
// definition. note says what the sentences rest on.
func (x *data) leverSentences(em effectsMatrix, arms map[string]results.Arm) ([]leverView, string) {
	var out []leverView
	for i, arm := range em.Arms {
		var marked, unmarked, defs []int
		for j := range em.Metrics {
			c := em.Cells[i][j]
			switch {
			case !c.OK:
			case c.Definitional:
				defs = append(defs, j)
			case c.Significant:
				marked = append(marked, j)
			default:
				unmarked = append(unmarked, j)
			}
		}
		bySize := func(js []int) {
			sort.SliceStable(js, func(a, b int) bool {
				ea, eb := math.Abs(em.Cells[i][js[a]].Effect), math.Abs(em.Cells[i][js[b]].Effect)
				if math.IsNaN(eb) {
					return !math.IsNaN(ea)
				}
				return ea > eb
			})
		}
		bySize(marked)
		bySize(unmarked)
		var s string
		switch {
		case len(marked) > 0:
			var parts []string
			for _, j := range marked[:min(maxHeadlines, len(marked))] {
				parts = append(parts, effectPhrase(em.Cells[i][j].Row, em.Metrics[j]))
			}
			s = capitalize(joinAnd(parts)) + "."
			if more := len(marked) - maxHeadlines; more > 0 {
				s += fmt.Sprintf(" It moves %d more headline metric%s distinguishably (see the matrix).", more, plural(more))
			}
			if len(unmarked) > 0 {
				s += fmt.Sprintf(" Its effects on the other %d headline metrics are not distinguishable from zero.", len(unmarked))
			}
		case len(unmarked) > 0:
			j := unmarked[0]
			s = fmt.Sprintf("No headline effect is distinguishable from zero after %s adjustment; the largest: it %s.",
				em.Method.Describe(), effectPhrase(em.Cells[i][j].Row, em.Metrics[j]))
		default:
			s = "No headline effect is tested."
		}
		if len(defs) > 0 {
			var names []string
			for _, j := range defs {
				names = append(names, em.Metrics[j].Name)
			}
			s += " It moves " + joinAnd(names) + " by definition (not a finding)."
		}
		out = append(out, leverView{Arm: arm, Description: arms[arm].Description, Sentence: s})
	}
	note := fmt.Sprintf("Effects %s%s, paired by replication: the mean difference arm − %s with its 95%% paired-t interval. "+
		"A policy's sentence names the effects the matrix marks (adjusted p-value at most %g, %s), the largest standardized effect first.",
		x.windowText(em.Window), pointSuffix(x.pointNote()), x.baselineName(), matrixAlpha, em.Method.Describe())
	return out, note
}

// effectPhrase says what an arm does to a metric: "raises hhi_model by
// 1,840 HHI points (95% CI 1,520 to 2,160)".
func effectPhrase(c results.ComparisonRow, m results.Metric) string {
	verb := "raises"
	d, lo, hi := c.Diff, c.PairedLo, c.PairedHi
	if d < 0 {
		verb = "lowers"
		d, lo, hi = -d, -hi, -lo
	}
	t := fmtSame(d, lo, hi)
	return fmt.Sprintf("%s %s by %s%s (95%% CI %s to %s)", verb, m.Name, t[0], unitPhrase(m.Unit), t[1], t[2])
}

// unitPhrase is the unit after a number in a sentence, without its
// qualifications ("HHI points (0-10,000)" reads "HHI points", "US$ per
// Mtok, fixed capability" "US$ per Mtok"), or nothing for a unit that a
// bare number says (a fraction, a count, an index).
func unitPhrase(u string) string {
	u, _, _ = strings.Cut(u, " (")
	u, _, _ = strings.Cut(u, ",")
	switch strings.ToLower(strings.TrimSpace(u)) {
	case "", "fraction", "share", "count", "index", "index 0-1", "multiple":
		return ""
	}
	return " " + strings.TrimSpace(u)
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
