package toysim

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"frontiersim/engine"
	"frontiersim/simulator"
)

// defaults returns the toy model's default parameter vector.
func defaults(s simulator.Simulator) []float64 {
	var p []float64
	for _, q := range s.Params() {
		p = append(p, q.Default)
	}
	return p
}

func runOnce(t *testing.T, s simulator.Simulator, ctx context.Context, p []float64, rep uint64) ([]float64, error) {
	t.Helper()
	r, err := s.NewRunner(10, 12)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, 12*len(s.Metrics()))
	return out, r.Run(ctx, p, engine.NewStreams(1, rep), out)
}

func TestSimulator(t *testing.T) {
	s := Simulator{}
	p := defaults(s)
	a, err := runOnce(t, s, context.Background(), p, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := runOnce(t, s, context.Background(), p, 0)
	c, _ := runOnce(t, s, context.Background(), p, 1)
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("value %d: %v, then %v from the same streams", i, a[i], b[i])
		}
	}
	if a[len(a)-4] == c[len(c)-4] {
		t.Error("another replication gave the same final share")
	}
	p[0] = 0.3 // toy.cap
	capped, _ := runOnce(t, s, context.Background(), p, 0)
	for m := 0; m < 12; m++ {
		row := capped[4*m : 4*m+4]
		if row[0] > 0.3 || math.Abs(row[0]+row[1]-1) > 1e-15 {
			t.Errorf("month %d: shares %v, %v with a cap of 0.3", m, row[0], row[1])
		}
	}
	if _, err := s.NewRunner(0, 12); err == nil {
		t.Error("a runner of 0 buyers")
	}
}

func TestCancelAfter(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := CancelAfter(Simulator{}, 2, cancel)
	p := defaults(s)
	for i := 1; i <= 2; i++ {
		if _, err := runOnce(t, s, ctx, p, uint64(i)); err != nil {
			t.Fatalf("replication %d: %v", i, err)
		}
	}
	if _, err := runOnce(t, s, ctx, p, 3); !errors.Is(err, context.Canceled) || ctx.Err() == nil {
		t.Errorf("replication 3: %v, context %v; want it cancelled", err, ctx.Err())
	}
	if len(s.Params()) != len(Simulator{}.Params()) {
		t.Error("the wrapper hides the model's parameters")
	}
}

func TestPanicAfter(t *testing.T) {
	s := PanicAfter(Simulator{}, 1)
	p := defaults(s)
	if _, err := runOnce(t, s, context.Background(), p, 0); err != nil {
		t.Fatal(err)
	}
	defer func() {
		r := recover()
		if err, ok := r.(error); !ok || !strings.Contains(err.Error(), "index out of range") {
			t.Errorf("recovered %v, want an index out of range", r)
		}
	}()
	runOnce(t, s, context.Background(), p, 1)
	t.Error("the second replication did not panic")
}
