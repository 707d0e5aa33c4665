package plots

import (
	"os"
	"strings"
	"testing"
)

// ParseValidation reads docs/validation.md as the calibration writes it:
// every fact of its summary table, and a reason for each that fails.
func TestParseValidation(t *testing.T) {
	md, err := os.ReadFile("../docs/validation.md")
	if err != nil {
		t.Fatal(err)
	}
	v, err := ParseValidation(md)
	if err != nil {
		t.Fatal(err)
	}
	// The summary table's rows, counted independently of the parser.
	_, summary, _ := strings.Cut(string(md), "## Summary")
	summary, _, _ = strings.Cut(summary, "\n## ")
	rows := strings.Count(summary, "\n| ") - 1 // less the header row
	if len(v.Facts) != rows || rows < 5 {
		t.Fatalf("%d facts parsed, the summary table has %d rows", len(v.Facts), rows)
	}
	if !strings.Contains(v.Source, "docs/validation.md (measured at commit ") {
		t.Errorf("source %q", v.Source)
	}
	fails := 0
	for _, f := range v.Facts {
		if f.ID == "" || f.Statement == "" || f.Status == "" {
			t.Errorf("incomplete fact %+v", f)
		}
		if f.Verdict == "FAIL" {
			fails++
			if f.Reason == "" {
				t.Errorf("%s fails without a reason", f.ID)
			}
			if !strings.Contains(string(md), f.Reason[:min(60, len(f.Reason))]) && !strings.Contains(f.Reason, " against ") {
				t.Errorf("%s: reason %q is neither the document's nor its failed rows", f.ID, f.Reason)
			}
		} else if f.Reason != "" {
			t.Errorf("%s (%s) has a reason", f.ID, f.Verdict)
		}
	}
	if want := strings.Count(summary, "| FAIL |"); fails != want {
		t.Errorf("%d facts fail, the table says %d", fails, want)
	}
	if _, err := ParseValidation([]byte("# nothing here\n")); err == nil {
		t.Error("a document without a summary table parsed")
	}
}
