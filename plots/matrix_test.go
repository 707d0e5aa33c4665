package plots

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/results"
	"frontiersim/stats"
)

// matrixFixture is a result directory whose comparison rows have chosen
// p-values: two policy arms × four metrics at the horizon, N = 10 pairs,
// the paired differences' SD √10 (a standard error of 1, so t = diff) and
// the baseline's SD 2. Arm b's effect on m4 is definitional, with a tiny
// p-value that must not count.
func matrixFixture(adjust string) *results.Dir {
	metrics := []results.Metric{{Name: "m1"}, {Name: "m2"}, {Name: "m3"}, {Name: "m4"}}
	plan := results.Plan{
		Arms:         []results.Arm{{Name: "baseline"}, {Name: "a"}, {Name: "b"}},
		Points:       []results.Point{{Name: "-"}},
		Replications: 10, Months: 12, StartYear: 2019, StartMonth: 1,
		Metrics: metrics, Charts: results.ChartSpec{Format: "png"},
		Report: results.ReportSpec{Adjust: adjust},
	}
	p := map[[2]string]float64{
		{"a", "m1"}: 0.001, {"a", "m2"}: 0.008, {"a", "m3"}: 0.02, {"a", "m4"}: 0.03,
		{"b", "m1"}: 0.04, {"b", "m2"}: 0.045, {"b", "m3"}: 0.3, {"b", "m4"}: 1e-6,
	}
	d := &results.Dir{Manifest: results.Manifest{Plan: plan}}
	h := stats.TQuantile(0.975, 9)
	for _, arm := range []string{"a", "b"} {
		for i, mt := range metrics {
			diff := stats.TQuantile(1-p[[2]string{arm, mt.Name}]/2, 9)
			if i%2 == 1 {
				diff = -diff
			}
			d.Comparison = append(d.Comparison, results.ComparisonRow{Arm: arm, Point: "-", Metric: mt.Name,
				Window: results.HorizonWindow, From: 11, Month: 11, N: 10, BaselineSD: 2,
				Diff: diff, DiffSD: math.Sqrt(10), PairedLo: diff - h, PairedHi: diff + h,
				Definitional: arm == "b" && mt.Name == "m4"})
		}
	}
	return d
}

// TestEffectsMatrixMarkers checks the matrix's adjusted p-values and
// markers against a hand computation. The family is the seven cells that
// are not definitional, p sorted 0.001, 0.008, 0.02, 0.03, 0.04, 0.045,
// 0.3.
//
// Holm: 7·0.001 = 0.007, 6·0.008 = 0.048, 5·0.02 = 0.1, 4·0.03 = 0.12,
// max(0.12, 3·0.04), max(0.12, 2·0.045), 0.3: two cells at most 0.05 (with
// the definitional cell in the family the second would be 7·0.008 = 0.056).
//
// BH, from the largest: 0.3, 7/6·0.045 = 0.0525, min(0.0525, 7/5·0.04),
// min(0.0525, 7/4·0.03), 7/3·0.02 = 0.04667, 7/2·0.008 = 0.028, 0.007:
// three cells.
//
// None: the six p-values at most 0.05.
func TestEffectsMatrixMarkers(t *testing.T) {
	cells := []string{"a/m1", "a/m2", "a/m3", "a/m4", "b/m1", "b/m2", "b/m3", "b/m4"}
	nan := math.NaN()
	cases := []struct {
		adjust string
		method string // as the note names it
		adj    []float64
		marked []string
	}{
		{"", "Holm", []float64{0.007, 0.048, 0.1, 0.12, 0.12, 0.12, 0.3, nan}, []string{"a/m1", "a/m2"}},
		{"holm", "Holm", []float64{0.007, 0.048, 0.1, 0.12, 0.12, 0.12, 0.3, nan}, []string{"a/m1", "a/m2"}},
		{"bh", "Benjamini–Hochberg", []float64{0.007, 0.028, 7.0 / 3 * 0.02, 0.0525, 0.0525, 0.0525, 0.3, nan}, []string{"a/m1", "a/m2", "a/m3"}},
		{"none", "not adjusted", []float64{0.001, 0.008, 0.02, 0.03, 0.04, 0.045, 0.3, nan}, []string{"a/m1", "a/m2", "a/m3", "a/m4", "b/m1", "b/m2"}},
	}
	for _, c := range cases {
		t.Run(c.adjust, func(t *testing.T) {
			m, ok, err := newData(matrixFixture(c.adjust)).matrix()
			if err != nil || !ok {
				t.Fatalf("ok=%v err=%v", ok, err)
			}
			if len(m.Arms) != 2 || len(m.Metrics) != 4 || m.Family != 7 || m.Marked != len(c.marked) {
				t.Fatalf("%d arms × %d metrics, family %d, marked %d; want 2 × 4, 7, %d", len(m.Arms), len(m.Metrics), m.Family, m.Marked, len(c.marked))
			}
			if note := m.note(); !strings.Contains(note, c.method) || !strings.Contains(note, "7 cells") {
				t.Errorf("note %q does not name %q and the 7 cells", note, c.method)
			}
			for k, name := range cells {
				cell := m.Cells[k/4][k%4]
				got, want := cell.PAdj, c.adj[k]
				if !(math.Abs(got-want) < 1e-9 || math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("%s: adjusted p %v, want %v", name, got, want)
				}
				marked := false
				for _, s := range c.marked {
					marked = marked || s == name
				}
				if cell.Significant != marked {
					t.Errorf("%s: marked %v, want %v (adjusted p %v)", name, cell.Significant, marked, got)
				}
				// Glass's Δ: the difference over the baseline's SD, 2.
				if r := cell.Row; math.Abs(cell.Effect-r.Diff/2) > 1e-12 || math.Abs(cell.Lo-r.PairedLo/2) > 1e-12 || math.Abs(cell.Hi-r.PairedHi/2) > 1e-12 {
					t.Errorf("%s: Δ %v [%v, %v] for a difference %v [%v, %v] and a baseline SD of 2", name, cell.Effect, cell.Lo, cell.Hi, r.Diff, r.PairedLo, r.PairedHi)
				}
			}
			if !m.Cells[1][3].Definitional || m.Cells[1][3].Significant {
				t.Error("the definitional cell is not labelled so, or is marked")
			}
		})
	}
}

func TestEffectsMatrixWindowAndMethod(t *testing.T) {
	d := matrixFixture("bonferroni")
	if _, _, err := newData(d).matrix(); err == nil || !strings.Contains(err.Error(), "bonferroni") {
		t.Errorf("an unknown adjustment: got %v", err)
	}
	d = matrixFixture("")
	d.Manifest.Plan.Report.MatrixWindow = "late"
	if _, _, err := newData(d).matrix(); err == nil || !strings.Contains(err.Error(), `"late"`) {
		t.Errorf("an unknown window: got %v", err)
	}
	// The named window's rows, not the horizon's.
	d.Manifest.Plan.Report.Windows = []results.Window{{Name: "late", From: 6, To: 11}}
	d.Comparison = append(d.Comparison, results.ComparisonRow{Arm: "a", Point: "-", Metric: "m2", Window: "late", From: 6, Month: 11,
		N: 10, BaselineSD: 4, Diff: 1, DiffSD: 1, PairedLo: 0.5, PairedHi: 1.5})
	m, ok, err := newData(d).matrix()
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	if m.Window.Name != "late" || len(m.Arms) != 1 || len(m.Metrics) != 1 || m.Cells[0][0].Effect != 0.25 {
		t.Errorf("window %q, %d arms × %d metrics, Δ %v; want late, 1 × 1, 0.25", m.Window.Name, len(m.Arms), len(m.Metrics), m.Cells[0][0].Effect)
	}
	// No baseline variation, or only rounding noise: no standardized
	// effect, but still tested.
	for _, sd := range []float64{0, 1e-10} {
		d = matrixFixture("")
		d.Comparison[0].BaselineSD, d.Comparison[0].BaselineMean = sd, 1
		m, _, _ = newData(d).matrix()
		if c := m.Cells[0][0]; !math.IsNaN(c.Effect) || !c.Significant {
			t.Errorf("a baseline SD of %v: Δ %v, marked %v; want NaN and marked", sd, c.Effect, c.Significant)
		}
	}
}

// TestReportMatrixFirst: the report's first table is the effects matrix,
// which names its adjustment and marks the cells the hand computation of
// TestEffectsMatrixMarkers marks.
func TestReportMatrixFirst(t *testing.T) {
	for _, c := range []struct {
		adjust, method string
		marked         int
	}{{"", "Holm (family-wise error rate)", 2}, {"bh", "Benjamini–Hochberg (false discovery rate)", 3}} {
		path := filepath.Join(t.TempDir(), "report.html")
		if err := WriteReport(matrixFixture(c.adjust), nil, "", path); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		first := strings.Index(s, "<table")
		if first < 0 || !strings.HasPrefix(s[first:], `<table class="matrix">`) {
			t.Fatalf("%s: the first table is not the effects matrix", c.method)
		}
		if !strings.Contains(s, "Adjustment: "+c.method+".") || !strings.Contains(s, "adjusted by "+c.method+" across the 7 cells") {
			t.Errorf("the report does not name the adjustment %s", c.method)
		}
		if n := strings.Count(s, `<td class="num sig"`); n != c.marked {
			t.Errorf("%s: %d cells marked, want %d", c.method, n, c.marked)
		}
		if n := strings.Count(s, ">by definition</span>"); n != 1 {
			t.Errorf("%s: %d cells by definition, want 1", c.method, n)
		}
	}
}
