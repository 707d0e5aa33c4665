package benchmodels

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// benchRun times the stepping loop of one model size per iteration (the
// set-up is excluded with StopTimer) and reports agent-steps per second and
// nanoseconds per agent-step.
func benchRun(b *testing.B, name string, size Size) {
	if size == Huge && testing.Short() {
		b.Skip("huge size skipped under -short")
	}
	ctx := context.Background()
	var steps int64
	var wall time.Duration
	seed := uint64(0)
	for b.Loop() {
		b.StopTimer()
		m, n, err := newModel(name, size, 0, seed)
		if err != nil {
			b.Fatal(err)
		}
		seed++
		runtime.GC() // as Run does: no collection of set-up garbage in the loop
		b.StartTimer()
		start := time.Now()
		for t := range n {
			if err := m.Step(ctx, t); err != nil {
				b.Fatal(err)
			}
		}
		wall += time.Since(start)
		steps += m.AgentSteps()
	}
	b.ReportMetric(float64(steps)/wall.Seconds(), "agent-steps/s")
	b.ReportMetric(float64(wall.Nanoseconds())/float64(steps), "ns/agent-step")
	b.ReportMetric(float64(wall.Nanoseconds())/float64(b.N)/1e6, "ms/run")
}

func BenchmarkBoltzmannSmall(b *testing.B)  { benchRun(b, "boltzmann", Small) }
func BenchmarkBoltzmannLarge(b *testing.B)  { benchRun(b, "boltzmann", Large) }
func BenchmarkBoltzmannMedium(b *testing.B) { benchRun(b, "boltzmann", Medium) }
func BenchmarkBoltzmannHuge(b *testing.B)   { benchRun(b, "boltzmann", Huge) }
func BenchmarkSchellingSmall(b *testing.B)  { benchRun(b, "schelling", Small) }
func BenchmarkSchellingLarge(b *testing.B)  { benchRun(b, "schelling", Large) }
func BenchmarkSchellingHuge(b *testing.B)   { benchRun(b, "schelling", Huge) }
func BenchmarkWolfSheepSmall(b *testing.B)  { benchRun(b, "wolfsheep", Small) }
func BenchmarkWolfSheepLarge(b *testing.B)  { benchRun(b, "wolfsheep", Large) }
func BenchmarkWolfSheepHuge(b *testing.B)   { benchRun(b, "wolfsheep", Huge) }
