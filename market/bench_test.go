package market

import (
	"math/rand/v2"
	"testing"
)

func benchUtilities(n int) []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	v := make([]float64, n)
	for j := range v {
		v[j] = 3 * r.NormFloat64()
	}
	return v
}

var sink float64

// The per-buyer functions allocate nothing.
func TestPerBuyerFunctionsDoNotAllocate(t *testing.T) {
	v := benchUtilities(20)
	out := make([]float64, len(v))
	nest := make([]int, len(v))
	for j := range nest {
		nest[j] = j % 4
	}
	lambda := []float64{0.5, 0.5, 0.7, 1}
	scratch := make([]float64, 2*len(lambda))
	b := Bass{P: 0.03, Q: 0.38}.Monthly()
	cases := []struct {
		name string
		f    func()
	}{
		{"LogitShares", func() { sink = LogitShares(v, out) }},
		{"Logit", func() { sink, _ = Logit(v, out) }},
		{"LogSumExp", func() { sink = LogSumExp(v) }},
		{"NestedLogit", func() { sink, _ = NestedLogit(v, nest, lambda, out, scratch) }},
		{"StayProbability", func() { sink = StayProbability(v[0], 1, v[1:]) }},
		{"Bass.Step", func() { sink, _ = b.Step(0.2, 1) }},
		{"ChannelConflict", func() { sink = ChannelConflict(ConflictCase{Disparage: 0.5, BackerAccountShare: 0.4}).LabNet }},
	}
	for _, c := range cases {
		if a := testing.AllocsPerRun(100, c.f); a != 0 {
			t.Errorf("%s: %v allocs per call, want 0", c.name, a)
		}
	}
}

func benchmarkLogitShares(b *testing.B, n int) {
	v := benchUtilities(n)
	out := make([]float64, n)
	b.ReportAllocs()
	for b.Loop() {
		sink = LogitShares(v, out)
	}
}

func BenchmarkLogitShares5(b *testing.B)  { benchmarkLogitShares(b, 5) }
func BenchmarkLogitShares20(b *testing.B) { benchmarkLogitShares(b, 20) }

func BenchmarkNestedLogit20(b *testing.B) {
	v := benchUtilities(20)
	out := make([]float64, len(v))
	nest := make([]int, len(v))
	for j := range nest {
		nest[j] = j % 4
	}
	lambda := []float64{0.5, 0.5, 0.5, 0.5}
	scratch := make([]float64, 2*len(lambda))
	b.ReportAllocs()
	for b.Loop() {
		sink, _ = NestedLogit(v, nest, lambda, out, scratch)
	}
}

func BenchmarkStayProbability5(b *testing.B) {
	v := benchUtilities(5)
	b.ReportAllocs()
	for b.Loop() {
		sink = StayProbability(v[0], 1, v[1:])
	}
}

func BenchmarkBassStep(b *testing.B) {
	m := Bass{P: 0.03, Q: 0.38}.Monthly()
	b.ReportAllocs()
	F := 0.0
	for b.Loop() {
		F, sink = m.Step(F, 1)
		if F > 0.99 {
			F = 0
		}
	}
}

func BenchmarkIRR(b *testing.B) {
	flows := []float64{-100, -50, 0, 0, 0, 0, 0, 400}
	b.ReportAllocs()
	for b.Loop() {
		sink, _ = IRR(flows)
	}
}
