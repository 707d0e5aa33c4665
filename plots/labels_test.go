package plots

import (
	"os"
	"testing"

	"frontiersim/results"
)

// TestLabelOverlapsDir checks the charts of a result directory named by
// FRONTIERSIM_LABELS_DIR (a development aid; cmd/runsim's test checks the
// default experiment).
func TestLabelOverlapsDir(t *testing.T) {
	dir := os.Getenv("FRONTIERSIM_LABELS_DIR")
	if dir == "" {
		t.Skip("FRONTIERSIM_LABELS_DIR not set")
	}
	d, err := results.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ov, err := LabelOverlaps(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range ov {
		t.Error(o)
	}
}
