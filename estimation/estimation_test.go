package estimation

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func twoTargets() []Target {
	return []Target{
		{ID: "a@m1", Observed: 2, SD: 0.5, Weight: 1},
		{ID: "b@m2", Observed: -1, SD: 2, Weight: 0.5},
	}
}

// TestObjectiveTerms: one term per target and no other (no stylized-fact
// penalty), each the weighted squared standardized deviation, summing to
// the objective.
func TestObjectiveTerms(t *testing.T) {
	obj, terms := Objective(twoTargets(), []float64{3, 3})
	want := []float64{1 * 2 * 2, 0.5 * 2 * 2} // ((3-2)/0.5)², ((3+1)/2)² × ½
	if len(terms) != len(want) {
		t.Fatalf("%d terms, want %d (one per target)", len(terms), len(want))
	}
	sum := 0.0
	for i, tm := range terms {
		if tm.Target != twoTargets()[i].ID || math.Abs(tm.Value-want[i]) > 1e-15 {
			t.Errorf("term %d: %+v, want %s = %v", i, tm, twoTargets()[i].ID, want[i])
		}
		sum += tm.Value
	}
	if obj != sum {
		t.Errorf("objective %v, sum of terms %v", obj, sum)
	}
}

// linear is the moment function means = A x + b (no noise).
func linear(a [][]float64, b []float64) Evaluate {
	return func(_ context.Context, xs [][]float64) ([][]float64, [][]float64, error) {
		var means, sds [][]float64
		for _, x := range xs {
			m := make([]float64, len(a))
			for i := range a {
				m[i] = b[i]
				for j := range x {
					m[i] += a[i][j] * x[j]
				}
			}
			means = append(means, m)
			sds = append(sds, make([]float64, len(a)))
		}
		return means, sds, nil
	}
}

// TestIdentifyLinear checks the Jacobian, rank and condition number of a
// linear moment function against their closed forms: with unit ranges,
// sd 1 and weight 1 the scaled Jacobian is A, whose singular values for
// A = diag(3, 1) are 3 and 1 (condition 3); with a zero column the rank
// drops to 1 and that parameter is wholly in the null space.
func TestIdentifyLinear(t *testing.T) {
	ps := []Parameter{{Name: "p", Min: 0, Max: 1}, {Name: "q", Min: 0, Max: 1}}
	ts := []Target{{ID: "m1", SD: 1, Weight: 1}, {ID: "m2", SD: 1, Weight: 1}}
	for _, tc := range []struct {
		name      string
		a         [][]float64
		rank      int
		cond      float64
		null      []float64
		pinnedByQ []string
	}{
		{"identified", [][]float64{{3, 0}, {0, 1}}, 2, 3, []float64{0, 0}, []string{"m2"}},
		{"q unidentified", [][]float64{{3, 0}, {1, 0}}, 1, math.Inf(1), []float64{0, 1}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, err := Identify(context.Background(), linear(tc.a, []float64{0, 0}), ps, ts, []float64{0.5, 0.5}, 0.01)
			if err != nil {
				t.Fatal(err)
			}
			for i := range tc.a {
				for j := range tc.a[i] {
					if math.Abs(id.Jacobian[i][j]-tc.a[i][j]) > 1e-9 || math.Abs(id.Scaled[i][j]-tc.a[i][j]) > 1e-9 {
						t.Errorf("J[%d][%d] = %v (scaled %v), want %v", i, j, id.Jacobian[i][j], id.Scaled[i][j], tc.a[i][j])
					}
				}
			}
			if id.Rank != tc.rank || math.Abs(id.Condition-tc.cond) > 1e-9 && !(math.IsInf(tc.cond, 1) && math.IsInf(id.Condition, 1)) {
				t.Errorf("rank %d, condition %v; want %d, %v", id.Rank, id.Condition, tc.rank, tc.cond)
			}
			for j, w := range tc.null {
				if math.Abs(id.Unidentified[j]-w) > 1e-9 {
					t.Errorf("null share of %s %v, want %v", ps[j].Name, id.Unidentified[j], w)
				}
			}
			if strings.Join(id.PinnedBy[1], ",") != strings.Join(tc.pinnedByQ, ",") {
				t.Errorf("q pinned by %v, want %v", id.PinnedBy[1], tc.pinnedByQ)
			}
		})
	}
}

// TestIdentifyOneSidedAtBound: at a bound the difference is one-sided and
// still exact for a linear function.
func TestIdentifyOneSidedAtBound(t *testing.T) {
	ps := []Parameter{{Name: "p", Min: 0, Max: 2}}
	ts := []Target{{ID: "m", SD: 4, Weight: 1}}
	id, err := Identify(context.Background(), linear([][]float64{{5}}, []float64{1}), ps, ts, []float64{2}, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(id.Jacobian[0][0]-5) > 1e-9 || math.Abs(id.Scaled[0][0]-5*2/4.0) > 1e-9 {
		t.Errorf("J %v, scaled %v; want 5, 2.5", id.Jacobian[0][0], id.Scaled[0][0])
	}
}

// TestMinimizeQuadratic: the simplex finds the minimum of a quadratic
// bowl inside the cube, and one on a face when the minimum lies outside.
func TestMinimizeQuadratic(t *testing.T) {
	for _, tc := range []struct{ c, want []float64 }{
		{[]float64{0.3, 0.8}, []float64{0.3, 0.8}},
		{[]float64{1.4, 0.2}, []float64{1, 0.25}}, // on the face u0 = 1: 4d² − 0.4d is least at d = 0.05
	} {
		f := func(_ context.Context, u []float64) (float64, error) {
			return (u[0]-tc.c[0])*(u[0]-tc.c[0]) + 4*(u[1]-tc.c[1])*(u[1]-tc.c[1]) + (u[0]-tc.c[0])*(u[1]-tc.c[1]), nil
		}
		u, _, converged, err := Minimize(context.Background(), f, []float64{0.5, 0.5}, 500, 1e-7)
		if err != nil {
			t.Fatal(err)
		}
		if !converged {
			t.Errorf("bowl at %v: not converged in 500 evaluations", tc.c)
		}
		for i := range u {
			if math.Abs(u[i]-tc.want[i]) > 1e-3 {
				t.Errorf("minimum of the bowl at %v: found %v, want %v", tc.c, u, tc.want)
			}
		}
	}
}

// TestCheckpointTornLine: a line cut short by an interruption is dropped
// and overwritten; a checkpoint of other inputs is refused.
func TestCheckpointTornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "evaluations.csv")
	ps := []Parameter{{Name: "p", Min: 0, Max: 1}}
	ts := []Target{{ID: "m"}}
	ck, err := OpenCheckpoint(path, "h", ps, ts)
	if err != nil {
		t.Fatal(err)
	}
	if err := ck.Record([]float64{0.1}, []float64{1.0 / 3}, []float64{2}); err != nil {
		t.Fatal(err)
	}
	ck.Close()
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("0.2,0.5")
	f.Close()
	ck, err = OpenCheckpoint(path, "h", ps, ts)
	if err != nil {
		t.Fatal(err)
	}
	if m, _, ok := ck.Lookup([]float64{0.1}); !ok || m[0] != 1.0/3 || ck.Len() != 1 {
		t.Errorf("lookup %v %v, %d recorded; want 1/3 exactly, 1", m, ok, ck.Len())
	}
	if err := ck.Record([]float64{0.2}, []float64{0.5}, []float64{0}); err != nil {
		t.Fatal(err)
	}
	ck.Close()
	b, _ := os.ReadFile(path)
	if want := "# inputs sha256 h\np,mean:m,sd:m\n0.1,0.3333333333333333,2\n0.2,0.5,0\n"; string(b) != want {
		t.Errorf("checkpoint:\n%s\nwant:\n%s", b, want)
	}
	if _, err := OpenCheckpoint(path, "other", ps, ts); err == nil || !strings.Contains(err.Error(), ErrCheckpointMismatch.Error()) {
		t.Errorf("a checkpoint of other inputs: %v, want %v", err, ErrCheckpointMismatch)
	}
}
