package engine

import (
	"context"
	"testing"
)

// BenchmarkStep measures one month of a small model that draws from two
// streams and records two columns: the cost of the step loop itself.
func BenchmarkStep(b *testing.B) {
	m := newWalk(NewStreams(1, 0), 1)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Step(ctx, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun measures Run over 120 months, reported per step.
func BenchmarkRun(b *testing.B) {
	m := newWalk(NewStreams(1, 0), 120)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := Run(ctx, m, 120); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*120), "ns/step")
}

// BenchmarkStreamDraw measures one Float64 draw from a named stream.
func BenchmarkStreamDraw(b *testing.B) {
	r := NewStreams(1, 0).Stream("bench")
	b.ReportAllocs()
	var s float64
	for b.Loop() {
		s += r.Float64()
	}
	_ = s
}

// BenchmarkStreamCreate measures deriving a named stream (done once per
// stream per replication).
func BenchmarkStreamCreate(b *testing.B) {
	s := NewStreams(1, 0)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Source("adoption")
	}
}

// BenchmarkRecorderSet measures recording one value.
func BenchmarkRecorderSet(b *testing.B) {
	r, _ := NewRecorder([]string{"a", "b", "c"}, 84)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r.Set(i%84, i%3, float64(i))
		i++
	}
}
