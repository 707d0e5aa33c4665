package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// walk is a small model that draws from two named streams every month.
type walk struct {
	a, b *rand.Rand
	x    float64
	rec  *Recorder
}

func newWalk(s Streams, months int) *walk {
	rec, err := NewRecorder([]string{"x", "shock"}, months)
	if err != nil {
		panic(err)
	}
	return &walk{a: s.Stream("drift"), b: s.Stream("shock"), rec: rec}
}

func (w *walk) Step(_ context.Context, t int) error {
	d := w.a.NormFloat64()
	k := 0.0
	if w.b.Float64() < 0.1 {
		k = w.b.ExpFloat64()
	}
	w.x += d + k
	w.rec.Set(t, 0, w.x)
	w.rec.Set(t, 1, k)
	return nil
}

func runWalks(t *testing.T, n, workers int) [][]float64 {
	t.Helper()
	var out [][]float64
	err := Replicate(context.Background(), n, workers,
		func(ctx context.Context, rep int) ([]float64, error) {
			m := newWalk(NewStreams(42, uint64(rep)), 60)
			if err := Run(ctx, m, 60); err != nil {
				return nil, err
			}
			return append([]float64(nil), m.rec.Data()...), nil
		},
		func(rep int, r []float64) error {
			if rep != len(out) {
				return fmt.Errorf("emitted %d, want %d", rep, len(out))
			}
			out = append(out, r)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReplicateIdenticalForAnyWorkerCount(t *testing.T) {
	ref := runWalks(t, 50, 1)
	for _, w := range []int{2, 8} {
		got := runWalks(t, 50, w)
		for i := range ref {
			for j := range ref[i] {
				if math.Float64bits(ref[i][j]) != math.Float64bits(got[i][j]) {
					t.Fatalf("workers=%d: replication %d value %d: %v != %v", w, i, j, got[i][j], ref[i][j])
				}
			}
		}
	}
	// Different replications must differ.
	if reflect.DeepEqual(ref[0], ref[1]) {
		t.Fatal("replications 0 and 1 are identical")
	}
}

func TestStreamGoldenFirstDraws(t *testing.T) {
	// Golden values: the first three Uint64 draws of named streams. If these
	// change, every published result changes: bump streamDomain's version
	// on purpose, never by accident.
	cases := []struct {
		seed, rep uint64
		name      string
		want      [3]uint64
	}{
		{1, 0, "adoption", goldenAdoption},
		{1, 1, "adoption", goldenAdoptionRep1},
		{42, 0, "funding", goldenFunding},
	}
	for _, c := range cases {
		r := NewStreams(c.seed, c.rep).Stream(c.name)
		got := [3]uint64{r.Uint64(), r.Uint64(), r.Uint64()}
		if got != c.want {
			t.Errorf("seed %d rep %d %q: got %#v, want %#v", c.seed, c.rep, c.name, got, c.want)
		}
	}
}

func TestStreamIndependence(t *testing.T) {
	s := NewStreams(7, 3)
	ref := s.Stream("choice")
	var want [100]float64
	for i := range want {
		want[i] = ref.Float64()
	}
	// Drawing a lot from another stream, and creating a new one, changes
	// nothing in "choice".
	other := s.Stream("adoption")
	for i := 0; i < 10000; i++ {
		other.Float64()
	}
	_ = s.Stream("a-new-stream").Float64()
	got := s.Stream("choice")
	for i := range want {
		if v := got.Float64(); v != want[i] {
			t.Fatalf("draw %d changed: %v != %v", i, v, want[i])
		}
	}
	// Distinct names, seeds and replications give distinct streams.
	keys := map[[32]byte]string{}
	for _, st := range []Streams{{7, 3}, {7, 4}, {8, 3}} {
		for _, n := range []string{"choice", "adoption", "choice2", ""} {
			k := st.Key(n)
			if prev, dup := keys[k]; dup {
				t.Fatalf("key collision between %s and %v/%q", prev, st, n)
			}
			keys[k] = fmt.Sprint(st, n)
		}
	}
}

func TestStreamUniformity(t *testing.T) {
	// A coarse check that the derived stream is uniform: 10 bins of 100000
	// draws, chi-square with 9 degrees of freedom below 27.88 (p = 0.001).
	r := NewStreams(1, 2).Stream("u")
	var bins [10]int
	const n = 100000
	for i := 0; i < n; i++ {
		bins[int(r.Float64()*10)]++
	}
	chi := 0.0
	for _, b := range bins {
		d := float64(b) - n/10
		chi += d * d / (n / 10)
	}
	if chi > 27.88 {
		t.Fatalf("chi-square %.2f > 27.88: bins %v", chi, bins)
	}
}

func TestReplicateFirstErrorCancels(t *testing.T) {
	var started atomic.Int64
	boom := errors.New("boom")
	err := Replicate(context.Background(), 1000, 4,
		func(ctx context.Context, job int) (int, error) {
			started.Add(1)
			if job == 5 {
				return 0, boom
			}
			time.Sleep(time.Millisecond)
			return job, ctx.Err()
		},
		func(job int, r int) error { return nil })
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	if s := started.Load(); s > 100 {
		t.Fatalf("%d jobs started after the error; want the rest cancelled", s)
	}
}

func TestReplicateEmitErrorStops(t *testing.T) {
	bad := errors.New("disk full")
	var emitted []int
	err := Replicate(context.Background(), 100, 3,
		func(ctx context.Context, job int) (int, error) { return job, nil },
		func(job int, r int) error {
			if job == 10 {
				return bad
			}
			emitted = append(emitted, job)
			return nil
		})
	if !errors.Is(err, bad) {
		t.Fatalf("got %v, want %v", err, bad)
	}
	if len(emitted) != 10 {
		t.Fatalf("emitted %v, want jobs 0..9", emitted)
	}
}

func TestReplicateCancellationReportsFinished(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var emitted []int
	start := time.Now()
	err := Replicate(ctx, 10000, 4,
		func(ctx context.Context, job int) (int, error) {
			if job == 40 {
				cancel()
			}
			// A long job that watches the context, as models do each month.
			for i := 0; i < 100; i++ {
				if ctx.Err() != nil {
					return 0, ctx.Err()
				}
				time.Sleep(100 * time.Microsecond)
			}
			return job, nil
		},
		func(job int, r int) error {
			if job != r {
				return fmt.Errorf("job %d got result %d", job, r)
			}
			emitted = append(emitted, job)
			return nil
		})
	var c *Canceled
	if !errors.As(err, &c) {
		t.Fatalf("got %v, want *Canceled", err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("%v does not wrap context.Canceled", err)
	}
	if !reflect.DeepEqual(c.Done, emitted) {
		t.Fatalf("Done %v != emitted %v", c.Done, emitted)
	}
	for i := 1; i < len(emitted); i++ {
		if emitted[i] <= emitted[i-1] {
			t.Fatalf("emitted out of order: %v", emitted)
		}
	}
	if len(emitted) >= 10000 || len(emitted) < 30 {
		t.Fatalf("emitted %d jobs; want the ~40 finished before cancellation", len(emitted))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancellation took %v", d)
	}
}

func TestRunChecksContextEveryStep(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	m := modelFunc(func(_ context.Context, t int) error {
		n++
		if t == 4 {
			cancel()
		}
		return nil
	})
	err := Run(ctx, m, 100)
	if !errors.Is(err, context.Canceled) || n != 5 {
		t.Fatalf("err %v after %d steps; want Canceled after 5", err, n)
	}
}

func TestPhasesRunInOrder(t *testing.T) {
	var got []string
	p := Phases{
		{"drift", func(int) error { got = append(got, "drift"); return nil }},
		{"compute", func(int) error { got = append(got, "compute"); return nil }},
		{"record", func(int) error { got = append(got, "record"); return errors.New("x") }},
	}
	err := p.Step(context.Background(), 0)
	if err == nil || err.Error() != "phase 3 (record): x" {
		t.Fatalf("err = %v", err)
	}
	if !reflect.DeepEqual(got, p.Names()) {
		t.Fatalf("ran %v, want %v", got, p.Names())
	}
}

func TestRecorder(t *testing.T) {
	if _, err := NewRecorder([]string{"a", "a"}, 3); err == nil {
		t.Fatal("duplicate column accepted")
	}
	if _, err := NewRecorder([]string{"a", ""}, 3); err == nil {
		t.Fatal("empty column accepted")
	}
	r, err := NewRecorder([]string{"a", "b"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(r.Get(2, 1)) {
		t.Fatal("unrecorded value is not NaN")
	}
	r.Set(2, 1, 5)
	if r.Row(2)[1] != 5 || r.Data()[5] != 5 {
		t.Fatal("Set not visible through Row/Data")
	}
	if n := testing.AllocsPerRun(100, func() { r.Set(1, 0, 3); _ = r.Row(1) }); n != 0 {
		t.Fatalf("%v allocs per Set+Row", n)
	}
}

type modelFunc func(ctx context.Context, t int) error

func (f modelFunc) Step(ctx context.Context, t int) error { return f(ctx, t) }

// TestReplicatePanicBecomesError: a job that panics does not crash the
// program: Replicate returns a *PanicError with the value and the stack of
// the panicking goroutine, and cancels the other jobs.
func TestReplicatePanicBecomesError(t *testing.T) {
	var started atomic.Int64
	const workers = 3
	err := Replicate(context.Background(), 1000, workers,
		func(ctx context.Context, job int) (int, error) {
			started.Add(1)
			switch {
			case job == 7:
				var s []int
				return s[job], nil // index out of range
			case job > 7:
				// Later jobs run until the panic cancels them, so that how
				// many start does not depend on how the machine schedules
				// the workers and the goroutine that collects results.
				<-ctx.Done()
				return 0, ctx.Err()
			}
			return job, nil
		},
		func(job int, r int) error { return nil })
	var p *PanicError
	if !errors.As(err, &p) {
		t.Fatalf("got %v (%T), want a *PanicError", err, err)
	}
	if !strings.Contains(err.Error(), "job 7") || !strings.Contains(err.Error(), "index out of range") {
		t.Errorf("error %q does not name the job and the panic", err)
	}
	if !strings.Contains(string(p.Stack), "TestReplicatePanicBecomesError") {
		t.Errorf("stack does not show the panicking function:\n%s", p.Stack)
	}
	// Jobs 0-7, one more per worker blocked until the cancellation, and a
	// few that a worker may still receive while the feeder's select picks
	// between the job channel and the cancelled context (each time with
	// probability 1/2): far fewer than the 1,000 of an uncancelled run.
	if s := started.Load(); s >= 100 {
		t.Errorf("%d jobs started; want the rest cancelled after the panic", s)
	}
}
