package plots

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// Validation is the model's validation status as the validation report
// (docs/validation.md, written by the calibration's validation command)
// states it: every stylized and validation fact with its verdict and, for
// a fact that fails, why. The report shows it beside the results, so that
// a reader weighs the effects against what the model does and does not
// reproduce.
type Validation struct {
	Source string // where the status comes from: the document and the commit it was measured at
	Facts  []ValidationFact
}

// ValidationFact is one fact of the validation report.
type ValidationFact struct {
	ID, Statement string
	Verdict       string // "pass", "FAIL", "reported" or "not measured", as the report writes it
	Status        string // what the tests do with it: "asserted by its test", "known failure of model v1, ..."
	Reason        string // for a fact that fails: the known limitation, or the criteria it misses
}

// ParseValidation reads the validation status from the Markdown of the
// validation report: the facts of its "## Summary" table (fact, statement,
// verdict, in the tests), the commit of its "- Commit:" line, and for each
// fact that fails the reason its section gives ("Known failure of model
// v1: ...", "Report only until the recalibration issue: ..."), else the
// rows of its table whose verdict is FAIL.
func ParseValidation(md []byte) (*Validation, error) {
	v := &Validation{Source: "docs/validation.md"}
	sc := bufio.NewScanner(bytes.NewReader(md))
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	section, fact := "", ""
	byID := map[string]int{}
	failed := map[string][]string{}
	reason := map[string]string{}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			section, fact = strings.TrimPrefix(line, "## "), ""
			continue
		case strings.HasPrefix(line, "### "):
			id, _, _ := strings.Cut(strings.TrimPrefix(line, "### "), ":")
			fact = strings.TrimSpace(id)
			continue
		case strings.HasPrefix(line, "- Commit: `"):
			rev, _, _ := strings.Cut(strings.TrimPrefix(line, "- Commit: `"), "`")
			v.Source += fmt.Sprintf(" (measured at commit %.7s)", rev)
			continue
		}
		if section == "Summary" && strings.HasPrefix(line, "|") {
			cells := tableCells(line)
			if len(cells) != 4 || cells[0] == "fact" || strings.HasPrefix(cells[0], "---") {
				continue
			}
			byID[cells[0]] = len(v.Facts)
			v.Facts = append(v.Facts, ValidationFact{ID: cells[0], Statement: cells[1], Verdict: cells[2], Status: cells[3]})
			continue
		}
		if fact == "" {
			continue
		}
		for _, p := range []string{"Known failure of model v1: ", "Report only until the recalibration issue: "} {
			if r, ok := strings.CutPrefix(line, p); ok {
				reason[fact] = r
			}
		}
		if strings.HasPrefix(line, "|") {
			cells := tableCells(line)
			if n := len(cells); n >= 3 && cells[n-1] == "FAIL" {
				failed[fact] = append(failed[fact], fmt.Sprintf("%s: %s (95%% interval %s) against %s", cells[0], cells[2], cells[3], cells[n-2]))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("plots: validation report: %w", err)
	}
	if len(v.Facts) == 0 {
		return nil, fmt.Errorf("plots: validation report: no fact in its Summary table")
	}
	for id, i := range byID {
		f := &v.Facts[i]
		if f.Verdict != "FAIL" {
			continue
		}
		f.Reason = reason[id]
		if f.Reason == "" {
			f.Reason = strings.Join(failed[id], "; ")
		}
	}
	return v, nil
}

// tableCells splits a Markdown table row into its trimmed cells.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	cells := strings.Split(line, "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}
