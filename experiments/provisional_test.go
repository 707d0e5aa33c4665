package experiments

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
	"frontiersim/results"
)

// rowText formats a comparison row so that NaN equals NaN.
func rowText(r results.ComparisonRow) string {
	var b strings.Builder
	b.WriteString(r.Arm + "," + r.Point + "," + r.Metric + "," + r.Window + "," + strconv.FormatBool(r.Definitional))
	for _, v := range []float64{float64(r.From), float64(r.Month), float64(r.N), r.BaselineMean, r.ArmMean, r.Diff, r.DiffSD, r.PairedLo, r.PairedHi,
		r.BootLo, r.BootHi, r.UnpairedLo, r.UnpairedHi, r.PairingGain} {
		b.WriteString("," + results.FormatFloat(v))
	}
	return b.String()
}

// TestCompareFinished: on a complete run the provisional comparison is
// comparison.csv exactly; on a partial run it pairs what is finished and
// counts the replications of each arm.
func TestCompareFinished(t *testing.T) {
	e := loadString(t, toySweep)
	ref := t.TempDir()
	run(t, e, ref, RunOptions{Workers: 2})
	d, err := results.ReadDir(ref)
	if err != nil {
		t.Fatal(err)
	}
	p, err := CompareFinished(context.Background(), ref, d.Manifest, toysim.Simulator{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != len(d.Comparison) || len(p.Rows) == 0 {
		t.Fatalf("%d rows, comparison.csv has %d", len(p.Rows), len(d.Comparison))
	}
	for i := range p.Rows {
		if a, b := rowText(p.Rows[i]), rowText(d.Comparison[i]); a != b {
			t.Fatalf("row %d:\n%s\nwant\n%s", i, a, b)
		}
	}
	for _, a := range p.Arms {
		if a.Done != a.Total || a.Total != 6*12 {
			t.Errorf("complete run: arm %+v", a)
		}
	}

	// A partial run: the first 100 of 216 replications (one worker, and the
	// 101st cancels the run).
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = Execute(ctx, e, toysim.CancelAfter(toysim.Simulator{}, 100, cancel), RunOptions{Dir: dir, Workers: 1, Now: fixedNow})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err = CompareFinished(context.Background(), dir, m, toysim.Simulator{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Done != 100 || m.JobsDone != 100 || p.Arms[0].Done != 72 || p.Arms[1].Done != 28 || p.Arms[2].Done != 0 {
		t.Fatalf("partial run (%d done): arms %+v, done %d", m.JobsDone, p.Arms, p.Done)
	}
	pairs := map[string]int{} // per arm, summed over points, of one metric
	for _, r := range p.Rows {
		if r.Metric == "hhi_model" && r.Window == results.HorizonWindow {
			pairs[r.Arm] += r.N
		}
	}
	if pairs["cap"] != 28 || pairs["slow"] != 0 {
		t.Errorf("pairs %v, want the finished replications of each arm (%+v)", pairs, p.Arms)
	}
	// experiment.toml edited after the run: refused.
	os.WriteFile(filepath.Join(dir, results.ExperimentFile), []byte(strings.Replace(string(e.Canonical()), "seed = 7", "seed = 8", 1)), 0o644)
	if _, err := CompareFinished(context.Background(), dir, m, toysim.Simulator{}); !errors.Is(err, results.ErrInconsistent) {
		t.Errorf("edited experiment.toml: got %v, want ErrInconsistent", err)
	}
}
