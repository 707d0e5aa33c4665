package agents

import (
	"math"
	"slices"
	"strings"
	"testing"

	"frontiersim/engine"
)

// calibrationColumns are the columns of GroupCalibration in the default
// world, in order.
var calibrationColumns = []string{"cramer_v_cloud", "backer_openai", "max_buyer_spend_openai"}

// TestOptionalGroups: the calibration metrics are off by default and come
// after the default columns when asked for; an unknown group is refused.
func TestOptionalGroups(t *testing.T) {
	if got := OptionalGroups(); !slices.Equal(got, []string{GroupCalibration}) {
		t.Fatalf("OptionalGroups() = %v", got)
	}
	def := Metrics()
	with, err := MetricsWith(GroupCalibration)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range def {
		if m.Group == GroupCalibration {
			t.Errorf("default metric %s is in the optional group %q", m.Name, m.Group)
		}
	}
	if !slices.Equal(with[:len(def)], def) {
		t.Fatalf("the calibration group changes the default columns")
	}
	var extra []string
	for _, m := range with[len(def):] {
		extra = append(extra, m.Name)
		if m.Group != GroupCalibration || m.Unit == "" || m.Description == "" {
			t.Errorf("calibration metric %+v", m)
		}
	}
	if !slices.Equal(extra, calibrationColumns) {
		t.Errorf("calibration columns %v, want %v", extra, calibrationColumns)
	}
	if _, err := MetricsWith("stylized facts"); err == nil || !strings.Contains(err.Error(), "not an optional metric group") {
		t.Errorf("MetricsWith of a default group: %v", err)
	}
	if _, err := NewWorld(DefaultScenario(), 10, engine.NewStreams(1, 0), 12, false, "no such group"); err == nil || !strings.Contains(err.Error(), `"no such group"`) {
		t.Errorf("NewWorld with an unknown group: %v", err)
	}
}

// TestCalibrationMetrics runs the default world with the calibration group
// and checks, month by month, every calibration metric against a
// brute-force recount from the buyers and labs, and that recording them
// changes none of the default columns.
func TestCalibrationMetrics(t *testing.T) {
	const buyers, months = 400, DefaultMonths
	for _, replay := range []bool{false, true} {
		s := DefaultScenario()
		s.Mode.Replay = replay
		plain, err := NewWorld(s, buyers, engine.NewStreams(11, 3), months, true)
		if err != nil {
			t.Fatal(err)
		}
		w, err := NewWorld(s, buyers, engine.NewStreams(11, 3), months, true, GroupCalibration)
		if err != nil {
			t.Fatal(err)
		}
		openai := lab(t, w, "openai")
		cols := make([]int, len(calibrationColumns))
		for i, n := range calibrationColumns {
			if cols[i], err = w.MetricIndex(n); err != nil {
				t.Fatal(err)
			}
		}
		spend, _ := w.MetricIndex("enterprise_spend")
		nDef := len(plain.Metrics())
		var sawBacker, sawAssociation bool
		for m := 0; m < months; m++ {
			stepTo(t, plain, m, m+1)
			stepTo(t, w, m, m+1)
			if !slices.Equal(w.Recorder().Row(m)[:nDef], plain.Recorder().Row(m)) {
				t.Fatalf("replay %v, month %d: recording the calibration group changed the default columns", replay, m)
			}
			v, b, mx := w.Recorder().Get(m, cols[0]), w.Recorder().Get(m, cols[1]), w.Recorder().Get(m, cols[2])
			if want := bruteCramerV(w); math.Abs(v-want) > 1e-12 {
				t.Errorf("replay %v, month %d: cramer_v_cloud %v, recount %v", replay, m, v, want)
			}
			if want := float64(w.Labs[openai].Backer); b != want {
				t.Errorf("replay %v, month %d: backer_openai %v, lab state %v", replay, m, b, want)
			}
			if want := bruteMaxBuyer(w, openai, w.Recorder().Get(m, spend)); math.Abs(mx-want) > 1e-12*math.Max(1, want) {
				t.Errorf("replay %v, month %d: max_buyer_spend_openai %v, recount %v", replay, m, mx, want)
			}
			sawBacker = sawBacker || b >= 0
			sawAssociation = sawAssociation || v > 0
		}
		if !sawBacker || !sawAssociation {
			t.Errorf("replay %v: the run never had a backer (%v) or an association (%v): the checks above checked little", replay, sawBacker, sawAssociation)
		}
	}
}

// bruteCramerV recounts Cramér's V of adopters' primary cloud x their main
// vendor's partner cloud (owner, backer, else largest hyperscaler
// shareholder, else none) with maps and the identity
// χ² = n (Σ n_ij² / (n_i. n_.j) - 1).
func bruteCramerV(w *World) float64 {
	partnerOf := func(l int) int {
		L := &w.Labs[l]
		switch {
		case L.Owner >= 0:
			return L.Owner
		case L.Backer >= 0:
			return L.Backer
		}
		best, bs := -1, 0.0
		for h := range w.Hyper {
			if st := L.Cap.Stake(w.Hyper[h].Name); st > bs {
				best, bs = h, st
			}
		}
		if best < 0 {
			return len(w.Hyper)
		}
		return best
	}
	type cell struct{ i, j int }
	cells, rows, cols := map[cell]float64{}, map[int]float64{}, map[int]float64{}
	n := 0.0
	for b, inc := range w.Buyers.Inc {
		if inc == 0 {
			continue
		}
		prim, _, _ := w.Segment(w.Buyers.Seg[b])
		j := partnerOf(int(inc) - 1)
		cells[cell{prim, j}]++
		rows[prim]++
		cols[j]++
		n++
	}
	k := min(len(rows), len(cols)) - 1
	if n == 0 || k < 1 {
		return 0
	}
	s := 0.0
	for c, x := range cells {
		s += x * x / (rows[c.i] * cols[c.j])
	}
	return math.Sqrt((s - 1) / float64(k)) // χ²/n = s - 1
}

// bruteMaxBuyer is the largest adopter of lab l's share of adopters' size
// times the month's enterprise spend.
func bruteMaxBuyer(w *World, l int, spend float64) float64 {
	var sizes []float64
	tot := 0.0
	for b, inc := range w.Buyers.Inc {
		if inc == 0 {
			continue
		}
		tot += float64(w.Buyers.Size[b])
		if int(inc) == l+1 {
			sizes = append(sizes, float64(w.Buyers.Size[b]))
		}
	}
	if tot == 0 || len(sizes) == 0 {
		return 0
	}
	return slices.Max(sizes) / tot * spend
}

// TestCramerV checks the contingency table's Cramér's V against closed
// forms.
func TestCramerV(t *testing.T) {
	for _, c := range []struct {
		name string
		tab  [][]int
		want float64
	}{
		{"no observations", [][]int{{0, 0}, {0, 0}}, 0},
		{"one row", [][]int{{3, 4}, {0, 0}}, 0},
		{"perfect association", [][]int{{5, 0}, {0, 7}}, 1},
		{"perfect association, an empty column", [][]int{{2, 0, 0}, {0, 0, 3}}, 1},
		{"independence", [][]int{{2, 4}, {3, 6}}, 0},
		// rows 10, 10; columns 15, 5; expected 7.5, 2.5 in each row:
		// χ² = 2 (2.5²/7.5 + 2.5²/2.5) = 20/3, V = √(χ²/20) = 1/√3.
		{"2x2", [][]int{{10, 0}, {5, 5}}, 1 / math.Sqrt(3)},
		// 3x3 with k = 2: a permutation table is perfectly associated.
		{"3x3 permutation", [][]int{{0, 4, 0}, {0, 0, 4}, {4, 0, 0}}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			ct := newContingency(len(c.tab), len(c.tab[0]))
			for round := 0; round < 2; round++ { // a reset table counts afresh
				ct.reset()
				for i, row := range c.tab {
					for j, x := range row {
						for range x {
							ct.add(i, j)
						}
					}
				}
				if got := ct.cramerV(); math.Abs(got-c.want) > 1e-12 {
					t.Errorf("round %d: V = %v, want %v", round, got, c.want)
				}
			}
		})
	}
}

// TestPartnerColumn: an owner comes before a backer, a backer before the
// largest hyperscaler shareholder, and a lab with none is in the "none"
// column.
func TestPartnerColumn(t *testing.T) {
	w := newTestWorld(t, DefaultScenario(), 50, 1)
	stepTo(t, w, 0, 1)
	l := lab(t, w, "anthropic")
	none := len(w.Hyper)
	for _, c := range []struct {
		name          string
		owner, backer int
		want          int
	}{
		{"owner and backer", 2, 0, 2},
		{"owner only", 1, -1, 1},
		{"backer only", -1, 2, 2},
	} {
		w.Labs[l].Owner, w.Labs[l].Backer = c.owner, c.backer
		if got := w.partnerColumn(l); got != c.want {
			t.Errorf("%s: column %d, want %d", c.name, got, c.want)
		}
	}
	w.Labs[l].Owner, w.Labs[l].Backer = -1, -1
	for h := range w.Hyper {
		if w.Labs[l].Cap.Stake(w.Hyper[h].Name) > 0 {
			t.Fatalf("anthropic has a stake of %s in month 0: the case of no partner is not tested", w.Hyper[h].Name)
		}
	}
	if got := w.partnerColumn(l); got != none {
		t.Errorf("no partner: column %d, want %d (none)", got, none)
	}
}
